/** Where a theorem comes from: a built-in id, or a user's module path (loaded, validated, its id checked). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.ts';
import { findUp, isTdlvPackage } from '../io/find-up.ts';
import { importModule, moduleExport } from '../engine/runtime/typescript-loader.ts';
import { assertContract, TheoremContractError } from '../verify/define.ts';
import { cellModuleProblem } from '../verify/cell-entry.ts';
import type { TheoremCheck } from '../verify/experiment.ts';
import { findTheorem } from '../../theorems/index.ts';
import { statements } from '../../theorems/registry.ts';
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
  requireTdlvResolvable(absolute, path, argument);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(pathToFileURL(absolute).href);
  } catch (error) {
    const e = error as Error;
    if (e.name === 'UsageError') throw e;
    throw new UsageError(argument, path, `a module that loads (${e.message.split('\n')[0]})`);
  }
  const check = (moduleExport(mod, 'check') ?? mod.default) as TheoremCheck | undefined;
  if (!check || typeof check !== 'object' || !('statement' in check) || typeof check.plan !== 'function')
    throw new UsageError(argument, path, 'a module exporting `check = defineTheorem({...})` (or a default export)');
  assertContract(check, path);
  // A worker thread imports check.cellModule and calls the check it exports: it must be this one.
  const own = check.cellModule === pathToFileURL(absolute).href;
  const problem = cellModuleProblem(check, own ? mod : await importModule(check.cellModule).catch(() => ({})));
  if (problem) throw new TheoremContractError(check.statement.id, problem);
  if (statements.some((s) => s.id === check.statement.id))
    throw new UsageError(
      argument,
      path,
      `a theorem whose id is its own (${check.statement.id} is a built-in theorem's id; ` +
        'its certificates and checkpoints would overwrite the built-in ones)',
    );
  return check;
}

/** A built-in theorem by id, or a user's module by path. */
export async function resolveTheorem(argument: string | undefined, name = 'theorem'): Promise<TheoremCheck> {
  if (argument !== undefined && isTheoremPath(argument)) return loadTheoremModule(argument, name);
  return findTheorem(argument, name);
}

/**
 * A module that imports 'tdlv' must find it from its own folder (node_modules/tdlv above it, or the tdlv checkout it
 * sits in); otherwise Node's own message is about something else (an ES module "in a cycle").
 */
function requireTdlvResolvable(absolute: string, path: string, argument: string): void {
  const text = readFileSync(absolute, 'utf8');
  if (!/\bfrom\s*['"]tdlv['"]|\bimport\s*\(\s*['"]tdlv['"]\s*\)/.test(text)) return;
  const resolvable = (dir: string) =>
    existsSync(join(dir, 'node_modules', 'tdlv', 'package.json')) || isTdlvPackage(dir) ? true : undefined;
  if (findUp(dirname(absolute), resolvable)) return;
  throw new UsageError(
    argument,
    path,
    `a module that can import 'tdlv': it is not installed in ${dirname(absolute)} or any folder above it ` +
      '(run: npm install tdlv, or npm install path/to/tdlv-x.y.z.tgz, in that folder)',
  );
}
