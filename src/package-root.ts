/** Where tdlv's own package.json is, from the sources or from dist/. */
import { join } from 'node:path';
import { findUp, isTdlvPackage } from './io/find-up.ts';

/**
 * The folder holding tdlv's package.json, found by walking up from this module: the same answer whether the code runs
 * from src/ (tsx, tests) or from the compiled dist/src/ of a build or an installed package.
 */
function findRoot(start: string): string {
  return findUp(start, (dir) => (isTdlvPackage(dir) ? dir : undefined)) ?? join(start, '..');
}

export const PACKAGE_ROOT = findRoot(import.meta.dirname);
