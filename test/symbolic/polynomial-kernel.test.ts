/** Tests: Gaussian moments of polynomials (Isserlis), not symbolic integration. */
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels } from '../../src/engine/kernels/analytic-kernels.ts';
import { gaussianMean } from '../../src/numeric/gauss-hermite.ts';
import { symmetricEigen } from '../../src/numeric/linalg.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';
import { crossMomentCoefficients, gaussianMoment } from '../../src/symbolic/gaussian-moments.ts';
import {
  harmonicDimension,
  polynomialActivationKernels,
  sphereRankBound,
} from '../../src/symbolic/polynomial-kernel.ts';
import { fraction } from '../../src/symbolic/series.ts';
import { gaussianPairMean } from '../../src/numeric/gauss-hermite.ts';

describe('Gaussian moments of polynomials (Isserlis), not symbolic integration', () => {
  it('E[z^{2k}] = (2k-1)!! sigma^{2k} matches quadrature', () => {
    for (let p = 0; p <= 12; p++)
      expect(gaussianMoment(p, 1.7)).toBeCloseTo(
        gaussianMean((z) => z ** p, 1.7, 20),
        8,
      );
  });
  it('E[u^k v^k] by Wick pairings matches bivariate quadrature', () => {
    for (let k = 1; k <= 5; k++) {
      const [q, c] = [1.3, -0.4];
      const a = crossMomentCoefficients(k);
      const wick = a.reduce((s, x, j) => s + x.valueOf() * c ** j * q ** (k - j), 0);
      expect(wick).toBeCloseTo(
        gaussianPairMean(
          (u) => u ** k,
          (v) => v ** k,
          q,
          q,
          c,
          16,
        ),
        10,
      );
    }
  });
});

describe('kernels of x^k networks are polynomials of bounded degree', () => {
  it('the exact polynomial equals the quadrature kernel at sampled pairs', () => {
    const X = spherePoints(stream({ test: 'poly-kernel' }), 6, 4);
    for (const [k, L] of [
      [2, 1],
      [3, 1],
      [2, 2],
    ] as const) {
      const p = polynomialActivationKernels(k, L, fraction(3, 2), fraction(1, 10), 4);
      const K = analyticKernels(X, { activation: parseActivation(`poly${k}`), depth: L, sigmaW2: 1.5, sigmaB2: 0.1 });
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < 6; j++) {
          const u = X[i]!.reduce((s, v, t) => s + v * X[j]![t]!, 0);
          const at = (poly: typeof p.ntk) => poly.reduceRight((acc, c) => acc * u + c.valueOf(), 0);
          expect(at(p.ntk)).toBeCloseTo(K.ntk[i]![j]!, 9);
          expect(at(p.nngp)).toBeCloseTo(K.nngp[i]![j]!, 9);
        }
    }
  });

  it('spherical harmonic dimensions: 1, d, d(d+1)/2 - 1 ...; 2h+1 on S^2', () => {
    expect([0, 1, 2, 3].map((h) => harmonicDimension(3, h))).toEqual([1, 3, 5, 7]);
    expect(harmonicDimension(5, 2)).toBe(14);
  });

  it('the symbolic rank bound equals the numerical rank of the Gram on more points', () => {
    for (const [k, L, d] of [
      [2, 1, 3],
      [3, 1, 3],
      [2, 2, 3],
    ] as const) {
      const bound = sphereRankBound(polynomialActivationKernels(k, L, fraction(3, 2), fraction(1, 10), d).ntk, d);
      const X = spherePoints(stream({ test: 'rank', k, L, d }), bound + 8, d);
      const values = symmetricEigen(
        analyticKernels(X, { activation: parseActivation(`poly${k}`), depth: L, sigmaW2: 1.5, sigmaB2: 0.1 }).ntk,
      ).values;
      expect(values.filter((v) => v > 1e-10 * values[values.length - 1]!).length).toBe(bound);
    }
  });
});
