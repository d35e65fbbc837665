/** Where tdlv's own package.json is, from the sources or from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding tdlv's package.json, found by walking up from this module: the same answer whether the code runs
 * from src/ (tsx, tests) or from the compiled dist/src/ of a build or an installed package.
 */
function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'tdlv') return dir;
      } catch {
        // not ours
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return join(start, '..');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot(import.meta.dirname);
