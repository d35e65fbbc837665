/** Calibration of the verdict rules on synthetic data with known truth: error rates and coverage. */
import { chiSquare } from '../random/distributions.ts';
import { stream, type RandomStream } from '../random/rng.ts';
import type { RateClaim, RateMode } from '../verify/claims.ts';
import { formulaVerdict, rateVerdict, type VerdictValue } from '../verify/verdicts.ts';
import { decideAtLook, designBoundaries } from '../verify/sequential.ts';
import type { Spending } from './group-sequential.ts';
import { ALPHA } from './level.ts';
import { DEFAULT_RATE_TOL } from './level.ts';
import { fitRate, withPairedSlopes, type Estimand } from './rate-fit.ts';

/**
 * Calibration: every verdict rule run on synthetic data whose truth is known, reporting how often each verdict comes
 * out
 * and how often the 95% interval covers the true slope. `npm run calibrate` prints the full table (README
 * "Calibration");
 * test/stats/calibration.test.ts runs a reduced version against the targets.
 *
 * Truth. For Q(n) = curve(n) x noise with a width-independent noise law, the estimand of the slope is the least-squares
 * slope of log curve(n) on log n over the design's widths (the effective exponent); for a pure power law it is p.
 * A claim is "false beyond its tolerance" when that effective exponent, or the effective exponent over the largest
 * widths (the tail fit's window), lies beyond the claim's threshold.
 */
export type Noise = 'lognormal' | 'student-t3';

export interface Family {
  name: string;
  curve: (n: number) => number;
}

export interface Design {
  seeds: number;
  widths: number[];
}

export interface CalibrationCase {
  family: Family;
  noise: Noise;
  /** Spread of log Q: the standard deviation for log-normal noise, the scale of t3 (whose sd is sqrt 3 times larger).
   * */
  spread: number;
  design: Design;
  claim: { mode: RateMode; exponent: number; tol: number };
  /** What the fit estimates (default geometric); the truth is the effective exponent of that estimand. */
  estimand?: Estimand;
  /** Log-normal spread at each width instead of `spread` (a spread that changes with width). */
  spreadAt?: (n: number) => number;
  /** Noise normalised to mean 1 (log-normal): E[Q] = curve(n) exactly, the geometric mean falls below it. */
  meanOne?: boolean;
  /** Sd of a log-scale effect shared by every seed at one width (one data set or batch per width). */
  shared?: number;
  /** A fraction of the rows at the largest `widths` widths multiplied by `factor` (contamination). */
  contaminate?: { fraction: number; factor: number; widths: number };
  /** Sd of a log-scale offset shared by one seed across all widths (the same data or draw at every width). */
  seedOffset?: number;
  /** Fit with the paired rule (seeds matched across widths) instead of the width-clustered one. */
  paired?: boolean;
}

export interface CalibrationRow {
  family: string;
  /** The departures from the plain model (shared, spread trend, contamination) and the estimand. */
  variant: string;
  noise: Noise;
  spread: number;
  design: string;
  claim: string;
  /** Effective exponent over all widths and over the tail window. */
  truth: number;
  truthTail: number;
  /** Whether the claim holds within its tolerance at the truth (global and tail). */
  claimTrue: boolean;
  replications: number;
  rates: Record<VerdictValue, number>;
  /** Fraction of 95% intervals that contain the effective exponent. */
  coverage: number;
  /** Fraction of replications whose verdict carries at least one warning. */
  warned: number;
  /** Mean width of the 95% interval. */
  ciWidth: number;
}

export const DEFAULT_TOL = DEFAULT_RATE_TOL;

export const powerLaw = (p: number, C = 1): Family => ({ name: `n^${p}`, curve: (n) => C * n ** p });
export const plusConstant = (p: number, c: number): Family => ({ name: `n^${p} + ${c}`, curve: (n) => n ** p + c });
export const crossover = (p1: number, p2: number, at: number): Family => ({
  name: `crossover n^${p1} -> n^${p2} at n = ${at}`,
  curve: (n) => (n / at) ** p1 + (n / at) ** p2,
});

export const widthsFrom = (first: number, count: number) => Array.from({ length: count }, (_, k) => first * 2 ** k);

function effectiveSlope(family: Family, widths: number[]): number {
  const x = widths.map(Math.log);
  const y = widths.map((n) => Math.log(family.curve(n)));
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i]! - my);
    sxx += (xi - mx) ** 2;
  });
  return sxy / sxx;
}

function draw(rng: RandomStream, noise: Noise, spread: number): number {
  const z = rng.normal();
  return noise === 'lognormal' ? spread * z : (spread * z) / Math.sqrt(chiSquare(rng, 3) / 3);
}

/** Does the claim hold within its tolerance at effective exponent s? */
export function holdsAt(claim: CalibrationCase['claim'], s: number): boolean {
  const p = claim.mode === 'vanishes' ? 0 : claim.exponent;
  const t = claim.tol;
  switch (claim.mode) {
    case 'upper':
      return s <= p + t;
    case 'vanishes':
      return s <= -t;
    case 'lower':
      return s >= p - t;
    case 'tight':
      return s >= p - t && s <= p + t;
  }
}

export const claimName = (c: CalibrationCase['claim']) =>
  `${
    c.mode === 'vanishes'
      ? 'o(1)'
      : `${c.mode === 'upper' ? 'O' : c.mode === 'lower' ? 'Omega' : 'Theta'}(n^` + `${c.exponent})`
  } ` + `tol ${c.tol}`;

/** The log of the estimand at width n, up to a constant (what the effective exponent is the slope of). */
function logTruth(c: CalibrationCase, n: number): number {
  const sigma = c.spreadAt?.(n) ?? c.spread;
  const lognormalOffset = c.noise === 'lognormal' ? sigma * sigma : NaN;
  // Geometric: E[log Q] = log curve - sigma^2/2 under mean-one noise. Mean: E[Q] = curve exp(sigma^2/2) otherwise.
  if ((c.estimand ?? 'geometric') === 'geometric')
    return Math.log(c.family.curve(n)) - (c.meanOne ? (sigma * sigma) / 2 : 0);
  if (c.noise !== 'lognormal') throw new Error('calibration: the mean estimand is calibrated with log-normal noise');
  return Math.log(c.family.curve(n)) + (c.meanOne ? 0 : lognormalOffset / 2);
}

function effectiveTruth(c: CalibrationCase, widths: number[]): number {
  return effectiveSlope({ name: '', curve: (n) => Math.exp(logTruth(c, n)) }, widths);
}

export const variantName = (c: CalibrationCase): string =>
  [
    c.estimand === 'mean' ? 'mean estimand' : '',
    c.meanOne ? 'E[Q] = curve' : '',
    c.spreadAt ? `log-sd ${c.spreadAt(c.design.widths[0]!)} -> ${c.spreadAt(c.design.widths.at(-1)!)}` : '',
    c.shared ? `shared width effect sd ${c.shared}` : '',
    c.contaminate
      ? `${100 * c.contaminate.fraction}% of rows x${c.contaminate.factor} at the ` +
        `${c.contaminate.widths} largest widths`
      : '',
    c.seedOffset ? `seed offset sd ${c.seedOffset} shared across widths` : '',
    c.paired ? 'paired fit' : '',
  ]
    .filter(Boolean)
    .join('; ') || 'plain';

/** One replication's values of a case: `seeds` draws at each of its widths. */
function simulate(c: CalibrationCase, rng: RandomStream, seeds: number): number[][] {
  const offsets = Array.from({ length: seeds }, () => (c.seedOffset ? c.seedOffset * rng.normal() : 0));
  return c.design.widths.map((n, k) => {
    const sigma = c.spreadAt?.(n) ?? c.spread;
    const offset = (c.shared ? c.shared * rng.normal() : 0) - (c.meanOne ? (sigma * sigma) / 2 : 0);
    const contaminated = c.contaminate && k >= c.design.widths.length - c.contaminate.widths;
    return Array.from({ length: seeds }, (_, i) => {
      const q = c.family.curve(n) * Math.exp(draw(rng, c.noise, sigma) + offset + offsets[i]!);
      return contaminated && i < Math.round(c.contaminate!.fraction * seeds) ? q * c.contaminate!.factor : q;
    });
  });
}

const calibrationClaim = (c: CalibrationCase): RateClaim => ({
  id: 'calibration',
  kind: 'rate',
  title: '',
  tex: '',
  hypotheses: [],
  source: '',
  theorem: true,
  standing: 'conjecture',
  arm: 'synthetic',
  observable: 'q',
  ...c.claim,
  ...(c.estimand ? { estimand: c.estimand } : {}),
});

/**
 * The effective exponent of a case over its widths and over the tail fit's window (the largest 3), and whether its
 * claim holds at both.
 */
function truthOf(c: CalibrationCase): { truth: number; truthTail: number; claimTrue: boolean } {
  const widths = c.design.widths;
  const truth = effectiveTruth(c, widths);
  const truthTail = effectiveTruth(c, widths.length > 3 ? widths.slice(-3) : widths);
  return { truth, truthTail, claimTrue: holdsAt(c.claim, truth) && holdsAt(c.claim, truthTail) };
}

export function runCase(c: CalibrationCase, replications: number): CalibrationRow {
  const { widths, seeds } = c.design;
  const { truth, truthTail, claimTrue } = truthOf(c);
  const claim = calibrationClaim(c);
  const rates: Record<VerdictValue, number> = { supported: 0, refuted: 0, inconclusive: 0, invalid: 0 };
  let covered = 0;
  let warned = 0;
  const variant = variantName(c);
  const rng = stream({
    calibration: c.family.name,
    noise: c.noise,
    spread: c.spread,
    seeds,
    widths: widths.join('-'),
    ...(variant === 'plain' ? {} : { variant }),
  });
  let widthSum = 0;
  for (let r = 0; r < replications; r++) {
    const values = simulate(c, rng, seeds);
    const clustered = fitRate({ widths, values }, { estimand: c.estimand ?? 'geometric' });
    const fit = c.paired ? withPairedSlopes(clustered, { widths, values }) : clustered;
    widthSum += fit.slope.ci[1] - fit.slope.ci[0];
    const verdict = rateVerdict(claim, fit);
    rates[verdict.verdict]++;
    if (verdict.warnings?.length) warned++;
    if (fit.slope.ci[0] <= truth && truth <= fit.slope.ci[1]) covered++;
  }
  for (const k of Object.keys(rates) as VerdictValue[]) rates[k] /= replications;
  return {
    family: c.family.name,
    variant,
    noise: c.noise,
    spread: c.spread,
    design: `${seeds} x ${widths.length} (${widths[0]}-${widths.at(-1)})`,
    claim: claimName(c.claim),
    truth,
    truthTail,
    claimTrue,
    replications,
    rates,
    coverage: covered / replications,
    warned: warned / replications,
    ciWidth: widthSum / replications,
  };
}

/**
 * The standard suite. Designs: 3-32 seeds at 3 or 5 widths (512 upwards, doubling). Claims at each family: the true
 * rate
 * (O, Omega, Theta of the true exponent: must be supported often), claims false beyond tolerance by 0.1 (must be rarely
 * supported), and claims exactly at the tolerance boundary (the size of the test: near 5% when calibrated).
 */
export function standardCases(
  options: { designs?: Design[]; noises?: { noise: Noise; spread: number }[] } = {},
): CalibrationCase[] {
  const designs =
    options.designs ?? [3, 4, 8, 16, 32].flatMap((seeds) => [3, 5].map((k) => ({ seeds, widths: widthsFrom(512, k) })));
  const noises = options.noises ?? [
    { noise: 'lognormal' as const, spread: 0.3 },
    { noise: 'student-t3' as const, spread: 0.3 },
  ];
  const t = DEFAULT_TOL;
  const cases: CalibrationCase[] = [];
  for (const design of designs)
    for (const { noise, spread } of noises) {
      const add = (family: Family, claim: CalibrationCase['claim']) =>
        cases.push({ family, noise, spread, design, claim });
      const pure = powerLaw(-1);
      add(pure, { mode: 'upper', exponent: -1, tol: t });
      add(pure, { mode: 'tight', exponent: -1, tol: t });
      add(pure, { mode: 'lower', exponent: -1, tol: t });
      add(pure, { mode: 'vanishes', exponent: 0, tol: t });
      // False beyond tolerance by 0.1, and at the boundary.
      add(pure, { mode: 'upper', exponent: -1.25, tol: t }); // threshold -1.1: truth -1 is 0.1 beyond
      add(pure, { mode: 'upper', exponent: -1.15, tol: t }); // threshold -1.0: the boundary
      add(pure, { mode: 'lower', exponent: -0.75, tol: t }); // threshold -0.9: truth 0.1 beyond
      add(pure, { mode: 'tight', exponent: -0.75, tol: t });
      add(powerLaw(0), { mode: 'vanishes', exponent: 0, tol: t });
      add(plusConstant(-0.5, 0.1), { mode: 'vanishes', exponent: 0, tol: t }); // decreasing towards a plateau
      add(plusConstant(-0.5, 0.01), { mode: 'vanishes', exponent: 0, tol: t });
      add(plusConstant(-0.5, 0.01), { mode: 'upper', exponent: -0.5, tol: t });
      // The slower regime only at the top (hidden), then resolved by the largest widths.
      add(crossover(-1.5, -0.5, 2048), { mode: 'upper', exponent: -1, tol: t });
      add(crossover(-1.5, -0.5, 1024), { mode: 'upper', exponent: -1, tol: t });
      add(crossover(-0.5, -1, 2048), { mode: 'upper', exponent: -1, tol: t });
    }
  return cases;
}

/** The formula rule (TOST against g (1 +- relTol)) on normal estimates with known truth: rate of "supported". */
export function formulaSupportRate(options: {
  deviation: number;
  relTol: number;
  se: number;
  replications: number;
  exact: boolean;
}): Record<VerdictValue, number> {
  const rng = stream({ calibration: 'formula', ...options });
  const rates: Record<VerdictValue, number> = { supported: 0, refuted: 0, inconclusive: 0, invalid: 0 };
  const claim = {
    id: 'f',
    kind: 'formula' as const,
    title: '',
    tex: '',
    hypotheses: [],
    source: '',
    theorem: true,
    standing: 'proven' as const,
    arm: 'a',
    observable: 'q',
    predicted: 'g',
    relTol: options.relTol,
    exact: options.exact,
    relTolReason: '',
  };
  for (let r = 0; r < options.replications; r++) {
    const estimate = 1 + options.deviation + options.se * rng.normal();
    rates[formulaVerdict(claim, [{ setting: 's', estimate, se: options.se, df: Infinity, predicted: 1 }]).verdict]++;
  }
  for (const k of Object.keys(rates) as VerdictValue[]) rates[k] /= options.replications;
  return rates;
}

export interface SequentialRow {
  family: string;
  claim: string;
  claimTrue: boolean;
  design: string;
  replications: number;
  /** Verdict rates of the group-sequential design. */
  rates: Record<VerdictValue, number>;
  /** Mean seeds per width it used (its expected cost). */
  meanSeeds: number;
  /** Support rate of a fixed design of about the same cost (meanSeeds rounded), and of the largest design. */
  fixedSameCost: { seeds: number; supported: number; refuted: number };
  fixedMax: { seeds: number; supported: number; refuted: number };
}

/**
 * A rate claim judged as `verify --until-decisive` judges it: looks at k batches of `design.seeds` seeds per width
 * (k = 1..maxLooks, one batch more while undecided), each look's verdict held to that look's nominal level; beside it,
 * the fixed-sample rule at the design's mean cost and at its largest size, on independent draws.
 */
export function runSequentialCase(
  c: CalibrationCase,
  replications: number,
  maxLooks = 3,
  spending: Spending = 'obrien-fleming',
): SequentialRow {
  const { widths, seeds: batch } = c.design;
  // The boundaries verify --until-decisive uses (its level, equal looks).
  const b = designBoundaries({ spending, alpha: ALPHA, maxLooks });
  const claim = calibrationClaim(c);
  const rng = stream({
    sequential: c.family.name,
    spread: c.spread,
    batch,
    spending,
    maxLooks,
    claim: claimName(c.claim),
  });
  const rates: Record<VerdictValue, number> = { supported: 0, refuted: 0, inconclusive: 0, invalid: 0 };
  let seedsUsed = 0;
  for (let r = 0; r < replications; r++) {
    const all = simulate(c, rng, maxLooks * batch);
    let outcome: VerdictValue = 'inconclusive';
    let look = 1;
    for (; look <= maxLooks; look++) {
      const values = all.map((g) => g.slice(0, look * batch));
      const d = decideAtLook(
        rateVerdict(claim, fitRate({ widths, values }, { estimand: c.estimand ?? 'geometric' })),
        look,
        b,
      );
      if (d !== 'open') {
        outcome = d;
        break;
      }
    }
    rates[outcome]++;
    seedsUsed += Math.min(look, maxLooks) * batch;
  }
  for (const k of Object.keys(rates) as VerdictValue[]) rates[k] /= replications;
  const meanSeeds = seedsUsed / replications;
  const fixed = (seeds: number) => {
    const row = runCase({ ...c, design: { widths, seeds } }, replications);
    return { seeds, supported: row.rates.supported, refuted: row.rates.refuted };
  };
  return {
    family: c.family.name,
    claim: claimName(c.claim),
    claimTrue: truthOf(c).claimTrue,
    design:
      `${maxLooks} looks of ${batch} seeds x ${widths.length} widths ` + `(${widths[0]}-${widths.at(-1)}), ${spending}`,
    replications,
    rates,
    meanSeeds,
    fixedSameCost: fixed(Math.max(3, Math.round(meanSeeds))),
    fixedMax: fixed(maxLooks * batch),
  };
}
