/** Power-law fits across widths with width-clustered t intervals, tail fits and the float32 floor guard. */
import { ALPHA, CONFIDENCE } from './level.ts';
import { mean, variance } from './moments.ts';
import { studentTCdf, studentTQuantile } from './student-t.ts';

/**
 * Power-law fits Q(n) ~ C n^p across widths, with intervals whose coverage is measured
 * (`npm run calibrate`, docs/results.md, "Verdict rules and their calibration").
 *
 * Model. Each cell is an independent network; y = log Q of that network. At width n_k the S_k values
 * have mean ybar_k and variance s_k^2. The slope is the ordinary least-squares slope of ybar_k on
 * x_k = log n_k, p_hat = sum_k c_k ybar_k with c_k = (x_k - xbar) / Sxx. Its variance is estimated
 * width by width (clustered by width, so it allows the noise to differ between widths):
 *     se^2 = sum_k c_k^2 s_k^2 / S_k,
 * with Welch-Satterthwaite degrees of freedom df = (sum a_k)^2 / sum a_k^2 / (S_k - 1), a_k = c_k^2 s_k^2 / S_k,
 * and t quantiles. The estimand is the effective exponent over the measured widths: the slope of the
 * least-squares line through the true log-means (for Q = C n^p times noise of a width-independent
 * law, exactly p). Lack of fit (a crossover) is not noise and does not widen the interval; it is seen
 * in the tail fit over the largest widths and in the local slopes, which the verdict rules use.
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

export interface RateFit {
  /** Fit over all widths. */
  slope: SlopeInterval;
  /** Fit over the largest TAIL_WIDTHS widths, when there are more widths than that (else undefined). */
  tail?: SlopeInterval;
  /** log C of the fit (log-mean scale). */
  logPrefactor: number;
  local: LocalSlope[];
  /** Per-width arithmetic mean of Q (what plots show). */
  means: number[];
  /** Per-width geometric mean of Q (the points the fit uses). */
  geometricMeans: number[];
  /** Widths that entered the fit (all of the plan's widths: none is dropped on its outcome). */
  fitted: number[];
  /** Widths whose mean lies within FLOOR_FACTOR of the float32 floor model: the verdict is then inconclusive. */
  nearFloor: number[];
  /** Independent networks behind the fit. */
  networks: number;
  /** Smallest number of seeds at one width. */
  seedsPerWidth: number;
  /** Values that were not positive (a log-scale fit cannot use them). */
  nonPositive: number;
}

/** The tail fit uses the largest this-many widths. */
export const TAIL_WIDTHS = 3;
/** A width whose mean is below FLOOR_FACTOR x the float32 floor model is too close to roundoff to judge. */
export const FLOOR_FACTOR = 10;

/** The interval of sum_k c_k ybar_k from per-width means and variances. */
function linearContrast(c: readonly number[], groups: readonly (readonly number[])[], widths: number[]): SlopeInterval {
  let estimate = 0;
  let v = 0;
  let denom = 0;
  groups.forEach((g, k) => {
    estimate += c[k]! * mean(g);
    const a = g.length > 1 ? (c[k]! ** 2 * variance(g)) / g.length : c[k] === 0 ? 0 : NaN;
    v += a;
    denom += g.length > 1 ? a ** 2 / (g.length - 1) : 0;
  });
  const se = Math.sqrt(v);
  const df = v === 0 ? Infinity : denom > 0 ? (v * v) / denom : NaN;
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

function slopeInterval(widths: number[], logGroups: readonly (readonly number[])[]): SlopeInterval {
  const x = widths.map(Math.log);
  const xbar = mean(x);
  const sxx = x.reduce((s, xi) => s + (xi - xbar) ** 2, 0);
  return linearContrast(
    x.map((xi) => (xi - xbar) / sxx),
    logGroups,
    widths,
  );
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
}

export function fitRate(series: WidthSeries, options: RateFitOptions = {}): RateFit {
  const widths = series.widths;
  const means = series.values.map(mean);
  const nonPositive = series.values.flat().filter((v) => !(v > 0)).length;
  const logs = series.values.map((g) => g.filter((v) => v > 0).map(Math.log));
  const geometricMeans = logs.map((g) => Math.exp(mean(g)));
  const nearFloor = options.floor ? widths.filter((n, k) => !(means[k]! > FLOOR_FACTOR * options.floor!(n))) : [];
  const slope = slopeInterval(widths, logs);
  const tail =
    widths.length > TAIL_WIDTHS ? slopeInterval(widths.slice(-TAIL_WIDTHS), logs.slice(-TAIL_WIDTHS)) : undefined;
  const local: LocalSlope[] = [];
  for (let k = 0; k + 1 < widths.length; k++) {
    const s = slopeInterval([widths[k]!, widths[k + 1]!], [logs[k]!, logs[k + 1]!]);
    local.push({ ...s, from: widths[k]!, to: widths[k + 1]! });
  }
  const x = widths.map(Math.log);
  const logPrefactor = mean(logs.map(mean)) - slope.estimate * mean(x);
  const sizes = series.values.map((g) => g.length);
  return {
    slope,
    tail,
    logPrefactor,
    local,
    means,
    geometricMeans,
    fitted: widths,
    nearFloor,
    networks: sizes.reduce((a, b) => a + b, 0),
    seedsPerWidth: sizes.length ? Math.min(...sizes) : 0,
    nonPositive,
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
