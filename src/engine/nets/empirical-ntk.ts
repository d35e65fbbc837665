/** The empirical NTK of a network, layer by layer, without materialising the Jacobian. */
import * as tf from '@tensorflow/tfjs-core';
import { gram } from '../runtime/matmul.ts';
import { backward, forward, type Mlp } from './mlp.ts';

/**
 * Empirical NTK Theta(x, x') = sum_p c_p df(x)/dp df(x')/dp, c_p the learning-rate multiplier of parameter p (1
 * except under mup and mean-field: the kernel gradient descent follows, df = -eta Theta (f - y) / m), computed layer by
 * layer without
 * materialising the Jacobian (DESIGN.md): for layer l with deltas D_l = df/dz^l and inputs H_{l-1},
 *   Theta += weightScale_l^2 lrScale_l (D_l D_l^T) o (H_{l-1} H_{l-1}^T) + biasScale_l^2 biasLrScale_l D_l D_l^T.
 * For k outputs the result is the [k m, k m] matrix with rows ordered (output a, input i).
 * The cost is one forward pass and k backward passes.
 */
export function empiricalNtkTensor(net: Mlp, X: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const pass = forward(net, X);
    const m = X.shape[0];
    const k = net.spec.outputDim;
    const perOutput: tf.Tensor2D[][] = [];
    for (let a = 0; a < k; a++) {
      const unit = new Float32Array(m * k);
      for (let i = 0; i < m; i++) unit[i * k + a] = 1;
      const cot = tf.tensor2d(unit, [m, k]);
      perOutput.push(backward(net, pass, cot));
    }
    let theta: tf.Tensor2D | null = null;
    net.layers.forEach((layer, l) => {
      const D =
        k === 1
          ? perOutput[0]![l]!
          : (tf.concat(
              perOutput.map((d) => d[l]!),
              0,
            ) as tf.Tensor2D);
      const h = pass.post[l]!;
      const dd = gram(D);
      const hh = gram(h);
      const hhTiled = k === 1 ? hh : tf.tile(hh, [k, k]);
      let term = tf.mul(tf.mul(dd, hhTiled), layer.weightScale ** 2 * layer.lrScale);
      if (layer.b) term = tf.add(term, tf.mul(dd, layer.biasScale ** 2 * layer.biasLrScale));
      theta = theta ? (tf.add(theta, term) as tf.Tensor2D) : (term as tf.Tensor2D);
    });
    return theta!;
  });
}

/** The empirical NTK as float64 rows; X as rows or as a tensor the caller keeps. */
export function empiricalNtk(net: Mlp, X: number[][] | tf.Tensor2D): number[][] {
  const Xt = X instanceof tf.Tensor ? X : tf.tensor2d(X);
  const theta = empiricalNtkTensor(net, Xt);
  const rows = theta.arraySync() as number[][];
  theta.dispose();
  if (Xt !== X) Xt.dispose();
  return rows;
}

/** Empirical NNGP sample: f(x) f(x')^T averaged over the k outputs, [m, m]. */
export function outputGram(out: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(gram(out), out.shape[1]) as tf.Tensor2D);
}
