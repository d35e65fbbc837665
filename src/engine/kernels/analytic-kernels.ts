/** Infinite-width NNGP and NTK recursions in float64: closed forms for relu and erf, quadrature otherwise. */
import type { Activation } from '../nets/activations.ts';
import type { KernelParametrization } from '../nets/mlp.ts';
import { chebyshevInterpolant } from '../../numeric/chebyshev.ts';
import {
  DEFAULT_RELATIVE_TOLERANCE,
  gaussianPairExpectation,
  secondMoment,
} from '../../numeric/gaussian-quadrature.ts';

/**
 * Infinite-width NNGP and NTK of a fully-connected network, float64, by the DESIGN.md recursion
 * (Jacot et al. 2018 Thm 1; Lee et al. 2019 eq. 7; neural-tangents `stax.Dense`):
 *   Sigma^1 = sigma_w^2 x.x'/d + sigma_b^2,  Theta^1 = Sigma^1,
 *   Sigma^{l+1} = sigma_w^2 E[phi(u) phi(v)] + sigma_b^2,
 *   Theta^{l+1} = Sigma^{l+1} + sigma_w^2 Theta^l E[phi'(u) phi'(v)],   (u, v) ~ N(0, Sigma^l).
 * The output kernels are at level L + 1 for L hidden layers.
 *
 * Standard parametrization (W ~ N(0, sigma_w^2 / n)): the NNGP is unchanged, but a weight's
 * gradient is no longer scaled by sigma_w / sqrt(n), so the NTK depends on the widths:
 *   Theta^1 = x.x' + 1_b,  Theta^{l+1} = n_l E[phi phi] + 1_b + sigma_w^2 Theta^l E[phi' phi'].
 */
export interface KernelSpec {
  activation: Activation;
  depth: number;
  sigmaW2: number;
  sigmaB2: number;
  parametrization?: KernelParametrization;
  /** Hidden widths, needed only for the standard-parametrization NTK. */
  widths?: number[];
  /**
   * Accuracy of the pair moments of activations without a closed form, relative to the Cauchy-Schwarz scale
   * sqrt(E phi(u)^2 E phi(v)^2) (adaptive Gauss-Kronrod, src/numeric/gaussian-quadrature.ts). Default 1e-10.
   */
  relativeTolerance?: number;
}

export interface Kernels {
  nngp: number[][];
  ntk: number[][];
}

export interface PairMoments {
  phiPhi: number;
  dphiDphi: number;
}

const secondMoments = new Map<string, number>();

/** E g(u)^2 at variance q, memoised per activation, derivative and variance (a Gram asks for the same ones m^2 times).
 * */
function secondMomentOf(activation: Activation, which: 'f' | 'df', q: number): number {
  const key = `${activation.name}|${which}|${q}`;
  let s = secondMoments.get(key);
  if (s === undefined) {
    s = secondMoment(activation[which], q);
    secondMoments.set(key, s);
  }
  return s;
}

const momentsOf = (activation: Activation, which: 'f' | 'df', q1: number, q2: number) => ({
  f: secondMomentOf(activation, which, q1),
  g: secondMomentOf(activation, which, q2),
});
const scaleOf = (activation: Activation, which: 'f' | 'df', q1: number, q2: number) => {
  const m = momentsOf(activation, which, q1, q2);
  return Math.sqrt(Math.abs(m.f * m.g));
};

export function pairMoments(
  activation: Activation,
  q1: number,
  q2: number,
  c: number,
  relTol = DEFAULT_RELATIVE_TOLERANCE,
): PairMoments {
  if (activation.closedForm) {
    return {
      phiPhi: activation.closedForm.phiPhi(q1, q2, c),
      dphiDphi: activation.closedForm.dphiDphi(q1, q2, c),
    };
  }
  return {
    phiPhi: gaussianPairExpectation(activation.f, activation.f, q1, q2, c, relTol, momentsOf(activation, 'f', q1, q2))
      .value,
    dphiDphi: gaussianPairExpectation(
      activation.df,
      activation.df,
      q1,
      q2,
      c,
      relTol,
      momentsOf(activation, 'df', q1, q2),
    ).value,
  };
}

/** Kernels of the input layer: x.x'/d Gram. */
export function inputGram(X: number[][]): number[][] {
  const m = X.length;
  const d = X[0]?.length ?? 0;
  const G = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < m; i++)
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += X[i]![k]! * X[j]![k]!;
      G[i]![j] = G[j]![i] = s / d;
    }
  return G;
}

/** Gram size from which a quadrature activation on equal-norm inputs uses the interpolated moments. */
const INTERPOLATE_FROM = 24;
const CHEBYSHEV_NODES = 96;

/** Correlations at which an interpolant is checked against direct quadrature (interior, near-parallel, near-antipodal).
 * */
const CHECK_RHOS = [0.1234, -0.5678, 0.9876, -0.9991, 0.99995];

const tables = new Map<string, ((rho: number) => PairMoments) | null>();

/**
 * Pair moments as functions of the correlation, for a layer whose inputs all have variance q (points on a sphere):
 * E[phi phi] and E[phi' phi'] depend on rho only, so quadrature runs at 96 Chebyshev nodes instead of once per pair
 * (m^2 / 2 pairs). Error control: the interpolant is compared with direct quadrature at CHECK_RHOS and used only if it
 * agrees there within the tolerance (a moment sharp near rho = +-1, at large q, falls back to direct quadrature).
 * Memoised per (activation, q, tolerance).
 */
function interpolatedMoments(activation: Activation, q: number, relTol: number): ((rho: number) => PairMoments) | null {
  const key = `${activation.name}|${q}|${relTol}`;
  if (tables.has(key)) return tables.get(key)!;
  const phi = chebyshevInterpolant((rho) => pairMoments(activation, q, q, rho * q, relTol).phiPhi, CHEBYSHEV_NODES);
  const dphi = chebyshevInterpolant((rho) => pairMoments(activation, q, q, rho * q, relTol).dphiDphi, CHEBYSHEV_NODES);
  const sf = scaleOf(activation, 'f', q, q);
  const sd = scaleOf(activation, 'df', q, q);
  const ok = CHECK_RHOS.every((rho) => {
    const direct = pairMoments(activation, q, q, rho * q, relTol);
    return (
      Math.abs(phi(rho) - direct.phiPhi) <= 10 * relTol * sf &&
      Math.abs(dphi(rho) - direct.dphiDphi) <= 10 * relTol * sd
    );
  });
  const table = ok ? (rho: number) => ({ phiPhi: phi(rho), dphiDphi: dphi(rho) }) : null;
  tables.set(key, table);
  return table;
}

/** Whether the NTK depends on the widths: the standard parametrization's does (its weight gradients are not scaled by 1
 * / sqrt(n)). */
function widthDependentNtk(parametrization: KernelParametrization = 'ntk'): boolean {
  switch (parametrization) {
    case 'ntk':
      return false;
    case 'standard':
      return true;
  }
}

function equalDiagonal(A: number[][]): boolean {
  const q = A[0]![0]!;
  return A.every((row, i) => Math.abs(row[i]! - q) <= 1e-13 * Math.abs(q));
}

const memo = new Map<string, Kernels>();

/**
 * analyticKernels, computed once per process for the same inputs and spec (theorem cells ask for the
 * limit kernel of their data in every cell). Widths enter the key only where they matter (standard NTK).
 */
export function analyticKernelsCached(X: number[][], spec: KernelSpec): Kernels {
  const standard = widthDependentNtk(spec.parametrization);
  const key = JSON.stringify([
    X,
    spec.activation.name,
    spec.depth,
    spec.sigmaW2,
    spec.sigmaB2,
    standard,
    standard ? spec.widths : null,
    spec.relativeTolerance ?? null,
  ]);
  let hit = memo.get(key);
  if (!hit) {
    hit = analyticKernels(X, spec);
    memo.set(key, hit);
  }
  return hit;
}

/**
 * The infinite-width NNGP and NTK of the readout of a network with `spec.depth` hidden layers at the inputs X
 * (float64).
 * Depth counts hidden layers: depth 1 is one hidden layer, and its `nngp` is Sigma^2 of the recursion
 * Sigma^1(x, x') = sigma_w^2 x.x'/d + sigma_b^2, Sigma^{l+1} = sigma_w^2 E[phi(u) phi(v)] + sigma_b^2 (Jacot et al.
 * count layers 0..L: their L = 2 is depth 1). Closed forms for relu and erf; adaptive quadrature otherwise.
 */
export function analyticKernels(X: number[][], spec: KernelSpec): Kernels {
  return analyticKernelsByDepth(X, spec)[spec.depth - 1]!;
}

/**
 * The output kernels of the networks with 1, 2, ..., spec.depth hidden layers, from one pass of the recursion: entry
 * l - 1 is Sigma^{l+1} (and Theta^{l+1}), the covariance of the pre-activations z^{l+1} of hidden layer l + 1 (or of
 * the readout, for l = depth) at infinite width.
 */
export function analyticKernelsByDepth(X: number[][], spec: KernelSpec): Kernels[] {
  const { activation, depth, sigmaW2, sigmaB2 } = spec;
  const standard = widthDependentNtk(spec.parametrization);
  if (standard && (!spec.widths || spec.widths.length !== depth)) {
    throw new RangeError('analyticKernels: the standard-parametrization NTK needs one width per hidden layer');
  }
  const relTol = spec.relativeTolerance ?? DEFAULT_RELATIVE_TOLERANCE;
  const m = X.length;
  const d = X[0]?.length ?? 0;
  const biasTerm = sigmaB2 > 0 ? 1 : 0;
  const G = inputGram(X);
  let sigma = G.map((row) => row.map((g) => sigmaW2 * g + sigmaB2));
  let theta = standard ? G.map((row) => row.map((g) => d * g + biasTerm)) : sigma.map((row) => row.slice());
  const byDepth: Kernels[] = [];
  for (let l = 1; l <= depth; l++) {
    const nextSigma = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    const nextTheta = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    const q = sigma[0]![0]!;
    const table =
      !activation.closedForm && m >= INTERPOLATE_FROM && q > 0 && equalDiagonal(sigma)
        ? interpolatedMoments(activation, q, relTol)
        : null;
    // Equal diagonal: the diagonal moments are one computation, not m.
    const diagonal = table ? pairMoments(activation, q, q, q, relTol) : null;
    for (let i = 0; i < m; i++)
      for (let j = i; j < m; j++) {
        const e = table
          ? i === j
            ? diagonal!
            : table(Math.max(-1, Math.min(1, sigma[i]![j]! / q)))
          : pairMoments(activation, sigma[i]![i]!, sigma[j]![j]!, sigma[i]![j]!, relTol);
        const s = sigmaW2 * e.phiPhi + sigmaB2;
        const direct = standard ? spec.widths![l - 1]! * e.phiPhi + biasTerm : s;
        nextSigma[i]![j] = nextSigma[j]![i] = s;
        nextTheta[i]![j] = nextTheta[j]![i] = direct + sigmaW2 * theta[i]![j]! * e.dphiDphi;
      }
    sigma = nextSigma;
    theta = nextTheta;
    byDepth.push({ nngp: sigma, ntk: theta });
  }
  return byDepth;
}
