/**
 * Dot-product kernels on the sphere as power series in the cosine rho, in float64: the arc-cosine kernels' Taylor
 * coefficients, their composition in depth, and the NNGP and NTK of a deep relu network as series (the target of the
 * reverse-engineered activation, Simon, Anand & DeWeese 2022).
 *
 * Every series here has non-negative coefficients and value <= 1 at rho = 1 where it is composed into another, so no
 * step subtracts: the float64 coefficients carry relative roundoff only. The composition kappa(s(rho)) of an outer
 * series kappa with an inner s whose constant term s_0 is not 0 re-expands kappa about s_0 first:
 *   kappa(s_0 + h w) = sum_m e_m w^m,  h = 1 - s_0,  e_m = sum_j c_j P(Bin(j, h) = m)   (all terms >= 0),
 * then substitutes w = tau(rho) = (s(rho) - s_0) / h, which has no constant term, so the coefficients up to order K
 * need e_0..e_K and tau's coefficients up to K only. The outer series is cut at J terms; what is left out of every
 * e_m, m <= K, is at most sum_(j > J) c_j P(Bin(j, h) <= K) <= P(Bin(J, h) <= K) (kappa(1) = sum_j c_j = 1), bounded by
 * Chernoff's exp(-J D(K/J || h)), and J is taken large enough that this is below 1e-18.
 */

/** kappa_0(u) = (pi - arccos u) / pi and kappa_1(u) = (sqrt(1 - u^2) + (pi - arccos u) u) / pi: the normalised
 * arc-cosine kernels (Cho & Saul 2009), kappa(1) = 1. Their Taylor coefficients c_0..c_J. */
export function arcCosineCoefficients(degree: 0 | 1, J: number): Float64Array {
  const c = new Float64Array(J + 1);
  // gamma_r = binom(2r, r) / 4^r.
  let gamma = 1;
  if (degree === 0) {
    c[0] = 0.5;
    for (let r = 0; 2 * r + 1 <= J; r++) {
      if (r > 0) gamma *= (2 * r - 1) / (2 * r);
      c[2 * r + 1] = gamma / (2 * r + 1) / Math.PI;
    }
    return c;
  }
  c[0] = 1 / Math.PI;
  if (J >= 1) c[1] = 0.5;
  // u asin u + sqrt(1 - u^2): the coefficient of u^2r (r >= 1) is gamma_(r-1) / (2r - 1) - gamma_r / (2r - 1)
  // = gamma_(r-1) / ((2r - 1) 2r), with no cancellation.
  for (let r = 1; 2 * r <= J; r++) {
    if (r > 1) gamma *= (2 * r - 3) / (2 * r - 2);
    c[2 * r] = gamma / ((2 * r - 1) * 2 * r) / Math.PI;
  }
  return c;
}

/** The product of two series, truncated at order K. */
export function multiplySeries(x: ArrayLike<number>, y: ArrayLike<number>, K: number): Float64Array {
  const out = new Float64Array(K + 1);
  for (let i = 0; i <= K && i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    for (let j = 0; i + j <= K && j < y.length; j++) out[i + j]! += xi * y[j]!;
  }
  return out;
}

/** Kullback-Leibler divergence of Bernoulli(p) from Bernoulli(q). */
const bernoulliKl = (p: number, q: number) =>
  (p > 0 ? p * Math.log(p / q) : 0) + (p < 1 ? (1 - p) * Math.log((1 - p) / (1 - q)) : 0);

/** How many outer terms J make the left-out mass P(Bin(J, h) <= K) below 1e-18 (Chernoff). */
export function outerTerms(h: number, K: number): number {
  if (h >= 1) return K;
  let J = Math.max(K + 1, Math.ceil((2 * K) / h));
  while (K / J >= h || J * bernoulliKl(K / J, h) < 18 * Math.LN10 + Math.log(J)) J = Math.ceil(J * 1.25);
  return J;
}

/**
 * The Taylor coefficients to order K of outer(s(rho)) for an outer series given by `outer(J)` (its c_0..c_J) with
 * non-negative coefficients summing to 1, and an inner series s with non-negative coefficients and s(1) <= 1.
 */
export function composeSeries(outer: (J: number) => Float64Array, s: ArrayLike<number>, K: number): Float64Array {
  const s0 = s[0] ?? 0;
  const h = 1 - s0;
  const J = outerTerms(h, K);
  const c = outer(J);
  // e(w) = kappa(s_0 + h w) by Horner in the polynomial s_0 + h w, truncated at degree K.
  const e = new Float64Array(K + 1);
  for (let j = J; j >= 0; j--) {
    for (let m = Math.min(K, J - j); m >= 1; m--) e[m] = e[m]! * s0 + e[m - 1]! * h;
    e[0] = e[0]! * s0 + c[j]!;
  }
  if (h >= 1) return e;
  const tau = new Float64Array(K + 1);
  for (let k = 1; k <= K && k < s.length; k++) tau[k] = s[k]! / h;
  // Horner in tau: r_m = e_m + tau r_(m+1); r_m is needed to order K - m only (tau has no constant term).
  let r = new Float64Array(1);
  r[0] = e[K]!;
  for (let m = K - 1; m >= 0; m--) {
    const order = K - m;
    const next = new Float64Array(order + 1);
    next[0] = e[m]!;
    for (let i = 0; i < r.length; i++) {
      const ri = r[i]!;
      if (ri === 0) continue;
      for (let k = 1; i + k <= order; k++) next[i + k]! += ri * tau[k]!;
    }
    r = next;
  }
  return r;
}

export interface ReluKernelSeries {
  /** Taylor coefficients to order K of the NNGP Sigma^(L+1)(rho). */
  nngp: Float64Array;
  /** Taylor coefficients to order K of the NTK Theta^(L+1)(rho). */
  ntk: Float64Array;
  /** Theta^(L+1)(1) = L + 1 (sigma_w^2 = 2 keeps every diagonal at 1); the series' coefficients sum to it. */
  ntkAtOne: number;
}

/**
 * The NNGP and NTK of a relu network with L hidden layers and no bias, normalised so that every layer's diagonal is 1:
 * Sigma^1(rho) = rho, Sigma^(l+1) = kappa_1(Sigma^l), Theta^(l+1) = Sigma^(l+1) + Theta^l kappa_0(Sigma^l), as series
 * to order K. The engine's kernels (src/engine/kernels/analytic-kernels.ts) with sigma_w^2 = 2 on every layer, the
 * first included, and inputs on the sphere of radius sqrt(d) are twice these (relu is positively homogeneous).
 */
export function reluKernelSeries(depth: number, K: number): ReluKernelSeries {
  let sigma: Float64Array = new Float64Array(K + 1);
  if (K >= 1) sigma[1] = 1;
  let theta: Float64Array = Float64Array.from(sigma);
  for (let l = 1; l <= depth; l++) {
    const k1 = composeSeries((J) => arcCosineCoefficients(1, J), sigma, K);
    const k0 = composeSeries((J) => arcCosineCoefficients(0, J), sigma, K);
    const product = multiplySeries(theta, k0, K);
    theta = k1.map((v, k) => v + product[k]!);
    sigma = k1;
  }
  return { nngp: sigma, ntk: theta, ntkAtOne: depth + 1 };
}

/** sum_k b_k rho^k (Horner). */
export function seriesValue(b: ArrayLike<number>, rho: number): number {
  let s = 0;
  for (let k = b.length - 1; k >= 0; k--) s = s * rho + b[k]!;
  return s;
}

/**
 * A bound on what a series with non-negative coefficients leaves out beyond its last term at |rho| <= r: with the full
 * sum at rho = 1 known (`atOne`), sum_(k > K) b_k |rho|^k <= (atOne - sum_(k <= K) b_k) r^(K+1).
 */
export function seriesTailBound(b: ArrayLike<number>, atOne: number, r: number): number {
  let partial = 0;
  for (let k = 0; k < b.length; k++) partial += b[k]!;
  return Math.max(0, atOne - partial) * r ** b.length;
}
