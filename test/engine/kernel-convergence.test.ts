/** Tests: the mean empirical NTK of many wide networks against the analytic NTK, entry by entry. */
import { afterAll, describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels } from '../../src/engine/kernels/analytic-kernels.ts';
import { empiricalKernelStats, type PlainMlpSpec } from '../../src/engine/kernels/kernel-monte-carlo.ts';
import { relativeFrobenius } from '../../src/numeric/linalg.ts';
import { WorkerPool } from '../../src/engine/runtime/pool.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';

/**
 * The empirical NTK averaged over networks at width 1024 against the analytic NTK.
 * neural-tangents accepts a relative Frobenius error of 0.041 at width 1024 with 100 samples;
 * we use 64 samples and also require every entry within Z_MAX standard errors, where the
 * standard error is the Monte Carlo one. The finite-width bias of E[Theta] is O(1/n) ~ 1e-3
 * relative, well inside the Monte Carlo error of 64 samples (~ n^{-1/2} / 8 ~ 4e-3).
 * Z_MAX = 5: Bonferroni over 18 configurations x 21 entries at family-wise level 1e-3 needs ~4.6.
 */
const WIDTH = 1024;
const SAMPLES = 64;
const Z_MAX = 5;
const base = spherePoints(stream({ test: 'convergence-inputs' }), 4, 8);
// Four random points on S^7 plus an antipodal copy of the first and a near-parallel point.
const X = [...base, base[0]!.map((v) => -v), base[1]!.map((v, i) => (i === 0 ? v + 0.05 : v))];

/** Largest |mean - exact| / stderr; an entry that is exactly right with zero spread (relu antipodal, no bias) scores 0.
 * */
function maxZ(estimate: { mean: number[][]; stderr: number[][] }, exact: number[][]): number {
  let worst = 0;
  estimate.mean.forEach((row, i) =>
    row.forEach((v, j) => {
      const diff = Math.abs(v - exact[i]![j]!);
      if (diff > 1e-12) worst = Math.max(worst, diff / estimate.stderr[i]![j]!);
    }),
  );
  return worst;
}

const pool = new WorkerPool({ size: 2, backend: 'wasm' });
afterAll(() => pool.close());

const configs = ['relu', 'erf', 'tanh'].flatMap((activation) =>
  [1, 2, 3].flatMap((depth) => [0, 0.1].map((sigmaB2) => ({ activation, depth, sigmaB2 }))),
);

describe(`empirical NTK at width ${WIDTH} vs the analytic NTK (${SAMPLES} networks)`, () => {
  it.each(configs)('$activation, depth $depth, sigma_b^2 = $sigmaB2', async ({ activation, depth, sigmaB2 }) => {
    const sigmaW2 = activation === 'relu' ? 2 : 1.5;
    const spec: PlainMlpSpec = {
      inputDim: 8,
      widths: new Array(depth).fill(WIDTH),
      outputDim: 1,
      activation,
      parametrization: 'ntk',
      sigmaW2,
      sigmaB2,
    };
    const stats = await empiricalKernelStats(pool, {
      spec,
      X,
      samples: SAMPLES,
      seed: 11,
      experiment: 'test-convergence',
    });
    const analytic = analyticKernels(X, { activation: parseActivation(activation), depth, sigmaW2, sigmaB2 });
    expect(relativeFrobenius(stats.ntk.mean, analytic.ntk)).toBeLessThan(0.041);
    expect(maxZ(stats.ntk, analytic.ntk)).toBeLessThan(Z_MAX);
    // NNGP: the output covariance has O(1) sampling noise per network, so only the z-test applies.
    expect(maxZ(stats.nngp, analytic.nngp)).toBeLessThan(Z_MAX);
  });

  it('standard parametrization: empirical NTK / width approaches the width-dependent analytic NTK', async () => {
    const spec: PlainMlpSpec = {
      inputDim: 8,
      widths: [WIDTH, WIDTH],
      outputDim: 1,
      activation: 'erf',
      parametrization: 'standard',
      sigmaW2: 1.5,
      sigmaB2: 0.1,
    };
    const stats = await empiricalKernelStats(pool, { spec, X, samples: 32, seed: 5, experiment: 'test-standard' });
    const analytic = analyticKernels(X, {
      activation: parseActivation('erf'),
      depth: 2,
      sigmaW2: 1.5,
      sigmaB2: 0.1,
      parametrization: 'standard',
      widths: [WIDTH, WIDTH],
    });
    expect(relativeFrobenius(stats.ntk.mean, analytic.ntk)).toBeLessThan(0.041);
  });

  it('is bit-identical whatever the number of workers', async () => {
    const spec: PlainMlpSpec = {
      inputDim: 8,
      widths: [64, 64],
      outputDim: 1,
      activation: 'tanh',
      parametrization: 'ntk',
      sigmaW2: 1.5,
      sigmaB2: 0.1,
    };
    const options = { spec, X, samples: 10, seed: 3 };
    const inline = new WorkerPool({ size: 0, backend: 'wasm' });
    const one = new WorkerPool({ size: 1, backend: 'wasm' });
    const [a, b, c] = [
      await empiricalKernelStats(inline, options),
      await empiricalKernelStats(one, options),
      await empiricalKernelStats(pool, options),
    ];
    await one.close();
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });
});
