import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './activations.ts';
import { matMulTransposeA, matMulTransposeB } from './matmul.ts';
import { RandomStream, type StreamAddress } from './rng.ts';

export type Parametrization = 'ntk' | 'standard';
export const PARAMETRIZATIONS: readonly Parametrization[] = ['ntk', 'standard'];

/**
 * A fully-connected network with L hidden layers of widths n_1..n_L and a dense readout.
 * Every layer computes z = weightScale * h W + biasScale * b, with W stored as [n_in, n_out]
 * so that a batch of inputs is a row-major [m, n_in] matrix.
 *   NTK parametrization: W, b ~ N(0, 1), weightScale = sigma_w / sqrt(n_in), biasScale = sigma_b.
 *   Standard:            W ~ N(0, sigma_w^2 / n_in), b ~ N(0, sigma_b^2), both scales 1.
 * A bias exists iff sigma_b^2 > 0.
 */
export interface MlpSpec {
  inputDim: number;
  widths: number[];
  outputDim: number;
  activation: Activation;
  parametrization: Parametrization;
  sigmaW2: number;
  sigmaB2: number;
}

export interface Layer {
  W: tf.Tensor2D;
  b: tf.Tensor1D | null;
  weightScale: number;
  biasScale: number;
}

export interface Mlp {
  spec: MlpSpec;
  layers: Layer[];
}

export interface LayerShape {
  nIn: number;
  nOut: number;
  weightScale: number;
  biasScale: number;
  weightInitStd: number;
  biasInitStd: number;
}

export function layerShapes(spec: MlpSpec): LayerShape[] {
  const dims = [spec.inputDim, ...spec.widths, spec.outputDim];
  const ntk = spec.parametrization === 'ntk';
  const sigmaW = Math.sqrt(spec.sigmaW2);
  const sigmaB = Math.sqrt(spec.sigmaB2);
  return dims.slice(1).map((nOut, l) => {
    const nIn = dims[l]!;
    return {
      nIn,
      nOut,
      weightScale: ntk ? sigmaW / Math.sqrt(nIn) : 1,
      biasScale: ntk ? sigmaB : 1,
      weightInitStd: ntk ? 1 : sigmaW / Math.sqrt(nIn),
      biasInitStd: ntk ? 1 : sigmaB,
    };
  });
}

export function parameterCount(spec: MlpSpec): number {
  const bias = spec.sigmaB2 > 0;
  return layerShapes(spec).reduce((acc, s) => acc + s.nIn * s.nOut + (bias ? s.nOut : 0), 0);
}

/** Draw the initial parameters from the stream addressed by `address` (one sub-stream per tensor). */
export function initMlp(spec: MlpSpec, address: StreamAddress): Mlp {
  const bias = spec.sigmaB2 > 0;
  const layers = layerShapes(spec).map((s, l): Layer => {
    const w = new RandomStream(address, `W${l + 1}`).fillNormal(new Float32Array(s.nIn * s.nOut), s.weightInitStd);
    const b = bias ? new RandomStream(address, `b${l + 1}`).fillNormal(new Float32Array(s.nOut), s.biasInitStd) : null;
    return {
      W: tf.tensor2d(w, [s.nIn, s.nOut]),
      b: b ? tf.tensor1d(b) : null,
      weightScale: s.weightScale,
      biasScale: s.biasScale,
    };
  });
  return { spec, layers };
}

export function disposeMlp(net: Mlp): void {
  for (const layer of net.layers) {
    layer.W.dispose();
    layer.b?.dispose();
  }
}

export function cloneMlp(net: Mlp): Mlp {
  return {
    spec: net.spec,
    layers: net.layers.map((l) => ({ ...l, W: tf.clone(l.W), b: l.b ? tf.clone(l.b) : null })),
  };
}

export interface ForwardPass {
  /** Pre-activations z^1..z^L of the hidden layers, each [m, n_l]. */
  pre: tf.Tensor2D[];
  /** Layer inputs h^0 = x, h^1..h^L, each [m, n_l]. */
  post: tf.Tensor2D[];
  /** Readout f(x), [m, k]. */
  out: tf.Tensor2D;
}

function affine(layer: Layer, h: tf.Tensor2D): tf.Tensor2D {
  const z = tf.mul(tf.matMul(h, layer.W), layer.weightScale) as tf.Tensor2D;
  return layer.b ? (tf.add(z, tf.mul(layer.b, layer.biasScale)) as tf.Tensor2D) : z;
}

/** Forward pass keeping every intermediate needed by `backward`. Call inside tf.tidy. */
export function forward(net: Mlp, X: tf.Tensor2D): ForwardPass {
  const pre: tf.Tensor2D[] = [];
  const post: tf.Tensor2D[] = [X];
  let h = X;
  const L = net.layers.length - 1;
  for (let l = 0; l < L; l++) {
    const z = affine(net.layers[l]!, h);
    h = net.spec.activation.tf(z) as tf.Tensor2D;
    pre.push(z);
    post.push(h);
  }
  return { pre, post, out: affine(net.layers[L]!, h) };
}

/**
 * Backpropagate a cotangent on the readout: returns delta_l = d<cot, f>/dz^l for l = 1..L+1
 * (index 0..L), each [m, n_l].
 */
export function backward(net: Mlp, pass: ForwardPass, cotangent: tf.Tensor2D): tf.Tensor2D[] {
  const L = net.layers.length - 1;
  const deltas: tf.Tensor2D[] = new Array(L + 1);
  deltas[L] = cotangent;
  for (let l = L - 1; l >= 0; l--) {
    const next = net.layers[l + 1]!;
    const back = tf.mul(matMulTransposeB(deltas[l + 1]!, next.W), next.weightScale);
    deltas[l] = tf.mul(back, net.spec.activation.tfDerivative(pass.pre[l]!)) as tf.Tensor2D;
  }
  return deltas;
}

export interface Gradients {
  W: tf.Tensor2D[];
  b: (tf.Tensor1D | null)[];
}

/** Parameter gradients of <cot, f> from the deltas: dW_l = weightScale_l h_{l-1}^T delta_l. */
export function parameterGradients(net: Mlp, pass: ForwardPass, deltas: tf.Tensor2D[]): Gradients {
  return {
    W: net.layers.map((layer, l) => tf.mul(matMulTransposeA(pass.post[l]!, deltas[l]!), layer.weightScale) as tf.Tensor2D),
    b: net.layers.map((layer, l) => (layer.b ? (tf.mul(tf.sum(deltas[l]!, 0), layer.biasScale) as tf.Tensor1D) : null)),
  };
}
