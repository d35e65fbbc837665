/** Power-law fits across widths with width-clustered t intervals, tail fits and the float32 floor guard. */
import { ALPHA, CONFIDENCE } from './level.ts';
import { mean, variance } from './moments.ts';
import { incompleteBeta, studentTCdf, studentTQuantile } from './student-t.ts';

/**
 * Power-law fits Q(n) ~ C n^p across widths, with intervals whose coverage is measured
 * (`npm run calibrate`, docs/results.md, "Verdict rules and their calibration").
 *
 * Model. Each cell is an independent network; y = log Q of that network. At width n_k the S_k values give a point
 * ybar_k on the log scale (the mean of the logs for the `geometric` estimand; the log of the mean, bias-corrected, for
 * `mean`) with sampling variance v_k (s_k^2 / S_k, or s_k^2 / (S_k mbar_k^2) by the delta method). The slope is the
 * ordinary least-squares slope of ybar_k on x_k = log n_k, p_hat = sum_k c_k ybar_k with c_k = (x_k - xbar) / Sxx.
 * Its variance is estimated width by width (clustered by width, so the noise may differ between widths) plus a
 * width-level component tau^2 (noise shared by all seeds at one width: one data set or batch per width):
 *     se^2 = sum_k c_k^2 (v_k + tau^2),
 * tau^2 by the method of moments from the least-squares residuals (0 when they are no larger than the seeds explain),
 * with Welch-Satterthwaite degrees of freedom in which the tau^2 term carries widths - 2. Without it, lack of fit
 * never widened the interval, and more seeds made coverage worse (86% at 8 seeds, 64% at 32 with shared noise).
 * The estimand is the effective exponent over the measured widths: the slope of the least-squares line through the
 * true log-estimands (for Q = C n^p times noise of a width-independent law, exactly p). Curvature (a crossover, a log
 * factor) shows as lack of fit, in the tail fit over the largest widths and in the local slopes.
 *
 * A percentile bootstrap over 3-8 seeds per width covered 77-91% at nominal 95% (the issue that
 * replaced it); this interval's coverage is in the calibration table.
 */
export interface WidthSeries {
  widths: number[];
  /** values[k] = the per-seed values at widths[k]. */
  values: number[][];
}

/** An estimate with a standard error and degrees of freedom (Infinity: a normal interval). */
export interface Estimate {
  estimate: number;
  se: number;
  df: number;
}

/** The two-sided interval of an estimate at `level` (t quantiles; a zero standard error gives a point). */
export function twoSidedInterval(e: Estimate, level = CONFIDENCE): [number, number] {
  const h = e.se === 0 ? 0 : studentTQuantile(1 - (1 - level) / 2, e.df) * e.se;
  return [e.estimate - h, e.estimate + h];
}

export interface SlopeInterval extends Estimate {
  /** Two-sided interval at CONFIDENCE. */
  ci: [number, number];
  level: number;
  /** One-sided bounds at 1 - ALPHA (what the verdicts compare with the claimed exponent). */
  lowerBound: number;
  upperBound: number;
  /** Widths the fit used. */
  widths: number[];
}

export interface LocalSlope extends SlopeInterval {
  from: number;
  to: number;
}

/**
 * Which value at each width the rate is about. `geometric`: the typical value exp(E[log Q]) (the mean of the logs; the
 * natural estimand for a quantity that concentrates on a log scale, and the default). `mean`: E[Q], fitted through the
 * log of each width's mean with a delta-method variance (and its O(1/S) bias removed): a claim about an expectation (a
 * moment, a mean kernel change) names it, because when the spread of log Q changes with width the two rates differ.
 */
export const ESTIMANDS = ['geometric', 'mean'] as const;
export type Estimand = (typeof ESTIMANDS)[number];

/** Lack of fit of the per-width points about the line: curvature, or noise shared by all seeds at one width. */
export interface LackOfFit {
  /**
   * F = RSS / sum_k (1 - h_kk) v_k: the residual sum of squares of the per-width points about their least-squares
   * line over what the seeds' variances predict for it (1 when the points scatter only as their seeds say).
   */
  F: number;
  /** Degrees of freedom: widths - 2, and Welch-Satterthwaite for the predicted part (from the seeds). */
  df: number;
  df2: number;
  /** P(F(df, df2) >= F) (NaN with fewer than 3 widths). */
  p: number;
  /**
   * Method-of-moments variance of a width-level effect (DerSimonian-Laird style, from the ordinary least-squares
   * residuals), 0 when the residuals are no larger than the seeds explain. It enters every interval of the fit with
   * `df` degrees of freedom.
   */
  tau2: number;
}

export interface RateFit {
  /** Fit over all widths: the effective exponent over the measured widths. */
  slope: SlopeInterval;
  /** Fit over the largest TAIL_WIDTHS widths, when there are more widths than that (else undefined). */
  tail?: SlopeInterval;
  /** log C of the fit (log scale of the estimand). */
  logPrefactor: number;
  local: LocalSlope[];
  /** What the fitted points estimate at each width. */
  estimand: Estimand;
  /** Per-width arithmetic mean of Q (what plots show). */
  means: number[];
  /** Per-width geometric mean of Q. */
  geometricMeans: number[];
  /** The per-width points the fit uses (exp of the log-scale points: geometric means, or bias-corrected means). */
  points: number[];
  /** Widths that entered the fit (all of the plan's widths: none is dropped on its outcome). */
  fitted: number[];
  /** Widths whose mean lies within FLOOR_FACTOR of the float32 floor model: the verdict is then inconclusive. */
  nearFloor: number[];
  /** Independent networks behind the fit. */
  networks: number;
  /** Smallest number of seeds at one width. */
  seedsPerWidth: number;
  /** Seeds at each width. */
  seeds: number[];
  /** Values that were not positive (a log-scale fit cannot use them). */
  nonPositive: number;
  /** Lack of fit of the points about the line (its tau2 is already in every interval). */
  lackOfFit: LackOfFit;
  /** The least-squares slope of the per-width medians of log Q (robust to a few bad cells; no interval). */
  medianSlope: number;
  /**
   * The trend of the spread of log Q with width: the weighted slope of log sd_k on log n and its two-sided p-value
   * (a significant trend separates the rate of the typical value from the rate of the mean).
   */
  spreadTrend: { slope: number; p: number; from: number; to: number };
  /** Values further than OUTLIER_MADS robust standard deviations (1.4826 MAD) of log Q from their width's median. */
  outliers: { width: number; value: number }[];
  /** The slope of the mean logs minus the same slope without the flagged values (how much they decide). */
  outlierShift: number;
  /** The standard error of that slope without the flagged values (seeds only). */
  keptSe: number;
  /** The slope and tail are paired fits over seeds matched across widths (pairedSlope), not width-clustered. */
  paired?: boolean;
}

/** The tail fit uses the largest this-many widths. */
export const TAIL_WIDTHS = 3;
/** A width whose mean is below FLOOR_FACTOR x the float32 floor model is too close to roundoff to judge. */
export const FLOOR_FACTOR = 10;
/** A value this many robust standard deviations of log Q from its width's median is flagged (chosen before use). */
export const OUTLIER_MADS = 5;

/** One width on the log scale: the estimate y of the log estimand, its sampling variance v, with df degrees of freedom.
 * */
interface WidthPoint {
  y: number;
  v: number;
  df: number;
}

function widthPoint(values: readonly number[], estimand: Estimand): WidthPoint {
  const S = values.length;
  if (estimand === 'geometric') {
    const logs = values.filter((v) => v > 0).map(Math.log);
    return { y: mean(logs), v: logs.length > 1 ? variance(logs) / logs.length : NaN, df: logs.length - 1 };
  }
  const m = mean(values);
  const s2 = S > 1 ? variance(values) : NaN;
  // log of the mean: delta method, with E[log mbar] = log mu - s^2 / (2 S mu^2) + O(S^-2) removed.
  return { y: Math.log(m) + s2 / (2 * S * m * m), v: s2 / (S * m * m), df: S - 1 };
}

/** What the width-level component of a fit is estimated from (all K widths): see `contrast`. */
interface SharedVariance {
  tau2: number;
  /** Residual sum of squares of the per-width points about their least-squares line, on K - 2 df. */
  rss: number;
  df: number;
  /** 1 - h_jj, the residual share of each width's sampling variance. */
  residualShare: number[];
}

/**
 * The interval of sum_k c_k y_k (c over all K widths, zero off the contrast): variance sum_k c_k^2 (v_k + tau^2).
 * With tau^2 > 0 the estimate C2 tau^2 (C2 = sum c_k^2) is C2 RSS / (K - 2) - (C2 / (K - 2)) sum_j (1 - h_jj) v_j, so
 * the Welch-Satterthwaite degrees of freedom count the RSS term (K - 2 df) and every width's variance (S_j - 1 df)
 * with its net coefficient c_j^2 - C2 (1 - h_jj) / (K - 2): an estimated tau^2 is as uncertain as the residuals it
 * comes from (with few widths, few degrees of freedom).
 */
function contrast(
  c: readonly number[],
  points: readonly WidthPoint[],
  widths: number[],
  shared?: SharedVariance,
): SlopeInterval {
  let estimate = 0;
  let v = 0;
  let denom = 0;
  const c2 = c.reduce((t, ck) => t + ck * ck, 0);
  const withShared = shared !== undefined && shared.tau2 > 0;
  points.forEach((p, k) => {
    estimate += c[k]! * p.y;
    const a = p.df > 0 ? c[k]! ** 2 * p.v : c[k] === 0 ? 0 : NaN;
    v += a;
    const net = withShared ? (c[k]! ** 2 - (c2 * shared.residualShare[k]!) / shared.df) * p.v : a;
    denom += p.df > 0 ? net ** 2 / p.df : 0;
  });
  if (withShared) {
    v += c2 * shared.tau2;
    denom += (c2 * shared.rss) ** 2 / shared.df ** 3;
  }
  const se = Math.sqrt(v);
  const ws = v === 0 ? Infinity : denom > 0 ? (v * v) / denom : NaN;
  // The Welch-Satterthwaite df of a positive combination is at least its smallest component's df. The tau^2 estimate
  // subtracts the seeds' share, and with negative net coefficients the formula can fall below 1 (at 3 widths the RSS
  // term has 1 df: intervals 1e43 wide). A t interval on less than one degree of freedom is no interval, so the df is
  // floored at 1, the RSS term's own df at 3 widths (docs/verdicts.md, "Three settings").
  const df = ws < 1 ? 1 : ws;
  const one = se === 0 ? 0 : studentTQuantile(1 - ALPHA, df) * se;
  return {
    estimate,
    se,
    df,
    ci: twoSidedInterval({ estimate, se, df }),
    level: CONFIDENCE,
    lowerBound: estimate - one,
    upperBound: estimate + one,
    widths,
  };
}

/** The interval of sum_k c_k ybar_k from per-width groups (means of independent values; no width-level term). */
function linearContrast(c: readonly number[], groups: readonly (readonly number[])[], widths: number[]): SlopeInterval {
  return contrast(
    c,
    groups.map((g) => ({ y: mean(g), v: g.length > 1 ? variance(g) / g.length : NaN, df: g.length - 1 })),
    widths,
  );
}

const olsWeights = (x: readonly number[]) => {
  const xbar = mean(x);
  const sxx = x.reduce((s, xi) => s + (xi - xbar) ** 2, 0);
  return x.map((xi) => (xi - xbar) / sxx);
};

/** The slope over widths[from..to) of the K points, with the width-level variance of all K. */
function slopeInterval(
  widths: number[],
  points: readonly WidthPoint[],
  shared?: SharedVariance,
  from = 0,
  to = widths.length,
): SlopeInterval {
  const w = olsWeights(widths.slice(from, to).map(Math.log));
  const c = widths.map((_, k) => (k >= from && k < to ? w[k - from]! : 0));
  return contrast(c, points, widths.slice(from, to), shared);
}

/**
 * Least squares of y on a polynomial of the given degree in x: the residuals and 1 - h_kk (the residual share of each
 * point's variance), by normal equations on centred, scaled x (degree <= 2, a handful of points).
 */
function polynomialResiduals(x: readonly number[], y: readonly number[], degree: number) {
  const xbar = mean(x);
  const scale = Math.max(...x.map((xi) => Math.abs(xi - xbar))) || 1;
  const rows = x.map((xi) => Array.from({ length: degree + 1 }, (_, j) => ((xi - xbar) / scale) ** j));
  const m = degree + 1;
  const G = Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => rows.reduce((t, r) => t + r[i]! * r[j]!, 0)),
  );
  const inverse = invertSmall(G);
  const Xty = Array.from({ length: m }, (_, i) => rows.reduce((t, r, k) => t + r[i]! * y[k]!, 0));
  const beta = inverse.map((row) => row.reduce((t, g, j) => t + g * Xty[j]!, 0));
  return rows.map((r, k) => ({
    residual: y[k]! - r.reduce((t, rj, j) => t + rj * beta[j]!, 0),
    share: 1 - r.reduce((t, ri, i) => t + ri * inverse[i]!.reduce((u, g, j) => u + g * r[j]!, 0), 0),
  }));
}

/** The inverse of a small symmetric positive definite matrix (Gauss-Jordan with partial pivoting). */
function invertSmall(A: number[][]): number[][] {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const d = M[c]![c]!;
    for (let j = 0; j < 2 * n; j++) M[c]![j]! /= d;
    for (let r = 0; r < n; r++)
      if (r !== c) {
        const f = M[r]![c]!;
        for (let j = 0; j < 2 * n; j++) M[r]![j]! -= f * M[c]![j]!;
      }
  }
  return M.map((row) => row.slice(n));
}

/**
 * The lack-of-fit test about the line (curvature or shared noise, either worth a warning) and the width-level variance
 * tau^2 in two forms: from the residuals about the line (every source of scatter: what the global fit and the local
 * slopes use, so support is never claimed on scatter the seeds do not explain), and, with at least 5 widths, from the
 * residuals about a quadratic in log n (scatter that smooth curvature cannot explain: what the tail fit uses, so a
 * crossover does not blunt the test built to catch it).
 */
function lackOfFit(
  widths: readonly number[],
  points: readonly WidthPoint[],
): LackOfFit & { shared?: SharedVariance; sharedBeyondCurvature?: SharedVariance } {
  const K = widths.length;
  const df = K - 2;
  if (df < 1) return { F: NaN, df, df2: NaN, p: NaN, tau2: 0 };
  const x = widths.map(Math.log);
  const y = points.map((p) => p.y);
  const moments = (degree: number) => {
    const fit = polynomialResiduals(x, y, degree);
    const rss = fit.reduce((t, r) => t + r.residual ** 2, 0);
    const expected = fit.reduce((t, r, k) => t + r.share * points[k]!.v, 0);
    const df2 = expected ** 2 / fit.reduce((t, r, k) => t + (r.share * points[k]!.v) ** 2 / points[k]!.df, 0);
    return { rss, expected, df2, residualShare: fit.map((r) => r.share), df: K - degree - 1 };
  };
  const line = moments(1);
  const F = line.rss / line.expected;
  const p = Number.isFinite(F) && line.df2 > 0 ? 1 - fCdf(F, df, line.df2) : NaN;
  const sharedOf = (m: ReturnType<typeof moments>): SharedVariance => ({
    tau2: Number.isFinite(m.expected) ? Math.max(0, (m.rss - m.expected) / m.df) : 0,
    rss: m.rss,
    df: m.df,
    residualShare: m.residualShare,
  });
  const shared = sharedOf(line);
  return {
    F,
    df,
    df2: line.df2,
    p,
    tau2: shared.tau2,
    shared,
    sharedBeyondCurvature: K >= 5 ? sharedOf(moments(2)) : shared,
  };
}

/** P(X <= f) for X ~ F(d1, d2). */
function fCdf(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 0;
  return incompleteBeta((d1 * f) / (d1 * f + d2), d1 / 2, d2 / 2);
}

/** The median (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * The trend of log sd_k of log Q on log n: the least-squares slope and its t test on K - 2 degrees of freedom from the
 * residual scatter (no normal-theory variance of log s, which heavy tails break).
 */
function spreadTrendOf(widths: readonly number[], logs: readonly (readonly number[])[]) {
  const keep = logs.map((g, k) => ({ k, g })).filter(({ g }) => g.length > 2 && variance(g) > 0);
  const sd = (g: readonly number[]) => Math.sqrt(variance(g));
  const first = logs[0] && logs[0].length > 1 ? sd(logs[0]) : NaN;
  const last = logs.at(-1) && logs.at(-1)!.length > 1 ? sd(logs.at(-1)!) : NaN;
  if (keep.length < 3) return { slope: NaN, p: NaN, from: first, to: last };
  const x = keep.map(({ k }) => Math.log(widths[k]!));
  const y = keep.map(({ g }) => Math.log(sd(g)));
  const slope = olsWeights(x).reduce((t, c, k) => t + c * y[k]!, 0);
  const xbar = mean(x);
  const sxx = x.reduce((t, xi) => t + (xi - xbar) ** 2, 0);
  const df = x.length - 2;
  const rss = polynomialResiduals(x, y, 1).reduce((t, r) => t + r.residual ** 2, 0);
  const se = Math.sqrt(rss / df / sxx);
  const p = se > 0 ? 2 * (1 - studentTCdf(Math.abs(slope / se), df)) : 0;
  return { slope, p, from: first, to: last };
}

/** The one-sided p-value of H0 "value >= b" (small when the value is surely below b). */
export function pBelow(s: Estimate, b: number): number {
  if (s.se === 0) return s.estimate < b ? 0 : 1;
  return studentTCdf((s.estimate - b) / s.se, s.df);
}

/** The one-sided p-value of H0 "value <= b" (small when the value is surely above b). */
export function pAbove(s: Estimate, b: number): number {
  if (s.se === 0) return s.estimate > b ? 0 : 1;
  return 1 - studentTCdf((s.estimate - b) / s.se, s.df);
}

export interface RateFitOptions {
  /** Per-width float32 floor model of the quantity, fixed before the data are seen. */
  floor?: (width: number) => number;
  /** What the rate is about (default geometric). */
  estimand?: Estimand;
}

export function fitRate(series: WidthSeries, options: RateFitOptions = {}): RateFit {
  const widths = series.widths;
  const estimand = options.estimand ?? 'geometric';
  const means = series.values.map(mean);
  const nonPositive = series.values.flat().filter((v) => !(v > 0)).length;
  const logs = series.values.map((g) => g.filter((v) => v > 0).map(Math.log));
  const geometricMeans = logs.map((g) => Math.exp(mean(g)));
  const nearFloor = options.floor ? widths.filter((n, k) => !(means[k]! > FLOOR_FACTOR * options.floor!(n))) : [];
  const points = series.values.map((g) => widthPoint(g, estimand));
  const { shared, sharedBeyondCurvature, ...lof } = lackOfFit(widths, points);
  const slope = slopeInterval(widths, points, shared);
  const K = widths.length;
  const tail = K > TAIL_WIDTHS ? slopeInterval(widths, points, sharedBeyondCurvature, K - TAIL_WIDTHS) : undefined;
  const local: LocalSlope[] = [];
  for (let k = 0; k + 1 < K; k++) {
    const s = slopeInterval(widths, points, shared, k, k + 2);
    local.push({ ...s, from: widths[k]!, to: widths[k + 1]! });
  }
  const x = widths.map(Math.log);
  const logPrefactor = mean(points.map((p) => p.y)) - slope.estimate * mean(x);
  const sizes = series.values.map((g) => g.length);
  const medians = logs.map((g) => (g.length ? median(g) : NaN));
  const medianSlope = medians.reduce((s, m, k) => s + olsWeights(x)[k]! * m, 0);
  const outliers: RateFit['outliers'] = [];
  const kept = logs.map((g, k) => {
    const spread = 1.4826 * median(g.map((y) => Math.abs(y - medians[k]!)));
    const flagged = (y: number) => spread > 0 && Math.abs(y - medians[k]!) > OUTLIER_MADS * spread;
    for (const y of g) if (flagged(y)) outliers.push({ width: widths[k]!, value: Math.exp(y) });
    return g.filter((y) => !flagged(y));
  });
  // How far the flagged values move the slope of the mean logs (0 when none is flagged).
  const logSlope = (groups: number[][]) => groups.reduce((t, g, k) => t + olsWeights(x)[k]! * mean(g), 0);
  const outlierShift = outliers.length ? logSlope(logs) - logSlope(kept) : 0;
  const keptSe = outliers.length ? linearContrast(olsWeights(x), kept, widths).se : slope.se;
  return {
    slope,
    tail,
    logPrefactor,
    local,
    estimand,
    means,
    geometricMeans,
    points: points.map((p) => Math.exp(p.y)),
    fitted: widths,
    nearFloor,
    networks: sizes.reduce((a, b) => a + b, 0),
    seedsPerWidth: sizes.length ? Math.min(...sizes) : 0,
    seeds: sizes,
    nonPositive,
    lackOfFit: lof,
    medianSlope,
    spreadTrend: spreadTrendOf(widths, logs),
    outliers,
    outlierShift,
    keptSe,
  };
}

/**
 * The paired fit, for seeds shared across widths (one seed's networks at every width share an offset: the same data,
 * the same initial draw scaled): values[k][i] is seed i at width k, every width holding the same seeds. Each seed's
 * least-squares slope of log Q on log n over the widths [from, to), then a t interval over seeds (S - 1 degrees of
 * freedom). A shared offset cancels within a seed, so the interval is as narrow as the within-seed noise allows
 * (the clustered interval, valid here too, counts the offset as noise: about twice as wide at a 3:1 offset).
 */
export function pairedSlope(series: WidthSeries, from = 0, to = series.widths.length): SlopeInterval {
  const widths = series.widths.slice(from, to);
  const S = series.values[0]?.length ?? 0;
  if (series.values.some((g) => g.length !== S)) throw new Error('a paired fit needs the same seeds at every width');
  const w = olsWeights(widths.map(Math.log));
  const slopes = Array.from({ length: S }, (_, i) =>
    widths.reduce((t, _n, k) => t + w[k]! * Math.log(series.values[from + k]![i]!), 0),
  );
  return { ...meanInterval(slopes), widths };
}

/**
 * A width-clustered fit with its slope and tail replaced by paired fits (seeds matched by index across widths; see
 * pairedSlope). Its diagnostics (lack of fit, local slopes, outliers) stay those of the clustered fit.
 */
export function withPairedSlopes(fit: RateFit, series: WidthSeries): RateFit {
  const K = series.widths.length;
  return {
    ...fit,
    paired: true,
    slope: pairedSlope(series),
    ...(fit.tail ? { tail: pairedSlope(series, K - TAIL_WIDTHS) } : {}),
  };
}

/** The t interval of a mean of independent values. */
export function meanInterval(values: readonly number[]): SlopeInterval {
  return linearContrast([1], [values], []);
}

/** Welch's interval of mean(b) - mean(a) for independent samples. */
export function meanDifference(a: readonly number[], b: readonly number[]): SlopeInterval {
  return linearContrast([-1, 1], [a, b], []);
}

/**
 * Extrapolate a distance to infinite width assuming d(n) = c + b n^p with p the claimed exponent:
 * least squares of the per-width means on n^p; the intercept c is a linear contrast of the means,
 * with the same width-clustered t interval as the slope.
 */
export function extrapolateToInfinity(series: WidthSeries, exponent: number): SlopeInterval {
  const z = series.widths.map((n) => n ** exponent);
  const zbar = mean(z);
  const szz = z.reduce((s, zi) => s + (zi - zbar) ** 2, 0);
  const K = z.length;
  // intercept = ybar_all - slope * zbar = sum_k (1/K - zbar (z_k - zbar) / szz) ybar_k
  return linearContrast(
    z.map((zk) => 1 / K - (zbar * (zk - zbar)) / szz),
    series.values,
    series.widths,
  );
}

/**
 * The ratio c E[Y] / E[X]^2 from B independent equal-size batches with batch means x_b, y_b: pooled means in the ratio
 * (bias O(1 / total samples), where a mean of per-batch ratios keeps the O(1 / batch size) bias of each), and a
 * delta-method standard error from the covariance of (x_b, y_b) across batches, with B - 1 degrees of freedom.
 */
export function momentRatioInterval(
  x: readonly number[],
  y: readonly number[],
  c = 1,
): { estimate: number; se: number; df: number } {
  const B = x.length;
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let b = 0; b < B; b++) {
    sxx += (x[b]! - mx) ** 2;
    syy += (y[b]! - my) ** 2;
    sxy += (x[b]! - mx) * (y[b]! - my);
  }
  const estimate = (c * my) / (mx * mx);
  const gx = (-2 * c * my) / mx ** 3;
  const gy = c / (mx * mx);
  const v = (gx * gx * sxx + gy * gy * syy + 2 * gx * gy * sxy) / (B - 1) / B;
  return { estimate, se: Math.sqrt(Math.max(0, v)), df: B - 1 };
}
