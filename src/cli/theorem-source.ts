import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import { importModule } from '../engine/typescript-loader.ts';
import { assertContract } from '../verify/define.ts';
import type { TheoremCheck } from '../verify/experiment.ts';
import { findTheorem } from '../../theorems/index.ts';
import { isTheoremPath } from './theorem-path.ts';

/**
 * A user's theorem module: it must export `check` (or a default export) made by `defineTheorem`; its contract is
 * checked again here so that a hand-written object fails with the same one-line error.
 */
export async function loadTheoremModule(path: string, argument = 'theorem'): Promise<TheoremCheck> {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile())
    throw new UsageError(
      argument,
      path,
      'a built-in theorem id (see tdlv list) or the path of a theorem module (.ts or .js)',
    );
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(pathToFileURL(absolute).href);
  } catch (error) {
    const e = error as Error;
    if (e.name === 'UsageError') throw e;
    throw new UsageError(argument, path, `a module that loads (${e.message.split('\n')[0]})`);
  }
  const check = (mod.check ?? mod.default) as TheoremCheck | undefined;
  if (!check || typeof check !== 'object' || !('statement' in check) || typeof check.plan !== 'function')
    throw new UsageError(argument, path, 'a module exporting `check = defineTheorem({...})` (or a default export)');
  assertContract(check, path);
  return check;
}

/** A built-in theorem by id, or a user's module by path. */
export async function resolveTheorem(argument: string | undefined, name = 'theorem'): Promise<TheoremCheck> {
  if (argument !== undefined && isTheoremPath(argument)) return loadTheoremModule(argument, name);
  return findTheorem(argument, name);
}
