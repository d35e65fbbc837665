/** The verdict rules of every claim kind, each a pair of one-sided tests (docs/verdicts.md is their prose). */
import { unreachable } from '../errors.ts';
import { ALPHA, MIN_NETWORKS, MIN_SEEDS, MIN_WIDTHS } from '../stats/level.ts';
import {
  OUTLIER_MADS,
  meanDifference,
  pAbove,
  pBelow,
  twoSidedInterval,
  type Estimate,
  type RateFit,
  type SlopeInterval,
  type WidthSeries,
} from '../stats/rate-fit.ts';
import { studentTQuantile } from '../stats/student-t.ts';
import {
  WIDTH_AXIS,
  type BoundClaim,
  type ClassificationClaim,
  type Claim,
  type IdentityClaim,
  type PeakClaim,
  type TrendClaim,
  type RateClaim,
  type RateMode,
  type SizeAxis,
} from './claims.ts';

/**
 * Verdict rules, stated once (docs/verdicts.md is the prose of this file; `npm run calibrate` measures them).
 *
 * Every Monte Carlo rule is a pair of one-sided tests at level ALPHA (5%):
 *   supported  rejects "the claim is false beyond its tolerance";
 *   refuted    rejects "the claim is true within its tolerance" (split ALPHA/2 between the global fit and the tail fit
 *              for rates, Bonferroni over settings for formulas), so a true claim is refuted at most 5% of the time;
 *   otherwise  inconclusive (the data cannot tell at this many seeds and widths).
 * `invalid` means the data contain NaN, a diverged run or a value a log-scale fit cannot use.
 *
 * rate (slope p_hat of log Q on log n, width-clustered t interval; G = all widths, T = the largest 3 widths):
 *   O(n^p)      b = p + tol. supported: upper bound of G <= b and T does not refute. refuted: G or T surely above b.
 *   Omega(n^p)  b = p - tol. supported: lower bound of G >= b and T does not refute. refuted: G or T surely below b.
 *   Theta(n^p)  both of the above (two one-sided tests); refuted if either side refutes.
 *   o(1)        judged as O(n^-tol): the quantity must decay at least like n^-tol over the measured widths, including
 * the
 *               largest ones. A quantity that decreases towards a plateau (0.1 + n^-1/2) has local slopes near 0 at
 * large
 *               n and is not supported; "decreasing" is not "vanishing".
 *   Guards: at least MIN_SEEDS seeds per width, MIN_WIDTHS widths and MIN_NETWORKS networks; no width whose mean is
 *   within FLOOR_FACTOR of the float32 floor model (fixed before the data are seen; no width is ever dropped on its
 * outcome).
 * formula: per setting, TOST against g (1 +- relTol); an exact identity is also refuted by a significant deviation of
 * any size.
 * limit:   the distance's rate as O(n^p), and its extrapolated value at infinite width not significantly above 0.
 * positivity, identity, computed: deterministic; see their functions.
 */
/** The four verdicts, in the order reports list them. */
export const VERDICT_VALUES = ['supported', 'refuted', 'inconclusive', 'invalid'] as const;
export type VerdictValue = (typeof VERDICT_VALUES)[number];

export interface Verdict {
  claim: string;
  kind: Claim['kind'];
  arm: string;
  verdict: VerdictValue;
  estimate: number;
  /**
   * The two-sided 95% interval of the estimate, or null when the number is not an interval
   * (a deterministic computation, a minimum over a search).
   */
  ci: [number, number] | null;
  /** One sentence with the numbers that decided. */
  reason: string;
  /** p-value of the test whose rejection means "supported" (Monte Carlo claims only): the input of the Holm adjustment.
   * */
  pSupport?: number;
  /**
   * p-value of the test whose rejection means "refuted", where the rule refutes by a test at a level (rate, formula,
   * bound, peak, trend, limit): refuted exactly when it is at most ALPHA. A group-sequential design (src/verify/
   * sequential.ts) compares it with a smaller nominal level at each look.
   */
  pRefute?: number;
  /** Kind-specific evidence (fits, local slopes, counterexamples). */
  evidence: Record<string, unknown>;
  /**
   * What a referee should know beside the verdict, one sentence each: lack of fit, local slopes still moving, a
   * tolerance below what the widths resolve, a spread that changes with width, outliers (rate claims).
   */
  warnings?: string[];
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
/** A level such as 1 - 0.95 (0.050000000000000044 in floating point) as people write it: 0.05. */
export const fmtLevel = (a: number) => String(Number(a.toPrecision(10)));
const fmtP = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

export const rateClaimText = (mode: RateMode, p: number, variable = 'n'): string =>
  mode === 'vanishes' ? 'o(1)' : `${mode === 'upper' ? 'O' : mode === 'lower' ? 'Omega' : 'Theta'}(${variable}^${p})`;

/** The guards shared by every fitted rate: enough seeds, widths and networks, nothing near the float floor. */
export function rateGuard(fit: RateFit): { verdict: 'invalid' | 'inconclusive'; reason: string } | null {
  if (fit.nonPositive > 0)
    return {
      verdict: 'invalid',
      reason: `${fit.nonPositive} value(s) are not positive: a power law cannot be fitted on a log scale`,
    };
  if (fit.seedsPerWidth < MIN_SEEDS)
    return {
      verdict: 'inconclusive',
      reason:
        `only ${fit.seedsPerWidth} seed(s) at some width; at least ${MIN_SEEDS} are needed ` +
        `for a per-width variance`,
    };
  if (fit.fitted.length < MIN_WIDTHS)
    return { verdict: 'inconclusive', reason: `only ${fit.fitted.length} width(s); at least ${MIN_WIDTHS} are needed` };
  if (fit.networks < MIN_NETWORKS)
    return {
      verdict: 'inconclusive',
      reason: `only ${fit.networks} independent networks; at least ${MIN_NETWORKS} are needed for a verdict`,
    };
  if (fit.nearFloor.length)
    return {
      verdict: 'inconclusive',
      reason:
        `width(s) ${fit.nearFloor.join(', ')} within 10x of the float32 floor model: ` +
        `roundoff could decide the slope`,
    };
  return null;
}

interface SideTest {
  /** p-value for "the slope is on the claimed side of b". */
  pSupport: number;
  /** Refuted by the global fit or the tail fit (each at ALPHA / 2). */
  refutedBy: 'global' | 'tail' | null;
  /** Bonferroni p-value of the refutation: 2 x the smaller of the global and tail p-values against the claim. */
  pRefute: number;
}

/** One side of a rate claim: slope <= b (`below`) or slope >= b. */
function side(fit: RateFit, b: number, below: boolean, alpha: number): SideTest {
  const pSupport = below ? pBelow(fit.slope, b) : pAbove(fit.slope, b);
  const against = (s: SlopeInterval) => (below ? pAbove(s, b) : pBelow(s, b));
  const refutedBy =
    against(fit.slope) <= alpha / 2 ? 'global' : fit.tail && against(fit.tail) <= alpha / 2 ? 'tail' : null;
  const pRefute = Math.min(1, 2 * Math.min(against(fit.slope), fit.tail ? against(fit.tail) : 1));
  return { pSupport, refutedBy, pRefute };
}

/** The one-sided tests of a rate mode: every mode builds at least one (the switch is exhaustive). */
function rateSides(mode: RateMode, p: number, t: number): { name: string; b: number; below: boolean }[] {
  switch (mode) {
    case 'upper':
      return [{ name: 'upper', b: p + t, below: true }];
    case 'lower':
      return [{ name: 'lower', b: p - t, below: false }];
    case 'tight':
      return [
        { name: 'upper', b: p + t, below: true },
        { name: 'lower', b: p - t, below: false },
      ];
    case 'vanishes':
      return [{ name: 'o(1) as O(n^-tol)', b: -t, below: true }];
    default:
      return unreachable(mode, 'rate mode');
  }
}

const fmtSize = (x: number) => String(Number(x.toPrecision(6)));

/** "widths 64-1024", or "alpha 1/8-8" for another size axis (the cells' widths times its factor). */
export const sizeRange = (axis: SizeAxis, widths: readonly number[]) =>
  axis === WIDTH_AXIS
    ? `widths ${widths[0]}-${widths.at(-1)}`
    : `${axis.symbol} ${fmtSize(widths[0]! * axis.factor)}-${fmtSize(widths.at(-1)! * axis.factor)}`;

/** Below this many 1/ln(n_max), a tolerance cannot separate n^p from n^p log n over the widths (d ln ln n / d ln n). */
export const resolution = (widths: readonly number[]) => 1 / Math.log(Math.max(...widths));

/**
 * What a referee should know beside a rate verdict (each rule fixed before any data were seen; the calibration's
 * held-out families measure how often they fire).
 */
export function rateWarnings(
  claim: Pick<RateClaim, 'tol' | 'estimand'>,
  fit: RateFit,
  axis: SizeAxis = WIDTH_AXIS,
): string[] {
  const out: string[] = [];
  const widths = fit.fitted;
  const at = (n: number) => (axis === WIDTH_AXIS ? `width ${n}` : `${axis.symbol} = ${fmtSize(n * axis.factor)}`);
  const lof = fit.lackOfFit;
  if (lof.p < ALPHA)
    out.push(
      `the per-width points scatter about the line more than their seeds explain (lack of fit F ${fmt(lof.F)} on ` +
        `${lof.df} and ${lof.df2.toFixed(1)} df, p = ${fmtP(lof.p)}): noise shared by the seeds of a width, or ` +
        `curvature; a width-level ` +
        `variance ${fmt(lof.tau2)} is in the interval`,
    );
  const { tail, slope } = fit;
  if (
    tail &&
    Math.abs(tail.estimate - slope.estimate) > claim.tol &&
    !(tail.ci[0] <= slope.estimate && slope.estimate <= tail.ci[1])
  )
    out.push(
      `the local slopes are still moving ` +
        `(${fit.local.map((l) => `${l.from}-${l.to}: ${fmt(l.estimate)}`).join(', ')}): ` +
        `the effective exponent over ${sizeRange(axis, widths)} may not be the asymptotic one`,
    );
  if (widths.length === 3 && !fit.paired)
    out.push(
      `three ${axis === WIDTH_AXIS ? 'widths' : 'settings'} leave a noise shared by the seeds of a ` +
        `${axis === WIDTH_AXIS ? 'width' : 'setting'} one degree of freedom: the interval is calibrated for ` +
        `independent draws at each one, and covers less when one data set or batch serves all its seeds ` +
        `(docs/verdicts.md, "Three settings"); a fourth would estimate it`,
    );
  const r = resolution(widths);
  if (axis === WIDTH_AXIS && claim.tol < r)
    out.push(
      `the tolerance ${claim.tol} is below 1/ln(n_max) = ${fmt(r)}: over widths up to ${Math.max(...widths)} a log ` +
        `factor (n^p log n) moves the effective exponent by about that much, so it cannot be told from n^p`,
    );
  const trend = fit.spreadTrend;
  if ((claim.estimand ?? 'geometric') === 'geometric' && trend.p < ALPHA)
    out.push(
      `the spread of log Q changes with ${axis === WIDTH_AXIS ? 'width' : axis.symbol} ` +
        `(sd ${fmt(trend.from)} at ${at(widths[0]!)}, ${fmt(trend.to)} ` +
        `at ${at(widths.at(-1)!)}; p = ${fmtP(trend.p)}): this is the rate of the typical value (geometric mean), ` +
        `and E[Q] has ` +
        `another; a claim about an expectation names estimand 'mean'`,
    );
  if (fit.outliers.length && !(Math.abs(fit.outlierShift) <= fit.keptSe)) {
    const where = [...new Set(fit.outliers.map((o) => at(o.width)))].join(', ');
    out.push(
      `${fit.outliers.length} value(s) lie more than ${OUTLIER_MADS} robust sd of log Q from their width's median ` +
        `(at ${where}; e.g. ${fit.outliers[0]!.value.toPrecision(3)}) and move the slope by ` +
        `${fmt(fit.outlierShift)}, more than its standard error without them: a few cells decide the fit`,
    );
  }
  // (A paired interval is narrower than the spread of per-width medians by design: no comparison there.)
  if (
    !fit.paired &&
    Number.isFinite(fit.medianSlope) &&
    !(slope.ci[0] <= fit.medianSlope && fit.medianSlope <= slope.ci[1])
  )
    out.push(
      `the slope of the per-width medians of log Q, ${fmt(fit.medianSlope)}, lies outside the 95% interval of the ` +
        `fit: the fit does not describe the bulk of the cells`,
    );
  return out;
}

/** Power of a one-sided test: z quantiles at 1 - ALPHA and at 80% power. */
const POWER = 0.8;

/**
 * For an inconclusive one-sided test of slope vs b: the seeds per width that would decide it at 80% power if the true
 * slope were the estimate (normal approximation; the width-level variance does not shrink with seeds).
 */
export function seedsToDecide(
  fit: RateFit,
  b: number,
  below: boolean,
  alpha = ALPHA,
): { seedsPerWidth: number | null; why: string } {
  const d = below ? b - fit.slope.estimate : fit.slope.estimate - b;
  if (!(d > 0))
    return {
      seedsPerWidth: null,
      why: `the estimate is on the wrong side of ${fmt(b)}: more seeds would sooner refute the claim than support it`,
    };
  const x = fit.fitted.map(Math.log);
  const xbar = x.reduce((a, v) => a + v, 0) / x.length;
  const sxx = x.reduce((a, v) => a + (v - xbar) ** 2, 0);
  const shared = fit.lackOfFit.tau2 / sxx;
  const seedPart = fit.slope.se ** 2 - shared;
  const target = (d / (studentTQuantile(1 - alpha, Infinity) + studentTQuantile(POWER, Infinity))) ** 2;
  if (!(target > shared))
    return {
      seedsPerWidth: null,
      why:
        `the width-level variance alone (lack of fit) is too large for any number of seeds to decide it: ` +
        `more widths, or wider ones, would`,
    };
  const seeds = Math.max(fit.seedsPerWidth + 1, Math.ceil((fit.seedsPerWidth * seedPart) / (target - shared)));
  return {
    seedsPerWidth: seeds,
    why:
      `about ${seeds} seeds per width (now ${fit.seedsPerWidth}) would decide it at 80% power if the slope is ` +
      fmt(fit.slope.estimate),
  };
}

/** `alpha` is the level of both tests (ALPHA; smaller when the claim is one of several judged together). */
export function rateVerdict(
  claim: RateClaim,
  fit: RateFit,
  arm = claim.arm,
  alpha = ALPHA,
  axis: SizeAxis = WIDTH_AXIS,
): Verdict {
  const { estimate, ci } = fit.slope;
  const warnings = rateWarnings(claim, fit, axis);
  const base = {
    claim: claim.id,
    kind: claim.kind,
    arm,
    estimate,
    ci,
    evidence: { fit },
    ...(warnings.length ? { warnings } : {}),
  } as const;
  const guard = rateGuard(fit);
  if (guard) return { ...base, ...guard };
  const p = claim.mode === 'vanishes' ? 0 : claim.exponent;
  const t = claim.tol;
  const tests = rateSides(claim.mode, p, t).map((s) => ({ ...s, ...side(fit, s.b, s.below, alpha) }));
  // An empty intersection of tests would pass by default (the max of nothing): a rule that builds no test is a bug.
  if (!tests.length) throw new Error(`claim ${claim.id}: rate mode ${String(claim.mode)} builds no test`);
  const pSupport = Math.max(...tests.map((x) => x.pSupport));
  const pRefute = Math.min(...tests.map((x) => x.pRefute));
  const what = fit.estimand === 'mean' ? 'rate of the mean' : 'effective exponent';
  const interval =
    `${what} over ${sizeRange(axis, fit.fitted)} ${fmt(estimate)}, ` + `95% CI [${fmt(ci[0])}, ${fmt(ci[1])}]`;
  const tail = fit.tail
    ? `; largest widths ${fit.tail.widths[0]}-${fit.tail.widths.at(-1)}: ` +
      `${fmt(fit.tail.estimate)} [${fmt(fit.tail.ci[0])}, ${fmt(fit.tail.ci[1])}]`
    : '';
  const refuting = tests.find((x) => x.refutedBy);
  if (refuting) {
    const where =
      refuting.refutedBy === 'tail'
        ? `the largest widths ${fit.tail!.widths.join(', ')} (a crossover the global fit hides)`
        : 'the global fit';
    return {
      ...base,
      verdict: 'refuted',
      pSupport,
      pRefute,
      reason: `${interval}${tail}: ${where} is surely ${refuting.below ? 'above' : 'below'} ${fmt(refuting.b)}`,
    };
  }
  const bound = (x: (typeof tests)[number]) =>
    `one-sided 95% ${x.below ? 'upper' : 'lower'} bound ` +
    `${fmt(x.below ? fit.slope.upperBound : fit.slope.lowerBound)} ` +
    `${x.below ? '<=' : '>='} ${fmt(x.b)}`;
  if (pSupport <= alpha)
    return {
      ...base,
      verdict: 'supported',
      pSupport,
      pRefute,
      reason: `${interval}${tail}: ${tests.map(bound).join(' and ')}`,
    };
  const failing = tests.find((x) => x.pSupport > alpha)!;
  const decide = seedsToDecide(fit, failing.b, failing.below, alpha);
  return {
    ...base,
    evidence: { fit, decide },
    verdict: 'inconclusive',
    pSupport,
    pRefute,
    reason:
      `${interval}${tail}: one-sided 95% ${failing.below ? 'upper' : 'lower'} bound ` +
      `${fmt(failing.below ? fit.slope.upperBound : fit.slope.lowerBound)} does not clear ` +
      `${fmt(failing.b)}; ${decide.why}`,
  };
}

/** The verdict of a claim whose cells contain NaN, infinities or diverged runs. */
export function invalidVerdict(
  claim: Claim,
  arm: string,
  bad: { width: number; seed: number; why: string }[],
): Verdict {
  const widths = [...new Set(bad.map((b) => b.width))].sort((a, b) => a - b);
  return {
    claim: claim.id,
    kind: claim.kind,
    arm,
    verdict: 'invalid',
    estimate: NaN,
    ci: null,
    reason: `${bad.length} cell(s) invalid at width(s) ${widths.join(', ')}: ${bad[0]!.why}`,
    evidence: { invalidCells: bad },
  };
}

/** A setting's estimate, with its standard error and degrees of freedom (Infinity for a large-sample normal interval).
 * */
export interface FormulaPoint extends Estimate {
  /** What the setting is (e.g. "L=4, n=16"). */
  setting: string;
  predicted: number;
}

/** A large-sample (e.g. bootstrap over thousands of samples) 95% interval as a normal standard error. */
export function pointFromInterval(
  setting: string,
  estimate: number,
  ci: readonly [number, number],
  predicted: number,
): FormulaPoint {
  return { setting, estimate, se: (ci[1] - ci[0]) / (2 * studentTQuantile(0.975, Infinity)), df: Infinity, predicted };
}

export const pointInterval = (p: FormulaPoint): [number, number] => twoSidedInterval(p);

/**
 * formula, at m settings with predictions g:
 *   supported  at every setting the value is inside g (1 +- relTol) by two one-sided tests at ALPHA (an intersection of
 *              tests, so no multiplicity correction is needed for "all settings agree");
 *   refuted    at some setting, by a test at ALPHA / m (Bonferroni): the value is outside the band, or, for an exact
 *              identity, differs from g at all (two-sided);
 *   otherwise  inconclusive: an interval too wide for the margin (more samples needed).
 */
export function formulaVerdict(
  claim: Claim & { relTol: number; exact: boolean },
  points: FormulaPoint[],
  arm = claim.arm,
): Verdict {
  if (!points.length) throw new Error(`claim ${claim.id}: the formula rule has no setting to test`);
  const rel = (p: FormulaPoint) => Math.abs(p.estimate - p.predicted) / Math.abs(p.predicted);
  const worst = points.reduce((w, p) => (rel(p) > rel(w) ? p : w), points[0]!);
  const evidence = { points: points.map((p) => ({ ...p, ci: pointInterval(p) })) };
  const base = {
    claim: claim.id,
    kind: claim.kind,
    arm,
    estimate: worst.estimate,
    ci: pointInterval(worst),
    evidence,
  } as const;
  if (!points.length)
    return { ...base, estimate: NaN, ci: null, verdict: 'inconclusive', reason: 'no setting to judge' };
  if (points.some((p) => !Number.isFinite(p.estimate) || !Number.isFinite(p.se)))
    return { ...base, verdict: 'invalid', reason: 'an estimate is not finite' };
  const m = points.length;
  const band = (p: FormulaPoint): [number, number] => {
    const h = claim.relTol * Math.abs(p.predicted);
    return [p.predicted - h, p.predicted + h];
  };
  const against = points.map((p) => {
    const [lo, hi] = band(p);
    const outside = Math.min(pAbove(p, hi), pBelow(p, lo));
    const differs = claim.exact ? 2 * Math.min(pAbove(p, p.predicted), pBelow(p, p.predicted)) : 1;
    return { p, pv: Math.min(outside, differs) };
  });
  const pRefute = Math.min(1, m * Math.min(...against.map((x) => x.pv)));
  const refute = against.filter((x) => x.pv <= ALPHA / m);
  const say = (p: FormulaPoint) => {
    const [lo, hi] = pointInterval(p);
    return (
      `${p.setting}: ${fmt(p.estimate)} [${fmt(lo)}, ${fmt(hi)}] vs ${fmt(p.predicted)} ` +
      `(relative error ${rel(p).toExponential(2)})`
    );
  };
  if (refute.length) {
    const f = refute[0]!.p;
    return {
      ...base,
      estimate: f.estimate,
      ci: pointInterval(f),
      verdict: 'refuted',
      pRefute,
      reason:
        `${say(f)}: ${claim.exact ? 'differs significantly' : `outside +-${claim.relTol}`} ` +
        `(p = ${refute[0]!.pv.toExponential(1)} <= ${fmtLevel(ALPHA)}/${m})`,
    };
  }
  // TOST per setting; the claim's p-value is the largest over settings (all must agree).
  const tostP = Math.max(...points.map((p) => tostPValue(p, band(p))));
  if (tostP <= ALPHA)
    return {
      ...base,
      verdict: 'supported',
      pSupport: tostP,
      pRefute,
      reason: `${m} setting(s) inside +-${claim.relTol} by two one-sided tests; worst ${say(worst)}`,
    };
  const vague = points.find((p) => tostPValue(p, band(p)) > ALPHA)!;
  return {
    ...base,
    estimate: vague.estimate,
    ci: pointInterval(vague),
    verdict: 'inconclusive',
    pSupport: tostP,
    pRefute,
    reason: `${say(vague)}: the interval is not inside +-${claim.relTol}`,
  };
}

/** Two one-sided tests that the value lies inside [lo, hi]: small when it surely does. */
function tostPValue(p: FormulaPoint, [lo, hi]: [number, number]): number {
  return Math.max(pAbove(p, lo), pBelow(p, hi));
}

export interface LimitEvidence {
  rate: RateFit;
  /** Extrapolated distance at n -> infinity from d = c + b n^p with p the claimed exponent. */
  limit: SlopeInterval;
}

/**
 * limit: the distance d(n) to the analytic object is O(n^p) (the rate rule with mode upper), and its extrapolated value
 * at infinite width, c in d = c + b n^p, is not significantly above 0. Refuted by a refuted rate or c surely > 0.
 */
export function limitVerdict(
  claim: Claim & { exponent: number; tol: number },
  evidence: LimitEvidence,
  arm = claim.arm,
): Verdict {
  const { rate, limit } = evidence;
  const asRate: RateClaim = { ...(claim as unknown as RateClaim), kind: 'rate', mode: 'upper' };
  const r = rateVerdict(asRate, rate, arm);
  const text =
    `${r.reason}; extrapolated distance ${limit.estimate.toExponential(2)} ` +
    `[${limit.ci[0].toExponential(2)}, ${limit.ci[1].toExponential(2)}]`;
  const base = { ...r, kind: claim.kind, evidence: { ...evidence }, reason: text };
  if (r.verdict === 'invalid' || (r.verdict === 'inconclusive' && rateGuard(rate))) return base;
  const plateau = pAbove(limit, 0);
  // Refuted by the rate (its own p-value) or by a plateau above 0 at ALPHA / 2.
  const pRefute = Math.min(r.pRefute ?? 1, Math.min(1, 2 * plateau));
  if (r.verdict === 'refuted' || plateau <= ALPHA / 2) return { ...base, verdict: 'refuted', pRefute };
  return { ...base, verdict: r.verdict, pRefute };
}

/**
 * positivity (a minimum eigenvalue, over a family): supported when every value is above the float floor; refuted when a
 * value
 * is below -floor (by Weyl's inequality the matrix then surely has a negative eigenvalue: certified not positive
 * semi-definite)
 * or when a value in [-floor, floor] comes with an independent certificate of singularity (a symbolic rank bound, an
 * exact
 * odd/even structure); otherwise float precision cannot resolve it and the verdict is inconclusive.
 */
export function positivityVerdict(
  claim: Claim,
  search: {
    minimum: number;
    trials: number;
    counterexample?: unknown;
    certifiedSingular?: boolean;
    floor: number;
    table?: EvidenceTable;
  },
  arm = claim.arm,
): Verdict {
  const base = { claim: claim.id, kind: claim.kind, arm, estimate: search.minimum, ci: null, evidence: { ...search } };
  if (!Number.isFinite(search.minimum)) return { ...base, verdict: 'invalid', reason: 'the minimum is not finite' };
  if (search.minimum < -search.floor)
    return {
      ...base,
      verdict: 'refuted',
      reason:
        `minimum ${search.minimum.toExponential(3)} < -floor ` +
        `${(-search.floor).toExponential(1)}: certified negative (Weyl) after ` +
        `${search.trials} trials`,
    };
  if (search.minimum <= search.floor) {
    if (search.counterexample !== undefined && search.certifiedSingular) {
      return {
        ...base,
        verdict: 'refuted',
        reason:
          `certified counterexample: minimum ${search.minimum.toExponential(3)} <= floor ` +
          `${search.floor.toExponential(1)} after ${search.trials} trials`,
      };
    }
    return {
      ...base,
      verdict: 'inconclusive',
      reason:
        `minimum ${search.minimum.toExponential(3)} is within the float floor ` +
        `+-${search.floor.toExponential(1)} with no independent certificate of singularity: ` +
        `float precision cannot resolve it`,
    };
  }
  return {
    ...base,
    verdict: 'supported',
    reason:
      `no counterexample in ${search.trials} trials; smallest value ` +
      `${search.minimum.toExponential(3)} > floor ${search.floor.toExponential(1)}`,
  };
}

/** A table of evidence a report can show as it is (data, not formatting). */
export interface EvidenceTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/** identity: supported if it simplifies to 0 symbolically, or holds at every sampled point within tol (float error). */
export function identityVerdict(
  claim: Claim & { tol: number },
  check: { simplifiesToZero: boolean; maxError: number; points: number },
  arm = claim.arm,
): Verdict {
  const base = { claim: claim.id, kind: claim.kind, arm, estimate: check.maxError, ci: null, evidence: { ...check } };
  if (!Number.isFinite(check.maxError)) return { ...base, verdict: 'invalid', reason: 'a sampled value is not finite' };
  if (check.maxError > claim.tol)
    return {
      ...base,
      verdict: 'refuted',
      reason: `error ${check.maxError.toExponential(2)} > ${claim.tol} at one of ${check.points} points`,
    };
  const how = check.simplifiesToZero ? 'simplifies to 0 symbolically and ' : '';
  return {
    ...base,
    verdict: 'supported',
    reason: `${how}holds at ${check.points} sampled points (max error ${check.maxError.toExponential(2)})`,
  };
}

/**
 * identity, the generic rule: the largest error any cell of the arm found, for the identity (`observable`) and for each
 * step of its derivation (each step's own observable). Supported when all are at most tol; refuted naming the first
 * step (or the identity) above it; invalid when a cell lacks one or one is not finite.
 */
export function identityRuleVerdict(
  claim: IdentityClaim,
  observations: readonly Partial<Record<string, number>>[],
  arm = claim.arm,
): Verdict {
  const worst = (o: string) => Math.max(...observations.map((x) => x[o] ?? NaN));
  const steps = (claim.derivation?.steps ?? []).map((s, i) => ({
    step: i + 1,
    why: s.why,
    observable: s.observable,
    maxError: worst(s.observable),
  }));
  const maxError = worst(claim.observable);
  const base = {
    claim: claim.id,
    kind: claim.kind,
    arm,
    estimate: maxError,
    ci: null,
    evidence: { maxError, cells: observations.length, steps },
  };
  if (!observations.length) return { ...base, verdict: 'invalid', reason: 'no cell of the arm finished' };
  const missing = [{ observable: claim.observable, maxError }, ...steps].find((s) => !Number.isFinite(s.maxError));
  if (missing)
    return { ...base, verdict: 'invalid', reason: `${missing.observable} is missing or not finite in a cell` };
  const where = `${observations.length} cell${observations.length > 1 ? 's' : ''}`;
  if (maxError > claim.tol)
    return {
      ...base,
      verdict: 'refuted',
      reason: `error ${maxError.toExponential(2)} > ${claim.tol} at a point of ${where}`,
    };
  const failing = steps.find((s) => s.maxError > claim.tol);
  if (failing)
    return {
      ...base,
      verdict: 'refuted',
      reason:
        `the ends agree (${maxError.toExponential(2)}) but step ${failing.step} of the derivation (${failing.why}) ` +
        `is off by ${failing.maxError.toExponential(2)} > ${claim.tol}`,
    };
  const worstStep = Math.max(...steps.map((s) => s.maxError));
  const stepText = steps.length
    ? `; each of the ${steps.length} steps of its derivation to ${worstStep.toExponential(2)}`
    : '';
  return {
    ...base,
    verdict: 'supported',
    reason: `holds at every sampled point of ${where} (max error ${maxError.toExponential(2)})${stepText}`,
  };
}

/** computed: a deterministic check (no sampling error) with its series as evidence. */
export function computedVerdict(
  claim: Claim,
  result: { holds: boolean; estimate: number; reason: string; table: EvidenceTable },
  arm = claim.arm,
): Verdict {
  const base = {
    claim: claim.id,
    kind: claim.kind,
    arm,
    estimate: result.estimate,
    ci: null,
    evidence: { table: result.table },
  };
  if (!Number.isFinite(result.estimate))
    return { ...base, verdict: 'invalid', reason: 'a computed value is not finite' };
  return { ...base, verdict: result.holds ? 'supported' : 'refuted', reason: result.reason };
}

/**
 * classification: each arm's fitted rate is tested against every class (the rate rules with the class's mode, exponent
 * and tolerance). An arm is classified when exactly one class is supported; its p-value is k x the smallest of its k
 * classes' (Bonferroni over the choice of class), and the claim's is the largest over arms (intersection-union).
 */
export function classificationVerdict(
  claim: ClassificationClaim,
  fits: { arm: string; fit: RateFit }[],
  alpha = ALPHA,
): Verdict {
  if (!fits.length || !claim.classes.length)
    throw new Error(`claim ${claim.id}: the classification rule has no arm or no class to test`);
  const base = { claim: claim.id, kind: claim.kind, arm: fits[0]?.arm ?? claim.arm, ci: null } as const;
  const perArm = fits.map(({ arm, fit }) => {
    const tests = claim.classes.map((c) => ({
      c,
      v: rateVerdict({ ...claim, kind: 'rate', mode: c.mode, exponent: c.exponent, tol: c.tol }, fit, arm, alpha),
    }));
    const supported = tests.filter((t) => t.v.verdict === 'supported');
    const refuted = tests.filter((t) => t.v.verdict === 'refuted');
    const p = Math.min(1, claim.classes.length * Math.min(...tests.map((t) => t.v.pSupport ?? 1)));
    return { arm, fit, tests, supported, refuted, p };
  });
  const table: EvidenceTable = {
    title: 'class of each arm',
    columns: ['arm', 'slope', '95% CI', ...claim.classes.map((c) => c.title), 'class'],
    rows: perArm.map((a) => [
      a.arm,
      a.fit.slope.estimate,
      `[${fmt(a.fit.slope.ci[0])}, ${fmt(a.fit.slope.ci[1])}]`,
      ...a.tests.map((t) => t.v.verdict),
      a.supported.length === 1
        ? a.supported[0]!.c.title
        : a.supported.length > 1
          ? 'both'
          : a.refuted.length === a.tests.length
            ? 'none'
            : 'undecided',
    ]),
  };
  const classified = perArm.filter((a) => a.supported.length === 1).length;
  const result = { ...base, estimate: classified, evidence: { table } };
  const invalid = perArm.find((a) => a.tests.some((t) => t.v.verdict === 'invalid'));
  if (invalid)
    return {
      ...result,
      verdict: 'invalid',
      reason: `${invalid.arm}: ${invalid.tests.find((t) => t.v.verdict === 'invalid')!.v.reason}`,
    };
  const pSupport = Math.max(...perArm.map((a) => a.p));
  const both = perArm.find((a) => a.supported.length > 1);
  if (both)
    return {
      ...result,
      verdict: 'refuted',
      pSupport,
      reason: `${both.arm} is in ${both.supported.map((t) => t.c.title).join(' and ')} at once`,
    };
  const none = perArm.find((a) => a.refuted.length === a.tests.length);
  if (none)
    return {
      ...result,
      verdict: 'refuted',
      pSupport,
      reason: `${none.arm} is in no class: ${none.tests.map((t) => `${t.c.title} refuted (${t.v.reason})`).join('; ')}`,
    };
  const summary = perArm
    .map(
      (a) =>
        `${a.arm}: ${a.supported.length === 1 ? a.supported[0]!.c.title : 'undecided'} ` +
        `(slope ${fmt(a.fit.slope.estimate)})`,
    )
    .join('; ');
  if (classified === perArm.length && pSupport <= alpha)
    return { ...result, verdict: 'supported', pSupport, reason: `every arm in exactly one class: ${summary}` };
  return {
    ...result,
    verdict: 'inconclusive',
    pSupport,
    reason: `${perArm.length - classified} of ${perArm.length} arm(s) not classified at 95%: ${summary}`,
  };
}

/**
 * Adjacent settings compared on log values (Welch's interval of the difference of mean logs), each pair with a claimed
 * sign: the common rule of peaks and trends. Supported when every pair is significant at ALPHA (an intersection-union
 * test: p = the largest pair p-value); refuted when some pair is significantly of the opposite sign at
 * ALPHA / (2 x pairs) (Bonferroni); inconclusive otherwise.
 */
function adjacentSignsVerdict(
  claim: PeakClaim | TrendClaim,
  series: WidthSeries,
  arm: string,
  alpha: number,
  axis: Pick<SizeAxis, 'symbol' | 'factor'>,
  rises: (pair: number) => boolean,
  what: { estimate: (means: number[]) => number; supported: string; tail: (means: number[]) => string },
): Verdict {
  const base = { claim: claim.id, kind: claim.kind, arm, ci: null } as const;
  const nonPositive = series.values.flat().filter((v) => !(v > 0)).length;
  if (nonPositive)
    return {
      ...base,
      estimate: NaN,
      verdict: 'invalid',
      reason: `${nonPositive} value(s) are not positive: the claim is judged on log values`,
      evidence: {},
    };
  const logs = series.values.map((g) => g.map(Math.log));
  const means = logs.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
  const estimate = what.estimate(means);
  const seeds = Math.min(...logs.map((g) => g.length));
  if (seeds < MIN_SEEDS)
    return {
      ...base,
      estimate,
      verdict: 'inconclusive',
      reason: `only ${seeds} seed(s) at some setting; at least ${MIN_SEEDS} are needed`,
      evidence: {},
    };
  if (series.widths.length < 2)
    return { ...base, estimate, verdict: 'invalid', reason: 'fewer than two settings to compare', evidence: {} };
  const pairs = series.widths.slice(1).map((w, k) => {
    const rising = rises(k);
    const d = meanDifference(logs[k]!, logs[k + 1]!);
    return {
      from: series.widths[k]! * axis.factor,
      to: w * axis.factor,
      rising,
      d,
      p: rising ? pAbove(d, 0) : pBelow(d, 0),
      against: rising ? pBelow(d, 0) : pAbove(d, 0),
    };
  });
  const table: EvidenceTable = {
    title: `adjacent settings (${axis.symbol}): difference of mean log values`,
    columns: ['from', 'to', 'claimed', 'difference', '95% CI', 'p'],
    rows: pairs.map((x) => [
      x.from,
      x.to,
      x.rising ? 'rises' : 'falls',
      x.d.estimate,
      `[${fmt(x.d.ci[0])}, ${fmt(x.d.ci[1])}]`,
      x.p,
    ]),
  };
  const pSupport = Math.max(...pairs.map((x) => x.p));
  const pRefute = Math.min(1, 2 * pairs.length * Math.min(...pairs.map((x) => x.against)));
  const result = { ...base, estimate, pSupport, pRefute, evidence: { table } };
  const reversed = pairs.find((x) => x.against <= alpha / (2 * pairs.length));
  if (reversed)
    return {
      ...result,
      verdict: 'refuted',
      reason:
        `from ${reversed.from} to ${reversed.to} the value surely ` +
        `${reversed.rising ? 'falls' : 'rises'} (difference of mean logs ` +
        `${fmt(reversed.d.estimate)} [${fmt(reversed.d.ci[0])}, ` +
        `${fmt(reversed.d.ci[1])}])${what.tail(means)}`,
    };
  if (pSupport <= alpha)
    return {
      ...result,
      verdict: 'supported',
      reason: `${what.supported} (largest pair p-value ${pSupport.toExponential(2)})`,
    };
  const weak = pairs.find((x) => x.p > alpha)!;
  return {
    ...result,
    verdict: 'inconclusive',
    reason:
      `from ${weak.from} to ${weak.to} the claimed ${weak.rising ? 'rise' : 'fall'} is not ` +
      `significant (p = ${fmt(weak.p)})${what.tail(means)}`,
  };
}

/**
 * peak: for every pair of adjacent widths, Welch's interval of the difference of mean logs must have the claimed sign
 * (rising up to `at`, falling after it); the rule of `adjacentSignsVerdict`. The estimate is the width with the largest
 * mean log.
 */
export function peakVerdict(
  claim: PeakClaim,
  series: WidthSeries,
  arm = claim.arm,
  alpha = ALPHA,
  axis: Pick<SizeAxis, 'symbol' | 'factor'> = WIDTH_AXIS,
): Verdict {
  const at = (w: number) => `${axis.symbol} = ${w * axis.factor}`;
  const top = (means: number[]) => series.widths[means.indexOf(Math.max(...means))]! * axis.factor;
  const atIndex = series.widths.indexOf(claim.at);
  if (atIndex < 0)
    return {
      claim: claim.id,
      kind: claim.kind,
      arm,
      ci: null,
      estimate: NaN,
      verdict: 'invalid',
      reason: `the claimed peak ${at(claim.at)} is not a setting of the plan`,
      evidence: {},
    };
  return adjacentSignsVerdict(claim, series, arm, alpha, axis, (k) => k + 1 <= atIndex, {
    estimate: top,
    supported: `rises up to ${at(claim.at)} and falls after it at every step`,
    tail: (means) => `; largest at ${axis.symbol} = ${top(means)}`,
  });
}

/**
 * trend: the observable falls (or rises) at every step between adjacent settings, e.g. the effective rank against
 * depth;
 * the rule of `adjacentSignsVerdict`. The estimate is the ratio of the geometric means at the last and first settings.
 */
export function trendVerdict(
  claim: TrendClaim,
  series: WidthSeries,
  arm = claim.arm,
  alpha = ALPHA,
  axis: Pick<SizeAxis, 'symbol' | 'factor'> = WIDTH_AXIS,
): Verdict {
  const increasing = claim.direction === 'increasing';
  return adjacentSignsVerdict(claim, series, arm, alpha, axis, () => increasing, {
    estimate: (means) => Math.exp(means.at(-1)! - means[0]!),
    supported: `${increasing ? 'rises' : 'falls'} at every step of ${axis.symbol}`,
    tail: () => '',
  });
}

/**
 * bound: at every setting the mean must be surely on the claimed side of the bound (one-sided t test at ALPHA; the
 * claim's p-value is the largest over settings, an intersection-union test); refuted when some setting is surely on
 * the other side at ALPHA / (2 m) (Bonferroni over the m settings).
 */
export function boundVerdict(claim: BoundClaim, points: FormulaPoint[], arm = claim.arm, alpha = ALPHA): Verdict {
  const below = claim.side === 'below';
  const evidence = { points: points.map((p) => ({ ...p, ci: pointInterval(p) })) };
  const base = { claim: claim.id, kind: claim.kind, arm, evidence } as const;
  if (!points.length)
    return { ...base, estimate: NaN, ci: null, verdict: 'inconclusive', reason: 'no setting to judge' };
  if (points.some((p) => !Number.isFinite(p.estimate) || !Number.isFinite(p.se) || !Number.isFinite(p.predicted)))
    return { ...base, estimate: NaN, ci: null, verdict: 'invalid', reason: 'an estimate or a bound is not finite' };
  const tests = points.map((p) => ({
    p,
    support: below ? pBelow(p, p.predicted) : pAbove(p, p.predicted),
    against: below ? pAbove(p, p.predicted) : pBelow(p, p.predicted),
  }));
  const worst = tests.reduce((w, t) => (t.support > w.support ? t : w), tests[0]!);
  const say = (p: FormulaPoint) => {
    const [lo, hi] = pointInterval(p);
    return `${p.setting}: ${fmt(p.estimate)} [${fmt(lo)}, ${fmt(hi)}] vs bound ${fmt(p.predicted)}`;
  };
  const m = points.length;
  const pRefute = Math.min(1, 2 * m * Math.min(...tests.map((t) => t.against)));
  const result = {
    ...base,
    estimate: worst.p.estimate,
    ci: pointInterval(worst.p),
    pSupport: worst.support,
    pRefute,
  };
  const broken = tests.find((t) => t.against <= alpha / (2 * m));
  if (broken)
    return {
      ...result,
      estimate: broken.p.estimate,
      ci: pointInterval(broken.p),
      verdict: 'refuted',
      reason:
        `${say(broken.p)}: surely ${below ? 'above' : 'below'} the bound (p = ` +
        `${broken.against.toExponential(1)} <= ${fmtLevel(alpha)}/${2 * m})`,
    };
  if (worst.support <= alpha)
    return {
      ...result,
      verdict: 'supported',
      reason: `${m} setting(s) surely ${below ? 'below' : 'above'} the bound; closest ${say(worst.p)}`,
    };
  return {
    ...result,
    verdict: 'inconclusive',
    reason: `${say(worst.p)}: not surely ${below ? 'below' : 'above'} the bound (p = ${fmt(worst.support)})`,
  };
}
