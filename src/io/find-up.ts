/** Walking up the folders from a start folder: the one loop behind tdlv's root, a module's tdlv, tsc and tsconfig. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The first non-undefined answer of `found` for `start` and each folder above it, up to the file system's root. */
export function findUp<T>(start: string, found: (dir: string) => T | undefined): T | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const answer = found(dir);
    if (answer !== undefined) return answer;
    if (dirname(dir) === dir) return undefined;
  }
}

/** `dir/relative` where that file exists, else undefined (a `found` for findUp). */
export const existing =
  (relative: string) =>
  (dir: string): string | undefined =>
    existsSync(join(dir, relative)) ? join(dir, relative) : undefined;

/** Whether `dir` holds tdlv's own package.json (a checkout or an installed copy of tdlv). */
export function isTdlvPackage(dir: string): boolean {
  const candidate = join(dir, 'package.json');
  if (!existsSync(candidate)) return false;
  try {
    return (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'tdlv';
  } catch {
    return false; // not ours
  }
}
