/** Tests: Gauss-Hermite quadrature. */
import { describe, expect, it } from 'vitest';
import { gaussHermite, gaussianMean, gaussianPairMean } from '../../src/numeric/gauss-hermite.ts';

const doubleFactorial = (k: number): number => (k <= 0 ? 1 : k * doubleFactorial(k - 2));

describe('Gauss-Hermite quadrature', () => {
  it('weights sum to one and nodes are symmetric', () => {
    for (const n of [1, 2, 7, 32, 64, 128]) {
      const { nodes, weights } = gaussHermite(n);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 13);
      for (let i = 0; i < n; i++) expect(nodes[i]! + nodes[n - 1 - i]!).toBeCloseTo(0, 12);
    }
  });

  it('is exact for Gaussian moments E[z^2k] = (2k-1)!! up to degree 2n-1', () => {
    for (let k = 0; k <= 10; k++) {
      const exact = doubleFactorial(2 * k - 1);
      expect(gaussianMean((z) => z ** (2 * k), 1, 16) / exact).toBeCloseTo(1, 12);
      // odd moments vanish up to roundoff on terms of size (2k+1)!!
      expect(Math.abs(gaussianMean((z) => z ** (2 * k + 1), 1, 16))).toBeLessThan(1e-13 * doubleFactorial(2 * k + 1));
    }
  });

  it('bivariate rule reproduces E[uv] = c and Isserlis E[u^2 v^2] = q1 q2 + 2 c^2', () => {
    const [q1, q2, c] = [1.3, 0.7, -0.4];
    expect(
      gaussianPairMean(
        (u) => u,
        (v) => v,
        q1,
        q2,
        c,
        8,
      ),
    ).toBeCloseTo(c, 13);
    expect(
      gaussianPairMean(
        (u) => u * u,
        (v) => v * v,
        q1,
        q2,
        c,
        8,
      ),
    ).toBeCloseTo(q1 * q2 + 2 * c * c, 12);
  });

  it('E[exp(z)] = exp(1/2) (a non-polynomial check)', () => {
    expect(gaussianMean(Math.exp, 1, 40)).toBeCloseTo(Math.exp(0.5), 13);
  });
});
