/**
 * The built-in theorems, in reading order: a built-in theorem is its folder (statement.ts, check.ts) and one entry
 * here.
 * The statements load at once (`tdlv list` and `tdlv show` need no numerical engine); the checks load when asked
 * (theorems/index.ts loads them all), and each loaded check must carry the very statement listed here.
 */
import type { TheoremCheck } from '../src/verify/experiment.ts';
import type { TheoremStatement } from '../src/verify/claims.ts';
import { UsageError } from '../src/errors.ts';
import { statement as ntkConstancy } from './ntk-constancy/statement.ts';
import { statement as ntkPdSphere } from './ntk-pd-sphere/statement.ts';
import { statement as linearization } from './linearization/statement.ts';
import { statement as nngp } from './nngp-correspondence/statement.ts';
import { statement as finiteWidth } from './finite-width-corrections/statement.ts';
import { statement as regimes } from './regimes/statement.ts';
import { statement as overparam } from './overparam-convergence/statement.ts';
import { statement as doubleDescent } from './double-descent/statement.ts';
import { statement as deepLinearRank } from './deep-linear-rank/statement.ts';
import { statement as signalPropagation } from './signal-propagation/statement.ts';
import { statement as nnVsKernels } from './nn-vs-kernels/statement.ts';
import { statement as reverseNtk } from './reverse-ntk/statement.ts';
import { statement as tensorPrograms } from './tensor-program-coordinates/statement.ts';
import { statement as meanFieldDynamics } from './mean-field-dynamics/statement.ts';
import { statement as parity } from './parity/statement.ts';

export interface Builtin {
  statement: TheoremStatement;
  load(): Promise<TheoremCheck>;
}

export const BUILTINS: readonly Builtin[] = [
  { statement: ntkConstancy, load: async () => (await import('./ntk-constancy/check.ts')).check },
  { statement: ntkPdSphere, load: async () => (await import('./ntk-pd-sphere/check.ts')).check },
  { statement: linearization, load: async () => (await import('./linearization/check.ts')).check },
  { statement: nngp, load: async () => (await import('./nngp-correspondence/check.ts')).check },
  { statement: finiteWidth, load: async () => (await import('./finite-width-corrections/check.ts')).check },
  { statement: regimes, load: async () => (await import('./regimes/check.ts')).check },
  { statement: overparam, load: async () => (await import('./overparam-convergence/check.ts')).check },
  { statement: doubleDescent, load: async () => (await import('./double-descent/check.ts')).check },
  { statement: deepLinearRank, load: async () => (await import('./deep-linear-rank/check.ts')).check },
  { statement: signalPropagation, load: async () => (await import('./signal-propagation/check.ts')).check },
  { statement: nnVsKernels, load: async () => (await import('./nn-vs-kernels/check.ts')).check },
  { statement: reverseNtk, load: async () => (await import('./reverse-ntk/check.ts')).check },
  {
    statement: tensorPrograms,
    load: async () => (await import('./tensor-program-coordinates/check.ts')).check,
  },
  { statement: meanFieldDynamics, load: async () => (await import('./mean-field-dynamics/check.ts')).check },
  { statement: parity, load: async () => (await import('./parity/check.ts')).check },
];

/** The statements alone, in reading order. */
export const statements: readonly TheoremStatement[] = BUILTINS.map((b) => b.statement);

export function findStatement(id: string | undefined, argument = 'theorem'): TheoremStatement {
  const found = statements.find((s) => s.id === id);
  if (!found)
    throw new UsageError(argument, id, `a theorem id: ${statements.map((s) => s.id).join(', ')} (see tdlv list)`);
  return found;
}
