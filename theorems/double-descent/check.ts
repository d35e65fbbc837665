/** double-descent: plans and cells of min-norm least squares and random-features regression. */
import { defineTheorem } from '../../src/verify/define.ts';
import {
  gramOfColumns,
  gramOfRows,
  inverseTrace,
  matrix64,
  multiply,
  ridgeSolve,
  type Matrix64,
} from '../../src/numeric/least-squares.ts';
import { RandomStream, stream } from '../../src/random/rng.ts';
import {
  perArmPlan,
  type CellOutput,
  type CellResult,
  type CellTaskArgs,
  type Fidelity,
  type Observation,
  type SweepPlan,
  type TheoremCheck,
} from '../../src/verify/experiment.ts';
import {
  asymptoticRisk,
  FEATURE_RATIOS,
  finiteSampleRisk,
  GAMMA_PER_WIDTH,
  GAMMAS,
  NOISE,
  RATIO_PER_WIDTH,
  SIGNAL,
  statement,
  type Arm,
  type Observable,
} from './statement.ts';

/** The settings every cell of this theorem sees. */
type DdSettings = { samples: number; rfSamples: number };

const TEST_POINTS = 1000;
/** Ridge penalty of the ablation, on the normalised kernel Phi Phi^T / N: argmin (1/n) ||y - f||^2 + lambda ||a||^2. */
export const RIDGE = 0.01;

type ArmSpec =
  /** Isotropic least squares at n samples, width = 20 gamma. */
  | { kind: 'isotropic' }
  /** Isotropic least squares at gamma fixed, width = n. */
  | { kind: 'isotropic-n'; gamma: number }
  /** Random relu features at n samples, width = 4 N / n. */
  | { kind: 'random-features'; ridge: number }
  /** One deterministic cell: HMRT's asymptotic risk on a dense grid of gamma, for the figure (no claim is judged). */
  | { kind: 'formula' };

export const ARMS: Record<Arm, ArmSpec> = {
  hmrt: { kind: 'isotropic' },
  'hmrt-n': { kind: 'isotropic-n', gamma: 2 },
  'hmrt-n-under': { kind: 'isotropic-n', gamma: 0.5 },
  rf: { kind: 'random-features', ridge: 0 },
  'rf-ridge': { kind: 'random-features', ridge: RIDGE },
  'hmrt-formula': { kind: 'formula' },
};

/** 401 values of gamma, evenly spaced in log gamma over the range of the sweep. */
export function denseGammas(): number[] {
  const [lo, hi] = [Math.log(GAMMAS[0]!), Math.log(GAMMAS.at(-1)!)];
  return Array.from({ length: 401 }, (_, k) => Math.exp(lo + ((hi - lo) * k) / 400));
}

const gammaWidths = GAMMAS.map((g) => Math.round(g / GAMMA_PER_WIDTH));
const ratioWidths = FEATURE_RATIOS.map((r) => Math.round(r / RATIO_PER_WIDTH));

type ArmPlans = NonNullable<SweepPlan<DdSettings, Arm>['armPlans']>;
function plans(hmrtSeeds: number, ns: number[], nSeeds: number, rfSeeds: number): ArmPlans {
  return Object.fromEntries(
    Object.entries(ARMS).map(([name, arm]) => {
      switch (arm.kind) {
        case 'isotropic':
          return [name, { widths: gammaWidths, seeds: hmrtSeeds }];
        case 'isotropic-n':
          return [name, { widths: ns, seeds: nSeeds }];
        case 'random-features':
          return [name, { widths: ratioWidths, seeds: rfSeeds }];
        case 'formula':
          return [name, { widths: [1], seeds: 1 }];
      }
    }),
  );
}

const PLANS: Record<Fidelity, { settings: DdSettings; armPlans: ArmPlans }> = {
  smoke: { settings: { samples: 40, rfSamples: 80 }, armPlans: plans(4, [20, 40, 80], 3, 3) },
  quick: { settings: { samples: 100, rfSamples: 200 }, armPlans: plans(16, [25, 50, 100, 200, 400], 8, 6) },
  full: { settings: { samples: 200, rfSamples: 400 }, armPlans: plans(64, [25, 50, 100, 200, 400, 800], 24, 16) },
};

function gaussianMatrix(rng: RandomStream, rows: number, cols: number): Matrix64 {
  return matrix64(rows, cols, () => rng.normal());
}

/** A vector uniform on the sphere of radius sqrt(r2). */
function sphereVector(rng: RandomStream, dim: number, r2: number): Float64Array {
  const v = Float64Array.from({ length: dim }, () => rng.normal());
  const scale = Math.sqrt(r2) / Math.hypot(...v);
  return v.map((x) => x * scale);
}

/**
 * The risk ||beta-hat - beta||^2 of min-norm least squares on one isotropic Gaussian design (one draw of X, beta and
 * the noise), and its conditional expectation given X over beta uniform on the sphere and the noise: with P the
 * projection on the row space of X, beta-hat - beta = -(I - P) beta + X^+ noise, so
 * E[R | X] = r^2 (p - min(n, p)) / p + sigma^2 tr((X X^T)^-1) (p > n) or sigma^2 tr((X^T X)^-1) (p < n).
 * Its mean over X is E R (Muirhead 1982, Theorem 3.2.12), with the variance of beta and the noise removed.
 */
export function isotropicRisk(rng: RandomStream, n: number, p: number): { risk: number; conditional: number } {
  const X = gaussianMatrix(rng, n, p);
  const beta = sphereVector(rng, p, SIGNAL);
  const y = multiply(X, beta).map((v) => v + Math.sqrt(NOISE) * rng.normal());
  const fit = ridgeSolve(X, y);
  let r = 0;
  for (let j = 0; j < p; j++) r += (fit[j]! - beta[j]!) ** 2;
  const k = Math.min(n, p);
  const trace = inverseTrace(p > n ? gramOfRows(X) : gramOfColumns(X), k);
  return { risk: r, conditional: (SIGNAL * (p - k)) / p + NOISE * trace };
}

/** relu(W x) for the rows of X: an (inputs x N) feature matrix scaled by 1 / sqrt(N) (a kernel Phi Phi^T of order one).
 * */
function features(X: Matrix64, W: Matrix64): Matrix64 {
  const N = W.rows;
  const s = 1 / Math.sqrt(N);
  return matrix64(X.rows, N, (i, j) => {
    let z = 0;
    for (let k = 0; k < X.cols; k++) z += X.data[i * X.cols + k]! * W.data[j * W.cols + k]!;
    return z > 0 ? z * s : 0;
  });
}

export interface RandomFeaturesFit {
  testError: number;
  trainError: number;
  /**
   * The data-dependent term of the Rademacher bound for the l2 ball that contains the fit: 2 Lip R_S with R_S =
   * ||a|| sqrt(sum_i ||phi(x_i)||^2) / n (Bartlett & Mendelson 2002) and Lip >= 2 max_i |y_i| for the square loss.
   * Every
   * bound of this form (e.g. Mohri, Rostamizadeh & Talwalkar's regression bounds) adds the training error and a
   * confidence term to it.
   */
  normBound: number;
  /** The risk E (0 - y)^2 = r^2 + sigma^2 of predicting 0: a bound at least this large is vacuous. */
  trivialRisk: number;
  /** sqrt(N / n): the order of a parameter-counting (VC-type) bound. */
  parameterCountBound: number;
}

/** Random-features regression: the excess test error of the ridge (or min-norm) fit on fresh inputs, and the norm-based
 * bound of the fit. */
export function randomFeaturesError(rng: RandomStream, n: number, N: number, ridge: number): RandomFeaturesFit {
  const d = Math.round(n / 4);
  const W = gaussianMatrix(rng, N, d);
  for (let j = 0; j < N; j++) {
    const row = W.data.subarray(j * d, (j + 1) * d);
    const norm = Math.hypot(...row);
    for (let k = 0; k < d; k++) row[k]! /= norm;
  }
  const beta = sphereVector(rng, d, SIGNAL);
  const X = gaussianMatrix(rng, n, d);
  const target = (A: Matrix64) => multiply(A, beta);
  const y = target(X).map((v) => v + Math.sqrt(NOISE) * rng.normal());
  const Phi = features(X, W);
  const a = ridgeSolve(Phi, y, n * ridge);
  const fitted = multiply(Phi, a);
  const trainError = fitted.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / n;
  const Xt = gaussianMatrix(rng, TEST_POINTS, d);
  const predicted = multiply(features(Xt, W), a);
  const truth = target(Xt);
  const testError = predicted.reduce((s, v, i) => s + (v - truth[i]!) ** 2, 0) / TEST_POINTS;
  // Computed from the fit alone (no draws), so the other observables are those of cell version 1.
  const radius = Math.hypot(...a);
  let featureMass = 0;
  for (const v of Phi.data) featureMass += v * v;
  const lipschitz = 2 * Math.max(...y.map(Math.abs));
  const normBound = (2 * lipschitz * radius * Math.sqrt(featureMass)) / n;
  return { testError, trainError, normBound, trivialRisk: SIGNAL + NOISE, parameterCountBound: Math.sqrt(N / n) };
}

export function runCell({
  cell,
  plan,
}: CellTaskArgs<DdSettings, Arm>): CellResult<Arm, Observable> | CellOutput<Observable> {
  const start = performance.now();
  const arm = ARMS[cell.arm];
  if (!arm) throw new Error(`double-descent: unknown arm ${cell.arm}`);
  if (arm.kind === 'formula') {
    const x = denseGammas();
    return { observation: {}, details: { asymptotic: { x, y: x.map(asymptoticRisk) } } };
  }
  const rng = stream({ experiment: 'double-descent', arm: cell.arm, width: cell.width, seed: cell.seed });
  const observation: Observation<Observable> = {};
  const finish = (status: CellResult['status'], why?: string): CellResult<Arm, Observable> => ({
    ...cell,
    status,
    ...(why ? { why } : {}),
    observation,
    seconds: (performance.now() - start) / 1000,
  });
  try {
    switch (arm.kind) {
      case 'isotropic': {
        const n = plan.settings.samples;
        const gamma = cell.width * GAMMA_PER_WIDTH;
        const p = Math.round(gamma * n);
        const { risk, conditional } = isotropicRisk(rng, n, p);
        observation.risk = risk;
        observation.riskConditional = conditional;
        observation.riskFinite = finiteSampleRisk(n, p);
        observation.riskAsymptotic = asymptoticRisk(gamma);
        break;
      }
      case 'isotropic-n': {
        const n = cell.width;
        const p = Math.round(arm.gamma * n);
        observation.risk = isotropicRisk(rng, n, p).risk;
        observation.riskAsymptotic = asymptoticRisk(arm.gamma);
        observation.asymptoticGap =
          Math.abs(observation.risk - observation.riskAsymptotic) / observation.riskAsymptotic;
        break;
      }
      case 'random-features': {
        const n = plan.settings.rfSamples;
        const N = Math.round(cell.width * RATIO_PER_WIDTH * n);
        Object.assign(observation, randomFeaturesError(rng, n, N, arm.ridge));
        break;
      }
    }
  } catch (error) {
    if (error instanceof RangeError)
      return finish('invalid', `the Gram matrix is numerically singular (${error.message})`);
    throw error;
  }
  for (const [k, v] of Object.entries(observation))
    if (!Number.isFinite(v)) return finish('invalid', `${k} is not finite`);
  return finish('ok');
}

export const check: TheoremCheck<DdSettings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity].armPlans, PLANS[fidelity].settings),
  cellModule: import.meta.url,
  cell: runCell,
  // 3: arm hmrt also returns riskConditional (E[R | X]), the estimator of hmrt-exact.
  cellVersion: '3',
});
