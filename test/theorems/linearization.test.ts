/** Tests: linearization cells. */
import { describe, expect, it } from 'vitest';
import { check, runCell } from '../../theorems/linearization/check.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();
const plan = check.plan('smoke');

describe('linearization cells', () => {
  it('at width 512 the trained tanh network stays within 1% of its linearization', () => {
    const r = runCell({ cell: { arm: 'tanh', width: 512, seed: 0 }, plan });
    expect(r.status).toBe('ok');
    expect(r.observation.linGapTest!).toBeLessThan(0.01);
    expect(r.observation.etaTimesLambdaMax!).toBeCloseTo(1, 10);
    // the residual along the top NTK directions decays as (1 - eta lambda_i / m)^T predicts
    for (let k = 1; k <= 2; k++)
      expect(Math.abs(r.observation[`decayObserved:${k}`]! - r.observation[`decayPredicted:${k}`]!)).toBeLessThan(0.05);
  });

  it('a learning rate of 5 m / lambda_max makes the network diverge: the cell is invalid, with the reason', () => {
    const r = runCell({ cell: { arm: 'tanh-lr-5', width: 128, seed: 0 }, plan: { ...plan, settings: { steps: 40 } } });
    expect(r.status).toBe('invalid');
    expect(r.why).toMatch(/diverged/);
    expect(r.observation.linGapTest).toBeUndefined();
  });

  it('in the catapult window (2.5 m / lambda_max) the network converges while its linearization diverges', () => {
    const r = runCell({ cell: { arm: 'tanh-lr', width: 256, seed: 0 }, plan: { ...plan, settings: { steps: 40 } } });
    expect(r.status).toBe('ok');
    expect(r.observation.linGapTest!).toBeGreaterThan(1);
  });
});
