/**
 * What a worker thread runs for a theorem's cell: import the module that exports the check (by its URL, the one string
 * a worker can be sent) and call the check's own typed `cell`. No function is found by name.
 */
import { importModule } from '../engine/runtime/typescript-loader.ts';
import type { CellTaskArgs, TheoremCheck } from './experiment.ts';

/** The pool's task: `module` is the check's cellModule, `args` the cell's address and plan. */
export interface TheoremCellTask {
  module: string;
  args: CellTaskArgs;
}

/** This module's URL and entry, for the pool. */
export const CELL_ENTRY = { module: import.meta.url, fn: 'runTheoremCell' } as const;

/**
 * The check a module exports: `check`, a default export, or (a module loaded as CommonJS) `check` under its default.
 */
export function exportedCheck(exports: Record<string, unknown>): TheoremCheck | undefined {
  const cjs = exports.default as Record<string, unknown> | undefined;
  const found = exports.check ?? cjs?.check ?? exports.default;
  return found && typeof found === 'object' && typeof (found as TheoremCheck).cell === 'function'
    ? (found as TheoremCheck)
    : undefined;
}

/**
 * Where the check's cellModule does not export this very check, the worker would run another module's cells: the
 * contract error, or null.
 */
export function cellModuleProblem(check: TheoremCheck, exports: Record<string, unknown>): string | null {
  const found = exportedCheck(exports);
  if (found === check) return null;
  return (
    `cellModule: got ${JSON.stringify(check.cellModule)}, expected import.meta.url of the module that exports this ` +
    `check (that module exports ${found ? `the check of ${found.statement.id}` : 'no check'})`
  );
}

/** The worker's entry (named in CELL_ENTRY). */
export async function runTheoremCell({ module, args }: TheoremCellTask): Promise<unknown> {
  const check = exportedCheck(await importModule(module));
  if (!check) throw new Error(`worker: ${module} exports no theorem check with a cell`);
  return check.cell(args);
}
