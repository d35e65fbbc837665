/** Full-batch gradient descent (of the network, or of the lazy model alpha (f - f_0)), with divergence checks. */
import * as tf from '@tensorflow/tfjs-core';
import { backward, forward, type Mlp } from './mlp.ts';
import { rankUpdate } from '../runtime/weight-kernels.ts';

/**
 * The lazy-training model of Chizat, Oyallon & Bach 2019: alpha (f(theta) - f(theta_0)) is fitted instead of f, with
 * the learning rate divided by alpha^2 by the caller. `initialOutput` is f(theta_0) on the training inputs.
 */
export interface LazyScaling {
  alpha: number;
  initialOutput: tf.Tensor2D;
}

/**
 * One step of full-batch gradient descent on L = (1 / 2m) sum_i ||g(x_i) - y_i||^2 with g = f, or
 * g = alpha (f - f_0) under a lazy scaling, updating the parameters in place: each layer moves with
 * learningRate x its lrScale (biasLrScale for the bias; 1 except under mup and mean-field). Returns the loss before the
 * step.
 */
export function gradientDescentStep(
  net: Mlp,
  X: tf.Tensor2D,
  Y: tf.Tensor2D,
  learningRate: number,
  lazy?: LazyScaling,
): number {
  const m = X.shape[0];
  // Every scalar (the layer's weight scale, learning rate and multiplier) multiplies the small [m, n] delta, never the
  // [n_in, n_out] weight gradient, and the update W - h^T (c delta) is one pass (src/engine/runtime/weight-kernels.ts):
  // a
  // weight
  // matrix is read by the forward and the backward product and read and written by the update, nothing else.
  let updated: { W: tf.Tensor2D; b: tf.Tensor1D | null }[] = [];
  const loss = tf.tidy(() => {
    const pass = forward(net, X);
    const model = lazy ? (tf.mul(tf.sub(pass.out, lazy.initialOutput), lazy.alpha) as tf.Tensor2D) : pass.out;
    const residual = tf.sub(model, Y) as tf.Tensor2D;
    // d/df of the loss: residual / m, times alpha under the lazy scaling.
    const cotangent = tf.div(residual, lazy ? m / lazy.alpha : m) as tf.Tensor2D;
    const deltas = backward(net, pass, cotangent);
    updated = net.layers.map((layer, l) => {
      const step = tf.mul(deltas[l]!, learningRate * layer.lrScale * layer.weightScale) as tf.Tensor2D;
      const W = tf.keep(rankUpdate(layer.W, pass.post[l]!, step));
      const b = layer.b
        ? tf.keep(
            tf.sub(
              layer.b,
              tf.mul(tf.sum(deltas[l]!, 0), learningRate * layer.biasLrScale * layer.biasScale),
            ) as tf.Tensor1D,
          )
        : null;
      return { W, b };
    });
    return tf.div(tf.sum(tf.square(residual)), 2 * m);
  });
  net.layers.forEach((layer, l) => {
    layer.W.dispose();
    layer.W = updated[l]!.W;
    if (layer.b) {
      layer.b.dispose();
      layer.b = updated[l]!.b;
    }
  });
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
}

/** The steps at which a training run is inspected: `count` evenly spaced steps ending at `steps`. */
export function isCheckpoint(t: number, steps: number, count: number): boolean {
  return t % Math.max(1, Math.floor(steps / count)) === 0 || t === steps;
}

/** A training run has diverged when its loss is not finite or has grown a millionfold over the first step's. */
export function hasDiverged(loss: number, initialLoss: number): boolean {
  return !Number.isFinite(loss) || loss > 1e6 * Math.max(initialLoss, 1e-12);
}

/** Loss (1 / 2m) sum ||f - y||^2 without a step. */
export function meanSquaredLoss(net: Mlp, X: tf.Tensor2D, Y: tf.Tensor2D): number {
  const loss = tf.tidy(() => tf.div(tf.sum(tf.square(tf.sub(forward(net, X).out, Y))), 2 * X.shape[0]));
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
}

/** What a training run did: the first step's loss, the last step's, and the step at which it diverged (or null). */
export interface TrainingRun {
  initialLoss: number;
  /** The loss before the last step taken (the diverged step's when it diverged). */
  loss: number;
  divergedAt: number | null;
}

export interface TrainingHooks {
  /** Under the lazy scaling (the caller divides the learning rate by alpha^2). */
  lazy?: LazyScaling;
  /** After each step that did not diverge, with the loss before it (t counts from 1). */
  afterStep?: (t: number, loss: number) => void;
  /** At `count` evenly spaced steps ending at the last (`isCheckpoint`), after `afterStep`; index counts from 1. */
  checkpoints?: { count: number; at: (t: number, index: number) => void };
  /** Stop at the first step whose loss has diverged against the first step's (`hasDiverged`); default true. */
  stopOnDivergence?: boolean;
}

/**
 * The one training loop of the theorems that train a network: `steps` steps of `gradientDescentStep` at a fixed
 * learning rate, stopping at the first diverged loss (unless told not to), with the caller's observations taken after
 * each step and at the checkpoints.
 */
export function trainFullBatch(
  net: Mlp,
  X: tf.Tensor2D,
  Y: tf.Tensor2D,
  learningRate: number,
  steps: number,
  hooks: TrainingHooks = {},
): TrainingRun {
  let initialLoss = NaN;
  let loss = NaN;
  let checkpoint = 0;
  for (let t = 1; t <= steps; t++) {
    loss = gradientDescentStep(net, X, Y, learningRate, hooks.lazy);
    if (t === 1) initialLoss = loss;
    if (hooks.stopOnDivergence !== false && hasDiverged(loss, initialLoss)) return { initialLoss, loss, divergedAt: t };
    hooks.afterStep?.(t, loss);
    if (hooks.checkpoints && isCheckpoint(t, steps, hooks.checkpoints.count)) hooks.checkpoints.at(t, ++checkpoint);
  }
  return { initialLoss, loss, divergedAt: null };
}
