/** Tests: interpolated pair moments on the sphere. */
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels } from '../../src/engine/kernels/analytic-kernels.ts';
import { chebyshevInterpolant } from '../../src/numeric/chebyshev.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';

describe('interpolated pair moments on the sphere', () => {
  it('Chebyshev interpolation of an analytic function is accurate to roundoff', () => {
    const f = chebyshevInterpolant((x) => Math.exp(x) * Math.sin(3 * x), 40);
    for (const x of [-1, -0.3, 0, 0.77, 1]) expect(f(x)).toBeCloseTo(Math.exp(x) * Math.sin(3 * x), 13);
  });

  it('a 30-point Gram (interpolated path) equals the per-pair quadrature of its 23-point subset (direct path)', () => {
    const X = spherePoints(stream({ test: 'cheb-kernels' }), 30, 5);
    for (const name of ['tanh', 'gelu']) {
      const activation = parseActivation(name);
      const fast = analyticKernels(X, { activation, depth: 3, sigmaW2: 1.7, sigmaB2: 0.1 });
      const direct = analyticKernels(X.slice(0, 23), { activation, depth: 3, sigmaW2: 1.7, sigmaB2: 0.1 });
      for (let i = 0; i < 23; i++)
        for (let j = 0; j < 23; j++) expect(Math.abs(fast.ntk[i]![j]! - direct.ntk[i]![j]!)).toBeLessThan(1e-12);
    }
  });
});
