/** Exact sampling of pre-activations layer by layer from their conditional Gaussian law (no weight matrices). */
import type { Activation } from '../nets/activations.ts';
import { chiSquare, binomialHalf } from '../../random/distributions.ts';
import type { RandomStream } from '../../random/rng.ts';

/**
 * Exact sampling of a fully-connected network's preactivations without its weight matrices
 * (Roberts, Yaida & Hanin 2022, section 4.1; the conditional structure of Gaussian layers): given the
 * n_l activations of layer l on p inputs, the n_{l+1} preactivation vectors of layer l+1 are iid
 *   N(0, G_{l+1}),  G_{l+1} = C_W / n_l H_l^T H_l + C_b,
 * so a network is sampled layer by layer in O(n p^2) per layer instead of O(n^2 p). The returned G
 * is the covariance of the readout given the last hidden layer: f | G ~ N(0, G).
 *
 * For relu on a single input, sum_j relu(z_j)^2 with z_j ~ N(0, S) is S chi^2_K, K ~ Binomial(n, 1/2),
 * so each layer costs O(1) (the chi-square shortcut).
 */
export interface ChainSpec {
  activation: Activation;
  /** Hidden widths n_1..n_{L-1}. */
  widths: number[];
  cW: number;
  cB: number;
  /** First-layer covariance C_W x.x'/d + C_b on the p inputs. */
  inputCovariance: number[][];
}

function choleskyPsd(G: number[][]): number[][] {
  const p = G.length;
  const L = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      let s = G[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (i === j) L[i]![i] = Math.sqrt(Math.max(s, 0));
      else L[i]![j] = L[j]![j]! > 0 ? s / L[j]![j]! : 0;
    }
  return L;
}

/** One network: the readout covariance G_L given the last hidden layer. */
export function sampleReadoutCovariance(spec: ChainSpec, rng: RandomStream): number[][] {
  const p = spec.inputCovariance.length;
  let G = spec.inputCovariance;
  const relu = spec.activation.name === 'relu';
  for (const n of spec.widths) {
    if (relu && p === 1) {
      G = [[(spec.cW / n) * G[0]![0]! * chiSquare(rng, binomialHalf(rng, n)) + spec.cB]];
      continue;
    }
    const L = choleskyPsd(G);
    const acc = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const g = new Array<number>(p);
    const h = new Array<number>(p);
    for (let j = 0; j < n; j++) {
      for (let a = 0; a < p; a++) g[a] = rng.normal();
      for (let a = 0; a < p; a++) {
        let z = 0;
        for (let b = 0; b <= a; b++) z += L[a]![b]! * g[b]!;
        h[a] = spec.activation.f(z);
      }
      for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) acc[a]![b]! += h[a]! * h[b]!;
    }
    G = acc.map((row, a) => row.map((_, b) => (spec.cW / n) * (a >= b ? acc[a]![b]! : acc[b]![a]!) + spec.cB));
  }
  return G;
}

/** A readout sample f ~ N(0, G) for a sampled G. */
export function sampleGaussian(G: number[][], rng: RandomStream): number[] {
  const L = choleskyPsd(G);
  const g = G.map(() => rng.normal());
  return L.map((row) => row.reduce((s, v, b) => s + v * g[b]!, 0));
}

/**
 * Single-input chain with Cauchy weights of scale 1/n (an alpha = 1 stable law): given layer l,
 * z_j = sum_k W_jk phi(z_k) / n is Cauchy with scale sum_k |phi(z_k)| / n, exactly. Returns the readout.
 */
export function sampleCauchyChain(
  activation: Activation,
  widths: number[],
  inputScale: number,
  rng: RandomStream,
): number {
  let scale = inputScale;
  for (const n of widths) {
    let next = 0;
    for (let j = 0; j < n; j++) next += Math.abs(activation.f(scale * rng.cauchy()));
    scale = next / n;
  }
  return scale * rng.cauchy();
}
