/** Tests: empirical NTK, layer by layer. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { empiricalNtk, empiricalNtkTensor } from '../../src/engine/nets/empirical-ntk.ts';
import { relativeFrobenius } from '../../src/numeric/linalg.ts';
import { disposeMlp, forward, initMlp, type MlpSpec, type Parametrization } from '../../src/engine/nets/mlp.ts';
import { referenceForward, referenceInit, referenceNtk } from '../../src/engine/nets/reference-f64.ts';
import { FLOAT32_EPS } from '../../src/numeric/precision.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();

const X = spherePoints(stream({ test: 'ntk-inputs' }), 5, 4);

function spec(
  activation: string,
  parametrization: Parametrization,
  sigmaB2: number,
  widths = [7, 6],
  outputDim = 1,
): MlpSpec {
  return {
    inputDim: 4,
    widths,
    outputDim,
    activation: parseActivation(activation),
    parametrization,
    sigmaW2: 1.8,
    sigmaB2,
  };
}

describe('empirical NTK, layer by layer', () => {
  const cases = ['relu', 'erf', 'tanh'].flatMap((a) =>
    (['ntk', 'standard'] as const).flatMap((p) =>
      [0, 0.3].map((b) => ({ activation: a, parametrization: p, sigmaB2: b })),
    ),
  );

  it.each(cases)(
    'matches the brute-force finite-difference Jacobian J J^T ($activation, $parametrization, sigma_b^2 = $sigmaB2)',
    (c) => {
      const s = spec(c.activation, c.parametrization, c.sigmaB2);
      const address = { test: 'fd', ...c };
      const net = initMlp(s, address);
      const layerwise = empiricalNtk(net, X);
      disposeMlp(net);
      const brute = referenceNtk(s, referenceInit(s, address), X);
      // float32 roundoff on O(1) kernels plus the O(h^2) central-difference error (h = 1e-6): ~1e-6 relative.
      expect(relativeFrobenius(layerwise, brute)).toBeLessThan(2e-5);
    },
  );

  it('vector readout: block (a, b) is J_a J_b^T, zero-mean cross blocks included', () => {
    const s = spec('tanh', 'ntk', 0.2, [6, 5], 2);
    const address = { test: 'vector' };
    const net = initMlp(s, address);
    const theta = empiricalNtkTensor(net, tf.tensor2d(X)).arraySync() as number[][];
    disposeMlp(net);
    const ref = referenceInit(s, address);
    const m = X.length;
    const block = (a: number, b: number) => theta.slice(a * m, (a + 1) * m).map((row) => row.slice(b * m, (b + 1) * m));
    expect(relativeFrobenius(block(0, 0), referenceNtk(s, ref, X, 0))).toBeLessThan(2e-5);
    expect(relativeFrobenius(block(1, 1), referenceNtk(s, ref, X, 1))).toBeLessThan(2e-5);
    // The cross block shares the hidden layers but not the readout row: only hidden-layer terms remain.
    expect(Math.abs(block(0, 1)[0]![0]!)).toBeGreaterThan(0);
  });

  it('float32 forward agrees with the float64 reference to roundoff (width 32, depth 3)', () => {
    for (const activation of ['relu', 'erf', 'tanh']) {
      const s = spec(activation, 'ntk', 0.1, [32, 32, 32]);
      const address = { test: 'f32', activation };
      const net = initMlp(s, address);
      const out = tf.tidy(() => forward(net, tf.tensor2d(X)).out.arraySync() as number[][]);
      disposeMlp(net);
      const ref = referenceInit(s, address);
      X.forEach((x, i) => {
        const r = referenceForward(s, ref, x)[0]!;
        // Each layer sums n products: roundoff ~ eps32 sqrt(n) per layer relative to the output scale.
        expect(Math.abs(out[i]![0]! - r)).toBeLessThan(50 * FLOAT32_EPS * Math.sqrt(32) * 4 * Math.max(1, Math.abs(r)));
      });
    }
  });
});
