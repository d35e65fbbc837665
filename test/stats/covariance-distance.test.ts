/**
 * Tests: the covariance-distance test (linearization's gp-covariance): its chi-square and Wishart draws against their
 * moments, the statistic's unbiasedness on direct Gaussian samples, and the test's size at the least favourable
 * boundary point, simulated by drawing rows (an independent route from the Bartlett draws the test uses).
 */
import { describe, expect, it } from 'vitest';
import { symmetricEigen, type Dense } from '../../src/numeric/linalg.ts';
import { RandomStream } from '../../src/random/rng.ts';
import { chiSquare } from '../../src/random/distributions.ts';
import {
  covarianceDistanceTest,
  covarianceExcess,
  nullDrawTraces,
  sampleCovariance,
  studentized,
  wishartDraws,
} from '../../src/stats/covariance-distance.ts';

const meanVar = (x: number[]) => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return { m, v: x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1) };
};

/** A fixed covariance with unequal eigenvalues (p = 5). */
const SIGMA: Dense = (() => {
  const p = 5;
  return Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => (i === j ? 1 + i : 0.4 ** Math.abs(i - j))),
  );
})();
const frob = (A: Dense) => Math.sqrt(A.flat().reduce((s, v) => s + v * v, 0));

/** Rows ~ N(0, C) by an eigendecomposition square root. */
function gaussianRows(rng: RandomStream, C: Dense, E: number): number[][] {
  const { values, vectors } = symmetricEigen(C);
  const L = C.map((_, i) => values.map((l, k) => vectors[i]![k]! * Math.sqrt(Math.max(0, l))));
  return Array.from({ length: E }, () => {
    const z = C.map(() => rng.normal());
    return L.map((row) => row.reduce((s, v, k) => s + v * z[k]!, 0));
  });
}

/** Sigma + r v1 v1^T with ||r v1 v1^T||_F = delta ||Sigma||_F: the least favourable point. */
function topPlus(Sigma: Dense, delta: number): Dense {
  const p = Sigma.length;
  const v1 = symmetricEigen(Sigma).vectors.map((row) => row[p - 1]!);
  const r = delta * frob(Sigma);
  return Sigma.map((row, i) => row.map((x, j) => x + r * v1[i]! * v1[j]!));
}

describe('chi-square and Wishart draws', () => {
  it.each([1, 3, 40, 1535])('chi-square on %i df has mean df and variance 2 df', (df) => {
    const rng = new RandomStream({ test: 'chi2', df });
    const { m, v } = meanVar(Array.from({ length: 40000 }, () => chiSquare(rng, df)));
    expect(Math.abs(m - df) / Math.sqrt((2 * df) / 40000)).toBeLessThan(4);
    expect(Math.abs(v / (2 * df) - 1)).toBeLessThan(0.06);
  });
  it('Bartlett draws of W / nu have mean I, Var(W_ii / nu) = 2 / nu and Var(W_ij / nu) = 1 / nu', () => {
    const p = 4;
    const nu = 9;
    const draws = wishartDraws(new RandomStream({ test: 'wishart' }), p, nu, 30000);
    for (const [i, j] of [
      [0, 0],
      [3, 3],
      [0, 1],
      [2, 3],
    ] as const) {
      const { m, v } = meanVar(draws.map((W) => W[i * p + j]!));
      expect(Math.abs(m - (i === j ? 1 : 0))).toBeLessThan(0.02);
      expect(v * nu).toBeCloseTo(i === j ? 2 : 1, 1);
    }
  });
});

describe('the statistic and the test', () => {
  it("null draws' traces as polynomials in one parameter equal the direct products (scale, top+-, cone edge)", () => {
    const rng = new RandomStream({ test: 'null-traces' });
    const cases: { lambda: number[]; nu: number }[] = [
      { lambda: [0.5, 1, 2, 3, 7.5], nu: 40 },
      { lambda: [0, 0, 1e-3, 2, 1e3], nu: 511 }, // singular Sigma, a spread of 1e6
      { lambda: [4], nu: 9 }, // p = 1
      { lambda: [0.9, 1, 1, 1.1, 1.2, 1.3, 1.4, 1.5], nu: 1535 },
    ];
    for (const { lambda, nu } of cases) {
      const p = lambda.length;
      const norm = Math.hypot(...lambda);
      for (const W of wishartDraws(rng, p, nu, 5)) {
        const poly = nullDrawTraces(W, lambda);
        const direct = (g2: number[]) => {
          const g = g2.map(Math.sqrt);
          const S = W.map((v, k) => g[Math.floor(k / p)]! * g[k % p]! * v);
          const Sigma = new Float64Array(p * p);
          lambda.forEach((l, i) => (Sigma[i * p + i] = l));
          return studentized(S, Sigma, p, nu, new Float64Array(p * p));
        };
        const excessAndSe = (t: ReturnType<typeof poly.scale>) => {
          const excess = t.dist2 - (t.trace * t.trace + t.frob2) / nu;
          const se = Math.sqrt((8 * t.trMM) / nu + (4 * (t.frob2 * t.frob2 + t.trS4)) / (nu * nu));
          return { excess, se };
        };
        const top = lambda[p - 1]!;
        for (const r of [0, 0.01 * norm, 0.3 * norm, top]) {
          const checks: [ReturnType<typeof poly.scale>, number[]][] = [
            [poly.scale(1 + r / norm), lambda.map((l) => l * (1 + r / norm))],
            [poly.top(top + r), lambda.map((l, i) => (i === p - 1 ? top + r : l))],
            [poly.top(Math.max(0, top - r)), lambda.map((l, i) => (i === p - 1 ? Math.max(0, top - r) : l))],
          ];
          for (const [traces, g2] of checks) {
            const want = direct(g2);
            const got = excessAndSe(traces);
            const scale = lambda.reduce((s, l) => s + l * l, 0) * (1 + r / norm) ** 2;
            expect(Math.abs(got.excess - want.excess) / scale).toBeLessThan(1e-12);
            expect(Math.abs(got.se - want.se) / Math.max(want.se, 1e-300)).toBeLessThan(1e-9);
          }
        }
      }
    }
  });
  it('D is unbiased for ||Cov - Sigma||_F^2 on Gaussian rows', () => {
    const rng = new RandomStream({ test: 'unbiased' });
    const Cov = topPlus(SIGMA, 0.2);
    const truth = frob(Cov.map((row, i) => row.map((v, j) => v - SIGMA[i]![j]!))) ** 2;
    const E = 60;
    const d = Array.from({ length: 3000 }, () =>
      covarianceExcess(sampleCovariance(gaussianRows(rng, Cov, E)), SIGMA, E),
    );
    const { m, v } = meanVar(d.map((x) => x.excess));
    expect(Math.abs(m - truth) / Math.sqrt(v / d.length)).toBeLessThan(4);
  });
  it('at the least favourable boundary point its size is at most 5% (rows drawn directly, 300 replications)', () => {
    const rng = new RandomStream({ test: 'size' });
    const Cov = topPlus(SIGMA, 0.1);
    let supported = 0;
    let refuted = 0;
    let covered = 0;
    const R = 300;
    for (let r = 0; r < R; r++) {
      const rows = gaussianRows(rng, Cov, 200);
      const options = { tol: 0.1, address: { test: 'size', r }, resamples: 1000 };
      const t = covarianceDistanceTest(rows, SIGMA, { ...options, bounds: r < 20, at: 0.1 });
      if (t.pSupport <= 0.05) supported++;
      if (t.pRefute <= 0.05) refuted++;
      // Coverage of the upper bound, by duality: it lies at or above 0.1 iff the test at 0.1 does not reject.
      if (t.pAt! > 0.05) covered++;
      if (r < 20) {
        // The bound and the test agree (the bound is the test inverted, to its resolution).
        if (t.upper < 0.099) expect(t.pSupport).toBeLessThanOrEqual(0.05);
        if (t.upper > 0.101) expect(t.pSupport).toBeGreaterThan(0.05);
        expect(t.lower).toBeLessThanOrEqual(t.upper);
      }
    }
    // 5% of 300 is 15 (sd 3.8): at most 15 + 2 sd on each side, and the upper bound covers at least 93%.
    expect(supported).toBeLessThanOrEqual(23);
    expect(refuted).toBeLessThanOrEqual(23);
    expect(covered / R).toBeGreaterThanOrEqual(0.93);
  });
  it('supports a covariance equal to Sigma with enough rows, and refutes one far from it', () => {
    const rng = new RandomStream({ test: 'power' });
    const near = covarianceDistanceTest(gaussianRows(rng, SIGMA, 2000), SIGMA, { tol: 0.1, address: { t: 1 } });
    expect(near.pSupport).toBeLessThan(0.01);
    expect(near.upper).toBeLessThan(0.1);
    const far = covarianceDistanceTest(gaussianRows(rng, topPlus(SIGMA, 0.3), 2000), SIGMA, {
      tol: 0.1,
      address: { t: 2 },
    });
    expect(far.pRefute).toBeLessThan(0.01);
    expect(far.lower).toBeGreaterThan(0.1);
    expect(far.estimate).toBeGreaterThan(0.25);
  });
});
