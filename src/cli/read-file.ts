/** Reading user-named files safely (regular files only, size-limited) and proving output folders writable. */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';

/**
 * Read a user-named file as text with a size limit, so that `/dev/zero`, a FIFO or a huge file is a one-line usage
 * error instead of unbounded memory: only regular files are read, and at most `maxBytes`.
 */
export function readTextFile(path: string, argument: string, expected: string, maxBytes = 256 * 1024 * 1024): string {
  let fd: number;
  try {
    // Opening a FIFO for reading blocks until a writer comes: look at the file type first.
    if (!statSync(path).isFile())
      throw new UsageError(argument, path, `${expected} (a regular file, not a device, directory or pipe)`);
    fd = openSync(path, 'r');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(argument, path, `${expected} (the file could not be opened)`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new UsageError(argument, path, `${expected} (a regular file, not a device, directory or pipe)`);
    if (stat.size > maxBytes)
      throw new UsageError(argument, path, `${expected} of at most ${maxBytes / 1024 / 1024} MB`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Create `dir` if needed and prove it writable by writing and removing a probe file, before any long computation
 * writes there (`verify --out`, `--checkpoints`, `report --out`): a bad path fails in a second, not after the sweep.
 * The probe has a time limit of its own (a path under /proc can block).
 */
export function requireWritableDirectory(dir: string, argument: string): void {
  if (/^\/(proc|sys|dev)(\/|$)/.test(resolve(dir)))
    throw new UsageError(argument, dir, 'a writable directory (not under /proc, /sys or /dev)');
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    const probe = join(dir, `.tdlv-write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch {
    throw new UsageError(argument, dir, 'a writable directory');
  }
}
