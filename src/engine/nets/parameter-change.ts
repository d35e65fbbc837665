/** Relative change of a network's parameters, per layer role, between two points of training. */
import * as tf from '@tensorflow/tfjs-core';
import { powTwo } from '../runtime/weight-kernels.ts';
import type { Mlp } from './mlp.ts';

/**
 * tf.norm(x) (the Euclidean norm of all entries) with the same operations and bits: sqrt(sum(pow(|x|, 2))) over x
 * flattened, the square through powTwo (tfjs's Pow, natively where it provably agrees; a tenth of a cell at width
 * 2048 went to tfjs's powf).
 */
function euclideanNorm(x: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.sum(powTwo(tf.abs(tf.reshape(x, [-1])))));
}

/** ||a - b||_F / ||b||_F. */
export function relativeChange(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => euclideanNorm(tf.sub(a, b)).dataSync()[0]! / euclideanNorm(b).dataSync()[0]!);
}

export interface ParameterChange {
  /** Relative Frobenius change of the input layer W^1. */
  input: number;
  /** Relative change of the first hidden n x n layer W^2 (NaN with one hidden layer). */
  hidden: number;
  /** Relative change of the readout layer. */
  readout: number;
  /** ||theta_T - theta_0||_2 over every parameter (weights and biases). */
  total: number;
}

export function parameterChange(net: Mlp, initial: Mlp): ParameterChange {
  const L = net.layers.length;
  let squared = 0;
  net.layers.forEach((layer, l) => {
    const before = initial.layers[l]!;
    squared += tf.tidy(() => tf.sum(tf.square(tf.sub(layer.W, before.W))).dataSync()[0]!);
    if (layer.b && before.b) squared += tf.tidy(() => tf.sum(tf.square(tf.sub(layer.b!, before.b!))).dataSync()[0]!);
  });
  return {
    input: relativeChange(net.layers[0]!.W, initial.layers[0]!.W),
    hidden: L > 2 ? relativeChange(net.layers[1]!.W, initial.layers[1]!.W) : NaN,
    readout: relativeChange(net.layers[L - 1]!.W, initial.layers[L - 1]!.W),
    total: Math.sqrt(squared),
  };
}
