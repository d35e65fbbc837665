/** Tests: regimes cells. */
import { describe, expect, it } from 'vitest';
import { alignment, check, learningRate, runCell, ARMS, BASE_WIDTH } from '../../theorems/regimes/check.ts';
import { coordObservable, LR_GRID, type Arm } from '../../theorems/regimes/statement.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();
const plan = check.plan('smoke');
const cell = (arm: Arm, width: number, seed = 0) => runCell({ cell: { arm, width, seed }, plan });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('regimes cells', () => {
  it('kernel-target alignment is 1 for K = y y^T and 1 / sqrt(m) for the identity', () => {
    const y = Array.from({ length: 16 }, (_, i) => Math.sin(i + 1));
    expect(
      alignment(
        y.map((a) => y.map((b) => a * b)),
        y,
      ),
    ).toBeCloseTo(1, 12);
    expect(
      alignment(
        y.map((_, i) => y.map((__, j) => (i === j ? 1 : 0))),
        y,
      ),
    ).toBeCloseTo(1 / 4, 12);
  });

  it('coordinate check: a fourfold width leaves muP updates unchanged and halves NTK updates (two seeds)', () => {
    const dz = (arm: Arm, width: number) =>
      mean([0, 1].map((seed) => cell(arm, width, seed).observation[coordObservable('z2', 4)]!));
    const mup = dz('mup', 512) / dz('mup', 128);
    const ntk = dz('ntk', 512) / dz('ntk', 128);
    expect(mup).toBeGreaterThan(0.75);
    expect(mup).toBeLessThan(1.33);
    expect(ntk).toBeGreaterThan(0.35);
    expect(ntk).toBeLessThan(0.7);
  });

  it(
    'the standard parametrization at the base rate: the first output update grows ~ n ' +
      'and training diverges at 16 n0',
    () => {
      const small = cell('sp', BASE_WIDTH);
      const large = cell('sp', 16 * BASE_WIDTH);
      expect(large.observation[coordObservable('f', 1)]! / small.observation[coordObservable('f', 1)]!).toBeGreaterThan(
        8,
      );
      expect(large.status).toBe('invalid');
      expect(large.why).toMatch(/diverged/);
      expect(large.observation.ntkChange).toBeUndefined();
      // eta_0 n0 / n keeps it stable.
      expect(cell('sp-stable', 16 * BASE_WIDTH).status).toBe('ok');
      expect(learningRate(ARMS['sp-stable']!, 16 * BASE_WIDTH)).toBeCloseTo(
        learningRate(ARMS.sp!, 16 * BASE_WIDTH) / 16,
        12,
      );
    },
  );

  it('lazy scaling: the distance to the linearized model falls as alpha grows (alpha = 1/4 against 4)', () => {
    const far = cell('lazy', 2);
    const near = cell('lazy', 32);
    expect(far.status).toBe('ok');
    expect(near.status).toBe('ok');
    expect(far.observation.distanceToLinear! / near.observation.distanceToLinear!).toBeGreaterThan(4);
    expect(far.observation.lazyNtkChange! / near.observation.lazyNtkChange!).toBeGreaterThan(4);
  });

  it('learning-rate sweep: the best rate lies inside the grid, with the loss curve recorded', () => {
    const r = cell('mup-lr', 128);
    expect(r.status).toBe('ok');
    expect(r.observation.optimalLog2Rate!).toBeGreaterThan(LR_GRID[0]!);
    expect(r.observation.optimalLog2Rate!).toBeLessThan(LR_GRID.at(-1)!);
    expect(r.observation['lossAtLog2Rate+0']).toBeGreaterThan(0);
  });
});
