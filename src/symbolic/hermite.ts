/**
 * Hermite expansions of activations and Mehler's formula for their dual kernels.
 *
 * With the normalised probabilists' Hermite functions h_k = He_k / sqrt(k!) (orthonormal under Z ~ N(0, 1)), an
 * activation phi in L^2(N(0, 1)) is phi = sum_k a_k h_k with a_k = E[phi(Z) h_k(Z)], and for (u, v) standard normal
 * with correlation rho (Mehler's formula; O'Donnell 2014, Prop. 11.31; Daniely, Frostig & Singer 2016):
 *   E[phi(u) phi(v)]   = sum_k a_k^2 rho^k,
 *   E[phi'(u) phi'(v)] = sum_k k a_k^2 rho^(k - 1)      (h_k' = sqrt(k) h_(k-1)).
 * Closed forms here (each derived in its comment and tested against quadrature in test/symbolic/hermite.test.ts):
 *   relu: a_0 = 1/sqrt(2 pi), a_1 = 1/2, a_2m = (-1)^(m-1) (2m-3)!! / sqrt(2 pi (2m)!) (m >= 1), odd k >= 3: 0;
 *   erf:  a_(2m+1) = 2/sqrt(3 pi) (2m-1)!! (-2/3)^m / sqrt((2m+1)!), even k: 0;
 *   z^p:  a_(p-2j) = p! sqrt((p-2j)!) / (j! 2^j (p-2j)!).
 * The squared relu coefficients are also given exactly (a rational plus a rational over pi) so that they can be
 * compared term by term with the Taylor series of the arc-cosine kernel (src/symbolic/series.ts), an independent route.
 */
import { standardGaussianMean } from '../numeric/gaussian-quadrature.ts';
import { fraction as F, type PiLinear } from './series.ts';

/** h_0(z), ..., h_K(z) by the three-term recurrence h_(k+1) = (z h_k - sqrt(k) h_(k-1)) / sqrt(k + 1). */
export function hermiteFunctions(z: number, K: number, out = new Float64Array(K + 1)): Float64Array {
  out[0] = 1;
  if (K >= 1) out[1] = z;
  for (let k = 1; k < K; k++) out[k + 1] = (z * out[k]! - Math.sqrt(k) * out[k - 1]!) / Math.sqrt(k + 1);
  return out;
}

/**
 * phi(z) = sum_k a_k h_k(z) and phi'(z) = sum_k a_k sqrt(k) h_(k-1)(z) for a finite coefficient list; `both` writes
 * [phi(z), phi'(z)] into `out` from one recurrence (each sum from the top degree down, the same bits as f and df).
 */
export function hermiteSeriesFunction(a: readonly number[]): {
  f: (z: number) => number;
  df: (z: number) => number;
  both: (z: number, out: Float64Array) => Float64Array;
} {
  const K = a.length - 1;
  const h = new Float64Array(K + 1);
  return {
    f: (z) => {
      hermiteFunctions(z, K, h);
      let s = 0;
      for (let k = K; k >= 0; k--) s += a[k]! * h[k]!;
      return s;
    },
    df: (z) => {
      hermiteFunctions(z, K, h);
      let s = 0;
      for (let k = K; k >= 1; k--) s += a[k]! * Math.sqrt(k) * h[k - 1]!;
      return s;
    },
    both: (z, out) => {
      hermiteFunctions(z, K, h);
      let f = 0;
      let df = 0;
      for (let k = K; k >= 0; k--) {
        f += a[k]! * h[k]!;
        if (k >= 1) df += a[k]! * Math.sqrt(k) * h[k - 1]!;
      }
      out[0] = f;
      out[1] = df;
      return out;
    },
  };
}

/**
 * relu's Hermite coefficients a_0..a_K, closed form. E[relu(Z) He_k(Z)] for k >= 2: with He_k(z) phi(z) = (-1)^k
 * phi^(k)(z) and two integrations by parts on (0, inf), it is He_(k-2)(0) phi(0) = He_(k-2)(0) / sqrt(2 pi), and
 * He_(2m)(0) = (-1)^m (2m - 1)!!. Recurrence: a_(2m+2) / a_(2m) = -(2m - 1) / sqrt((2m + 1)(2m + 2)).
 */
export function reluHermite(K: number): number[] {
  const a = new Array<number>(K + 1).fill(0);
  a[0] = 1 / Math.sqrt(2 * Math.PI);
  if (K >= 1) a[1] = 0.5;
  if (K >= 2) a[2] = 1 / Math.sqrt(4 * Math.PI);
  for (let m = 1; 2 * m + 2 <= K; m++) a[2 * m + 2] = (-a[2 * m]! * (2 * m - 1)) / Math.sqrt((2 * m + 1) * (2 * m + 2));
  return a;
}

/**
 * erf's Hermite coefficients a_0..a_K, closed form. Stein's identity gives E[erf(Z) He_(2m+1)(Z)] = E[g^(2m)(Z)] with
 * g = erf' = (2/sqrt(pi)) e^(-z^2), that is E[g(Z) He_(2m)(Z)] = (2/sqrt(pi)) 3^(-1/2) E[He_(2m)(Z / sqrt 3)], and
 * E[He_n(s Z)] = (n - 1)!! (s^2 - 1)^(n/2) for even n. Recurrence: a_(2m+3) / a_(2m+1) = -(2/3)(2m + 1) /
 * sqrt((2m + 2)(2m + 3)).
 */
export function erfHermite(K: number): number[] {
  const a = new Array<number>(K + 1).fill(0);
  if (K >= 1) a[1] = 2 / Math.sqrt(3 * Math.PI);
  for (let m = 0; 2 * m + 3 <= K; m++)
    a[2 * m + 3] = (-a[2 * m + 1]! * (2 / 3) * (2 * m + 1)) / Math.sqrt((2 * m + 2) * (2 * m + 3));
  return a;
}

/** z^p's Hermite coefficients a_0..a_K (z^p = sum_j p! / (j! 2^j (p - 2j)!) He_(p-2j)(z)), exact for p <= 20. */
export function monomialHermite(p: number, K: number): number[] {
  const a = new Array<number>(K + 1).fill(0);
  const factorial = (n: number) => {
    let f = 1;
    for (let i = 2; i <= n; i++) f *= i;
    return f;
  };
  for (let j = 0; 2 * j <= p; j++) {
    const k = p - 2 * j;
    if (k <= K) a[k] = (factorial(p) * Math.sqrt(factorial(k))) / (factorial(j) * 2 ** j * factorial(k));
  }
  return a;
}

export interface HermiteQuadrature {
  /** a_k = E[phi(Z) h_k(Z)], k = 0..K. */
  coefficients: number[];
  /** The quadrature's estimated absolute error of each. */
  errors: number[];
}

/**
 * a_k = E[phi(Z) h_k(Z)] by adaptive quadrature (src/numeric/gaussian-quadrature.ts: the trapezoidal rule, or
 * Gauss-Kronrod split at 0 and at `kinks` where phi is not smooth), to absolute error absTol each.
 */
export function hermiteByQuadrature(
  f: (z: number) => number,
  K: number,
  absTol = 1e-13,
  kinks: number[] = [],
): HermiteQuadrature {
  const coefficients: number[] = [];
  const errors: number[] = [];
  const h = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) {
    const r = standardGaussianMean((z) => f(z) * hermiteFunctions(z, k, h)[k]!, absTol, kinks);
    coefficients.push(r.value);
    errors.push(r.error);
  }
  return { coefficients, errors };
}

/** sum_k a_k^2 rho^k (the one-layer NNGP, unit variances). */
export function mehlerNngp(a: readonly number[], rho: number): number {
  let s = 0;
  for (let k = a.length - 1; k >= 0; k--) s = s * rho + a[k]! * a[k]!;
  return s;
}

/** sum_k k a_k^2 rho^(k-1) (E[phi'(u) phi'(v)], unit variances). */
export function mehlerDerivative(a: readonly number[], rho: number): number {
  let s = 0;
  for (let k = a.length - 1; k >= 1; k--) s = s * rho + k * a[k]! * a[k]!;
  return s;
}

/** The dual kernels' Taylor coefficients: NNGP a_k^2 and one-hidden-layer NTK (k + 1) a_k^2 (sigma_w^2 = 1, no
 * bias). */
export function mehlerCoefficients(a: readonly number[]): { nngp: number[]; ntk: number[] } {
  return { nngp: a.map((x) => x * x), ntk: a.map((x, k) => (k + 1) * x * x) };
}

/** A target kernel with a negative Taylor coefficient: no real activation has it as its NTK. */
export class NegativeCoefficientError extends Error {
  constructor(
    readonly index: number,
    readonly value: number,
  ) {
    super(
      `coefficient ${index} of the target kernel is ${value}: a dot-product kernel with a negative Taylor ` +
        'coefficient is the NTK of no real activation (the NTK coefficients (k + 1) a_k^2 are >= 0)',
    );
    this.name = 'NegativeCoefficientError';
  }
}

/**
 * The inverse map (Simon, Anand & DeWeese 2022): the Hermite coefficients a_k = s_k sqrt(b_k / (k + 1)) of an
 * activation whose one-hidden-layer NTK (sigma_w^2 = 1, no bias, unit-variance pre-activations) is sum_k b_k rho^k.
 * The signs s_k are free (the kernel sees a_k^2 only); `signs` gives them, all + by default. A negative b_k is refused.
 */
export function activationFromNtk(b: readonly number[], signs?: readonly (1 | -1)[]): number[] {
  return b.map((bk, k) => {
    if (!(bk >= 0)) throw new NegativeCoefficientError(k, bk);
    return (signs?.[k] ?? 1) * Math.sqrt(bk / (k + 1));
  });
}

/**
 * relu's squared Hermite coefficients exactly: a_0^2 = 1/(2 pi), a_1^2 = 1/4, a_2m^2 = ((2m-3)!!)^2 / (2 pi (2m)!)
 * (m >= 1), odd k >= 3: 0. By Mehler these are the Taylor coefficients of E[relu(u) relu(v)] = k1(rho) / 2.
 */
export function reluHermiteSquaresExact(K: number): PiLinear[] {
  const out: PiLinear[] = Array.from({ length: K + 1 }, () => ({ a: F(0), b: F(0) }));
  out[0]!.b = F(1, 2);
  if (K >= 1) out[1]!.a = F(1, 4);
  // ((2m-3)!!)^2 / (2m)!, built up m by m: m = 1 gives 1/2.
  let ratio = F(1, 2);
  for (let m = 1; 2 * m <= K; m++) {
    if (m > 1) ratio = ratio.mul(F((2 * m - 3) * (2 * m - 3), (2 * m - 1) * (2 * m)));
    out[2 * m]!.b = ratio.div(2);
  }
  return out;
}
