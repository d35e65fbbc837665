/** Tests: the one learning-rate rule and the one training loop of the theorems that train. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { kernelLearningRate } from '../../src/engine/nets/learning-rate.ts';
import { disposeMlp, initMlp, type MlpSpec } from '../../src/engine/nets/mlp.ts';
import { gradientDescentStep, hasDiverged, isCheckpoint, trainFullBatch } from '../../src/engine/nets/train.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';
import type { Dense } from '../../src/numeric/linalg.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();

const X = spherePoints(stream({ test: 'training-loop' }), 8, 3);
const Y = X.map((x) => [Math.sin(2 * x[0]!) + x[1]! * x[2]!]);
const spec: MlpSpec = {
  inputDim: 3,
  widths: [16, 16],
  outputDim: 1,
  activation: parseActivation('tanh'),
  parametrization: 'ntk',
  sigmaW2: 1.5,
  sigmaB2: 0.1,
};

/** Largest eigenvalue by power iteration: a route independent of the eigendecomposition the rule uses. */
function powerIteration(A: Dense): number {
  let v = A.map((_, i) => 1 + i / A.length);
  let lambda = 0;
  for (let k = 0; k < 2000; k++) {
    const w = A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0));
    lambda = Math.hypot(...w);
    v = w.map((x) => x / lambda);
  }
  return lambda;
}

describe('kernelLearningRate', () => {
  it('is factor m / lambda_max(Theta) for the mean loss and factor / lambda_max for the summed loss', () => {
    const rng = stream({ test: 'kernel-rate' });
    for (const m of [1, 5, 16]) {
      const B = Array.from({ length: m }, () => Array.from({ length: m + 3 }, () => rng.normal()));
      // A Gram matrix (positive semi-definite, as a tangent kernel is), with entries of size about 1e3.
      const K = B.map((a) => B.map((b) => 1e3 * a.reduce((s, x, k) => s + x * b[k]!, 0)));
      const top = powerIteration(K);
      expect(kernelLearningRate(K) * top).toBeCloseTo(m, 8);
      expect(kernelLearningRate(K, { factor: 0.5 }) * top).toBeCloseTo(m / 2, 8);
      expect(kernelLearningRate(K, { loss: 'sum' }) * top).toBeCloseTo(1, 10);
    }
  });
});

describe('trainFullBatch', () => {
  const data = () => ({ X: tf.tensor2d(X), Y: tf.tensor2d(Y) });

  it('takes the steps of gradientDescentStep in a loop bit for bit, with checkpoints where isCheckpoint says', () => {
    const { X: Xt, Y: Yt } = data();
    const steps = 21;
    const a = initMlp(spec, { test: 'loop' });
    const b = initMlp(spec, { test: 'loop' });
    const byHand: number[] = [];
    for (let t = 1; t <= steps; t++) byHand.push(gradientDescentStep(a, Xt, Yt, 0.3));
    const seen: number[] = [];
    const checkpoints: [number, number][] = [];
    const run = trainFullBatch(b, Xt, Yt, 0.3, steps, {
      afterStep: (_t, loss) => seen.push(loss),
      checkpoints: { count: 4, at: (t, index) => checkpoints.push([t, index]) },
    });
    expect(seen).toEqual(byHand);
    expect(run).toEqual({ initialLoss: byHand[0], loss: byHand.at(-1), divergedAt: null });
    const expected = byHand.map((_, i) => i + 1).filter((t) => isCheckpoint(t, steps, 4));
    expect(checkpoints).toEqual(expected.map((t, i) => [t, i + 1]));
    a.layers.forEach((layer, l) => expect(layer.W.dataSync()).toEqual(b.layers[l]!.W.dataSync()));
    [a, b].forEach(disposeMlp);
    [Xt, Yt].forEach((t) => t.dispose());
  });

  it('stops at the first diverged step without calling the hooks there, unless told to go on', () => {
    const { X: Xt, Y: Yt } = data();
    const net = initMlp(spec, { test: 'diverge' });
    const after: number[] = [];
    const run = trainFullBatch(net, Xt, Yt, 200, 50, { afterStep: (t) => after.push(t) });
    expect(run.divergedAt).not.toBeNull();
    expect(hasDiverged(run.loss, run.initialLoss)).toBe(true);
    expect(after).toEqual(Array.from({ length: run.divergedAt! - 1 }, (_, i) => i + 1));
    disposeMlp(net);
    const onward = initMlp(spec, { test: 'diverge' });
    let last = 0;
    const all = trainFullBatch(onward, Xt, Yt, 200, 50, { stopOnDivergence: false, afterStep: (t) => (last = t) });
    expect(all.divergedAt).toBeNull();
    expect(last).toBe(50);
    disposeMlp(onward);
    [Xt, Yt].forEach((t) => t.dispose());
  });
});
