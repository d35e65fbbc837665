/**
 * JSON as tdlv writes it: non-finite numbers kept (NaN, Infinity and -Infinity are written as those strings and read
 * back as numbers, where plain JSON would turn them into null and a resumed run or an audit would read "q = null"), and
 * files replaced atomically (a temporary file beside the target, fsync, rename), so an interrupt or a full disk never
 * leaves a certificate, a page or the README half written.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** JSON.stringify's replacer: a non-finite number becomes its name as a string. */
export const encodeNonFinite = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;

/** JSON.parse's reviver: the strings "NaN", "Infinity" and "-Infinity" become those numbers again. */
export const decodeNonFinite = (_key: string, value: unknown): unknown =>
  typeof value === 'string' && value in NON_FINITE ? NON_FINITE[value] : value;

/** JSON with non-finite numbers kept (see above); `space` as JSON.stringify's. */
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, encodeNonFinite, space);
}

/** Parse JSON written by toJson (plain JSON too). */
export function fromJson(text: string): unknown {
  return JSON.parse(text, decodeNonFinite);
}

/** Errors of a full or read-only disk, which are the user's to fix, not tdlv's. */
const DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM']);

/**
 * Replace `path` with `text` atomically: readers see the old file or the new one, never a part. A full disk (or one
 * that refuses the write) is a UsageError naming `argument` and the path, and the old file is left as it was.
 */
export function writeFileAtomic(path: string, text: string, argument = 'output'): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    // writeSync may write less than asked (a disk filling up says so only on the next call): write until done.
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw diskError(error, argument, path, 'nothing was overwritten') ?? error;
  }
}

/**
 * A full (or refusing) disk as a UsageError naming `argument`, the path and `kept` (what is still safe); else
 * undefined.
 */
function diskError(error: unknown, argument: string, path: string, kept: string): UsageError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  return code && DISK_ERRORS.has(code)
    ? new UsageError(argument, path, `a writable disk with free space (${code}; ${kept})`)
    : undefined;
}

/** Run a write to `path`; a full (or refusing) disk is one line (diskError) instead of an internal error. */
export function onDisk<T>(argument: string, path: string, kept: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw diskError(error, argument, path, kept) ?? error;
  }
}
