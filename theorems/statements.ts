import { UsageError } from '../src/errors.ts';
import type { TheoremStatement } from '../src/verify/claims.ts';
import { statement as ntkConstancy } from './ntk-constancy/statement.ts';
import { statement as ntkPdSphere } from './ntk-pd-sphere/statement.ts';
import { statement as linearization } from './linearization/statement.ts';
import { statement as finiteWidth } from './finite-width-corrections/statement.ts';
import { statement as nngp } from './nngp-correspondence/statement.ts';
import { statement as regimes } from './regimes/statement.ts';
import { statement as doubleDescent } from './double-descent/statement.ts';
import { statement as overparam } from './overparam-convergence/statement.ts';
import { statement as deepLinearRank } from './deep-linear-rank/statement.ts';

/**
 * The statements alone, in reading order (theorems/index.ts holds the checks, which load the numerical engine):
 * `tdlv list` and `tdlv show` start without loading tfjs or mathjs. test/theorems/statements.test.ts checks that the
 * two lists agree.
 */
export const statements: TheoremStatement[] = [
  ntkConstancy,
  ntkPdSphere,
  linearization,
  nngp,
  finiteWidth,
  regimes,
  overparam,
  doubleDescent,
  deepLinearRank,
];

export function findStatement(id: string | undefined, argument = 'theorem'): TheoremStatement {
  const found = statements.find((s) => s.id === id);
  if (!found)
    throw new UsageError(argument, id, `a theorem id: ${statements.map((s) => s.id).join(', ')} (see tdlv list)`);
  return found;
}
