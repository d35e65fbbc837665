import { UsageError } from '../src/errors.ts';
import type { TheoremCheck } from '../src/verify/experiment.ts';
import { check as ntkConstancy } from './ntk-constancy/check.ts';
import { check as ntkPdSphere } from './ntk-pd-sphere/check.ts';
import { check as linearization } from './linearization/check.ts';
import { check as finiteWidth } from './finite-width-corrections/check.ts';
import { check as nngp } from './nngp-correspondence/check.ts';
import { check as regimes } from './regimes/check.ts';
import { check as doubleDescent } from './double-descent/check.ts';
import { check as overparam } from './overparam-convergence/check.ts';
import { check as deepLinearRank } from './deep-linear-rank/check.ts';

/** Every theorem module, in reading order. */
export const theorems: TheoremCheck[] = [
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
