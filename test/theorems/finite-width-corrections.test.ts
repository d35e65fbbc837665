/** Tests: the conditional sampler against full networks and exact moments. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { sampleReadoutCovariance } from '../../src/engine/kernels/conditional-sampler.ts';
import { binomialHalf, chiSquare } from '../../src/random/distributions.ts';
import { disposeMlp, forward, initMlp } from '../../src/engine/nets/mlp.ts';
import { stream } from '../../src/random/rng.ts';
import { evaluateClaim } from '../../src/verify/evaluate.ts';
import { tanhCriticalKernel } from '../../theorems/finite-width-corrections/check.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();
const relu = parseActivation('relu');

/** Kurtosis of full networks: relu, C_W = 2 (NTK parametrization, sigma_w^2 = 2), no bias, one input with C_W |x|^2/d =
 * 1. */
function fullNetworkMoments(widths: number[], networks: number, tag: string): { m2: number; m4: number } {
  const d = 4;
  // |x|^2 = 2 -> 2 |x|^2 / d = 1
  const X = tf.tensor2d([[Math.sqrt(2), Math.sqrt(2), 0, 0].map((v) => v / Math.sqrt(2))]);
  let m2 = 0;
  let m4 = 0;
  for (let k = 0; k < networks; k++) {
    const net = initMlp(
      { inputDim: d, widths, outputDim: 1, activation: relu, parametrization: 'ntk', sigmaW2: 2, sigmaB2: 0 },
      { test: tag, k },
    );
    const z = tf.tidy(() => forward(net, X).out.dataSync()[0]!);
    disposeMlp(net);
    m2 += z * z;
    m4 += z ** 4;
  }
  X.dispose();
  return { m2: m2 / networks, m4: m4 / networks };
}

describe('the conditional sampler against full networks and exact moments', () => {
  it('binomial(n, 1/2) and chi-square draws have the right first two moments', () => {
    const rng = stream({ test: 'distributions' });
    const N = 100_000;
    let b1 = 0,
      b2 = 0,
      c1 = 0,
      c2 = 0;
    for (let i = 0; i < N; i++) {
      const b = binomialHalf(rng, 37);
      b1 += b;
      b2 += b * b;
      const c = chiSquare(rng, 7);
      c1 += c;
      c2 += c * c;
    }
    expect(b1 / N).toBeCloseTo(18.5, 1);
    expect(b2 / N - (b1 / N) ** 2).toBeCloseTo(37 / 4, 0);
    expect(c1 / N).toBeCloseTo(7, 1);
    expect((c2 / N - (c1 / N) ** 2) / 14).toBeCloseTo(1, 1);
  });

  it('E[z^2] and E[z^4] of full relu networks (widths 8, 8) match the sampler and 3 (1 + 5/8)^2', () => {
    const full = fullNetworkMoments([8, 8], 12_000, 'full-kurtosis');
    const rng = stream({ test: 'sampler-kurtosis' });
    let g1 = 0;
    let g2 = 0;
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      const G = sampleReadoutCovariance(
        { activation: relu, widths: [8, 8], cW: 2, cB: 0, inputCovariance: [[1]] },
        rng,
      )[0]![0]!;
      g1 += G;
      g2 += G * G;
    }
    const exact = 3 * (1 + 5 / 8) ** 2;
    // E[z^2] = 1 exactly; its standard error is sqrt((E[z^4] - 1) / N).
    expect(Math.abs(full.m2 - 1)).toBeLessThan(5 * Math.sqrt((full.m4 - 1) / 12_000));
    expect(g1 / N).toBeCloseTo(1, 2);
    // Full networks: 12k samples of a heavy-tailed fourth moment, ~7% relative error.
    expect(Math.abs(full.m4 / full.m2 ** 2 - exact) / exact).toBeLessThan(0.2);
    expect(Math.abs((3 * g2) / N / (g1 / N) ** 2 - exact) / exact).toBeLessThan(0.04);
  });

  it('the generic sampler (per-neuron draws) agrees with the chi-square shortcut', () => {
    const generic = { ...relu, name: 'relu-generic' };
    const moments = (act: typeof relu, tag: string) => {
      const rng = stream({ test: tag });
      let s1 = 0,
        s2 = 0;
      const N = 40_000;
      for (let i = 0; i < N; i++) {
        const G = sampleReadoutCovariance(
          { activation: act, widths: [16, 16], cW: 2, cB: 0, inputCovariance: [[1]] },
          rng,
        )[0]![0]!;
        s1 += G;
        s2 += G * G;
      }
      return (3 * s2 * N) / (s1 * s1);
    };
    const exact = 3 * (1 + 5 / 16) ** 2;
    expect(Math.abs(moments(relu, 'shortcut') - exact) / exact).toBeLessThan(0.04);
    expect(Math.abs(moments(generic, 'generic') - exact) / exact).toBeLessThan(0.04);
  });

  it('tanh at criticality: 2 l K^{(l)} -> 1 slowly (1.09 at l = 20, 1.04 at l = 50, 1.02 at l = 100)', () => {
    expect(2 * 20 * tanhCriticalKernel(20)).toBeCloseTo(1.09, 1);
    expect(2 * 50 * tanhCriticalKernel(50)).toBeCloseTo(1.04, 2);
    expect(2 * 100 * tanhCriticalKernel(100)).toBeLessThan(2 * 50 * tanhCriticalKernel(50));
  });
});

describe('finite-width-corrections: the checks can fail', () => {
  it(
    'the whole-network kurtosis cell agrees with 3 prod(1 + 5/n), by the ' +
      'Rao-Blackwellised and by the literal readout',
    async () => {
      const { runCell } = await import('../../theorems/finite-width-corrections/check.ts');
      const plan = {
        fidelity: 'smoke' as const,
        arms: ['relu-networks' as const],
        widths: [],
        seeds: 0,
        settings: { samples: 0, tanhSamples: 0, networksPerCell: 0, kurtosisNetworks: 20000 },
      };
      // Setting 1 is widths 8-8: exact kurtosis 3 (13/8)^2 = 7.92.
      const o = runCell({ cell: { arm: 'relu-networks', width: 1, seed: 0 }, plan }).observation;
      expect(o.kurtosisExact).toBeCloseTo(3 * (13 / 8) ** 2, 12);
      expect(Math.abs(o.kurtosisRatio! / o.kurtosisExact! - 1)).toBeLessThan(0.05);
      expect(Math.abs(o.kurtosisLiteral! / o.kurtosisExact! - 1)).toBeLessThan(0.12);
    },
  );
  it(
    'leading order: the relative error is 5(L-2)/(2n) to first order, and beyond 0.2 ' + 'when (L-1)/n is large',
    async () => {
      const { leadingOrderError } = await import('../../theorems/finite-width-corrections/check.ts');
      expect(leadingOrderError(1, 64)).toBeCloseTo(0, 12);
      expect(leadingOrderError(3, 1024) / ((5 * 1) / 1024)).toBeCloseTo(1, 2);
      expect(leadingOrderError(10, 8)).toBeGreaterThan(0.2);
    },
  );
});

describe('tanh-kernel (computed) refutes a wrong asymptotic expansion', () => {
  it('a series with log coefficient 1/2 instead of 5/12 is refuted; the true recursion is supported', async () => {
    const { check, tanhCriticalKernel } = await import('../../theorems/finite-width-corrections/check.ts');
    const claim = check.statement.claims.find((c) => c.id === 'tanh-kernel')!;
    const depths = [25, 50, 100, 200, 400, 800, 1600];
    const plan = check.plan('smoke');
    const cellsOf = (twoLK: (l: number) => number) =>
      depths.map((l) => ({
        arm: 'tanh-kernel',
        width: l,
        seed: 0,
        status: 'ok' as const,
        seconds: 0,
        observation: { kernel: twoLK(l) / (2 * l), kernelTimesTwoL: twoLK(l), one: 1 },
      }));
    const wrong = evaluateClaim(
      check,
      claim,
      claim.arm,
      cellsOf((l) => 1 + (0.5 * Math.log(l)) / l + 0.3 / l),
      plan,
    )!;
    expect(wrong.verdict).toBe('refuted');
    const right = evaluateClaim(
      check,
      claim,
      claim.arm,
      cellsOf((l) => 2 * l * tanhCriticalKernel(l)),
      plan,
    )!;
    expect(right.verdict).toBe('supported');
  });
});
