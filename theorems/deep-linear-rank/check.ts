/** deep-linear-rank: plans, the gradient-descent cells of deep matrix factorizations, effective ranks. */
import { defineTheorem } from '../../src/verify/define.ts';
import {
  effectiveRank,
  gaussianFactors,
  minNuclearCompletion,
  nuclearNorm,
  productOf,
  svd,
  trainFactorization,
  type FactorizationRun,
  type Observations,
} from '../../src/engine/nets/matrix-factorization.ts';
import { stream, type StreamAddress } from '../../src/random/rng.ts';
import {
  perArmPlan,
  type CellResult,
  type CellTaskArgs,
  type Fidelity,
  type Observation,
  type SweepPlan,
  type TheoremCheck,
  type Settings,
  type Cell,
} from '../../src/verify/experiment.ts';
import {
  COMPLETION_OBSERVATIONS,
  deepErrorAt,
  erankAtLevel,
  LOSS_LEVELS,
  nuclearAtLevel,
  nuclearErrorAt,
  RANK,
  RECOVERED,
  RECOVERY_GRID,
  SIZE,
  statement,
  type Arm,
  type Observable,
} from './statement.ts';

const THEOREM = 'deep-linear-rank';
/** Arora et al.'s initialisation scale: ||W(0)||_F ~ alpha sqrt(d). */
const SMALL_INIT = 1e-3;
/** Observed entries fitted to 0.1%: the loss at most FIT x its value at W = 0. */
const FIT = 1e-6;
const COMPLETION_STEPS = 400_000;
const RECOVERY_STEPS = 50_000;
/** Razin & Cohen's code: per-factor standard deviation, step size, stopping loss and step cap. */
const RC_INIT = 8e-3;
const RC_STEP = 3e-3;
const RC_STOP = 1e-4;
const RC_STEPS = 5_000_000;

type ArmSpec = { kind: 'completion'; alpha: number } | { kind: 'recovery' } | { kind: 'counterexample' };
export const ARMS: Record<Arm, ArmSpec> = {
  completion: { kind: 'completion', alpha: SMALL_INIT },
  'completion-large-init': { kind: 'completion', alpha: 1 },
  recovery: { kind: 'recovery' },
  'recovery-shallow': { kind: 'recovery' },
  counterexample: { kind: 'counterexample' },
  'counterexample-shallow': { kind: 'counterexample' },
};

const DEPTHS = [1, 2, 3, 4];
const PLANS: Record<Fidelity, NonNullable<SweepPlan<Settings, Arm>['armPlans']>> = {
  smoke: {
    completion: { widths: DEPTHS, seeds: 3 },
    'completion-large-init': { widths: DEPTHS, seeds: 3 },
    recovery: { widths: [3], seeds: 3 },
    'recovery-shallow': { widths: [2], seeds: 3 },
    counterexample: { widths: [3, 4], seeds: 3 },
    'counterexample-shallow': { widths: [1, 2], seeds: 3 },
  },
  quick: {
    completion: { widths: DEPTHS, seeds: 5 },
    'completion-large-init': { widths: DEPTHS, seeds: 4 },
    recovery: { widths: [3], seeds: 4 },
    'recovery-shallow': { widths: [2], seeds: 4 },
    counterexample: { widths: [3, 4], seeds: 4 },
    'counterexample-shallow': { widths: [1, 2], seeds: 4 },
  },
  full: {
    completion: { widths: DEPTHS, seeds: 16 },
    'completion-large-init': { widths: DEPTHS, seeds: 8 },
    recovery: { widths: [3], seeds: 16 },
    'recovery-shallow': { widths: [2], seeds: 8 },
    counterexample: { widths: [3, 4], seeds: 12 },
    'counterexample-shallow': { widths: [1, 2], seeds: 8 },
  },
};

export interface Target {
  M: Float64Array;
  /** A random order of the d^2 entries: the first m are observed. */
  order: Int32Array;
  sigma1: number;
  erank: number;
}

/** The seed's rank-2 target M = U V^T (Gaussian U, V) with ||M||_F = d, and its random order of entries; shared by
 * every depth and arm. */
export function target(seed: number): Target {
  const rng = stream({ experiment: THEOREM, seed, what: 'target' });
  const d = SIZE;
  const U = Float64Array.from({ length: d * RANK }, () => rng.normal());
  const V = Float64Array.from({ length: d * RANK }, () => rng.normal());
  const M = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < RANK; k++) s += U[i * RANK + k]! * V[j * RANK + k]!;
      M[i * d + j] = s;
    }
  const fro = Math.sqrt(M.reduce((a, v) => a + v * v, 0));
  for (let i = 0; i < M.length; i++) M[i] = (M[i]! * d) / fro;
  const order = Int32Array.from({ length: d * d }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const values = svd(M, d).values;
  return { M, order, sigma1: values[0]!, erank: effectiveRank(values) };
}

export function observe(t: Target, m: number): Observations {
  const indices = t.order.slice(0, m);
  return { n: SIZE, indices, values: Float64Array.from(indices, (i) => t.M[i]!) };
}

export function relativeError(W: Float64Array, M: Float64Array): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < M.length; i++) {
    e += (W[i]! - M[i]!) ** 2;
    s += M[i]! ** 2;
  }
  return Math.sqrt(e / s);
}

/** Gradient descent from factors N(0, alpha^{2/L} / d) with eta = 1 / (L sigma_1^{2 - 2/L}), until the observed entries
 * are fitted to FIT. */
export function completeByDepth(
  obs: Observations,
  t: Target,
  depth: number,
  alpha: number,
  maxSteps: number,
  address: StreamAddress,
): FactorizationRun {
  const rng = stream({ ...address, what: 'init' });
  const factors = gaussianFactors(SIZE, depth, alpha ** (1 / depth) / Math.sqrt(SIZE), rng);
  const atZero = 0.5 * obs.values.reduce((a, v) => a + v * v, 0);
  return trainFactorization(obs, {
    depth,
    factors,
    learningRate: 1 / (depth * t.sigma1 ** (2 - 2 / depth)),
    maxSteps,
    lossTol: FIT * atZero,
  });
}

function completionCell(
  seed: number,
  depth: number,
  alpha: number,
  address: StreamAddress,
): { observation: Observation<Observable>; why?: string } {
  const t = target(seed);
  const obs = observe(t, COMPLETION_OBSERVATIONS);
  const run = completeByDepth(obs, t, depth, alpha, COMPLETION_STEPS, address);
  const nuclear = minNuclearCompletion(obs);
  const observation: Observation<Observable> = {
    nuclearErank: effectiveRank(svd(nuclear.X, SIZE).values),
    nuclearRelativeError: relativeError(nuclear.X, t.M),
    nuclearDualityGap: (nuclear.nuclear - nuclear.dualBound) / nuclear.nuclear,
    targetErank: t.erank,
    steps: run.steps,
    finalLoss: run.finalLoss,
  };
  // The claims are about the matrix gradient descent converges to: a run that has not fitted the observed entries
  // records no effective rank or error, so a claim that needs it is invalid rather than judged on an unfinished run.
  if (!run.converged)
    return {
      observation,
      why:
        `the observed entries were not fitted to ${FIT} of the loss at 0 within ` +
        `${COMPLETION_STEPS} steps (loss ${run.finalLoss.toExponential(2)})`,
    };
  const values = svd(run.product, SIZE).values;
  observation.erank = effectiveRank(values);
  observation.relativeError = relativeError(run.product, t.M);
  return { observation };
}

function recoveryCell(seed: number, depth: number, address: StreamAddress): { observation: Observation<Observable> } {
  const t = target(seed);
  const observation: Observation<Observable> = { zero: 0 };
  let deepFirst = NaN;
  let nuclearFirst = NaN;
  let unfitted = 0;
  let worstGap = 0;
  for (const m of RECOVERY_GRID) {
    const obs = observe(t, m);
    const run = completeByDepth(obs, t, depth, SMALL_INIT, RECOVERY_STEPS, { ...address, m });
    if (!run.converged) unfitted++;
    const deep = relativeError(run.product, t.M);
    const nuclear = minNuclearCompletion(obs);
    worstGap = Math.max(worstGap, (nuclear.nuclear - nuclear.dualBound) / nuclear.nuclear);
    const convex = relativeError(nuclear.X, t.M);
    observation[deepErrorAt(m)] = deep;
    observation[nuclearErrorAt(m)] = convex;
    if (Number.isNaN(deepFirst) && deep <= RECOVERED) deepFirst = m;
    if (Number.isNaN(nuclearFirst) && convex <= RECOVERED) nuclearFirst = m;
  }
  observation.deepObservations = deepFirst;
  observation.nuclearObservations = nuclearFirst;
  observation.observationRatioLog2 = Math.log2(deepFirst / nuclearFirst);
  observation.unfittedRuns = unfitted;
  observation.nuclearDualityGap = worstGap;
  return { observation };
}

/** Razin & Cohen's problem: W_12 = W_21 = 1, W_22 = 0 observed (flat indices 1, 2, 3 of the 2 x 2 matrix). */
export const COUNTEREXAMPLE: Observations = {
  n: 2,
  indices: Int32Array.from([1, 2, 3]),
  values: Float64Array.from([1, 1, 0]),
};

/** Factors N(0, RC_INIT^2) redrawn until det(W_L ... W_1) > 0 (their `enforce_pos_det`). */
export function counterexampleFactors(depth: number, address: StreamAddress): Float64Array[] {
  const rng = stream({ ...address, what: 'init' });
  for (;;) {
    const factors = gaussianFactors(2, depth, RC_INIT, rng);
    const P = productOf(factors, 2);
    if (P[0]! * P[3]! - P[1]! * P[2]! > 0) return factors;
  }
}

/** The least nuclear norm of a 2 x 2 matrix whose loss on the observed entries is at most `loss`: 2 (1 - sqrt(loss)).
 * */
export function leastNuclearNorm(loss: number): number {
  return 2 * Math.max(0, 1 - Math.sqrt(loss));
}

function counterexampleCell(depth: number, address: StreamAddress): { observation: Observation<Observable> } {
  const levels = LOSS_LEVELS.map((k) => 10 ** -k);
  let next = 0;
  // The product is kept at the first step whose loss is at or below the next level (and at the stop).
  const run = trainFactorization(COUNTEREXAMPLE, {
    depth,
    factors: counterexampleFactors(depth, address),
    learningRate: RC_STEP,
    maxSteps: RC_STEPS,
    lossTol: RC_STOP,
    keepProducts: true,
    record: (_, loss) => {
      if (next >= levels.length || loss > levels[next]!) return false;
      while (next < levels.length && loss <= levels[next]!) next++;
      return true;
    },
  });
  const observation: Observation<Observable> = { erankMidpoint: 1.5 };
  LOSS_LEVELS.forEach((k, i) => {
    const at = run.losses.find((r) => r.loss <= levels[i]!);
    if (!at?.product) return; // not reached within the step cap: the curve ends before it
    const values = svd(at.product, 2).values;
    observation[nuclearAtLevel(k)] = nuclearNorm(values);
    observation[erankAtLevel(k)] = effectiveRank(values);
    observation[`minNuclearAtLoss1e-${k}`] = leastNuclearNorm(at.loss);
  });
  const values = svd(run.product, 2).values;
  observation.nuclearNorm = nuclearNorm(values);
  observation.minNuclearNorm = leastNuclearNorm(run.finalLoss);
  observation.erank = effectiveRank(values);
  observation.unobservedEntry = Math.abs(run.product[0]!);
  observation.finalLoss = run.finalLoss;
  // Judged at the stop whatever loss it reached (the least nuclear norm is that of the loss reached); counted apart.
  observation.reachedStop = run.finalLoss <= RC_STOP ? 1 : 0;
  observation.steps = run.steps;
  return { observation };
}

export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellResult<Arm, Observable> {
  const start = performance.now();
  const arm = ARMS[cell.arm];
  if (!arm) throw new Error(`${THEOREM}: unknown arm ${cell.arm}`);
  const address = { experiment: THEOREM, arm: cell.arm, depth: cell.width, seed: cell.seed };
  let out: { observation: Observation<Observable>; why?: string };
  switch (arm.kind) {
    case 'completion':
      out = completionCell(cell.seed, cell.width, arm.alpha, address);
      break;
    case 'recovery':
      out = recoveryCell(cell.seed, cell.width, address);
      break;
    case 'counterexample':
      out = counterexampleCell(cell.width, address);
      break;
  }
  const finite = Object.values(out.observation).every(Number.isFinite);
  const why = out.why ?? (finite ? undefined : 'a value is not finite');
  return {
    ...cell,
    status: why ? 'invalid' : 'ok',
    ...(why ? { why } : {}),
    observation: out.observation,
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * Expected seconds of a cell (means per arm and depth of the full certificate, cell version 2): the cost is set by
 * depth and arm, not by width^2 (a cell's width is its depth), so shards are balanced by these.
 */
function cellCost(cell: Cell<Arm>): number {
  const arm = ARMS[cell.arm];
  const depth = cell.width;
  switch (arm?.kind) {
    case 'completion':
      return arm.alpha === SMALL_INIT ? ([0.5, 0.6, 1.8, 10][depth - 1] ?? 10) : 0.5;
    case 'recovery':
      return depth >= 3 ? 9 : 4;
    case 'counterexample':
      return depth >= 4 ? 4.4 : depth === 3 ? 2.5 : 0.01;
    default:
      return 1;
  }
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '2',
  cellCost,
});
