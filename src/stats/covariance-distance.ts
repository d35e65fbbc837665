/**
 * Is a sample covariance within a relative Frobenius distance `tol` of a reference covariance? A parametric bootstrap-t
 * at points of the null boundary (issue 23's gp-covariance redesign; calibrated by
 * `npx tsx bench/gp-covariance-designs.ts`, docs/calibration-gp-covariance.md).
 */
import { symmetricEigen, type Dense } from '../numeric/linalg.ts';
import { chiSquare } from '../random/distributions.ts';
import { RandomStream, type StreamAddress } from '../random/rng.ts';
import { ALPHA } from './level.ts';

/**
 * The statistic. For E rows with sample covariance S (divisor E - 1) against a reference Sigma,
 *   D = ||S - Sigma||_F^2 - ((tr S)^2 + ||S||_F^2) / (E - 1),
 * which is unbiased for ||Cov - Sigma||_F^2 when the rows are Gaussian (the subtracted term is the Gaussian expectation
 * of ||S - Cov||_F^2, sum_ij (S_ii S_jj + S_ij^2) / (E - 1), written with invariants). The relative distance reported
 * is sqrt(max(D, 0)) / ||Sigma||_F.
 *
 * The test. H0: the relative distance delta = ||Cov - Sigma||_F / ||Sigma||_F is at least tol. It is composite, and
 * D's spread differs a lot across it: to leading order Var D = 8 tr(Delta Cov Delta Cov) / nu + 4 ((tr Cov^2)^2 +
 * tr Cov^4) / nu^2 (Delta = Cov - Sigma, nu = E - 1), largest for Delta along Sigma's top eigenvector. Calibrated at
 * that least favourable point, D itself had the right size but little power (a covariance equal to Sigma supported
 * 29% of the time at 768 rows), because D near 0 is unremarkable where D is widest. So the test is a bootstrap-t:
 * T = (D - tol^2 ||Sigma||^2) / se, se the plug-in of the variance above (Cov -> S, Delta -> S - Sigma), and its null
 * law is drawn at three boundary points diagonal in Sigma's eigenbasis (Sigma + r v1 v1^T, Sigma - r v1 v1^T where it
 * stays positive semi-definite, and (1 + tol) Sigma); each p-value is the largest of the three. pSupport = P(T* <= T),
 * pRefute = P(T* >= T). The rows' sample covariance is drawn from its Wishart law by the Bartlett decomposition, in
 * Sigma's eigenbasis (D and se are rotation invariant), so a resample costs O(p^3) whatever E is. The bounds invert
 * the tests over delta (common random numbers, bisection): upper = the smallest delta whose pSupport is <= alpha,
 * lower = the largest whose pRefute is <= alpha (0 if none).
 *
 * What it assumes: Gaussian rows (a trained ensemble at finite width is close to, not exactly, Gaussian: the
 * calibration measures the effect of excess kurtosis, and the verdict reports the ensemble's), independent rows, and
 * Sigma known exactly. Calibration: `npx tsx bench/gp-covariance-designs.ts` (docs/calibration-gp-covariance.md).
 */
export interface CovarianceDistanceTest {
  /** Rows (networks). */
  networks: number;
  /** sqrt(max(D, 0)) / ||Sigma||_F. */
  estimate: number;
  /** D / ||Sigma||_F^2 (unbiased for delta^2; may be negative). */
  excess: number;
  /** Relative size of the subtracted noise term, sqrt(((tr S)^2 + ||S||_F^2) / (E - 1)) / ||Sigma||_F. */
  noise: number;
  /** P(D* <= D) at the boundary delta = tol: small when the distance is surely below tol. */
  pSupport: number;
  /** P(D* >= D) at the boundary: small when the distance is surely above tol. */
  pRefute: number;
  /** One-sided 1 - alpha bounds on delta, by inverting the tests. */
  lower: number;
  upper: number;
}

export interface CovarianceDistanceOptions {
  tol: number;
  address: StreamAddress;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  alpha?: number;
}

/** Sample covariance (divisor E - 1) of the rows of F. */
export function sampleCovariance(F: readonly (readonly number[])[]): Dense {
  const E = F.length;
  const p = F[0]!.length;
  const mean = Array.from({ length: p }, (_, j) => F.reduce((s, r) => s + r[j]!, 0) / E);
  return Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => F.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / (E - 1)),
  );
}

/** D = ||S - Sigma||_F^2 - ((tr S)^2 + ||S||_F^2) / (E - 1) and its subtracted term. */
export function covarianceExcess(S: Dense, Sigma: Dense, E: number): { excess: number; noise2: number } {
  let dist2 = 0;
  let frob2 = 0;
  let trace = 0;
  S.forEach((row, i) => {
    trace += row[i]!;
    row.forEach((v, j) => {
      dist2 += (v - Sigma[i]![j]!) ** 2;
      frob2 += v * v;
    });
  });
  const noise2 = (trace * trace + frob2) / (E - 1);
  return { excess: dist2 - noise2, noise2 };
}

/**
 * B draws of W / nu with W ~ Wishart_p(I, nu) (Bartlett: W = A A^T, A lower triangular, A_ii^2 ~ chi^2(nu - i),
 * i = 0..p-1, A_ij ~ N(0, 1) below the diagonal), each packed row-major in a Float64Array of p * p.
 */
export function wishartDraws(rng: RandomStream, p: number, nu: number, B: number): Float64Array[] {
  const out: Float64Array[] = [];
  const A = new Float64Array(p * p);
  for (let b = 0; b < B; b++) {
    A.fill(0);
    for (let i = 0; i < p; i++) {
      A[i * p + i] = Math.sqrt(chiSquare(rng, nu - i));
      for (let j = 0; j < i; j++) A[i * p + j] = rng.normal();
    }
    const W = new Float64Array(p * p);
    for (let i = 0; i < p; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += A[i * p + k]! * A[j * p + k]!;
        W[i * p + j] = W[j * p + i] = s / nu;
      }
    out.push(W);
  }
  return out;
}

/** Resolution of the bounds in relative distance (a tenth of a percent). */
export const BOUND_RESOLUTION = 1e-3;

/** A null direction, diagonal in Sigma's eigenbasis (unit Frobenius norm). */
export type NullDirection = 'top+' | 'top-' | 'scale';
export const NULL_DIRECTIONS: readonly NullDirection[] = ['top+', 'top-', 'scale'];

/** D and its plug-in standard error from the traces `studentized` and `nullDrawTraces` compute. */
function excessAndSe(t: Traces, nu: number) {
  const excess = t.dist2 - (t.trace * t.trace + t.frob2) / nu;
  const se = Math.sqrt(Math.max(0, (8 * t.trMM) / nu + (4 * (t.frob2 * t.frob2 + t.trS4)) / (nu * nu)));
  return { excess, se };
}

/**
 * D and its Gaussian plug-in standard error for a covariance S of E rows against Sigma, both given in one basis (p x p
 * row-major): Var D ~ 8 tr(Delta C Delta C) / nu + 4 ((tr C^2)^2 + tr C^4) / nu^2 (nu = E - 1, Delta = C - Sigma;
 * the second term is the variance of ||S - C||_F^2, a Gaussian quadratic form), with C and Delta replaced by S and
 * S - Sigma.
 */
export function studentized(S: Float64Array, Sigma: Float64Array, p: number, nu: number, M: Float64Array) {
  let dist2 = 0;
  let frob2 = 0;
  let trace = 0;
  for (let i = 0; i < p; i++) {
    trace += S[i * p + i]!;
    for (let j = 0; j < p; j++) {
      const s = S[i * p + j]!;
      const e = s - Sigma[i * p + j]!;
      dist2 += e * e;
      frob2 += s * s;
    }
  }
  // M = (S - Sigma) S; tr(Delta S Delta S) = tr(M M). S^2 for tr S^4 = ||S^2||_F^2.
  let trMM = 0;
  let trS4 = 0;
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let m = 0;
      let q = 0;
      for (let k = 0; k < p; k++) {
        m += (S[i * p + k]! - Sigma[i * p + k]!) * S[k * p + j]!;
        q += S[i * p + k]! * S[k * p + j]!;
      }
      M[i * p + j] = m;
      trS4 += q * q;
    }
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) trMM += M[i * p + j]! * M[j * p + i]!;
  return excessAndSe({ dist2, frob2, trace, trMM, trS4 }, nu);
}

/**
 * The traces `excessAndSe` reads; `trMM` = tr(((S - Lambda) S)^2) = tr S^4 - 2 tr(Lambda S^3) + tr(Lambda S Lambda S).
 */
type Traces = { dist2: number; frob2: number; trace: number; trMM: number; trS4: number };

/**
 * A null draw's statistics as polynomials in the null's one parameter, so each delta the bisection tries costs O(1)
 * per draw instead of O(p^3). In Sigma's eigenbasis (Lambda = diag(lambda), ascending) a null draw is
 * S* = diag(g) W diag(g), W a Wishart draw over nu and g_i^2 = lambda_i + r u_i.
 *   scale: u = lambda / ||lambda||, so S* = c A with A = Lambda^(1/2) W Lambda^(1/2) and c = 1 + r / ||lambda||:
 *          tr S*^4 = c^4 tr A^4, tr(Lambda S*^3) = c^3 tr(Lambda A^3),
 *          tr(Lambda S* Lambda S*) = c^2 tr(Lambda A Lambda A).
 *   top+-: only g_top moves. With A the leading (p-1) x (p-1) block of Lambda^(1/2) W Lambda^(1/2), b_i =
 *          sqrt(lambda_i) W_i,top, w = W_top,top and G = g_top^2 = lambda_top +- r, S* = [[A, g b], [g b^T, G w]],
 *          S*^2 = [[A^2 + G b b^T, g (A b + G w b)], [., G b^T b + G^2 w^2]], and S*^3's diagonal blocks give
 *          tr(Lambda S*^3) = tr(Lambda' A^3) + 2 G b^T Lambda' A b + G^2 w b^T Lambda' b
 *                            + lambda_top (G b^T A b + 2 G^2 w b^T b + G^3 w^3)   (Lambda' the leading block).
 * The coefficients are traces of A, b and Lambda, computed once per draw; test/stats/covariance-distance.test.ts
 * checks the polynomials against the direct products at random draws, a singular Sigma, p = 1 and the cone's edge.
 */
export function nullDrawTraces(
  W: Float64Array,
  lambda: readonly number[],
): { scale: (c: number) => Traces; top: (G: number) => Traces } {
  const p = lambda.length;
  const h = lambda.map((l) => Math.sqrt(l));
  const A = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) A[i * p + j] = h[i]! * h[j]! * W[i * p + j]!;
  const A2 = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let q = 0;
      for (let k = 0; k < p; k++) q += A[i * p + k]! * A[k * p + j]!;
      A2[i * p + j] = q;
    }
  // The whole of A (scale).
  let tA = 0;
  let fA = 0;
  let lamDiag = 0;
  let lamLam = 0;
  let fA2 = 0;
  let lamA3 = 0;
  for (let i = 0; i < p; i++) {
    tA += A[i * p + i]!;
    lamDiag += lambda[i]! * A[i * p + i]!;
    for (let j = 0; j < p; j++) {
      const a = A[i * p + j]!;
      fA += a * a;
      lamLam += lambda[i]! * lambda[j]! * a * a;
      fA2 += A2[i * p + j]! ** 2;
      lamA3 += lambda[i]! * A2[i * p + j]! * A[j * p + i]!;
    }
  }
  const lam2 = lambda.reduce((s, l) => s + l * l, 0);
  // The leading block (top+-): its square is A2's block less a a^T, a the last column of A.
  const t = p - 1;
  const lt = lambda[t]!;
  const w = W[t * p + t]!;
  const b = Array.from({ length: t }, (_, i) => h[i]! * W[i * p + t]!);
  let tB = 0;
  let fB = 0;
  let dB = 0;
  let lamLamB = 0;
  let fB2 = 0;
  let lamB3 = 0;
  for (let i = 0; i < t; i++) {
    tB += A[i * p + i]!;
    for (let j = 0; j < t; j++) {
      const a = A[i * p + j]!;
      const e = i === j ? a - lambda[i]! : a;
      fB += a * a;
      dB += e * e;
      lamLamB += lambda[i]! * lambda[j]! * a * a;
    }
  }
  const Ab = new Float64Array(t);
  for (let i = 0; i < t; i++) {
    let q = 0;
    for (let j = 0; j < t; j++) {
      const sq = A2[i * p + j]! - A[i * p + t]! * A[j * p + t]!;
      fB2 += sq * sq;
      lamB3 += lambda[i]! * sq * A[j * p + i]!;
      q += A[i * p + j]! * b[j]!;
    }
    Ab[i] = q;
  }
  let bb = 0;
  let bAb = 0;
  let Ab2 = 0;
  let bLamAb = 0;
  let bLamb = 0;
  for (let i = 0; i < t; i++) {
    bb += b[i]! * b[i]!;
    bAb += b[i]! * Ab[i]!;
    Ab2 += Ab[i]! * Ab[i]!;
    bLamAb += lambda[i]! * b[i]! * Ab[i]!;
    bLamb += lambda[i]! * b[i]! * b[i]!;
  }
  return {
    scale: (c) => {
      const trS4 = c ** 4 * fA2;
      return {
        dist2: c * c * fA - 2 * c * lamDiag + lam2,
        frob2: c * c * fA,
        trace: c * tA,
        trS4,
        trMM: trS4 - 2 * c ** 3 * lamA3 + c * c * lamLam,
      };
    },
    top: (G) => {
      const corner = G * bb + G * G * w * w;
      const trS4 =
        fB2 + 2 * G * Ab2 + G * G * bb * bb + 2 * G * (Ab2 + 2 * G * w * bAb + G * G * w * w * bb) + corner ** 2;
      const lamS3 = lamB3 + 2 * G * bLamAb + G * G * w * bLamb + lt * (G * bAb + 2 * G * G * w * bb + G ** 3 * w ** 3);
      const lamSLamS = lamLamB + 2 * lt * G * bLamb + lt * lt * G * G * w * w;
      return {
        dist2: dB + 2 * G * bb + (G * w - lt) ** 2,
        frob2: fB + 2 * G * bb + G * G * w * w,
        trace: tB + G * w,
        trS4,
        trMM: trS4 - 2 * lamS3 + lamSLamS,
      };
    },
  };
}

export function covarianceDistanceTest(
  F: readonly (readonly number[])[],
  Sigma: Dense,
  options: CovarianceDistanceOptions & {
    directions?: readonly NullDirection[];
    /** Compute the bounds (default true; a calibration reads coverage from `pAt` instead, by duality). */
    bounds?: boolean;
    /** Also return pSupport at this relative distance (the upper bound is below it iff pAt <= alpha). */
    at?: number;
  },
): CovarianceDistanceTest & { pAt?: number } {
  const E = F.length;
  const p = Sigma.length;
  const nu = E - 1;
  const alpha = options.alpha ?? ALPHA;
  const scale2 = Sigma.flat().reduce((s, v) => s + v * v, 0);
  const S = sampleCovariance(F);
  const observed = covarianceExcess(S, Sigma, E);
  const M = new Float64Array(p * p);
  const obs = studentized(Float64Array.from(S.flat()), Float64Array.from(Sigma.flat()), p, nu, M);
  // Sigma's eigenbasis: Lambda (ascending, clamped at 0); each null covariance is Lambda + r u, u diagonal.
  const lambda = symmetricEigen(Sigma).values.map((l) => Math.max(l, 0));
  const lambdaNorm = Math.hypot(...lambda);
  const directions = options.directions ?? NULL_DIRECTIONS;
  const draws = wishartDraws(
    new RandomStream(options.address, 'covariance-distance'),
    p,
    nu,
    options.resamples ?? 2000,
  );
  const B = draws.length;
  const traces = draws.map((W) => nullDrawTraces(W, lambda));
  // The studentized statistic T = (D - delta^2 ||Sigma||^2) / se, observed and under each null at delta.
  const tObserved = (delta: number) => (obs.excess - delta * delta * scale2) / obs.se;
  // Sigma + r u at each null direction u (unit Frobenius norm): a scale, or the top eigenvalue moved by +-r.
  const at = (tr: (typeof traces)[number], direction: NullDirection, r: number) => {
    switch (direction) {
      case 'top+':
        return tr.top(lambda[p - 1]! + r);
      case 'top-':
        return tr.top(Math.max(0, lambda[p - 1]! - r));
      case 'scale':
        return tr.scale(1 + r / lambdaNorm);
    }
  };
  const nullT = (delta: number, direction: NullDirection): number[] => {
    const r = delta * Math.sqrt(scale2);
    return traces.map((tr) => {
      const t = excessAndSe(at(tr, direction, r), nu);
      return (t.excess - delta * delta * scale2) / t.se;
    });
  };
  // p-values at delta: the largest over the null directions (each a boundary point; none is known to be least
  // favourable for the studentized statistic, so all are tried).
  const cache = new Map<number, { below: number; above: number }>();
  const pValues = (delta: number) => {
    let c = cache.get(delta);
    if (!c) {
      const t = tObserved(delta);
      c = { below: 0, above: 0 };
      for (const direction of directions) {
        // top- leaves the positive semi-definite cone beyond r = lambda_top: no boundary point there.
        if (direction === 'top-' && delta * Math.sqrt(scale2) > lambda[p - 1]!) continue;
        const x = nullT(delta, direction);
        c.below = Math.max(c.below, (1 + x.filter((v) => v <= t).length) / (B + 1));
        c.above = Math.max(c.above, (1 + x.filter((v) => v >= t).length) / (B + 1));
      }
      cache.set(delta, c);
    }
    return c;
  };
  const pBelow = (delta: number) => pValues(delta).below;
  const pAbove = (delta: number) => pValues(delta).above;
  // Bisection over delta in [0, hi] for a p-value crossing alpha (monotone in expectation, common random numbers),
  // to BOUND_RESOLUTION in delta.
  const cross = (pOf: (delta: number) => number, decreasing: boolean): number => {
    let lo = 0;
    let hi = Math.max(0.5, 4 * Math.sqrt(Math.max(obs.excess, 0) / scale2));
    while (decreasing ? pOf(hi) > alpha : pOf(hi) <= alpha) {
      hi *= 2;
      if (hi > 1e6) return decreasing ? Infinity : hi;
    }
    while (hi - lo > BOUND_RESOLUTION) {
      const mid = (lo + hi) / 2;
      if (decreasing ? pOf(mid) > alpha : pOf(mid) <= alpha) lo = mid;
      else hi = mid;
    }
    return decreasing ? hi : lo;
  };
  return {
    networks: E,
    estimate: Math.sqrt(Math.max(observed.excess, 0) / scale2),
    excess: observed.excess / scale2,
    noise: Math.sqrt(observed.noise2 / scale2),
    pSupport: pBelow(options.tol),
    pRefute: pAbove(options.tol),
    upper: options.bounds === false ? NaN : pBelow(0) <= alpha ? 0 : cross(pBelow, true),
    lower: options.bounds === false ? NaN : pAbove(0) > alpha ? 0 : cross(pAbove, false),
    ...(options.at === undefined ? {} : { pAt: pBelow(options.at) }),
  };
}
