/** Tests: double descent: closed forms against independent routes. */
import { describe, expect, it } from 'vitest';
import {
  choleskySolve,
  gramOfColumns,
  inverseTrace,
  matrix64,
  multiply,
  ridgeSolve,
} from '../../src/numeric/least-squares.ts';
import { symmetricEigen } from '../../src/numeric/linalg.ts';
import { RandomStream } from '../../src/random/rng.ts';
import { stream } from '../../src/random/rng.ts';
import { isotropicRisk, randomFeaturesError, runCell, check } from '../../theorems/double-descent/check.ts';
import { asymptoticRisk, finiteSampleRisk, GAMMAS, NOISE, SIGNAL } from '../../theorems/double-descent/statement.ts';

/** One draw of the risk with X from `design` (its first n p normals, as isotropicRisk draws it) and beta, noise from
 * `rest`: an independent route to E[R | X] (the min-norm fit itself, not the trace formula). */
function riskAtDesign(design: RandomStream, rest: RandomStream, n: number, p: number): number {
  const X = matrix64(n, p, () => design.normal());
  const b = Float64Array.from({ length: p }, () => rest.normal());
  const scale = Math.sqrt(SIGNAL) / Math.hypot(...b);
  const beta = b.map((x) => x * scale);
  const y = multiply(X, beta).map((v) => v + Math.sqrt(NOISE) * rest.normal());
  const fit = ridgeSolve(X, y);
  let r = 0;
  for (let j = 0; j < p; j++) r += (fit[j]! - beta[j]!) ** 2;
  return r;
}

describe('double descent: closed forms against independent routes', () => {
  it('the finite-n risk tends to the HMRT asymptotic risk as n grows at fixed gamma (relative error ~ 1/n)', () => {
    for (const gamma of GAMMAS) {
      const n = 1_000_000;
      const rel = Math.abs(finiteSampleRisk(n, Math.round(gamma * n)) / asymptoticRisk(gamma) - 1);
      expect(rel, `gamma ${gamma}`).toBeLessThan(50 / n);
    }
  });

  it(
    'the variance term: sigma^2 E tr((X^T X)^{-1}) by Monte Carlo (Cholesky solves, not ' +
      'the min-norm fit) equals sigma^2 p / (n - p - 1)',
    () => {
      const rng = stream({ test: 'inverse-wishart' });
      const [n, p, reps] = [60, 20, 400];
      let acc = 0;
      for (let r = 0; r < reps; r++) {
        const X = matrix64(n, p, () => rng.normal());
        const G = gramOfColumns(X);
        for (let j = 0; j < p; j++) {
          const e = new Float64Array(p);
          e[j] = 1;
          acc += choleskySolve(G, p, e)[j]!;
        }
      }
      const mc = (NOISE * acc) / reps;
      expect(Math.abs(mc / finiteSampleRisk(n, p) - 1)).toBeLessThan(0.03);
    },
  );

  it(
    'the simulated min-norm risk averages to the finite-n formula on both sides of the ' +
      'threshold (200 designs each)',
    () => {
      const rng = stream({ test: 'hmrt-risk' });
      for (const [n, p] of [
        [80, 40],
        [40, 80],
      ] as const) {
        const risks = Array.from({ length: 200 }, () => isotropicRisk(rng, n, p).risk);
        const mean = risks.reduce((a, b) => a + b, 0) / risks.length;
        const se = Math.sqrt(risks.reduce((a, b) => a + (b - mean) ** 2, 0) / (risks.length - 1) / risks.length);
        expect(Math.abs(mean - finiteSampleRisk(n, p)), `n ${n} p ${p}`).toBeLessThan(4 * se);
      }
    },
  );

  it('inverseTrace equals the sum of inverse eigenvalues (an eigendecomposition), near-singular Grams included', () => {
    const rng = stream({ test: 'inverse-trace' });
    for (const [n, p] of [
      [30, 10],
      [21, 20],
      [40, 39],
      [12, 12],
    ] as const) {
      const X = matrix64(n, p, () => rng.normal());
      const G = gramOfColumns(X);
      const dense = Array.from({ length: p }, (_, i) => Array.from(G.subarray(i * p, (i + 1) * p)));
      const viaEigen = symmetricEigen(dense).values.reduce((a, l) => a + 1 / l, 0);
      expect(Math.abs(inverseTrace(G, p) / viaEigen - 1), `n ${n} p ${p}`).toBeLessThan(1e-9);
    }
  });

  it(
    'the conditional risk E[R | X] is the mean of the single-draw risk over beta and the noise at a fixed design, ' +
      'and its mean over designs is the finite-n formula (both sides of the threshold)',
    () => {
      for (const [n, p] of [
        [80, 40],
        [40, 80],
        [50, 45],
      ] as const) {
        // At a fixed X (one stream for X, then fresh beta and noise): average the single-draw risks.
        const fixed = isotropicRisk(stream({ test: 'conditional-risk', n, p, r: 0 }), n, p).conditional;
        const draws = Array.from({ length: 400 }, (_, r) => {
          // The same X (the stream's first n p normals), another beta and noise.
          const rng = stream({ test: 'conditional-risk', n, p, r: 0 });
          const skip = stream({ test: 'conditional-risk-beta', n, p, r });
          return riskAtDesign(rng, skip, n, p);
        });
        const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
        const se = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1) / draws.length);
        expect(Math.abs(mean - fixed), `fixed X, n ${n} p ${p}`).toBeLessThan(4 * se);
        const rng = stream({ test: 'conditional-risk-designs', n, p });
        const over = Array.from({ length: 300 }, () => isotropicRisk(rng, n, p).conditional);
        const m = over.reduce((a, b) => a + b, 0) / over.length;
        const s = Math.sqrt(over.reduce((a, b) => a + (b - m) ** 2, 0) / (over.length - 1) / over.length);
        expect(Math.abs(m - finiteSampleRisk(n, p)), `over X, n ${n} p ${p}`).toBeLessThan(4 * s);
      }
    },
  );

  it(
    'random features: the min-norm fit interpolates beyond N = n, a ridge penalty does ' +
      'not; the error peaks near N = n',
    () => {
      const rng = stream({ test: 'rf' });
      const over = randomFeaturesError(rng, 60, 240, 0);
      expect(over.trainError).toBeLessThan(1e-10);
      expect(randomFeaturesError(rng, 60, 240, 0.01).trainError).toBeGreaterThan(1e-3);
      const at = randomFeaturesError(rng, 60, 60, 0).testError;
      const far = randomFeaturesError(rng, 60, 480, 0).testError;
      expect(at).toBeGreaterThan(far);
    },
  );

  it(
    'the norm bound uses the closed form of the l2 ball complexity: (B / n) sqrt(sum ' +
      '||phi_i||^2) bounds the Monte Carlo E sup, within a factor sqrt 2 (Khintchine)',
    () => {
      const rng = stream({ test: 'rademacher' });
      for (const [n, N] of [
        [20, 5],
        [20, 80],
        [50, 50],
      ] as const) {
        const Phi = Array.from({ length: n }, () =>
          Array.from({ length: N }, () => Math.max(0, rng.normal()) * (1 + 3 * rng.uniform())),
        );
        const B = 1.7;
        const closed = (B / n) * Math.sqrt(Phi.flat().reduce((s, v) => s + v * v, 0));
        // sup over ||a|| <= B of (1/n) sum_i s_i <a, phi_i> = (B / n) ||sum_i s_i phi_i||, averaged over random signs.
        let mc = 0;
        const draws = 4000;
        for (let r = 0; r < draws; r++) {
          const v = new Float64Array(N);
          Phi.forEach((row) => {
            const s = rng.uniform() < 0.5 ? -1 : 1;
            row.forEach((x, j) => (v[j]! += s * x));
          });
          mc += (B / n) * Math.hypot(...v);
        }
        mc /= draws;
        expect(mc).toBeLessThanOrEqual(closed * 1.01);
        expect(mc).toBeGreaterThanOrEqual(closed / Math.SQRT2 / 1.01);
      }
      const fit = randomFeaturesError(stream({ test: 'rf-bound' }), 60, 240, 0);
      expect(fit.normBound).toBeGreaterThan(0);
      expect(fit.parameterCountBound).toBeCloseTo(2, 14);
    },
  );

  it('a cell of every arm runs and records its observables', () => {
    const plan = check.plan('smoke');
    for (const [arm, width] of [
      ['hmrt', 10],
      ['hmrt-n', 20],
      ['rf', 4],
      ['rf-ridge', 8],
    ] as const) {
      const r = runCell({ cell: { arm, width, seed: 0 }, plan });
      expect(r.status, arm).toBe('ok');
    }
  });
});
