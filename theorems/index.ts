/**
 * Every built-in theorem's check, loaded from the registry (theorems/registry.ts), in reading order. Importing this
 * module loads the numerical engine; `tdlv list` and `tdlv show` import the registry alone.
 */
import { UsageError } from '../src/errors.ts';
import type { TheoremCheck } from '../src/verify/experiment.ts';
import { BUILTINS } from './registry.ts';
import { TheoremContractError } from '../src/verify/define.ts';
import { cellModuleProblem } from '../src/verify/cell-entry.ts';

export const theorems: readonly TheoremCheck[] = await Promise.all(
  BUILTINS.map(async (b) => {
    const check = await b.load();
    const problem = cellModuleProblem(check, (await import(check.cellModule)) as Record<string, unknown>);
    if (problem) throw new TheoremContractError(b.statement.id, problem);
    if (check.statement !== b.statement)
      throw new Error(`theorems/registry.ts: the check of ${b.statement.id} carries another statement`);
    return check;
  }),
);

export function findTheorem(id: string | undefined, argument = 'theorem'): TheoremCheck {
  const found = theorems.find((t) => t.statement.id === id);
  if (!found)
    throw new UsageError(
      argument,
      id,
      `a theorem id: ${theorems.map((t) => t.statement.id).join(', ')} (see tdlv list)`,
    );
  return found;
}
