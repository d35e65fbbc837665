/** overparam-convergence: plans and cells of two-layer relu training against Du et al.'s bound. */
import { defineTheorem } from '../../src/verify/define.ts';
import { sphereRegression } from '../../src/engine/nets/datasets.ts';
import { symmetricEigen, type Dense } from '../../src/numeric/linalg.ts';
import { stream } from '../../src/random/rng.ts';
import { kernelLearningRate } from '../../src/engine/nets/learning-rate.ts';
import type { ComputedClaim } from '../../src/verify/claims.ts';
import {
  perArmPlan,
  type CellResult,
  type CellTaskArgs,
  type Fidelity,
  type Observation,
  type SweepPlan,
  type TheoremCheck,
  judge,
  type Settings,
} from '../../src/verify/experiment.ts';
import { computedVerdict, type Verdict } from '../../src/verify/verdicts.ts';
import {
  boundAtFraction,
  CURVE_POINTS,
  lossAtFraction,
  statement,
  ZERO_LOSS,
  type Arm,
  type Observable,
} from './statement.ts';

const D = 8;
const SAMPLES = 16;
/** Stop once the loss is below this (float64 sums of 16 terms are exact far below it). */
const LOSS_FLOOR = 1e-20;

type ArmSpec = { duplicate: boolean };
export const ARMS: Record<Arm, ArmSpec> = {
  du: { duplicate: false },
  'du-narrow': { duplicate: false },
  'du-duplicate': { duplicate: true },
};

const PLANS: Record<Fidelity, NonNullable<SweepPlan<Settings, Arm>['armPlans']>> = {
  smoke: {
    du: { widths: [128, 256, 512], seeds: 3 },
    'du-narrow': { widths: [8, 16, 32], seeds: 3 },
    'du-duplicate': { widths: [128, 256, 512], seeds: 3 },
  },
  quick: {
    du: { widths: [256, 512, 1024, 2048], seeds: 4 },
    'du-narrow': { widths: [8, 16, 32, 64], seeds: 4 },
    'du-duplicate': { widths: [256, 512, 1024], seeds: 5 },
  },
  full: {
    du: { widths: [512, 1024, 2048, 4096, 8192], seeds: 8 },
    'du-narrow': { widths: [8, 16, 32, 64], seeds: 8 },
    'du-duplicate': { widths: [512, 1024, 2048], seeds: 8 },
  },
};

/** The training set; with `duplicate` the last input is a copy of the first with the opposite label. */
export function trainingSet(duplicate: boolean): { X: number[][]; y: number[] } {
  const { X, Y } = sphereRegression('overparam-convergence', SAMPLES, 0, D);
  const y = Y.map((r) => r[0]!);
  if (duplicate) {
    X[SAMPLES - 1] = [...X[0]!];
    y[SAMPLES - 1] = -y[0]! + 1;
  }
  return { X, y };
}

/** H-infinity_ij = x_i.x_j (pi - arccos(x_i.x_j)) / (2 pi) for unit inputs (Du et al., Section 3). */
export function hInfinity(X: number[][]): Dense {
  return X.map((a) =>
    X.map((b) => {
      const c = Math.max(
        -1,
        Math.min(
          1,
          a.reduce((s, v, k) => s + v * b[k]!, 0),
        ),
      );
      return (c * (Math.PI - Math.acos(c))) / (2 * Math.PI);
    }),
  );
}

export interface Spectrum {
  lambda0: number;
  lambdaMax: number;
}

const spectra = new Map<boolean, Spectrum>();
export function spectrum(duplicate: boolean): Spectrum {
  let s = spectra.get(duplicate);
  if (!s) {
    const values = symmetricEigen(hInfinity(trainingSet(duplicate).X)).values;
    s = { lambda0: values[0]!, lambdaMax: values.at(-1)! };
    spectra.set(duplicate, s);
  }
  return s;
}

/** The step budget K = ceil(2 ln(1e8) / (eta lambda_0)) of the non-degenerate problem (the duplicate arm reuses it). */
export function budget(): { eta: number; steps: number; bound: number } {
  const { lambda0 } = spectrum(false);
  // Du et al.'s loss is (1 / 2) sum_i (u_i - y_i)^2, whose Hessian in function space is H^infinity itself.
  const eta = kernelLearningRate(hInfinity(trainingSet(false).X), { loss: 'sum' });
  return { eta, steps: Math.ceil((2 * Math.log(1e8)) / (eta * lambda0)), bound: 1 - (eta * lambda0) / 2 };
}

export interface Trajectory {
  losses: number[];
  patternFlips: number;
}

/** Full-batch gradient descent on the first layer of f(x) = n^{-1/2} sum_r a_r relu(w_r.x), float64. */
export function train(
  X: number[][],
  y: number[],
  width: number,
  eta: number,
  steps: number,
  address: Record<string, string | number>,
): Trajectory {
  const rng = stream(address);
  const m = X.length;
  const W = Float64Array.from({ length: width * D }, () => rng.normal());
  const a = Float64Array.from({ length: width }, () => (rng.uniform() < 0.5 ? -1 : 1));
  const x = Float64Array.from(X.flat());
  const scale = 1 / Math.sqrt(width);
  const z = new Float64Array(width * m);
  const pre = (into: Float64Array) => {
    for (let r = 0; r < width; r++)
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let k = 0; k < D; k++) s += W[r * D + k]! * x[i * D + k]!;
        into[r * m + i] = s;
      }
  };
  pre(z);
  const initialSigns = z.map((v) => (v >= 0 ? 1 : 0));
  const losses: number[] = [];
  const residual = new Float64Array(m);
  for (let t = 0; ; t++) {
    residual.fill(0);
    for (let r = 0; r < width; r++)
      for (let i = 0; i < m; i++) if (z[r * m + i]! > 0) residual[i]! += a[r]! * z[r * m + i]!;
    let loss = 0;
    for (let i = 0; i < m; i++) {
      residual[i] = residual[i]! * scale - y[i]!;
      loss += 0.5 * residual[i]! ** 2;
    }
    losses.push(loss);
    if (t === steps || loss < LOSS_FLOOR || !Number.isFinite(loss)) break;
    // dL/dw_r = n^{-1/2} a_r sum_i e_i 1{w_r.x_i >= 0} x_i
    for (let r = 0; r < width; r++) {
      const c = eta * scale * a[r]!;
      for (let i = 0; i < m; i++) {
        if (!(z[r * m + i]! >= 0)) continue;
        const g = c * residual[i]!;
        for (let k = 0; k < D; k++) W[r * D + k]! -= g * x[i * D + k]!;
      }
    }
    pre(z);
  }
  let flips = 0;
  for (let k = 0; k < z.length; k++) if ((z[k]! >= 0 ? 1 : 0) !== initialSigns[k]) flips++;
  return { losses, patternFlips: flips / z.length };
}

export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellResult<Arm, Observable> {
  const start = performance.now();
  const arm = ARMS[cell.arm];
  if (!arm) throw new Error(`overparam-convergence: unknown arm ${cell.arm}`);
  const { X, y } = trainingSet(arm.duplicate);
  const { eta, steps, bound } = budget();
  const { lambda0 } = spectrum(arm.duplicate);
  const run = train(X, y, cell.width, eta, steps, {
    experiment: 'overparam-convergence',
    arm: cell.arm,
    width: cell.width,
    seed: cell.seed,
  });
  const L0 = run.losses[0]!;
  const observation: Observation<Observable> = {
    lambda0,
    learningRate: eta,
    steps,
    contractionBound: bound,
    initialLoss: L0,
    patternFlips: run.patternFlips,
  };
  let worst = 0;
  run.losses.forEach((L, k) => {
    if (k > 0) worst = Math.max(worst, (L / L0) ** (1 / k));
  });
  observation.worstContraction = worst;
  const final = run.losses.at(-1)!;
  observation.finalLossLog10 = Math.log10(Math.max(final, Number.MIN_VALUE));
  observation.zeroLossLog10 = Math.log10(ZERO_LOSS);
  observation.stepsRun = run.losses.length - 1;
  for (let j = 0; j < CURVE_POINTS; j++) {
    const k = Math.round((j / (CURVE_POINTS - 1)) * steps);
    // After an early stop the loss stays below the floor: the curve ends there.
    if (k < run.losses.length) observation[lossAtFraction(j)] = run.losses[k]!;
    observation[boundAtFraction(j)] = L0 * bound ** k;
  }
  const finite = Object.entries(observation).every(([, v]) => Number.isFinite(v));
  return {
    ...cell,
    status: finite ? 'ok' : 'invalid',
    ...(finite ? {} : { why: 'a value is not finite' }),
    observation,
    seconds: (performance.now() - start) / 1000,
  };
}

/** gram-pd is a deterministic computation on the training points: lambda_0 against the float64 roundoff of the
 * spectrum. */
function gramPdVerdict(claim: ComputedClaim, arm: Arm, cells: CellResult<Arm, Observable>[]): Verdict {
  const duplicate = ARMS[arm]?.duplicate ?? false;
  const { lambda0, lambdaMax } = spectrum(duplicate);
  const floor = 1e-12 * lambdaMax;
  const measured = cells.find((c) => c.arm === arm)?.observation.lambda0 ?? NaN;
  return computedVerdict(
    claim,
    {
      holds: lambda0 > floor,
      estimate: measured,
      reason:
        lambda0 > floor
          ? `lambda_0 = ${lambda0.toExponential(3)} > ${floor.toExponential(1)} (1e-12 ` +
            `lambda_max, the float64 roundoff of the spectrum)`
          : `lambda_0 = ${lambda0.toExponential(3)} is not above the roundoff ` +
            `${floor.toExponential(1)}: H-infinity is singular`,
      table: {
        title: 'spectrum of H-infinity',
        columns: ['lambda_0', 'lambda_max', 'condition number'],
        rows: [[lambda0, lambdaMax, lambdaMax / lambda0]],
      },
    },
    arm,
  );
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
  // Training costs width x samples x steps (the steps are the same in every cell): balances shards by width, not
  // width^2.
  cellCost: (cell) => cell.width,
  judges: { 'gram-pd': judge('computed', gramPdVerdict) },
});
