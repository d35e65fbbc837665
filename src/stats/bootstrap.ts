/** Percentile bootstrap intervals (and p-values) over independent groups, from addressed streams. */
import { RandomStream, type StreamAddress } from '../random/rng.ts';
import { quantile } from './moments.ts';

export interface Interval {
  estimate: number;
  ci: [number, number];
  level: number;
}

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  /** Address of the resampling stream: the same data and address give the same interval. */
  address: StreamAddress;
  /**
   * Also return `pAtLeast`: the percentile bootstrap p-value of "the statistic is >= atLeast",
   * (1 + #{resamples >= atLeast}) / (1 + #resamples), never below 1 / (resamples + 1).
   */
  atLeast?: number;
}

/**
 * Percentile bootstrap over independent groups: `groups[g]` holds the replicates (seeds) of group g
 * (a width), each group is resampled with replacement on its own, and `statistic` maps the resampled
 * groups to a number. Resamples whose statistic is not finite are dropped and counted.
 */
export function groupedBootstrap(
  groups: readonly (readonly number[])[],
  statistic: (groups: readonly (readonly number[])[]) => number,
  options: BootstrapOptions,
): Interval & { dropped: number; pAtLeast?: number } {
  const B = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const rng = new RandomStream(options.address, 'bootstrap');
  const values: number[] = [];
  let dropped = 0;
  for (let b = 0; b < B; b++) {
    const resampled = groups.map((g) => g.map(() => g[Math.floor(rng.uniform() * g.length)]!));
    const v = statistic(resampled);
    if (Number.isFinite(v)) values.push(v);
    else dropped++;
  }
  const alpha = (1 - level) / 2;
  return {
    estimate: statistic(groups),
    ci: values.length ? [quantile(values, alpha), quantile(values, 1 - alpha)] : [NaN, NaN],
    level,
    dropped,
    ...(options.atLeast === undefined
      ? {}
      : { pAtLeast: (1 + values.filter((v) => v >= options.atLeast!).length) / (1 + values.length) }),
  };
}
