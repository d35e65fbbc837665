import type { Activation } from './activations.ts';
import { chebyshevInterpolant } from './chebyshev.ts';
import { gaussianPairMean } from './gauss-hermite.ts';

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
  parametrization?: 'ntk' | 'standard';
  /** Hidden widths, needed only for the standard-parametrization NTK. */
  widths?: number[];
  /** Gauss-Hermite points per axis for activations without a closed form. */
  quadraturePoints?: number;
}

/**
 * Gauss-Hermite points per axis. 128 keeps the erf quadrature within 1e-8 of its closed form for
 * variances up to 3 and |correlation| up to 0.999 (64 points leave 3e-5 there: the derivative
 * term exp(-u^2 - v^2) narrows as the variance grows).
 */
export const DEFAULT_QUADRATURE_POINTS = 128;

export interface Kernels {
  nngp: number[][];
  ntk: number[][];
}

export interface PairMoments {
  phiPhi: number;
  dphiDphi: number;
}

export function pairMoments(activation: Activation, q1: number, q2: number, c: number, points = DEFAULT_QUADRATURE_POINTS): PairMoments {
  if (activation.closedForm) {
    return {
      phiPhi: activation.closedForm.phiPhi(q1, q2, c),
      dphiDphi: activation.closedForm.dphiDphi(q1, q2, c),
    };
  }
  return {
    phiPhi: gaussianPairMean(activation.f, activation.f, q1, q2, c, points),
    dphiDphi: gaussianPairMean(activation.df, activation.df, q1, q2, c, points),
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

/**
 * Pair moments as functions of the correlation, for a layer whose inputs all have variance q (points on
 * a sphere): E[phi phi] and E[phi' phi'] depend on rho only, so quadrature runs at 96 Chebyshev nodes
 * instead of once per pair (m^2 / 2 pairs). Interpolation error is ~1e-14 for smooth activations.
 */
function interpolatedMoments(activation: Activation, q: number, points: number): (rho: number) => PairMoments {
  const phi = chebyshevInterpolant((rho) => pairMoments(activation, q, q, rho * q, points).phiPhi, CHEBYSHEV_NODES);
  const dphi = chebyshevInterpolant((rho) => pairMoments(activation, q, q, rho * q, points).dphiDphi, CHEBYSHEV_NODES);
  return (rho) => ({ phiPhi: phi(rho), dphiDphi: dphi(rho) });
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
  const standard = spec.parametrization === 'standard';
  const key = JSON.stringify([X, spec.activation.name, spec.depth, spec.sigmaW2, spec.sigmaB2, standard, standard ? spec.widths : null, spec.quadraturePoints ?? null]);
  let hit = memo.get(key);
  if (!hit) {
    hit = analyticKernels(X, spec);
    memo.set(key, hit);
  }
  return hit;
}

export function analyticKernels(X: number[][], spec: KernelSpec): Kernels {
  return analyticKernelsByDepth(X, spec)[spec.depth - 1]!;
}

/** The output kernels of the networks with 1, 2, ..., spec.depth hidden layers, from one pass of the recursion. */
export function analyticKernelsByDepth(X: number[][], spec: KernelSpec): Kernels[] {
  const { activation, depth, sigmaW2, sigmaB2 } = spec;
  const standard = spec.parametrization === 'standard';
  if (standard && (!spec.widths || spec.widths.length !== depth)) {
    throw new RangeError('analyticKernels: the standard-parametrization NTK needs one width per hidden layer');
  }
  const points = spec.quadraturePoints ?? DEFAULT_QUADRATURE_POINTS;
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
    const table = !activation.closedForm && m >= INTERPOLATE_FROM && q > 0 && equalDiagonal(sigma) ? interpolatedMoments(activation, q, points) : null;
    for (let i = 0; i < m; i++)
      for (let j = i; j < m; j++) {
        const e = table
          ? i === j
            ? pairMoments(activation, q, q, q, points)
            : table(Math.max(-1, Math.min(1, sigma[i]![j]! / q)))
          : pairMoments(activation, sigma[i]![i]!, sigma[j]![j]!, sigma[i]![j]!, points);
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
