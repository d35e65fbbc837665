import * as tf from '@tensorflow/tfjs-core';
import { backward, forward, parameterGradients, type Gradients, type Mlp } from './mlp.ts';

/**
 * One step of full-batch gradient descent on L = (1 / 2m) sum_i ||f(x_i) - y_i||^2 (DESIGN.md),
 * updating the parameters in place. Returns the loss before the step.
 */
export function gradientDescentStep(net: Mlp, X: tf.Tensor2D, Y: tf.Tensor2D, learningRate: number): number {
  const m = X.shape[0];
  let grads: Gradients | null = null;
  const loss = tf.tidy(() => {
    const pass = forward(net, X);
    const residual = tf.sub(pass.out, Y) as tf.Tensor2D;
    grads = parameterGradients(net, pass, backward(net, pass, tf.div(residual, m) as tf.Tensor2D));
    grads.W.forEach((g) => tf.keep(g));
    grads.b.forEach((g) => g && tf.keep(g));
    return tf.div(tf.sum(tf.square(residual)), 2 * m);
  });
  const { W: gW, b: gB } = grads as unknown as Gradients;
  net.layers.forEach((layer, l) => {
    const W = tf.tidy(() => tf.sub(layer.W, tf.mul(gW[l]!, learningRate)) as tf.Tensor2D);
    layer.W.dispose();
    layer.W = W;
    gW[l]!.dispose();
    const gb = gB[l];
    if (layer.b && gb) {
      const b = tf.tidy(() => tf.sub(layer.b!, tf.mul(gb, learningRate)) as tf.Tensor1D);
      layer.b.dispose();
      layer.b = b;
      gb.dispose();
    }
  });
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
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
