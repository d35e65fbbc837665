/** Tests: overparam-convergence (Du et al. 2019). */
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/rng.ts';
import {
  budget,
  hInfinity,
  runCell,
  spectrum,
  train,
  trainingSet,
  check,
} from '../../theorems/overparam-convergence/check.ts';

describe('overparam-convergence (Du et al. 2019)', () => {
  it(
    'H-infinity in closed form equals the Monte Carlo mean of x_i.x_j 1{w.x_i >= 0, ' +
      'w.x_j >= 0} over w ~ N(0, I) (parallel and antipodal pairs included)',
    () => {
      const { X } = trainingSet(false);
      const pts = [X[0]!, X[1]!, X[2]!, X[0]!.map((v) => -v), X[1]!];
      const H = hInfinity(pts);
      const rng = stream({ test: 'h-infinity' });
      const reps = 200_000;
      const acc = pts.map(() => pts.map(() => 0));
      for (let r = 0; r < reps; r++) {
        const w = Array.from({ length: 8 }, () => rng.normal());
        const on = pts.map((x) => x.reduce((s, v, k) => s + v * w[k]!, 0) >= 0);
        pts.forEach((a, i) =>
          pts.forEach((b, j) => (acc[i]![j]! += on[i] && on[j] ? a.reduce((s, v, k) => s + v * b[k]!, 0) : 0)),
        );
      }
      H.forEach((row, i) =>
        row.forEach((h, j) =>
          expect(Math.abs(acc[i]![j]! / reps - h), `(${i}, ${j})`).toBeLessThan(5 * Math.sqrt(0.25 / reps) + 1e-12),
        ),
      );
      expect(Math.abs(H[0]![3]!)).toBe(0); // antipodal: never both active
      expect(H[1]![4]).toBeCloseTo(0.5, 15); // parallel: x.x (pi - 0) / 2 pi
    },
  );

  it('lambda_0 > 0 for the training points, 0 (to roundoff) with a duplicated input', () => {
    expect(spectrum(false).lambda0).toBeGreaterThan(0.01);
    expect(spectrum(true).lambda0).toBeLessThan(1e-12);
  });

  it(
    'gradient descent: the loss at a wide network stays under the bound (1 - eta ' +
      'lambda_0 / 2)^k L(0) at every step',
    () => {
      const { X, y } = trainingSet(false);
      const { eta, steps, bound } = budget();
      const { losses } = train(X, y, 2048, eta, steps, { test: 'du-train' });
      losses.forEach((L, k) => expect(L).toBeLessThanOrEqual(losses[0]! * bound ** k * (1 + 1e-12)));
      expect(losses.at(-1)!).toBeLessThan(1e-6);
    },
  );

  it('a cell of every arm runs', () => {
    const plan = check.plan('smoke');
    for (const arm of ['du', 'du-narrow', 'du-duplicate'] as const)
      expect(runCell({ cell: { arm, width: 16, seed: 0 }, plan }).status, arm).toBe('ok');
  });
});
