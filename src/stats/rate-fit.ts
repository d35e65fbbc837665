import type { StreamAddress } from '../engine/rng.ts';
import { groupedBootstrap, type Interval } from './bootstrap.ts';
import { linearFit, mean } from './moments.ts';

/**
 * Power-law fits Q(n) ~ C n^p across widths. Each width holds one value of Q per seed; the fit is
 * ordinary least squares of log(mean_seeds Q) on log n, and the confidence interval of the slope
 * comes from resampling seeds independently within each width (the cells are independent networks).
 * Local slopes between consecutive widths, log(Q_{k+1}/Q_k) / log(n_{k+1}/n_k), get their own intervals.
 */
export interface WidthSeries {
  widths: number[];
  /** values[k] = the per-seed values at widths[k]. */
  values: number[][];
}

export interface LocalSlope extends Interval {
  from: number;
  to: number;
}

export interface RateFit {
  slope: Interval;
  /** log C of Q ~ C n^p at the point estimate. */
  logPrefactor: number;
  local: LocalSlope[];
  /** Per-width mean of Q, the points the fit used. */
  means: number[];
  /** Widths that entered the fit (above the float32 floor). */
  fitted: number[];
  /** Widths left out because the mean was below the float32 floor. */
  belowFloor: number[];
}

function slopeOf(widths: readonly number[], groups: readonly (readonly number[])[]): number {
  const logN = widths.map(Math.log);
  const logQ = groups.map((g) => Math.log(mean(g)));
  return linearFit(logN, logQ).slope;
}

export interface RateFitOptions {
  address: StreamAddress;
  resamples?: number;
  /** Per-width float32 floor of the quantity: widths whose mean is below floorFactor x floor are not fitted. */
  floor?: (width: number) => number;
  floorFactor?: number;
}

export function fitRate(series: WidthSeries, options: RateFitOptions): RateFit {
  const means = series.values.map(mean);
  const factor = options.floorFactor ?? 10;
  const keep = series.widths.map((n, k) => !options.floor || means[k]! > factor * options.floor(n));
  const widths = series.widths.filter((_, k) => keep[k]);
  const groups = series.values.filter((_, k) => keep[k]);
  const belowFloor = series.widths.filter((_, k) => !keep[k]);
  const resamples = options.resamples ?? 2000;
  const slope =
    widths.length >= 2
      ? groupedBootstrap(groups, (g) => slopeOf(widths, g), { address: { ...options.address, fit: 'slope' }, resamples })
      : { estimate: NaN, ci: [NaN, NaN] as [number, number], level: 0.95 };
  const logPrefactor = widths.length >= 2 ? linearFit(widths.map(Math.log), groups.map((g) => Math.log(mean(g)))).intercept : NaN;
  const local: LocalSlope[] = [];
  for (let k = 0; k + 1 < widths.length; k++) {
    const pair = [widths[k]!, widths[k + 1]!];
    const r = groupedBootstrap([groups[k]!, groups[k + 1]!], (g) => slopeOf(pair, g), {
      address: { ...options.address, fit: 'local', from: pair[0]!, to: pair[1]! },
      resamples,
    });
    local.push({ from: pair[0]!, to: pair[1]!, estimate: r.estimate, ci: r.ci, level: r.level });
  }
  return { slope: { estimate: slope.estimate, ci: slope.ci, level: slope.level }, logPrefactor, local, means, fitted: widths, belowFloor };
}

/**
 * Extrapolate a distance to infinite width assuming d(n) = c + b n^p with p the claimed exponent:
 * OLS of d on n^p, bootstrap over seeds within widths. Returns the intercept c with its CI.
 */
export function extrapolateToInfinity(series: WidthSeries, exponent: number, address: StreamAddress, resamples = 2000): Interval {
  const x = series.widths.map((n) => n ** exponent);
  const r = groupedBootstrap(series.values, (g) => linearFit(x, g.map(mean)).intercept, { address: { ...address, fit: 'limit' }, resamples });
  return { estimate: r.estimate, ci: r.ci, level: r.level };
}
