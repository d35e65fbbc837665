/**
 * Tests: mean-field-dynamics. The gradient step against finite differences of the loss (both scalings), the
 * 1-Wasserstein distance against the integral of |F_a - F_b|, the variance of the network at initialization against
 * its closed form, and a cell's determinism.
 */
import { describe, expect, it } from 'vitest';
import {
  ARMS,
  dataSets,
  halfMeanSquare,
  initNetwork,
  outputs,
  runCell,
  step,
  wasserstein1,
  type Network,
} from '../../theorems/mean-field-dynamics/check.ts';
import { DYNAMICS } from '../../theorems/mean-field-dynamics/statement.ts';
import { stream } from '../../src/index.ts';

/** The training loss (1 / 2m) sum (f - y)^2 on the whole training set. */
function loss(net: Network): number {
  const { train } = dataSets();
  const out = outputs(net, train);
  let sum = 0;
  for (let m = 0; m < train.m; m++) sum += (out[m]! - train.y[m]!) ** 2;
  return sum / (2 * train.m);
}

const clone = (net: Network): Network => ({
  ...net,
  W: Float64Array.from(net.W),
  b: Float64Array.from(net.b),
  a: Float64Array.from(net.a),
});

describe('mean-field-dynamics', () => {
  it.each(['mean-field', 'ntk'] as const)(
    '%s: one full-batch step moves every parameter by -(rate / (N s^2)) dL/dtheta, dL/dtheta by central differences',
    (arm) => {
      const N = 6;
      const net = initNetwork(N, ARMS[arm], { test: 'gradient', arm });
      const { train } = dataSets();
      const rows = Int32Array.from({ length: train.m }, (_, i) => i);
      const after = clone(net);
      const rate = 0.1;
      step(after, train, rows, rate, new Float64Array(train.m * N));
      const lr = rate / (N * net.scale ** 2);
      const h = 1e-6;
      for (const [name, index] of [
        ['a', 0],
        ['a', 5],
        ['b', 2],
        ['W', 0],
        ['W', 13],
        ['W', 47],
      ] as const) {
        const plus = clone(net);
        const minus = clone(net);
        plus[name][index]! += h;
        minus[name][index]! -= h;
        const numeric = (loss(plus) - loss(minus)) / (2 * h);
        const moved = (net[name][index]! - after[name][index]!) / lr;
        expect(Math.abs(moved - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    },
  );

  it('W1 of two empirical laws is the integral of |F_a - F_b| (a merged-CDF route), ties and unequal spreads', () => {
    const rng = stream({ test: 'wasserstein' });
    for (const n of [1, 7, 100]) {
      const u = new Float64Array(n);
      const v = new Float64Array(n);
      rng.fillNormal(u);
      rng.fillNormal(v, 3);
      if (n > 1) v[1] = u[0]!; // a tie across the two samples
      const points = [...u, ...v].sort((p, q) => p - q);
      const cdf = (s: Float64Array, t: number) => s.filter((x) => x <= t).length / n;
      let integral = 0;
      for (let i = 0; i + 1 < points.length; i++)
        integral += Math.abs(cdf(u, points[i]!) - cdf(v, points[i]!)) * (points[i + 1]! - points[i]!);
      expect(wasserstein1(u, v)).toBeCloseTo(integral, 12);
    }
    expect(wasserstein1(Float64Array.of(1, 2, 3), Float64Array.of(3, 1, 2))).toBe(0);
  });

  it('at initialization E_x Var f_N(x) is (1 / N) E_x[(|x|^2 / d + 1) / 2] (mean-field), N times it (kernel)', () => {
    const { test } = dataSets();
    const d = DYNAMICS.inputDim;
    // a ~ N(0, 1) independent of relu(z), z ~ N(0, |x|^2 / d + 1): Var(a relu(z)) = E relu(z)^2 = (|x|^2 / d + 1) / 2.
    let exact = 0;
    for (let m = 0; m < test.m; m++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) r2 += test.x[m * d + k]! ** 2;
      exact += (r2 / d + 1) / 2 / test.m;
    }
    const N = 16;
    for (const arm of ['mean-field', 'ntk'] as const) {
      const draws = Array.from({ length: 400 }, (_, i) => {
        const [A, B] = ['a', 'b'].map((c) => outputs(initNetwork(N, ARMS[arm], { test: 'init', i, c }), test));
        return halfMeanSquare(A!, B!) * (arm === 'mean-field' ? N : 1);
      });
      const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
      const sd = Math.sqrt(draws.reduce((s, x) => s + (x - mean) ** 2, 0) / (draws.length - 1));
      expect(Math.abs(mean - exact)).toBeLessThan(4 * (sd / Math.sqrt(draws.length)));
    }
  });

  it('a cell is a pure function of its address: the same observation twice, bit for bit', () => {
    const cell = { arm: 'sgd' as const, width: 16, seed: 3 };
    const args = { cell, settings: {}, fidelity: 'smoke' } as unknown as Parameters<typeof runCell>[0];
    const first = runCell(args);
    expect(runCell(args)).toEqual(first);
    expect(first.why).toBeUndefined();
    expect(Object.keys(first.observation)).toHaveLength(5 + 2 * DYNAMICS.checkpoints.length);
  });
});
