/** microsoft/mup's coordinate check: per-layer sizes of activations and of their change during training. */
import * as tf from '@tensorflow/tfjs-core';
import { forward, type Mlp } from './mlp.ts';

/**
 * The coordinate check of microsoft/mup (`mup/coord_check.py`, Tensor Programs V Appendix D): the average size of a
 * coordinate's change since initialization, per layer, as the width grows. mup records l1 = mean |x| of each module's
 * output; the theory is about the change x_t - x_0 (Yang & Hu 2021: under muP every hidden pre-activation moves by
 * Theta(1) per coordinate, under NTK by Theta(n^-1/2)), which is what is recorded here.
 */
export interface CoordSnapshot {
  /** Pre-activations z^1..z^L of the hidden layers and the readout f, each flattened [m x n_l]. */
  layers: Float32Array[];
}

export function coordSnapshot(net: Mlp, X: tf.Tensor2D): CoordSnapshot {
  // The tensors leave tidy and are read after it: tidy walks every key of what its function returns, so returning the
  // typed arrays themselves cost about a microsecond per coordinate.
  const tensors = tf.tidy(() => {
    const pass = forward(net, X);
    return [...pass.pre, pass.out];
  });
  const layers = tensors.map((z) => z.dataSync() as Float32Array);
  tf.dispose(tensors);
  return { layers };
}

export interface CoordSize {
  /** 1..L for hidden pre-activations, L + 1 for the readout. */
  layer: number;
  /** mean |z_t - z_0|. */
  deltaL1: number;
}

export function coordSizes(now: CoordSnapshot, initial: CoordSnapshot): CoordSize[] {
  return now.layers.map((z, l) => {
    const z0 = initial.layers[l]!;
    let change = 0;
    for (let k = 0; k < z.length; k++) change += Math.abs(z[k]! - z0[k]!);
    return { layer: l + 1, deltaL1: change / z.length };
  });
}
