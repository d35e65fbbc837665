/**
 * nn-vs-kernels: plans and the cell. A cell draws N relu features in dimension d and computes the exact population
 * risk of the best second layer on the target: R = ||f||^2 - b^T G^-1 b, with G the arc-cosine kernel of the
 * features' directions and b their correlation with the target (Mehler's formula), by a Cholesky factorization.
 */
import {
  defineTheorem,
  inverseQuadraticForm,
  perArmPlan,
  stream,
  type CellOutput,
  type CellTaskArgs,
  type Fidelity,
  type SweepPlan,
  type Settings,
  type TheoremCheck,
} from '../../src/index.ts';
import { ABOVE, BELOW, NETWORK, STAIRCASE_DIMENSIONS, statement, type Arm, type Observable } from './statement.ts';

/** What a cell computes and what its `width` is: a random-features risk (N a power of d, or N swept at one d) or a
 * trained network at dimension d (its first layer trained, or frozen: the ablation). */
type ArmSpec =
  | { sweep: 'dimension'; power: number; degree: 1 | 2 }
  | { sweep: 'features'; d: number; degree: 2 }
  | { sweep: 'network'; trainFirstLayer: boolean; degree: 2 }
  | { sweep: 'tangent'; power: number; degree: 2 };
const ARMS: Record<Arm, ArmSpec> = {
  below: { sweep: 'dimension', power: BELOW, degree: 2 },
  'below-degree-one': { sweep: 'dimension', power: BELOW, degree: 1 },
  above: { sweep: 'dimension', power: ABOVE, degree: 2 },
  ...(Object.fromEntries(
    STAIRCASE_DIMENSIONS.map((d) => [`staircase-d${d}`, { sweep: 'features', d, degree: 2 }]),
  ) as Record<Extract<Arm, `staircase-${string}`>, ArmSpec>),
  nn: { sweep: 'network', trainFirstLayer: true, degree: 2 },
  'nt-below': { sweep: 'tangent', power: BELOW, degree: 2 },
  'nn-frozen': { sweep: 'network', trainFirstLayer: false, degree: 2 },
};

/** The (d, N) of a cell. */
export function shape(arm: ArmSpec, width: number): { d: number; N: number } {
  switch (arm.sweep) {
    case 'dimension':
    case 'tangent':
      return { d: width, N: Math.round(width ** arm.power) };
    case 'features':
      return { d: arm.d, N: width };
    case 'network':
      return { d: width, N: NETWORK.neuronsPerDimension * width };
  }
}

type ArmPlans = NonNullable<SweepPlan<Settings, Arm>['armPlans']>;
const at = (list: number[], seeds: number) => ({ widths: list, seeds });
/** The staircase at dimension d: N = d^a for a = 1, 1.25, ..., up to amax. */
const staircase = (d: number, amax: number) =>
  Array.from({ length: Math.round((amax - 1) * 4) + 1 }, (_, k) => Math.round(d ** (1 + k / 4)));
const stairs = (seeds: number, top: number): ArmPlans =>
  Object.fromEntries(
    STAIRCASE_DIMENSIONS.map((d) => [`staircase-d${d}`, at(staircase(d, d > 16 ? top - 0.25 : top), seeds)]),
  );
const PLANS: Record<Fidelity, ArmPlans> = {
  smoke: {
    below: at([16, 24, 32], 3),
    'below-degree-one': at([16, 24, 32], 3),
    above: at([4, 6, 8], 3),
    ...stairs(1, 2),
    nn: at([4, 6, 8], 3),
    'nn-frozen': at([4, 6, 8], 3),
    'nt-below': at([4, 6, 8], 3),
  },
  quick: {
    below: at([32, 45, 64, 91], 4),
    'below-degree-one': at([32, 45, 64, 91], 4),
    above: at([6, 8, 11, 16], 4),
    ...stairs(2, 2.5),
    nn: at([8, 16, 32], 5),
    'nn-frozen': at([8, 16, 32], 5),
    'nt-below': at([6, 8, 11, 16], 4),
  },
  full: {
    below: at([32, 45, 64, 91, 128], 8),
    'below-degree-one': at([32, 45, 64, 91, 128], 8),
    above: at([6, 8, 11, 16, 23], 8),
    ...stairs(4, 2.5),
    nn: at([8, 16, 32], 8),
    'nn-frozen': at([8, 16, 32], 8),
    'nt-below': at([6, 8, 11, 16, 23], 8),
  },
};

/** The relu dual kernel of two unit directions at correlation rho: E[relu(u) relu(v)], (u, v) standard, corr rho. */
export function reluKernel(rho: number): number {
  const c = Math.max(-1, Math.min(1, rho));
  return (Math.sqrt(1 - c * c) + (Math.PI - Math.acos(c)) * c) / (2 * Math.PI);
}

/** E[f(x) relu(<w, x>)] for a unit w at correlation rho with beta: Mehler's formula picks the target's degree. */
export function targetCorrelation(rho: number, degree: 1 | 2): number {
  // relu's Hermite coefficients: E[relu(z) z] = 1/2; E[relu(z) He_2(z)] = 1 / sqrt(2 pi), and f = He_2 / sqrt(2).
  return degree === 1 ? rho / 2 : (rho * rho) / (2 * Math.sqrt(Math.PI));
}

/** The exact population risk of the best second layer over N random relu features, relative to ||f||^2 = 1. */
export function populationRisk(W: Float64Array, N: number, d: number, degree: 1 | 2): number {
  const G = new Float64Array(N * N);
  const b = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    // The target's direction beta is the first axis.
    b[i] = targetCorrelation(W[i * d]!, degree);
    G[i * N + i] = 0.5;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += W[i * d + k]! * W[j * d + k]!;
      G[i * N + j] = G[j * N + i] = reluKernel(s);
    }
  }
  return 1 - inverseQuadraticForm(G, N, b);
}

/**
 * The exact population risk of the neural tangent (NT) model, the features relu'(<w_i, x>) x (N d of them), relative
 * to ||f||^2 = 1. With u_i = <w_i, x>, rho = <w_i, w_j> = cos(phi), S = [[1, rho], [rho, 1]] and p = P(u_i > 0,
 * u_j > 0) = (pi - phi) / (2 pi), the Gram block E[1{u_i > 0} 1{u_j > 0} x x^T] is p I + [w_i w_j] C [w_i w_j]^T with
 * C = S^-1 (M - p S) S^-1 and M = E[1 1 (u_i, u_j)^T (u_i, u_j)]: M_11 = M_22 = (pi - phi + sin phi cos phi) / (2 pi),
 * M_12 the relu kernel; the diagonal blocks are I / 2. The target's correlation E[f(x) 1{u_i > 0} x] lies in
 * span(beta, w_i): [beta w_i] S^-1 (E[f 1 v], E[f 1 u]) with v = <beta, x>, where E[He_2(v) 1{u > 0} v] = (2 rho -
 * rho^3) / sqrt(2 pi) and E[He_2(v) 1{u > 0} u] = rho^2 / sqrt(2 pi) (Mehler).
 */
export function tangentRisk(W: Float64Array, N: number, d: number): number {
  const D = N * d;
  const G = new Float64Array(D * D);
  const b = new Float64Array(D);
  const s2pi = Math.sqrt(2 * Math.PI);
  for (let i = 0; i < N; i++) {
    const wi = W.subarray(i * d, (i + 1) * d);
    // b_i = alpha beta + gamma w_i, (alpha, gamma) = S^-1 (E[f 1 v], E[f 1 u]) with beta = e_0.
    const rho = wi[0]!;
    const ev = (2 * rho - rho ** 3) / s2pi / Math.SQRT2;
    const eu = (rho * rho) / s2pi / Math.SQRT2;
    const det = 1 - rho * rho;
    const alpha = (ev - rho * eu) / det;
    const gamma = (eu - rho * ev) / det;
    for (let a = 0; a < d; a++) b[i * d + a] = (a === 0 ? alpha : 0) + gamma * wi[a]!;
    for (let a = 0; a < d; a++) G[(i * d + a) * D + i * d + a] = 0.5;
    for (let j = 0; j < i; j++) {
      const wj = W.subarray(j * d, (j + 1) * d);
      let r = 0;
      for (let k = 0; k < d; k++) r += wi[k]! * wj[k]!;
      const phi = Math.acos(Math.max(-1, Math.min(1, r)));
      const p = (Math.PI - phi) / (2 * Math.PI);
      const m11 = (Math.PI - phi + Math.sin(phi) * Math.cos(phi)) / (2 * Math.PI);
      const m12 = reluKernel(r);
      // C = S^-1 (M - p S) S^-1, S^-1 = [[1, -r], [-r, 1]] / (1 - r^2).
      const e11 = m11 - p;
      const e12 = m12 - p * r;
      const q = 1 / (1 - r * r) ** 2;
      const c11 = q * (e11 - 2 * r * e12 + r * r * e11);
      const c12 = q * (e12 * (1 + r * r) - 2 * r * e11);
      for (let a = 0; a < d; a++)
        for (let c = 0; c < d; c++) {
          const v =
            (a === c ? p : 0) + c11 * (wi[a]! * wi[c]! + wj[a]! * wj[c]!) + c12 * (wi[a]! * wj[c]! + wj[a]! * wi[c]!);
          G[(i * d + a) * D + j * d + c] = v;
          G[(j * d + c) * D + i * d + a] = v;
        }
    }
  }
  return 1 - inverseQuadraticForm(G, D, b);
}

/** N unit directions in dimension d from a cell's stream. */
function unitDirections(rng: ReturnType<typeof stream>, N: number, d: number): Float64Array {
  const W = rng.fillNormal(new Float64Array(N * d));
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += W[i * d + k]! ** 2;
    const norm = Math.sqrt(s);
    for (let k = 0; k < d; k++) W[i * d + k]! /= norm;
  }
  return W;
}

/** A two-layer relu network with biases and an output offset: f(x) = c + sum_i a_i relu(<w_i, x> + b_i). */
export interface TwoLayer {
  d: number;
  N: number;
  W: Float64Array;
  b: Float64Array;
  a: Float64Array;
  c: Float64Array;
}

/** The target: He_2(x_0) / sqrt(2) (degree 2) or x_0 (degree 1); beta is the first axis. */
export const target = (x: Float64Array, offset: number, degree: 1 | 2) =>
  degree === 2 ? (x[offset]! * x[offset]! - 1) / Math.SQRT2 : x[offset]!;

/** The network's output at the input stored at x[offset .. offset + d). */
export function output(net: TwoLayer, x: Float64Array, offset: number): number {
  let f = net.c[0]!;
  for (let i = 0; i < net.N; i++) {
    let z = net.b[i]!;
    for (let k = 0; k < net.d; k++) z += net.W[i * net.d + k]! * x[offset + k]!;
    if (z > 0) f += net.a[i]! * z;
  }
  return f;
}

/**
 * The batch loss (1 / 2B) sum (f - y)^2 of B inputs stored row by row in x, and its gradient, written into `grad` (a
 * network of the same shape). The first layer's gradient is left at 0 when it is frozen.
 */
export function lossAndGradient(
  net: TwoLayer,
  x: Float64Array,
  B: number,
  degree: 1 | 2,
  grad: TwoLayer,
  first = true,
) {
  const { d, N } = net;
  for (const g of [grad.W, grad.b, grad.a, grad.c]) g.fill(0);
  let loss = 0;
  const pre = new Float64Array(N);
  for (let s = 0; s < B; s++) {
    const o = s * d;
    let f = net.c[0]!;
    for (let i = 0; i < N; i++) {
      let z = net.b[i]!;
      for (let k = 0; k < d; k++) z += net.W[i * d + k]! * x[o + k]!;
      pre[i] = z;
      if (z > 0) f += net.a[i]! * z;
    }
    const residual = f - target(x, o, degree);
    loss += (residual * residual) / (2 * B);
    const r = residual / B;
    grad.c[0]! += r;
    for (let i = 0; i < N; i++) {
      const z = pre[i]!;
      if (!(z > 0)) continue;
      grad.a[i]! += r * z;
      if (!first) continue;
      const ra = r * net.a[i]!;
      grad.b[i]! += ra;
      for (let k = 0; k < d; k++) grad.W[i * d + k]! += ra * x[o + k]!;
    }
  }
  return loss;
}

/**
 * Online SGD (fresh inputs every step) on the squared loss: batch NETWORK.batch, NETWORK.stepsPerDimension x d steps at
 * NETWORK.learningRate for every parameter, from w_i ~ N(0, I / d), b_i ~ N(0, 1), a_i ~ N(0, 1 / N), c = 0. Returns
 * the test risk on NETWORK.testInputs fresh inputs.
 */
export function trainedRisk(d: number, N: number, degree: 1 | 2, first: boolean, key: Record<string, string | number>) {
  const init = stream(key, 'init');
  const shapeOf = (): TwoLayer => ({
    d,
    N,
    W: new Float64Array(N * d),
    b: new Float64Array(N),
    a: new Float64Array(N),
    c: new Float64Array(1),
  });
  const net = shapeOf();
  init.fillNormal(net.W, 1 / Math.sqrt(d));
  init.fillNormal(net.b);
  init.fillNormal(net.a, 1 / Math.sqrt(N));
  const grad = shapeOf();
  const data = stream(key, 'data');
  const { batch, learningRate } = NETWORK;
  const x = new Float64Array(batch * d);
  for (let t = 0; t < NETWORK.stepsPerDimension * d; t++) {
    data.fillNormal(x);
    lossAndGradient(net, x, batch, degree, grad, first);
    for (const [p, g] of [
      [net.W, grad.W],
      [net.b, grad.b],
      [net.a, grad.a],
      [net.c, grad.c],
    ] as const)
      for (let j = 0; j < p.length; j++) p[j]! -= learningRate * g[j]!;
  }
  const test = stream(key, 'test');
  const xt = new Float64Array(d);
  let err = 0;
  for (let m = 0; m < NETWORK.testInputs; m++) {
    test.fillNormal(xt);
    err += (output(net, xt, 0) - target(xt, 0, degree)) ** 2;
  }
  return err / NETWORK.testInputs;
}

/** One cell: a draw of random features and its exact risk, or a trained network beside the features' risk. */
export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellOutput<Observable> {
  const arm = ARMS[cell.arm]!;
  const { d, N } = shape(arm, cell.width);
  const key = { experiment: 'nn-vs-kernels', arm: cell.arm, width: cell.width, seed: cell.seed };
  const rng = stream(key);
  const W = unitDirections(rng, N, d);
  const risk = populationRisk(W, N, d, arm.degree);
  let observation: Record<string, number> = { risk, fittedFraction: 1 - risk, features: N, dimension: d };
  if (arm.sweep === 'tangent') observation = { ntRisk: tangentRisk(W, N, d), rfRisk: risk, neurons: N, dimension: d };
  if (arm.sweep === 'network') {
    const nnRisk = trainedRisk(d, N, arm.degree, arm.trainFirstLayer, key);
    observation = { nnRisk, rfRisk: risk, halfRfRisk: risk / 2, neurons: N, dimension: d };
  }
  const valid = risk > 0 && risk <= 1 + 1e-12 && Object.values(observation).every((v) => Number.isFinite(v) && v >= 0);
  return {
    observation,
    ...(valid ? {} : { why: `a risk is not finite or the features' risk ${risk} is outside (0, 1]` }),
  };
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
  cellCost: ({ arm, width }) => {
    const spec = ARMS[arm]!;
    const { d, N } = shape(spec, width);
    const training = spec.sweep === 'network' ? 3 * NETWORK.stepsPerDimension * d * NETWORK.batch * N * d : 0;
    const tangent = spec.sweep === 'tangent' ? (N * d) ** 3 / 3 + (N * d) ** 2 : 0;
    return (N * N * d) / 2 + (N * N * N) / 3 + training + tangent;
  },
});
