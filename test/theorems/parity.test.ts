/**
 * Tests: parity. The SGD step against central differences of the batch's hinge loss plus weight decay (both layers,
 * and the frozen first layer), the relevant share on networks whose answer is known, and a cell's determinism.
 */
import { describe, expect, it } from 'vitest';
import {
  initNetwork,
  parity,
  relevantShare,
  runCell,
  sgdStep,
  signs,
  type Network,
} from '../../theorems/parity/check.ts';
import { PARITY } from '../../theorems/parity/statement.ts';
import { stream } from '../../src/index.ts';

const clone = (net: Network): Network => ({
  ...net,
  W: Float64Array.from(net.W),
  b: Float64Array.from(net.b),
  a: Float64Array.from(net.a),
});

/** The objective one step descends: the batch's mean hinge loss plus (weightDecay / 2) times the trained weights. */
function objective(net: Network, x: Float64Array, B: number, k: number, first: boolean): number {
  let loss = 0;
  for (let s = 0; s < B; s++) {
    let f = 0;
    for (let j = 0; j < net.m; j++) {
      let z = net.b[j]!;
      for (let i = 0; i < net.n; i++) z += net.W[j * net.n + i]! * x[s * net.n + i]!;
      if (z > 0) f += net.a[j]! * z;
    }
    loss += Math.max(0, 1 - parity(x, s, net.n, k) * f) / B;
  }
  const sq = (v: Float64Array) => v.reduce((t, w) => t + w * w, 0);
  return loss + (PARITY.weightDecay / 2) * (sq(net.a) + (first ? sq(net.W) + sq(net.b) : 0));
}

describe('parity', () => {
  it.each([true, false])(
    'one SGD step (first layer trained: %s) moves by -rate x the gradient, by central differences',
    (first) => {
      const n = 12;
      const k = 3;
      const B = 8;
      const net = initNetwork(6, n, stream({ test: 'parity-gradient' }));
      const x = signs(stream({ test: 'parity-batch' }), B, n);
      const after = clone(net);
      sgdStep(after, x, B, k, first, new Float64Array(B * net.m));
      const h = 1e-6;
      for (const [name, index] of [
        ['a', 0],
        ['a', 4],
        ['b', 1],
        ['W', 0],
        ['W', 29],
        ['W', 71],
      ] as const) {
        const plus = clone(net);
        const minus = clone(net);
        plus[name][index]! += h;
        minus[name][index]! -= h;
        const numeric = (objective(plus, x, B, k, first) - objective(minus, x, B, k, first)) / (2 * h);
        const moved = (net[name][index]! - after[name][index]!) / PARITY.rate;
        if (!first && name !== 'a') expect(moved).toBe(0);
        else expect(Math.abs(moved - numeric)).toBeLessThan(1e-6);
      }
    },
  );

  it('the relevant share is n / k on the relevant bits only, 1 spread evenly, and the label is the product', () => {
    const n = 10;
    const net = initNetwork(3, n, stream({ test: 'share' }));
    net.W.fill(0);
    for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) net.W[j * n + i] = j + 1;
    expect(relevantShare(net, 2)).toBeCloseTo(n / 2, 12);
    net.W.fill(0.3);
    expect(relevantShare(net, 2)).toBeCloseTo(1, 12);
    const x = Float64Array.of(1, -1, -1, 1, 1, 1, 1, 1, 1, 1);
    expect([parity(x, 0, n, 1), parity(x, 0, n, 2), parity(x, 0, n, 3)]).toEqual([1, -1, 1]);
  });

  it('a cell is a pure function of its address, and a learned one records its steps and hidden progress', () => {
    const args = {
      cell: { arm: 'k2' as const, width: 16, seed: 2 },
      settings: {},
      fidelity: 'smoke',
    } as unknown as Parameters<typeof runCell>[0];
    const first = runCell(args);
    expect(runCell(args)).toEqual(first);
    expect(first.why).toBeUndefined();
    expect(first.observation.steps! % PARITY.evalEvery).toBe(0); // read on multiples of evalEvery
    expect(first.observation.steps).toBeLessThan(first.observation.budget!);
  });
});
