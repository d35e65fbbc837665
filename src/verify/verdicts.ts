import type { RateFit } from '../stats/rate-fit.ts';
import type { Claim, RateClaim } from './claims.ts';

/**
 * Verdict rules (DESIGN.md table). A verdict always carries the numbers that decided it.
 *   rate/upper    supported if the CI upper end <= p + tol; refuted if the CI lower end > p + tol.
 *   rate/tight    supported if the CI lies inside [p - tol, p + tol]; refuted if it misses that interval.
 *   rate/vanishes supported if the CI upper end < 0; refuted if the CI lower end > -tol (the quantity
 *                 decays, if at all, slower than n^{-tol} over the measured widths: flat or growing).
 *                 DESIGN.md says "lower end >= 0"; that leaves a flat quantity, CI [-0.01, 0.01],
 *                 inconclusive forever, so the tolerance is used as for the other modes.
 * Anything else is inconclusive (the interval is too wide: more seeds or widths are needed).
 * A claim whose data contain NaN or a diverged run is `invalid`, never silently refitted.
 */
export type VerdictValue = 'supported' | 'refuted' | 'inconclusive' | 'invalid';

export interface Verdict {
  claim: string;
  kind: Claim['kind'];
  arm: string;
  verdict: VerdictValue;
  estimate: number;
  ci: [number, number];
  /** One sentence with the numbers that decided. */
  reason: string;
  /** Kind-specific evidence (fits, local slopes, counterexamples). */
  evidence: Record<string, unknown>;
}

/** At least this many seeds per width are needed before a rate is judged. */
export const MIN_SEEDS = 3;
/** At least this many widths above the float32 floor are needed for a slope. */
export const MIN_WIDTHS = 3;

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

export function rateVerdict(claim: RateClaim, fit: RateFit, seedsPerWidth: number, arm = claim.arm): Verdict {
  const { estimate, ci } = fit.slope;
  const base = { claim: claim.id, kind: claim.kind, arm, estimate, ci, evidence: { fit } } as const;
  if (seedsPerWidth < MIN_SEEDS) {
    return { ...base, verdict: 'inconclusive', reason: `only ${seedsPerWidth} seed(s) per width; at least ${MIN_SEEDS} are needed for an interval` };
  }
  if (fit.fitted.length < MIN_WIDTHS) {
    return {
      ...base,
      verdict: 'inconclusive',
      reason: `only ${fit.fitted.length} width(s) above the float32 floor (${fit.belowFloor.join(', ') || 'none'} below it); at least ${MIN_WIDTHS} are needed`,
    };
  }
  const [lo, hi] = ci;
  const p = claim.exponent;
  const t = claim.tol;
  const interval = `slope ${fmt(estimate)}, 95% CI [${fmt(lo)}, ${fmt(hi)}]`;
  if (claim.mode === 'upper') {
    if (hi <= p + t) return { ...base, verdict: 'supported', reason: `${interval}: upper end <= ${fmt(p + t)} = p + tol` };
    if (lo > p + t) return { ...base, verdict: 'refuted', reason: `${interval}: lower end > ${fmt(p + t)} = p + tol, decays slower than n^${p}` };
    return { ...base, verdict: 'inconclusive', reason: `${interval} straddles p + tol = ${fmt(p + t)}` };
  }
  if (claim.mode === 'tight') {
    if (lo >= p - t && hi <= p + t) return { ...base, verdict: 'supported', reason: `${interval} inside [${fmt(p - t)}, ${fmt(p + t)}]` };
    if (hi < p - t || lo > p + t) return { ...base, verdict: 'refuted', reason: `${interval} misses [${fmt(p - t)}, ${fmt(p + t)}]` };
    return { ...base, verdict: 'inconclusive', reason: `${interval} overlaps but is not inside [${fmt(p - t)}, ${fmt(p + t)}]` };
  }
  if (hi < 0) return { ...base, verdict: 'supported', reason: `${interval}: upper end < 0, the quantity vanishes` };
  if (lo > -t) return { ...base, verdict: 'refuted', reason: `${interval}: lower end > -tol = ${fmt(-t)}, the quantity does not decrease` };
  return { ...base, verdict: 'inconclusive', reason: `${interval} contains 0` };
}

/** The verdict of a claim whose cells contain NaN, infinities or diverged runs. */
export function invalidVerdict(claim: Claim, arm: string, bad: { width: number; seed: number; why: string }[]): Verdict {
  const widths = [...new Set(bad.map((b) => b.width))].sort((a, b) => a - b);
  return {
    claim: claim.id,
    kind: claim.kind,
    arm,
    verdict: 'invalid',
    estimate: NaN,
    ci: [NaN, NaN],
    reason: `${bad.length} cell(s) invalid at width(s) ${widths.join(', ')}: ${bad[0]!.why}`,
    evidence: { invalidCells: bad },
  };
}

export interface FormulaPoint {
  /** What the setting is (e.g. "L=4, n=16"). */
  setting: string;
  estimate: number;
  ci: [number, number];
  predicted: number;
}

/**
 * formula: at every setting the CI contains the prediction g (and is narrower than relTol |g|, so
 * that a uselessly wide interval cannot pass), or the relative error is below relTol. Refuted as soon
 * as one setting has its CI away from g and a relative error above relTol.
 */
export function formulaVerdict(claim: Claim & { relTol: number }, points: FormulaPoint[], arm = claim.arm): Verdict {
  const rel = (p: FormulaPoint) => Math.abs(p.estimate - p.predicted) / Math.abs(p.predicted);
  const worst = points.reduce((w, p) => (rel(p) > rel(w) ? p : w), points[0]!);
  const base = { claim: claim.id, kind: claim.kind, arm, estimate: worst.estimate, ci: worst.ci, evidence: { points } } as const;
  if (points.some((p) => !Number.isFinite(p.estimate))) return { ...base, verdict: 'invalid', reason: 'an estimate is not finite' };
  const failing = points.filter((p) => (p.ci[0] > p.predicted || p.ci[1] < p.predicted) && rel(p) >= claim.relTol);
  if (failing.length) {
    const f = failing[0]!;
    return { ...base, estimate: f.estimate, ci: f.ci, verdict: 'refuted', reason: `${f.setting}: ${fmt(f.estimate)} [${fmt(f.ci[0])}, ${fmt(f.ci[1])}] vs predicted ${fmt(f.predicted)} (relative error ${rel(f).toExponential(2)})` };
  }
  const vague = points.filter((p) => rel(p) >= claim.relTol && (p.ci[1] - p.ci[0]) / 2 > claim.relTol * Math.abs(p.predicted));
  if (vague.length) {
    const v = vague[0]!;
    return { ...base, estimate: v.estimate, ci: v.ci, verdict: 'inconclusive', reason: `${v.setting}: the CI [${fmt(v.ci[0])}, ${fmt(v.ci[1])}] contains ${fmt(v.predicted)} but is wider than the tolerance ${claim.relTol}` };
  }
  return { ...base, verdict: 'supported', reason: `${points.length} setting(s) agree; worst relative error ${rel(worst).toExponential(2)} at ${worst.setting}` };
}

export interface LimitEvidence {
  rate: RateFit;
  /** Extrapolated distance at n -> infinity from d = c + b n^p with p the claimed exponent. */
  limit: { estimate: number; ci: [number, number] };
}

/**
 * limit: the distance shrinks at the stated rate (slope CI upper end <= p + tol) and its extrapolated
 * value at infinite width is 0 within its CI. Refuted if the slope is surely slower or the limit surely > 0.
 */
export function limitVerdict(claim: Claim & { exponent: number; tol: number }, evidence: LimitEvidence, seedsPerWidth: number, arm = claim.arm): Verdict {
  const { rate, limit } = evidence;
  const [lo, hi] = rate.slope.ci;
  const p = claim.exponent;
  const base = { claim: claim.id, kind: claim.kind, arm, estimate: rate.slope.estimate, ci: rate.slope.ci, evidence: { ...evidence } } as const;
  const text = `slope ${fmt(rate.slope.estimate)} [${fmt(lo)}, ${fmt(hi)}], extrapolated distance ${limit.estimate.toExponential(2)} [${limit.ci[0].toExponential(2)}, ${limit.ci[1].toExponential(2)}]`;
  if (seedsPerWidth < MIN_SEEDS || rate.fitted.length < MIN_WIDTHS) return { ...base, verdict: 'inconclusive', reason: `too few seeds or widths: ${text}` };
  if (lo > p + claim.tol || limit.ci[0] > 0) return { ...base, verdict: 'refuted', reason: text };
  if (hi <= p + claim.tol && limit.ci[0] <= 0 && limit.ci[1] >= 0) return { ...base, verdict: 'supported', reason: text };
  return { ...base, verdict: 'inconclusive', reason: text };
}

/**
 * positivity: supported when every value is above the float floor. A value at or below the floor is a
 * counterexample only when its singularity is certified independently (a symbolic rank bound, an exact
 * odd/even structure); otherwise float64 simply cannot resolve it and the verdict is inconclusive.
 */
export function positivityVerdict(
  claim: Claim,
  search: { minimum: number; trials: number; counterexample?: unknown; certifiedSingular?: boolean; floor: number; table?: EvidenceTable },
  arm = claim.arm,
): Verdict {
  const base = { claim: claim.id, kind: claim.kind, arm, estimate: search.minimum, ci: [search.minimum, search.minimum] as [number, number], evidence: { ...search } };
  if (!Number.isFinite(search.minimum)) return { ...base, verdict: 'invalid', reason: 'the minimum is not finite' };
  if (search.minimum <= search.floor) {
    if (search.counterexample !== undefined && search.certifiedSingular) {
      return { ...base, verdict: 'refuted', reason: `certified counterexample: minimum ${search.minimum.toExponential(3)} <= floor ${search.floor.toExponential(1)} after ${search.trials} trials` };
    }
    return { ...base, verdict: 'inconclusive', reason: `minimum ${search.minimum.toExponential(3)} is below the floor ${search.floor.toExponential(1)} with no independent certificate of singularity: float precision cannot resolve it` };
  }
  return { ...base, verdict: 'supported', reason: `no counterexample in ${search.trials} trials; smallest value ${search.minimum.toExponential(3)} > floor ${search.floor.toExponential(1)}` };
}

/** A table of evidence a report can show as it is (data, not formatting). */
export interface EvidenceTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/** identity: supported if it simplifies to 0 symbolically, or holds at every sampled point within tol. */
export function identityVerdict(
  claim: Claim & { tol: number },
  check: { simplifiesToZero: boolean; maxError: number; points: number },
  arm = claim.arm,
): Verdict {
  const base = { claim: claim.id, kind: claim.kind, arm, estimate: check.maxError, ci: [0, check.maxError] as [number, number], evidence: { ...check } };
  if (!Number.isFinite(check.maxError)) return { ...base, verdict: 'invalid', reason: 'a sampled value is not finite' };
  if (check.maxError > claim.tol) return { ...base, verdict: 'refuted', reason: `error ${check.maxError.toExponential(2)} > ${claim.tol} at one of ${check.points} points` };
  const how = check.simplifiesToZero ? 'simplifies to 0 symbolically and ' : '';
  return { ...base, verdict: 'supported', reason: `${how}holds at ${check.points} sampled points (max error ${check.maxError.toExponential(2)})` };
}
