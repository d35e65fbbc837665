/** Tests: gradients and gradient descent. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { disposeMlp, forward, initMlp, type MlpSpec } from '../../src/engine/nets/mlp.ts';
import { referenceForward, referenceInit } from '../../src/engine/nets/reference-f64.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';
import { gradientDescentStep, meanSquaredLoss } from '../../src/engine/nets/train.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();

const X = spherePoints(stream({ test: 'train-inputs' }), 6, 3);
const Y = X.map((x) => [Math.sin(2 * x[0]!), x[1]! * x[2]!]);

const spec = (activation: string, parametrization: 'ntk' | 'standard'): MlpSpec => ({
  inputDim: 3,
  widths: [8, 8],
  outputDim: 2,
  activation: parseActivation(activation),
  parametrization,
  sigmaW2: 1.5,
  sigmaB2: 0.2,
});

/** Loss of the float64 reference network. */
function referenceLoss(s: MlpSpec, p: ReturnType<typeof referenceInit>): number {
  let sum = 0;
  X.forEach((x, i) => referenceForward(s, p, x).forEach((f, k) => (sum += (f - Y[i]![k]!) ** 2)));
  return sum / (2 * X.length);
}

describe('gradients and gradient descent', () => {
  it.each(['tanh', 'erf', 'relu'])(
    'a gradient step moves every weight by -eta x the tf autodiff gradient of the DESIGN.md loss (%s)',
    (activation) => {
      for (const parametrization of ['ntk', 'standard'] as const) {
        const s = spec(activation, parametrization);
        const net = initMlp(s, { test: 'grad', activation, parametrization });
        const Xt = tf.tensor2d(X);
        const Yt = tf.tensor2d(Y);
        const lossOf = (...Ws: tf.Tensor[]) => {
          const layers = net.layers.map((l, i) => ({ ...l, W: Ws[i] as tf.Tensor2D }));
          return tf.div(tf.sum(tf.square(tf.sub(forward({ ...net, layers }, Xt).out, Yt))), 2 * X.length) as tf.Scalar;
        };
        const auto = tf
          .grads(lossOf)(net.layers.map((l) => l.W))
          .map((g) => g.arraySync() as number[][]);
        // The manual backward pass and the update as training runs them: with eta = 1, W_0 - W_1 is the gradient.
        const before = net.layers.map((l) => l.W.arraySync() as number[][]);
        gradientDescentStep(net, Xt, Yt, 1);
        const manual = net.layers.map((l, i) =>
          (l.W.arraySync() as number[][]).map((row, r) => row.map((w, c) => before[i]![r]![c]! - w)),
        );
        manual.forEach((g, l) =>
          g.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(auto[l]![i]![j]!, 5))),
        );
        disposeMlp(net);
      }
    },
  );

  it('one step changes the loss as the float64 finite-difference gradient predicts', () => {
    const s = spec('tanh', 'ntk');
    const address = { test: 'gd-step' };
    const net = initMlp(s, address);
    const Xt = tf.tensor2d(X);
    const Yt = tf.tensor2d(Y);
    const eta = 1e-3;
    const before = meanSquaredLoss(net, Xt, Yt);
    const reported = gradientDescentStep(net, Xt, Yt, eta);
    const after = meanSquaredLoss(net, Xt, Yt);
    disposeMlp(net);
    // Independent route: ||grad||^2 by central differences on the float64 reference.
    const p = referenceInit(s, address);
    let g2 = 0;
    const h = 1e-6;
    const visit = (arr: number[], j: number) => {
      const v = arr[j]!;
      arr[j] = v + h;
      const plus = referenceLoss(s, p);
      arr[j] = v - h;
      const minus = referenceLoss(s, p);
      arr[j] = v;
      g2 += ((plus - minus) / (2 * h)) ** 2;
    };
    p.weights.forEach((W) => W.forEach((row) => row.forEach((_, j) => visit(row, j))));
    p.biases.forEach((b) => b?.forEach((_, j) => visit(b, j)));
    expect(reported).toBeCloseTo(before, 6);
    expect(before).toBeCloseTo(referenceLoss(s, referenceInit(s, address)), 5);
    // L(theta - eta g) = L - eta ||g||^2 + O(eta^2).
    expect((before - after) / (eta * g2)).toBeCloseTo(1, 2);
  });

  it('full-batch gradient descent at a small step drives the training loss down', () => {
    const s = spec('erf', 'ntk');
    const net = initMlp(s, { test: 'gd-run' });
    const Xt = tf.tensor2d(X);
    const Yt = tf.tensor2d(Y);
    const first = meanSquaredLoss(net, Xt, Yt);
    for (let t = 0; t < 200; t++) gradientDescentStep(net, Xt, Yt, 0.5);
    expect(meanSquaredLoss(net, Xt, Yt)).toBeLessThan(0.2 * first);
    disposeMlp(net);
  });
});
