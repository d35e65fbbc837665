/**
 * nn-vs-kernels: plans and the cell. A cell draws N relu features in dimension d and computes the exact population
 * risk of the best second layer on the target: R = ||f||^2 - b^T G^-1 b, with G the arc-cosine kernel of the
 * features' directions and b their correlation with the target (Mehler's formula), by a Cholesky factorization.
 */
import {
  defineTheorem,
  perArmPlan,
  stream,
  type CellOutput,
  type CellTaskArgs,
  type Fidelity,
  type SweepPlan,
} from '../../src/index.ts';
import { ABOVE, BELOW, STAIRCASE_DIMENSIONS, statement } from './statement.ts';

/** What a cell's `width` is for an arm, and the target's degree. */
type Arm = { sweep: 'dimension'; power: number; degree: 1 | 2 } | { sweep: 'features'; d: number; degree: 2 };
const ARMS: Record<string, Arm> = {
  below: { sweep: 'dimension', power: BELOW, degree: 2 },
  'below-degree-one': { sweep: 'dimension', power: BELOW, degree: 1 },
  above: { sweep: 'dimension', power: ABOVE, degree: 2 },
  ...Object.fromEntries(STAIRCASE_DIMENSIONS.map((d) => [`staircase-d${d}`, { sweep: 'features', d, degree: 2 }])),
};

/** The (d, N) of a cell. */
export function shape(arm: Arm, width: number): { d: number; N: number } {
  return arm.sweep === 'dimension' ? { d: width, N: Math.round(width ** arm.power) } : { d: arm.d, N: width };
}

type ArmPlans = NonNullable<SweepPlan['armPlans']>;
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
  },
  quick: {
    below: at([32, 45, 64, 91], 4),
    'below-degree-one': at([32, 45, 64, 91], 4),
    above: at([6, 8, 11, 16], 4),
    ...stairs(2, 2.5),
  },
  full: {
    below: at([32, 45, 64, 91, 128], 8),
    'below-degree-one': at([32, 45, 64, 91, 128], 8),
    above: at([6, 8, 11, 16, 23], 8),
    ...stairs(4, 2.5),
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

/** b^T G^-1 b for a symmetric positive definite G (row-major, overwritten by its Cholesky factor). */
export function quadraticFormInverse(G: Float64Array, N: number, b: Float64Array): number {
  for (let j = 0; j < N; j++) {
    const rj = j * N;
    let s = G[rj + j]!;
    for (let k = 0; k < j; k++) s -= G[rj + k]! * G[rj + k]!;
    if (!(s > 0)) throw new Error(`the features' Gram matrix is not positive definite (pivot ${j}: ${s})`);
    const pivot = Math.sqrt(s);
    G[rj + j] = pivot;
    for (let i = j + 1; i < N; i++) {
      const ri = i * N;
      let t = G[ri + j]!;
      for (let k = 0; k < j; k++) t -= G[ri + k]! * G[rj + k]!;
      G[ri + j] = t / pivot;
    }
  }
  let q = 0;
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const ri = i * N;
    let t = b[i]!;
    for (let k = 0; k < i; k++) t -= G[ri + k]! * y[k]!;
    y[i] = t / G[ri + i]!;
    q += y[i]! * y[i]!;
  }
  return q;
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
  return 1 - quadraticFormInverse(G, N, b);
}

/** One draw of N unit directions in dimension d and its exact risk. */
export function runCell({ cell }: CellTaskArgs): CellOutput {
  const arm = ARMS[cell.arm]!;
  const { d, N } = shape(arm, cell.width);
  const rng = stream({ experiment: 'nn-vs-kernels', arm: cell.arm, width: cell.width, seed: cell.seed });
  const W = rng.fillNormal(new Float64Array(N * d));
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += W[i * d + k]! ** 2;
    const norm = Math.sqrt(s);
    for (let k = 0; k < d; k++) W[i * d + k]! /= norm;
  }
  const risk = populationRisk(W, N, d, arm.degree);
  const observation = { risk, fittedFraction: 1 - risk, features: N, dimension: d };
  const valid = risk > 0 && risk <= 1 + 1e-12;
  return { observation, ...(valid ? {} : { why: `the risk ${risk} is outside (0, 1]: the solve lost precision` }) };
}

export const check = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
  cellCost: ({ arm, width }) => {
    const { d, N } = shape(ARMS[arm]!, width);
    return (N * N * d) / 2 + (N * N * N) / 3;
  },
});
