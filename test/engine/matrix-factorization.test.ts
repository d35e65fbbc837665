/** Tests: singular values by one-sided Jacobi. */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  effectiveRank,
  gaussianFactors,
  minNuclearCompletion,
  mulNN,
  nuclearNorm,
  productOf,
  svd,
  trainFactorization,
  type Observations,
} from '../../src/engine/nets/matrix-factorization.ts';
import { stream } from '../../src/random/rng.ts';

const rng = stream({ test: 'matrix-factorization' });
const randomMatrix = (n: number, scale = 1) => Float64Array.from({ length: n * n }, () => scale * rng.normal());
const rows = (A: Float64Array, n: number) =>
  Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n)));

describe('singular values by one-sided Jacobi', () => {
  const cases: [string, number, () => Float64Array][] = [
    ['gaussian 16 x 16', 16, () => randomMatrix(16)],
    ['2 x 2', 2, () => Float64Array.from([3, 1, 1, 0])],
    [
      'rank 2 (zeros to roundoff)',
      12,
      () => {
        const U = randomMatrix(12);
        const V = randomMatrix(12);
        const A = new Float64Array(144);
        for (let i = 0; i < 12; i++)
          for (let j = 0; j < 12; j++) A[i * 12 + j] = U[i * 12]! * V[j * 12]! + U[i * 12 + 1]! * V[j * 12 + 1]!;
        return A;
      },
    ],
    [
      'entries of size 1e6 and 1e-6 (graded)',
      6,
      () => Float64Array.from({ length: 36 }, (_, k) => 10 ** (6 - 2 * (k % 6)) * rng.normal()),
    ],
  ];
  it.each(cases)('%s: matches ml-matrix SVD and reconstructs A = U S V^T', (_, n, make) => {
    const A = make();
    const ours = svd(A, n);
    const ref = new SingularValueDecomposition(new Matrix(rows(A, n))).diagonal;
    const top = ref[0]!;
    ours.values.forEach((s, k) => expect(Math.abs(s - ref[k]!)).toBeLessThan(1e-12 * top));
    let err = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += ours.U[i * n + k]! * ours.values[k]! * ours.V[j * n + k]!;
        err = Math.max(err, Math.abs(s - A[i * n + j]!));
      }
    expect(err).toBeLessThan(1e-12 * top);
  });
  it('a warm start (orthogonal V0) gives the same values', () => {
    const A = randomMatrix(16);
    const cold = svd(A, 16);
    const warm = svd(A, 16, svd(randomMatrix(16), 16).V);
    cold.values.forEach((s, k) => expect(warm.values[k]).toBeCloseTo(s, 11));
  });
});

describe('effective rank and nuclear norm', () => {
  it('erank is 1 for one nonzero value, k for k equal values, between 1 and the count otherwise', () => {
    expect(effectiveRank([3, 0, 0])).toBe(1);
    expect(effectiveRank([2, 2, 2, 2])).toBeCloseTo(4, 12);
    const e = effectiveRank([5, 1, 0.1]);
    expect(e).toBeGreaterThan(1);
    expect(e).toBeLessThan(3);
    expect(nuclearNorm([5, 1, 0.1])).toBeCloseTo(6.1, 14);
  });
});

describe('gradient descent on a deep factorization', () => {
  it('mulNN matches the triple loop at n = 16 and n = 3 (remainder columns)', () => {
    for (const n of [16, 3]) {
      const A = randomMatrix(n);
      const B = randomMatrix(n);
      const C = new Float64Array(n * n);
      mulNN(C, A, B, n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += A[i * n + k]! * B[k * n + j]!;
          expect(C[i * n + j]).toBeCloseTo(s, 12);
        }
    }
  });
  it.each([1, 2, 3, 4])(
    'depth %i: one step moves every factor by -eta x the finite-difference gradient of the loss',
    (depth) => {
      const n = 5;
      const obs: Observations = {
        n,
        indices: Int32Array.from([0, 3, 7, 8, 12, 16, 19, 24]),
        values: Float64Array.from({ length: 8 }, () => rng.normal()),
      };
      const factors = gaussianFactors(n, depth, 0.7, rng);
      const loss = (fs: Float64Array[]) => {
        const P = productOf(fs, n);
        let l = 0;
        obs.indices.forEach((idx, k) => (l += 0.5 * (P[idx]! - obs.values[k]!) ** 2));
        return l;
      };
      const eta = 1e-3;
      const run = trainFactorization(obs, {
        depth,
        factors,
        learningRate: eta,
        maxSteps: 1,
        lossTol: 0,
        record: (step) => step === 0,
      });
      expect(run.losses[0]!.loss).toBeCloseTo(loss(factors), 12);
      const h = 1e-6;
      for (let j = 0; j < depth; j++)
        for (const e of [0, 6, 13, 24]) {
          const plus = factors.map((f) => Float64Array.from(f));
          const minus = factors.map((f) => Float64Array.from(f));
          plus[j]![e]! += h;
          minus[j]![e]! -= h;
          const fd = (loss(plus) - loss(minus)) / (2 * h);
          const step = (factors[j]![e]! - run.factors[j]![e]!) / eta;
          expect(Math.abs(step - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
        }
    },
  );
  it('with every entry observed, depth 3 from small initialisation fits the matrix', () => {
    const n = 6;
    const M = randomMatrix(n);
    const obs: Observations = { n, indices: Int32Array.from({ length: n * n }, (_, i) => i), values: M };
    const run = trainFactorization(obs, {
      depth: 3,
      factors: gaussianFactors(n, 3, 1e-3 ** (1 / 3) / Math.sqrt(n), rng),
      learningRate: 0.02,
      maxSteps: 200000,
      lossTol: 1e-16,
    });
    expect(run.converged).toBe(true);
    run.product.forEach((v, i) => expect(v).toBeCloseTo(M[i]!, 6));
  });
});

describe('minimum-nuclear-norm completion', () => {
  it(
    "Razin & Cohen's 2 x 2 example: the completion of W12 = W21 = 1, W22 = 0 with least " +
      'nuclear norm is W11 = 0 (norm 2)',
    () => {
      const r = minNuclearCompletion({
        n: 2,
        indices: Int32Array.from([1, 2, 3]),
        values: Float64Array.from([1, 1, 0]),
      });
      // ||[[w, 1], [1, 0]]||_* = sqrt(w^2 + 4): the minimum is 2 at w = 0.
      expect(r.X[0]).toBeCloseTo(0, 5);
      expect(r.nuclear).toBeCloseTo(2, 6);
      expect(r.nuclear - r.dualBound).toBeLessThan(1e-6);
    },
  );
  it(
    'the dual certificate closes the gap, the observed entries are kept, and random ' +
      'feasible completions have larger norm',
    () => {
      const n = 10;
      const U = randomMatrix(n);
      const V = randomMatrix(n);
      const M = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) M[i * n + j] = U[i * n]! * V[j * n]! + U[i * n + 1]! * V[j * n + 1]!;
      const indices = Int32Array.from(Array.from({ length: n * n }, (_, i) => i).filter(() => rng.uniform() < 0.5));
      const obs: Observations = { n, indices, values: Float64Array.from(indices, (i) => M[i]!) };
      const r = minNuclearCompletion(obs);
      expect((r.nuclear - r.dualBound) / r.nuclear).toBeLessThan(1e-6);
      expect(r.dualBound).toBeLessThanOrEqual(r.nuclear + 1e-9);
      obs.indices.forEach((idx, k) => expect(Math.abs(r.X[idx]! - obs.values[k]!)).toBeLessThan(1e-6));
      const observed = new Set(indices);
      for (let t = 0; t < 20; t++) {
        const Y = Float64Array.from(r.X, (v, i) => (observed.has(i) ? v : v + 0.05 * rng.normal()));
        expect(nuclearNorm(svd(Y, n).values)).toBeGreaterThan(r.nuclear - 1e-9);
      }
      // The truth is feasible too: its norm is no smaller than the optimum.
      expect(nuclearNorm(svd(M, n).values)).toBeGreaterThanOrEqual(r.dualBound - 1e-9);
    },
  );
  it('every entry observed: the completion is the matrix itself', () => {
    const n = 5;
    const M = randomMatrix(n);
    const r = minNuclearCompletion({ n, indices: Int32Array.from({ length: n * n }, (_, i) => i), values: M });
    r.X.forEach((v, i) => expect(v).toBeCloseTo(M[i]!, 6));
  });
});

describe('products', () => {
  it('productOf multiplies the last factor on the left', () => {
    const n = 4;
    const [A, B] = [randomMatrix(n), randomMatrix(n)];
    const P = productOf([A, B], n);
    const C = new Float64Array(n * n);
    mulNN(C, B, A, n);
    P.forEach((v, i) => expect(v).toBeCloseTo(C[i]!, 12));
  });
});
