/** Tests: deep-linear-rank (Arora et al. 2019; Razin & Cohen 2020). */
import { describe, expect, it } from 'vitest';
import { effectiveRank, nuclearNorm, productOf, svd } from '../../src/engine/nets/matrix-factorization.ts';
import { stream } from '../../src/random/rng.ts';
import {
  check,
  counterexampleFactors,
  leastNuclearNorm,
  observe,
  runCell,
  target,
} from '../../theorems/deep-linear-rank/check.ts';
import { RECOVERY_GRID, SIZE } from '../../theorems/deep-linear-rank/statement.ts';

describe('deep-linear-rank (Arora et al. 2019; Razin & Cohen 2020)', () => {
  it('the target is rank 2 with ||M||_F = 16, and observations are nested prefixes of one order', () => {
    const t = target(3);
    const values = svd(t.M, SIZE).values;
    expect(values[2]!).toBeLessThan(1e-12 * values[0]!);
    expect(Math.hypot(...values)).toBeCloseTo(16, 10);
    expect(t.erank).toBeCloseTo(effectiveRank(values), 14);
    expect(t.erank).toBeGreaterThan(1);
    expect(t.erank).toBeLessThanOrEqual(2);
    const a = observe(t, 64);
    const b = observe(t, 96);
    expect(Array.from(b.indices.slice(0, 64))).toEqual(Array.from(a.indices));
    expect(new Set(observe(t, 256).indices).size).toBe(256);
    expect(RECOVERY_GRID.at(-1)).toBe(SIZE * SIZE);
  });

  it(
    'the least nuclear norm of a 2 x 2 matrix with loss <= l on W12 = W21 = 1, W22 = 0 ' +
      'is 2 (1 - sqrt(l)): attained, and no random feasible matrix beats it',
    () => {
      const rng = stream({ test: 'least-nuclear' });
      for (const loss of [1e-1, 1e-2, 1e-4]) {
        const c = 1 - Math.sqrt(loss);
        const attained = Float64Array.from([0, c, c, 0]);
        const lossOf = (W: Float64Array) => 0.5 * ((W[1]! - 1) ** 2 + (W[2]! - 1) ** 2 + W[3]! ** 2);
        expect(lossOf(attained)).toBeCloseTo(loss, 12);
        expect(nuclearNorm(svd(attained, 2).values)).toBeCloseTo(leastNuclearNorm(loss), 12);
        // Random matrices with loss at most l: the observed residual drawn inside the ball of radius sqrt(2 l), W11
        // anything.
        for (let tried = 0; tried < 3000; tried++) {
          const r = [rng.normal(), rng.normal(), rng.normal()];
          const radius = (Math.sqrt(2 * loss) * rng.uniform() ** (1 / 3)) / Math.hypot(...r);
          const W = Float64Array.from([3 * rng.normal(), 1 + radius * r[0]!, 1 + radius * r[1]!, radius * r[2]!]);
          expect(lossOf(W)).toBeLessThanOrEqual(loss * (1 + 1e-12));
          expect(nuclearNorm(svd(W, 2).values)).toBeGreaterThanOrEqual(leastNuclearNorm(loss) - 1e-12);
        }
      }
    },
  );

  it("Razin & Cohen's initialisation has a positive determinant at every depth", () => {
    for (const depth of [1, 2, 3, 4])
      for (let seed = 0; seed < 5; seed++) {
        const P = productOf(counterexampleFactors(depth, { test: 'det', depth, seed }), 2);
        expect(P[0]! * P[3]! - P[1]! * P[2]!).toBeGreaterThan(0);
      }
  });

  it('cells of the completion and counterexample arms run; depth 1 fills only the observed entries', () => {
    const plan = check.plan('smoke');
    const shallow = runCell({ cell: { arm: 'counterexample-shallow', width: 1, seed: 0 }, plan });
    expect(shallow.status).toBe('ok');
    expect(shallow.observation.unobservedEntry!).toBeLessThan(0.05);
    expect(shallow.observation.nuclearNorm!).toBeCloseTo(shallow.observation.minNuclearNorm!, 2);
    const deep = runCell({ cell: { arm: 'counterexample', width: 3, seed: 0 }, plan });
    expect(deep.status).toBe('ok');
    expect(deep.observation.finalLoss!).toBeLessThanOrEqual(1e-4);
    const completion = runCell({ cell: { arm: 'completion', width: 1, seed: 0 }, plan });
    expect(completion.status).toBe('ok');
    expect(completion.observation.nuclearDualityGap!).toBeLessThan(1e-6);
  });
});
