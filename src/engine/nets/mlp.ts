/** Fully-connected networks in every abc-parametrization: initialization, forward and backward passes. */
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './activations.ts';
import { RandomStream, type StreamAddress } from '../../random/rng.ts';
import { backwardProduct, denseForward } from '../runtime/weight-kernels.ts';

/**
 * How weights scale with width (abc-parametrizations, Yang & Hu 2021): per layer a multiplier, an initial standard
 * deviation and a learning-rate multiplier.
 *   ntk         z = (sigma_w / sqrt(n_in)) W h + sigma_b b, W, b ~ N(0, 1); one learning rate.
 *   standard    z = W h + b, W ~ N(0, sigma_w^2 / n_in), b ~ N(0, sigma_b^2); one learning rate.
 *   mup         Tensor Programs V, Table 3 (SGD) as microsoft/mup implements it (MuReadout, MuSGD, set_base_shapes):
 *               relative to a base width n0 with width multiplier w = n / n0, every layer is initialised as in
 *               `standard`; the readout is multiplied by 1 / w with its weights drawn with standard deviation
 *               sigma_w / sqrt(n0) (mup's rescale by sqrt(w)); learning rates are multiplied by w for the input layer,
 *               every hidden bias and the readout weights ("vector-like" parameters: one infinite dimension), by
 *               fan_out / fan_in for hidden matrices (1 when square), and by 1 for the readout bias. At n = n0 it is
 *               `standard` exactly.
 *   mean-field  two-layer networks (one hidden layer) only: f = (sigma_w sqrt(n0) / n) sum_i a_i phi(z_i), a_i ~ N(0,
 * 1)
 *               (Mei, Montanari & Nguyen 2018; Chizat & Bach 2018), the readout learning rate multiplied by n /
 * sigma_w^2
 *               and the input layer's by w: by the abc-symmetry (multiplier x n^-theta, init x n^theta, rate x n^(2
 * theta))
 *               it is muP with the readout written differently, the same function at every step (Yang & Hu 2021, the
 *               mean-field limit is muP's for one hidden layer); a test checks this.
 * A layer's role decides which of its dimensions grow: the input layer's fan-out, a hidden layer's both, the readout's
 * fan-in.
 */
export type Parametrization = 'ntk' | 'standard' | 'mup' | 'mean-field';
export const PARAMETRIZATIONS: readonly Parametrization[] = ['ntk', 'standard', 'mup', 'mean-field'];
/** The parametrizations with an analytic (width-independent or width-explicit) NTK. */
export type KernelParametrization = Extract<Parametrization, 'ntk' | 'standard'>;
export const KERNEL_PARAMETRIZATIONS: readonly KernelParametrization[] = ['ntk', 'standard'];

export type LayerRole = 'input' | 'hidden' | 'readout';

/**
 * A fully-connected network with L hidden layers of widths n_1..n_L and a dense readout.
 * Every layer computes z = weightScale * h W + biasScale * b, with W stored as [n_in, n_out]
 * so that a batch of inputs is a row-major [m, n_in] matrix; W ~ N(0, weightInitStd^2), b ~ N(0, biasInitStd^2),
 * and gradient descent moves them with learning rates eta * lrScale and eta * biasLrScale (see Parametrization).
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
  /** Base width n0 of `mup` and `mean-field` (the width at which they equal `standard`); unused otherwise. */
  baseWidth?: number;
  /** The readout scaled as in this parametrization instead (an ablation: muP without its readout scaling). */
  readout?: Parametrization;
}

export interface Layer {
  W: tf.Tensor2D;
  b: tf.Tensor1D | null;
  weightScale: number;
  biasScale: number;
  lrScale: number;
  biasLrScale: number;
}

export interface Mlp {
  spec: MlpSpec;
  layers: Layer[];
}

export interface LayerShape {
  nIn: number;
  nOut: number;
  role: LayerRole;
  weightScale: number;
  biasScale: number;
  weightInitStd: number;
  biasInitStd: number;
  lrScale: number;
  biasLrScale: number;
}

type Scaling = Omit<LayerShape, 'nIn' | 'nOut' | 'role'>;

function requireBaseWidth(spec: MlpSpec): number {
  const n0 = spec.baseWidth;
  if (!(n0 !== undefined && Number.isInteger(n0) && n0 > 0))
    throw new RangeError(`the ${spec.parametrization} parametrization needs a positive integer baseWidth`);
  return n0;
}

/** One layer's scaling under a parametrization (the one switch every caller goes through). */
function layerScaling(
  parametrization: Parametrization,
  role: LayerRole,
  nIn: number,
  nOut: number,
  spec: MlpSpec,
): Scaling {
  const sigmaW = Math.sqrt(spec.sigmaW2);
  const sigmaB = Math.sqrt(spec.sigmaB2);
  const standard: Scaling = {
    weightScale: 1,
    biasScale: 1,
    weightInitStd: sigmaW / Math.sqrt(nIn),
    biasInitStd: sigmaB,
    lrScale: 1,
    biasLrScale: 1,
  };
  switch (parametrization) {
    case 'ntk':
      return {
        weightScale: sigmaW / Math.sqrt(nIn),
        biasScale: sigmaB,
        weightInitStd: 1,
        biasInitStd: 1,
        lrScale: 1,
        biasLrScale: 1,
      };
    case 'standard':
      return standard;
    case 'mup': {
      const n0 = requireBaseWidth(spec);
      switch (role) {
        case 'input':
          return { ...standard, lrScale: nOut / n0, biasLrScale: nOut / n0 };
        case 'hidden':
          return { ...standard, lrScale: nOut / nIn, biasLrScale: nOut / n0 };
        case 'readout': {
          const w = nIn / n0;
          return { ...standard, weightScale: 1 / w, weightInitStd: sigmaW / Math.sqrt(n0), lrScale: w };
        }
      }
      break;
    }
    case 'mean-field': {
      const n0 = requireBaseWidth(spec);
      if (spec.widths.length !== 1)
        throw new RangeError(
          `the mean-field parametrization is defined for one hidden layer (got ${spec.widths.length})`,
        );
      switch (role) {
        case 'input':
          return layerScaling('mup', role, nIn, nOut, spec);
        case 'hidden':
          throw new RangeError('the mean-field parametrization has no hidden n x n layer');
        case 'readout':
          return {
            ...standard,
            weightScale: (sigmaW * Math.sqrt(n0)) / nIn,
            weightInitStd: 1,
            lrScale: nIn / spec.sigmaW2,
          };
      }
    }
  }
}

export function layerShapes(spec: MlpSpec): LayerShape[] {
  const dims = [spec.inputDim, ...spec.widths, spec.outputDim];
  const last = dims.length - 2;
  return dims.slice(1).map((nOut, l) => {
    const nIn = dims[l]!;
    const role: LayerRole = l === last ? 'readout' : l === 0 ? 'input' : 'hidden';
    const parametrization = role === 'readout' && spec.readout ? spec.readout : spec.parametrization;
    return { nIn, nOut, role, ...layerScaling(parametrization, role, nIn, nOut, spec) };
  });
}

/**
 * The exponent e of a quantity that scales like n^-e, from its values at widths n and 2n: -log2 of their ratio, rounded
 * to 1e-9 (powers of the width by halves: rounding removes the last bit of log2, 0.5000000000000001), never -0.
 */
export function doublingExponent(atN: number, at2N: number): number {
  const e = Math.round(-Math.log2(at2N / atN) * 1e9) / 1e9;
  return e === 0 ? 0 : e;
}

/**
 * The abc exponents (Yang & Hu 2021) of each layer as this module scales it, at every hidden width n: multiplier
 * n^-a, initial standard deviation n^-b, learning-rate multiplier n^-c (weights; the global rate's own exponent is the
 * caller's). Read off `layerShapes` at widths n and 2n, where each is an exact power of n, so the table is what the
 * code does rather than a second copy of it.
 */
export function abcExponents(spec: MlpSpec, n = 256): { role: LayerRole; a: number; b: number; c: number }[] {
  const at = (w: number) => layerShapes({ ...spec, widths: spec.widths.map(() => w) });
  const [small, large] = [at(n), at(2 * n)];
  return small.map((l, k) => {
    const m = large[k]!;
    return {
      role: l.role,
      a: doublingExponent(l.weightScale, m.weightScale),
      b: doublingExponent(l.weightInitStd, m.weightInitStd),
      c: doublingExponent(l.lrScale, m.lrScale),
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
      lrScale: s.lrScale,
      biasLrScale: s.biasLrScale,
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
  const z = tf.mul(denseForward(h, layer.W), layer.weightScale) as tf.Tensor2D;
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
    const back = tf.mul(backwardProduct(deltas[l + 1]!, next.W), next.weightScale);
    deltas[l] = tf.mul(back, net.spec.activation.tfDerivative(pass.pre[l]!, pass.post[l + 1])) as tf.Tensor2D;
  }
  return deltas;
}

/**
 * The pre-activations z^1..z^L of every hidden layer and the readout f at the inputs X, as float64 arrays
 * (`pre[l][i][j]` is unit j of hidden layer l + 1 at input i; `out[i][k]` the readout). The tensors are disposed: this
 * is the entry point of a signal-propagation check (the variance and correlation of z^l against the NNGP recursion,
 * whose Sigma^{l+1} is `analyticKernelsByDepth(X, spec)[l - 1].nngp` and Sigma^1 the input kernel).
 */
export function preActivations(net: Mlp, X: number[][]): { pre: number[][][]; out: number[][] } {
  return tf.tidy(() => {
    const pass = forward(net, tf.tensor2d(X));
    return { pre: pass.pre.map((z) => z.arraySync()), out: pass.out.arraySync() };
  });
}
