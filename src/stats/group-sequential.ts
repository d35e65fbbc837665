/**
 * Group-sequential boundaries by alpha spending (Lan & DeMets 1983): a one-sided test looked at K times on growing data
 * whose false-rejection probability over all looks is at most alpha. The boundaries are exact for the canonical joint
 * distribution (Jennison & Turnbull 2000, ch. 3 and 19): Z_k = W(t_k) / sqrt(t_k) for a Brownian motion W and
 * information fractions t_1 < ... < t_K = 1, computed by recursive numerical integration of W's density on the
 * continuation region.
 */
import { unreachable } from '../errors.ts';
import { normalCdf, studentTQuantile } from './student-t.ts';

/** The spending functions tdlv offers: O'Brien-Fleming-type (spends little early) and Pocock-type (evenly). */
export const SPENDING_FUNCTIONS = ['obrien-fleming', 'pocock'] as const;
export type Spending = (typeof SPENDING_FUNCTIONS)[number];

const zq = (p: number) => studentTQuantile(p, Infinity);
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** The type I error spent by information fraction t in [0, 1] (alpha at t = 1; Lan & DeMets 1983). */
export function spent(spending: Spending, alpha: number, t: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  switch (spending) {
    case 'obrien-fleming':
      return 2 * (1 - normalCdf(zq(1 - alpha / 2) / Math.sqrt(t)));
    case 'pocock':
      return alpha * Math.log(1 + (Math.E - 1) * t);
    default:
      return unreachable(spending, 'spending function');
  }
}

/** W's sub-density on the continuation region at one look: grid points w, their Simpson weights and density values. */
interface Density {
  w: number[];
  weight: number[];
  g: number[];
}

/** Grid points per look (odd, for Simpson's rule): boundaries agree with published tables to 1e-4 at this size. */
const GRID = 801;
/** The grid's lower end, in standard deviations of W(t): the mass below it is 6e-16. */
const LOWER_SD = 8;

function simpsonGrid(lo: number, hi: number): { w: number[]; weight: number[] } {
  const h = (hi - lo) / (GRID - 1);
  const w = Array.from({ length: GRID }, (_, i) => lo + i * h);
  const weight = w.map((_, i) => ((i === 0 || i === GRID - 1 ? 1 : i % 2 ? 4 : 2) * h) / 3);
  return { w, weight };
}

/** P(W(t) > b and the path continued to this look) from the previous look's density (or from 0 at the first look). */
function exitAbove(previous: Density | null, t: number, tPrev: number, b: number): number {
  if (!previous) return 1 - normalCdf(b / Math.sqrt(t));
  const sd = Math.sqrt(t - tPrev);
  let sum = 0;
  for (let i = 0; i < previous.w.length; i++)
    sum += previous.weight[i]! * previous.g[i]! * (1 - normalCdf((b - previous.w[i]!) / sd));
  return sum;
}

function continueBelow(previous: Density | null, t: number, tPrev: number, b: number): Density {
  const { w, weight } = simpsonGrid(-LOWER_SD * Math.sqrt(t), b);
  if (!previous) return { w, weight, g: w.map((x) => phi(x / Math.sqrt(t)) / Math.sqrt(t)) };
  const sd = Math.sqrt(t - tPrev);
  const g = w.map((x) => {
    let sum = 0;
    for (let i = 0; i < previous.w.length; i++)
      sum += previous.weight[i]! * previous.g[i]! * phi((x - previous.w[i]!) / sd);
    return sum / sd;
  });
  return { w, weight, g };
}

export interface Boundaries {
  spending: Spending;
  alpha: number;
  /** Information fractions of the looks (increasing, the last 1). */
  times: number[];
  /** Critical values on the z scale: reject at look k when Z_k >= z[k]. */
  z: number[];
  /** Nominal one-sided levels 1 - Phi(z[k]): reject at look k when that look's p-value is at most nominal[k]. */
  nominal: number[];
  /** Alpha spent at each look (sums to alpha). */
  increments: number[];
}

function checkTimes(times: readonly number[]): void {
  if (!times.length || times.some((t, i) => !(t > (i ? times[i - 1]! : 0)) || t > 1) || times.at(-1) !== 1)
    throw new Error(`information fractions must increase to 1: got ${times.join(', ')}`);
}

/**
 * Critical values of a one-sided group-sequential test at these information fractions: look k spends
 * spent(t_k) - spent(t_{k-1}) of alpha, found by bisection on the exit probability (to 1e-10 in z).
 */
export function boundaries(spending: Spending, alpha: number, times: readonly number[]): Boundaries {
  checkTimes(times);
  const z: number[] = [];
  const increments: number[] = [];
  const continued: Density[] = [];
  let previous: Density | null = null;
  let tPrev = 0;
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    const target = spent(spending, alpha, t) - spent(spending, alpha, tPrev);
    let lo = -LOWER_SD + 1;
    let hi = 40;
    while (hi - lo > 1e-10) {
      const mid = (lo + hi) / 2;
      if (exitAbove(previous, t, tPrev, mid * Math.sqrt(t)) > target) lo = mid;
      else hi = mid;
    }
    const c = (lo + hi) / 2;
    z.push(c);
    increments.push(target);
    previous = continueBelow(previous, t, tPrev, c * Math.sqrt(t));
    continued.push(previous);
    tPrev = t;
  }
  const result = { spending, alpha, times: [...times], z, nominal: z.map((c) => 1 - normalCdf(c)), increments };
  // The continuation densities were computed on the way: stagewise p-values reuse them.
  densities.set(result, continued);
  return result;
}

/**
 * The stagewise-ordering p-value of a test that did not reject before look k (1-based) and shows z at look k:
 * P(reject before k) + P(no rejection before k and Z_k >= z) under the null. It is at most alpha exactly when z
 * crosses the boundary at look k, and the probability that it is at most x is at most x for every x (a valid p-value
 * for a multiple-testing adjustment).
 */
export function stagewisePValue(b: Boundaries, look: number, z: number): number {
  if (!(look >= 1 && look <= b.times.length)) throw new Error(`look ${look} is not one of 1..${b.times.length}`);
  const previous = look === 1 ? null : continuation(b)[look - 2]!;
  const before = b.increments.slice(0, look - 1).reduce((a, x) => a + x, 0);
  const t = b.times[look - 1]!;
  return Math.min(1, before + exitAbove(previous, t, look === 1 ? 0 : b.times[look - 2]!, z * Math.sqrt(t)));
}

/** W's sub-densities on the continuation region after each look, computed once per set of boundaries. */
const densities = new WeakMap<Boundaries, Density[]>();
function continuation(b: Boundaries): Density[] {
  let d = densities.get(b);
  if (!d) {
    d = [];
    let tPrev = 0;
    for (let k = 0; k < b.times.length; k++) {
      const t = b.times[k]!;
      d.push(continueBelow(d.at(-1) ?? null, t, tPrev, b.z[k]! * Math.sqrt(t)));
      tPrev = t;
    }
    densities.set(b, d);
  }
  return d;
}

/** The smallest tail probability whose z statistic is computed as it is (1 - p is exact in double precision). */
const TAIL = 1e-15;

/**
 * A one-sided p-value as a z statistic, Phi^-1(1 - p). A p-value below 1e-15 (or above 1 - 1e-15) becomes the z of
 * 1e-15 (about 7.94), which only understates how extreme it is: a stagewise p-value computed from it is larger, hence
 * conservative.
 */
export const zOfP = (p: number): number => (p < 1 - TAIL ? zq(1 - Math.max(p, TAIL)) : -zq(1 - TAIL));
