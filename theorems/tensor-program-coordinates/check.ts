/**
 * tensor-program-coordinates: plans and the cell. Each cell is one tanh network in float64: at initialization (two
 * hidden layers, the second layer's weights drawn row by row), or one SGD step of a one-hidden-layer network under muP
 * or the NTK parametrization. The limiting laws come from the recursion by quadrature. Written on the public API.
 */
import {
  defineTheorem,
  gaussianMean,
  normalCdf,
  perArmPlan,
  stream,
  type CellOutput,
  type CellTaskArgs,
  type Fidelity,
  type SweepPlan,
  type Settings,
  type TheoremCheck,
} from '../../src/index.ts';
import { DESIGN, statement, type Arm, type Observable } from './statement.ts';

const EXPERIMENT = 'tensor-program-coordinates';
const d = DESIGN.inputDimension;

type ArmSpec = { kind: 'init' } | { kind: 'step'; parametrization: 'mup' | 'ntk' };
const ARMS: Record<Arm, ArmSpec> = {
  init: { kind: 'init' },
  'mup-step': { kind: 'step', parametrization: 'mup' },
  'ntk-step': { kind: 'step', parametrization: 'ntk' },
};

type ArmPlans = NonNullable<SweepPlan<Settings, Arm>['armPlans']>;
const at = (widths: number[], seeds: number) => ({ widths, seeds });
const steps = (widths: number[], seeds: number): ArmPlans => ({
  'mup-step': at(widths, seeds),
  'ntk-step': at(widths, seeds),
});
const PLANS: Record<Fidelity, ArmPlans> = {
  smoke: { init: at([128, 256, 512], 4), ...steps([256, 1024, 4096], 4) },
  quick: { init: at([256, 512, 1024, 2048], 8), ...steps([256, 1024, 4096, 16384], 8) },
  full: { init: at([256, 512, 1024, 2048, 4096, 8192], 16), ...steps([256, 1024, 4096, 16384, 65536], 16) },
};

const sech2 = (z: number) => 1 / Math.cosh(z) ** 2;
/** The NNGP variance of the second hidden pre-activation: q2 = E[tanh(Z)^2], Z ~ N(0, |x|^2 / d) = N(0, 1). */
export const Q2 = gaussianMean((z) => Math.tanh(z) ** 2, 1, 128);
const scale = DESIGN.learningRate * DESIGN.target;
/** The distribution function of Z^dh = eta y Z^v tanh'(Z^h): E over Z^h of Phi(t / (eta y tanh'(Z^h))). */
export function stepLawCdf(t: number): number {
  return gaussianMean((z) => normalCdf(t / (scale * sech2(z))), 1, 128);
}

/** The density of Z^dh = eta y Z^v tanh'(Z^h): E over Z^h of phi(t / s) / s with s = eta y tanh'(Z^h). */
export function stepLawDensity(t: number): number {
  return gaussianMean(
    (z) => {
      const s = scale * sech2(z);
      return Math.exp(-0.5 * (t / s) ** 2) / (Math.sqrt(2 * Math.PI) * s);
    },
    1,
    128,
  );
}

/** Histogram bins of the coordinate-law figure: 48 on [-3, 3]. */
const BINS = 48;
const RANGE = 3;
const CENTRES = Array.from({ length: BINS }, (_, k) => -RANGE + ((k + 0.5) * 2 * RANGE) / BINS);
/** A vector's coordinates as a density at the bin centres (coordinates outside [-3, 3] count in n, not in a bin). */
function histogram(values: Float64Array, limit: number[]) {
  const counts = new Array<number>(BINS).fill(0);
  const width = (2 * RANGE) / BINS;
  for (const v of values) {
    const k = Math.floor((v + RANGE) / width);
    if (k >= 0 && k < BINS) counts[k]!++;
  }
  return { centres: CENTRES, density: counts.map((c) => c / (values.length * width)), limit };
}
const INIT_LAW = CENTRES.map((t) => Math.exp((-0.5 * t * t) / Q2) / Math.sqrt(2 * Math.PI * Q2));
const STEP_LAW = CENTRES.map(stepLawDensity);

/** sup_t |F_n(t) - F(t)| for the empirical distribution of `values` (sorted in place). */
export function kolmogorovSmirnov(values: Float64Array, F: (t: number) => number): number {
  values.sort();
  const n = values.length;
  let D = 0;
  for (let i = 0; i < n; i++) {
    const p = F(values[i]!);
    D = Math.max(D, (i + 1) / n - p, p - i / n);
  }
  return D;
}

/** The fixed input: a point of the sphere of radius sqrt(d). */
const INPUT = (() => {
  const x = stream({ experiment: EXPERIMENT, purpose: 'input' }).fillNormal(new Float64Array(d));
  const norm = Math.hypot(...x);
  return x.map((v) => (v * Math.sqrt(d)) / norm);
})();

/** h^(2) of a two-hidden-layer tanh network at initialization (the second layer's rows drawn one at a time). */
function initObservation(n: number, seed: number) {
  const rng = stream({ experiment: EXPERIMENT, arm: 'init', width: n, seed });
  const w = new Float64Array(d);
  const post = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    rng.fillNormal(w);
    let h = 0;
    for (let k = 0; k < d; k++) h += w[k]! * INPUT[k]!;
    post[i] = Math.tanh(h / Math.sqrt(d));
  }
  const row = new Float64Array(n);
  const h2 = new Float64Array(n);
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    rng.fillNormal(row);
    let s = 0;
    for (let j = 0; j < n; j++) s += row[j]! * post[j]!;
    h2[i] = s / Math.sqrt(n);
    sumSquares += h2[i]! ** 2;
  }
  const variance = sumSquares / n;
  const law = histogram(h2, INIT_LAW);
  return {
    observation: {
      initKs: kolmogorovSmirnov(h2, (t) => normalCdf(t / Math.sqrt(Q2))),
      varianceRatio: variance / Q2,
    },
    law,
  };
}

/**
 * One SGD step of a one-hidden-layer tanh network under muP or the NTK parametrization from the cell's own draws:
 * h_i = <w_i, x> / sqrt(d), v_i ~ N(0, 1), and the change of each h_i, in closed form.
 */
export function oneStep(parametrization: 'mup' | 'ntk', n: number, seed: number) {
  // v2: fresh draws for the step arms after the redesign of ntk-step-vanishes (declared in the statement).
  const rng = stream({ experiment: `${EXPERIMENT}/v2`, arm: 'step', width: n, seed });
  const W = new Float64Array(n * d);
  const h = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = W.subarray(i * d, (i + 1) * d);
    rng.fillNormal(w);
    let s = 0;
    for (let k = 0; k < d; k++) s += w[k]! * INPUT[k]!;
    h[i] = s / Math.sqrt(d);
    v[i] = rng.normal();
  }
  // muP: f = (1/n) sum v_i tanh(h_i), hidden rate eta n; NTK: f = n^-1/2 sum v_i tanh(h_i), rate eta.
  const readout = parametrization === 'mup' ? 1 / n : 1 / Math.sqrt(n);
  const rate = parametrization === 'mup' ? DESIGN.learningRate * n : DESIGN.learningRate;
  let f0 = 0;
  for (let i = 0; i < n; i++) f0 += v[i]! * Math.tanh(h[i]!);
  f0 *= readout;
  const chi = f0 - DESIGN.target;
  // dw_i = -rate chi readout v_i tanh'(h_i) x / sqrt(d), so dh_i = <dw_i, x> / sqrt(d) carries |x|^2 / d = 1.
  const change = new Float64Array(n);
  for (let i = 0; i < n; i++) change[i] = -rate * chi * readout * v[i]! * sech2(h[i]!);
  return { W, v, h, change, f0, input: INPUT, readout, rate };
}

function stepObservation(parametrization: 'mup' | 'ntk', n: number, seed: number) {
  const { change, f0 } = oneStep(parametrization, n, seed);
  let sumSquares = 0;
  for (let i = 0; i < n; i++) sumSquares += change[i]! ** 2;
  const rmsChange = Math.sqrt(sumSquares / n);
  const residual = Math.abs(f0 - DESIGN.target);
  const law = histogram(change, STEP_LAW);
  return {
    observation: {
      stepKs: kolmogorovSmirnov(change, stepLawCdf),
      rmsChange,
      changePerResidual: rmsChange / residual,
      f0,
    },
    law,
  };
}

export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellOutput<Observable> {
  const arm = ARMS[cell.arm]!;
  const { observation, law } =
    arm.kind === 'init'
      ? initObservation(cell.width, cell.seed)
      : stepObservation(arm.parametrization, cell.width, cell.seed);
  const bad = Object.entries(observation).find(([, x]) => !Number.isFinite(x));
  // The histogram (details.law) is drawn by the coordinate-law figure; no claim reads it.
  return { observation, details: { law }, ...(bad ? { why: `${bad[0]} is not finite` } : {}) };
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '3',
  // The step arms evaluate the law's distribution function (128 nodes) at each of the n coordinates.
  cellCost: ({ arm, width }) => (ARMS[arm]!.kind === 'init' ? width * width : width * (d + 128 * 30)),
});
