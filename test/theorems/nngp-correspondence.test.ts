/** Tests: MMD^2 to N(0, K): the U-statistic is unbiased. */
import { describe, expect, it } from 'vitest';
import { cholesky } from '../../src/numeric/linalg.ts';
import { stream } from '../../src/random/rng.ts';
import { ARMS, mmd2ToGaussian, nngpLimit } from '../../theorems/nngp-correspondence/check.ts';

describe('MMD^2 to N(0, K): the U-statistic is unbiased', () => {
  const K = nngpLimit(ARMS['tanh-L4-b']!);
  const L = cholesky(K);
  const s2 = K.reduce((s, row, i) => s + row[i]!, 0) / K.length;
  const draw = (rng: ReturnType<typeof stream>, heavy: boolean) =>
    Array.from({ length: 200 }, () => {
      const g = K.map(() =>
        heavy
          ? rng.normal() * Math.sqrt(3 / (1 + 2 * (rng.uniform() < 0.5 ? 0 : 1))) * (rng.uniform() < 0.5 ? 1.3 : 0.6)
          : rng.normal(),
      );
      return L.map((row) => row.reduce((s, v, b) => s + v * g[b]!, 0));
    });

  it(
    'averages to 0 (within 4 standard errors) on exact Gaussian samples, and is positive ' +
      'on a non-Gaussian mixture',
    () => {
      const rng = stream({ test: 'mmd' });
      const gaussian = Array.from({ length: 60 }, () => mmd2ToGaussian(draw(rng, false), K, s2));
      const mean = gaussian.reduce((a, b) => a + b, 0) / gaussian.length;
      const se = Math.sqrt(gaussian.reduce((a, b) => a + (b - mean) ** 2, 0) / (gaussian.length - 1) / gaussian.length);
      expect(Math.abs(mean)).toBeLessThan(4 * se);
      const mixture = Array.from({ length: 60 }, () => mmd2ToGaussian(draw(rng, true), K, s2));
      const mixMean = mixture.reduce((a, b) => a + b, 0) / mixture.length;
      expect(mixMean).toBeGreaterThan(mean + 6 * se);
    },
  );
});
