/**
 * mean-field-dynamics: plans and the cell. A cell trains two independent two-layer relu networks of N neurons on the
 * same data from independent initializations and records both risk trajectories, their squared difference (whose
 * mean is twice the variance of the risk across initializations) and the 1-Wasserstein distance between the two
 * networks' laws of the output weight. Plain float64 loops: the networks are small and the loops are the whole cost.
 */
import {
  defineTheorem,
  perArmPlan,
  stream,
  type CellOutput,
  type CellTaskArgs,
  type Fidelity,
  type SweepPlan,
  type Settings,
  type TheoremCheck,
} from '../../src/index.ts';
import { DYNAMICS, statement, type Arm, type Observable } from './statement.ts';

/** How an arm trains: the output scaling (1 / N mean-field, 1 / sqrt(N) kernel) and the batch (full or sampled). */
export interface ArmSpec {
  scaling: 'mean-field' | 'ntk';
  /** Training points per step: DYNAMICS.trainPoints is full-batch gradient descent. */
  batch: number;
}
export const ARMS: Record<Arm, ArmSpec> = {
  'mean-field': { scaling: 'mean-field', batch: DYNAMICS.trainPoints },
  ntk: { scaling: 'ntk', batch: DYNAMICS.trainPoints },
  sgd: { scaling: 'mean-field', batch: DYNAMICS.sgdBatch },
};

type ArmPlans = NonNullable<SweepPlan<Settings, Arm>['armPlans']>;
const at = (widths: number[], seeds: number) => ({ widths, seeds });
const every = (widths: number[], seeds: number): ArmPlans => ({
  'mean-field': at(widths, seeds),
  ntk: at(widths, seeds),
  sgd: at(widths, seeds),
});
const PLANS: Record<Fidelity, ArmPlans> = {
  smoke: every([32, 64], 3),
  quick: every([64, 128, 256, 512], 12),
  full: every(DYNAMICS.widths, DYNAMICS.seeds),
};

/** The target, He_2(x_0) / sqrt(2): unit variance, mean zero, a single relevant direction. */
export const target = (x: Float64Array, offset: number) => (x[offset]! * x[offset]! - 1) / Math.SQRT2;

/** The fixed data every cell trains and tests on: Gaussian inputs in dimension DYNAMICS.inputDim, the target. */
export interface DataSet {
  x: Float64Array;
  y: Float64Array;
  m: number;
}
let data: { train: DataSet; test: DataSet } | null = null;
export function dataSets(): { train: DataSet; test: DataSet } {
  if (!data) {
    const draw = (name: string, m: number): DataSet => {
      const x = new Float64Array(m * DYNAMICS.inputDim);
      stream({ experiment: 'mean-field-dynamics', data: name }).fillNormal(x);
      const y = new Float64Array(m);
      for (let i = 0; i < m; i++) y[i] = target(x, i * DYNAMICS.inputDim);
      return { x, y, m };
    };
    data = { train: draw('train', DYNAMICS.trainPoints), test: draw('test', DYNAMICS.testPoints) };
  }
  return data;
}

/** A two-layer network f(x) = s sum_j a_j relu(<w_j, x> + b_j), s = 1 / N (mean-field) or 1 / sqrt(N) (kernel). */
export interface Network {
  N: number;
  d: number;
  scale: number;
  W: Float64Array;
  b: Float64Array;
  a: Float64Array;
}

/** Particles i.i.d. from rho_0: w_j ~ N(0, I / d), b_j ~ N(0, 1), a_j ~ N(0, 1). */
export function initNetwork(N: number, spec: ArmSpec, key: Record<string, string | number>): Network {
  const d = DYNAMICS.inputDim;
  const init = stream(key, 'init');
  const net: Network = {
    N,
    d,
    scale: spec.scaling === 'mean-field' ? 1 / N : 1 / Math.sqrt(N),
    W: new Float64Array(N * d),
    b: new Float64Array(N),
    a: new Float64Array(N),
  };
  init.fillNormal(net.W, 1 / Math.sqrt(d));
  init.fillNormal(net.b);
  init.fillNormal(net.a);
  return net;
}

/** The network's outputs on a data set. */
export function outputs(net: Network, set: DataSet): Float64Array {
  const { N, d } = net;
  const out = new Float64Array(set.m);
  for (let m = 0; m < set.m; m++) {
    const o = m * d;
    let f = 0;
    for (let j = 0; j < N; j++) {
      let z = net.b[j]!;
      for (let k = 0; k < d; k++) z += net.W[j * d + k]! * set.x[o + k]!;
      if (z > 0) f += net.a[j]! * z;
    }
    out[m] = net.scale * f;
  }
  return out;
}

/** The mean squared error of outputs against a data set's targets. */
export function risk(out: Float64Array, set: DataSet): number {
  let sum = 0;
  for (let m = 0; m < set.m; m++) sum += (out[m]! - set.y[m]!) ** 2;
  return sum / set.m;
}

/**
 * One step of gradient descent on L = (1 / 2B) sum over the batch of (f - y)^2 at learning rate rate / (N s^2), s the
 * output scale: the function moves O(rate) per step at every width. Mean-field (s = 1 / N): learning rate rate x N,
 * every particle moves O(rate) per step (the limit's time step). Kernel (s = 1 / sqrt(N)): learning rate rate, each
 * particle moves O(rate / sqrt(N)).
 */
export function step(net: Network, set: DataSet, rows: Int32Array, rate: number, pre: Float64Array): void {
  const { N, d, W, a, b } = net;
  const x = set.x;
  const B = rows.length;
  // Neuron-major loops: pre[j B + s] and each row of W are read contiguously (the batch-major order strided by N).
  const f = new Float64Array(B);
  const g = new Float64Array(d);
  const w = new Float64Array(d);
  for (let j = 0; j < N; j++) {
    const bj = b[j]!;
    const aj = a[j]!;
    for (let k = 0; k < d; k++) w[k] = W[j * d + k]!;
    for (let s = 0; s < B; s++) {
      const o = rows[s]! * d;
      let z = bj;
      for (let k = 0; k < d; k++) z += w[k]! * x[o + k]!;
      pre[j * B + s] = z;
      if (z > 0) f[s]! += aj * z;
    }
  }
  for (let s = 0; s < B; s++) f[s] = net.scale * f[s]! - set.y[rows[s]!]!;
  // d L / d a_j = s (1 / B) sum r relu(z); d L / d (w_j, b_j) = s a_j (1 / B) sum r 1[z > 0] (x, 1), each times the
  // learning rate rate / (N s^2).
  const factor = rate / (B * N * net.scale);
  for (let j = 0; j < N; j++) {
    let ga = 0;
    let gb = 0;
    g.fill(0);
    for (let s = 0; s < B; s++) {
      const z = pre[j * B + s]!;
      if (!(z > 0)) continue;
      const r = f[s]!;
      ga += r * z;
      gb += r;
      const o = rows[s]! * d;
      for (let k = 0; k < d; k++) g[k]! += r * x[o + k]!;
    }
    const aj = a[j]!;
    for (let k = 0; k < d; k++) W[j * d + k]! -= factor * aj * g[k]!;
    b[j]! -= factor * aj * gb;
    a[j]! -= factor * ga;
  }
}

/** Trains a network for DYNAMICS.steps steps; returns its test outputs at each of DYNAMICS.checkpoints. */
export function train(net: Network, spec: ArmSpec, key: Record<string, string | number>): Float64Array[] {
  const { train: set, test } = dataSets();
  const full = Int32Array.from({ length: set.m }, (_, i) => i);
  const rows = spec.batch === set.m ? full : new Int32Array(spec.batch);
  const pick = stream(key, 'batches');
  const pre = new Float64Array(spec.batch * net.N);
  const trajectory: Float64Array[] = [];
  for (let t = 0; t <= DYNAMICS.steps; t++) {
    if (DYNAMICS.checkpoints.includes(t)) trajectory.push(outputs(net, test));
    if (t === DYNAMICS.steps) break;
    if (rows !== full) for (let s = 0; s < rows.length; s++) rows[s] = Math.floor(pick.uniform() * set.m);
    step(net, set, rows, DYNAMICS.rate, pre);
  }
  return trajectory;
}

/** Half the mean over test inputs of the squared difference of two networks' outputs: E_x Var f_N(x) in mean. */
export function halfMeanSquare(u: Float64Array, v: Float64Array): number {
  let sum = 0;
  for (let m = 0; m < u.length; m++) sum += (u[m]! - v[m]!) ** 2;
  return sum / (2 * u.length);
}

/** The 1-Wasserstein distance between two empirical laws of N points each on the line: the mean sorted difference. */
export function wasserstein1(u: Float64Array, v: Float64Array): number {
  const a = Float64Array.from(u).sort();
  const b = Float64Array.from(v).sort();
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** The mean over particles of |theta_j(T) - theta_j(0)|, all of a particle's parameters. */
function meanMovement(before: Network, after: Network): number {
  const { N, d } = before;
  let sum = 0;
  for (let j = 0; j < N; j++) {
    let s = (after.a[j]! - before.a[j]!) ** 2 + (after.b[j]! - before.b[j]!) ** 2;
    for (let k = 0; k < d; k++) s += (after.W[j * d + k]! - before.W[j * d + k]!) ** 2;
    sum += Math.sqrt(s);
  }
  return sum / N;
}

const copy = (net: Network): Network => ({
  ...net,
  W: Float64Array.from(net.W),
  b: Float64Array.from(net.b),
  a: Float64Array.from(net.a),
});

/** One cell: a pair of independent networks of width N trained on the same data. */
export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellOutput<Observable> {
  const spec = ARMS[cell.arm]!;
  const { test } = dataSets();
  const runs = (['a', 'b'] as const).map((copyName) => {
    const key = { experiment: 'mean-field-dynamics', arm: cell.arm, width: cell.width, seed: cell.seed, copyName };
    const net = initNetwork(cell.width, spec, key);
    const start = copy(net);
    const outs = train(net, spec, key);
    return { net, outs, risks: outs.map((o) => risk(o, test)), moved: meanMovement(start, net) };
  });
  const [A, B] = runs as [(typeof runs)[0], (typeof runs)[0]];
  const observation: Partial<Record<Observable, number>> = {
    risk: (A.risks.at(-1)! + B.risks.at(-1)!) / 2,
    riskVariance: (A.risks.at(-1)! - B.risks.at(-1)!) ** 2 / 2,
    functionVariance: halfMeanSquare(A.outs.at(-1)!, B.outs.at(-1)!),
    lawDistance: wasserstein1(A.net.a, B.net.a),
    movement: (A.moved + B.moved) / 2,
  };
  DYNAMICS.checkpoints.forEach((_, k) => {
    observation[`risk:${k}`] = (A.risks[k]! + B.risks[k]!) / 2;
    observation[`scaledVariance:${k}`] = cell.width * halfMeanSquare(A.outs[k]!, B.outs[k]!);
  });
  const finite = Object.values(observation).every((v) => Number.isFinite(v));
  return {
    observation: observation as Record<Observable, number>,
    ...(finite ? {} : { why: 'a risk diverged: the step is too large for this network' }),
  };
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
  cellCost: ({ arm, width }) =>
    2 *
    (3 * DYNAMICS.steps * ARMS[arm]!.batch + DYNAMICS.checkpoints.length * DYNAMICS.testPoints) *
    width *
    (DYNAMICS.inputDim + 1),
});
