/** Matrix products with a transposed operand, routed around the WebAssembly backend's slow path. */
import * as tf from '@tensorflow/tfjs-core';

/*
 * Matrix products with a transposed operand. The wasm backend's matMul with transposeA or
 * transposeB falls off XNNPACK's fast path (measured at width 2048, 64 rows: a W^T 2.3 GFLOP/s and
 * a^T b 0.4 GFLOP/s, against 19.6 for a W). Transposing the small [m, n] operand explicitly and
 * multiplying plainly runs at 15-29 GFLOP/s, so every product in the engine goes through here.
 */

/** a^T b for a [m, p], b [m, q] with m small: [p, q]. */
export function matMulTransposeA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.transpose(a), b));
}

/** a W^T for a small [m, q] and W [p, q]: computed as (W a^T)^T, [m, p]. */
export function matMulTransposeB(a: tf.Tensor2D, W: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(tf.matMul(W, tf.transpose(a))) as tf.Tensor2D);
}

/** Gram matrix a a^T of the rows of a small [m, n] matrix: [m, m]. */
export function gram(a: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(a, tf.transpose(a)));
}

/** a b^T for two small [m, n] matrices: [m, m]. */
export function crossGram(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(a, tf.transpose(b)));
}
