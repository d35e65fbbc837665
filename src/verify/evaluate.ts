/** From cells to verdicts: the generic rules per claim kind, the theorems' judges, ablations and the Holm family. */
import { ALPHA } from '../stats/level.ts';
import { extrapolateToInfinity, fitRate, meanInterval, type WidthSeries } from '../stats/rate-fit.ts';
import { sizeAxis, type Ablation, type Claim, type TheoremStatement } from './claims.ts';
import { armWidths, type CellResult, type SweepPlan, type TheoremCheck } from './experiment.ts';
import {
  boundVerdict,
  classificationVerdict,
  formulaVerdict,
  identityRuleVerdict,
  invalidVerdict,
  limitVerdict,
  peakVerdict,
  rateVerdict,
  trendVerdict,
  type FormulaPoint,
  type Verdict,
} from './verdicts.ts';

/**
 * From raw cells to verdicts: the same function runs after a sweep and in `tdlv audit`, so a
 * certificate's verdicts can always be recomputed from its observations. Deterministic.
 */
export interface AblationResult {
  ablation: string;
  verdicts: Verdict[];
}

/**
 * Multiplicity: the theorem's main Monte Carlo claims (theorem claims, not exploratory or computed ones) form one
 * family;
 * Holm's step-down adjustment of their support p-values controls the chance of calling any false claim supported at
 * ALPHA.
 */
export interface FamilyEntry {
  claim: string;
  arm: string;
  p: number;
  /** Holm-adjusted p-value. */
  adjusted: number;
  /** Supported by its own test and still after the adjustment. */
  supportedAfterAdjustment: boolean;
}

export interface Family {
  method: 'holm';
  alpha: number;
  entries: FamilyEntry[];
}

export interface Evaluation {
  verdicts: Verdict[];
  ablations: AblationResult[];
  family: Family;
}

function series(cells: CellResult[], arm: string, observable: string, plan: SweepPlan): WidthSeries {
  const widths = armWidths(plan, arm);
  return {
    widths,
    values: widths.map((w) =>
      cells.filter((c) => c.arm === arm && c.width === w).map((c) => c.observation[observable]!),
    ),
  };
}

/**
 * Cells whose value of `observable` is missing or not finite. A diverged cell keeps the observables
 * it measured before diverging (those at initialization), which stay valid data.
 */
function invalidCells(cells: CellResult[], arm: string, observable: string) {
  return cells
    .filter((c) => c.arm === arm)
    .filter((c) => !Number.isFinite(c.observation[observable]))
    .map((c) => ({ width: c.width, seed: c.seed, why: c.why ?? `${observable} = ${c.observation[observable]}` }));
}

export function evaluateClaim(
  check: TheoremCheck,
  claim: Claim,
  arm: string,
  cells: CellResult[],
  plan: SweepPlan,
): Verdict {
  const own = check.judges?.[claim.id];
  if (!own) return defaultVerdict(check, claim, arm, cells, plan);
  if (own.kind !== claim.kind)
    throw new Error(`claim ${claim.id} is a ${claim.kind} claim; its judge is for ${own.kind}`);
  return own.verdict(claim as never, arm, cells, plan);
}

/**
 * The generic rules, per width series of the claim's observable: rate and limit fits, and formula
 * estimates (t interval over seeds) per width. A theorem's own judge may call it on a subset of cells.
 */
export function defaultVerdict(
  check: TheoremCheck,
  claim: Claim,
  arm: string,
  cells: CellResult[],
  plan: SweepPlan,
): Verdict {
  const bad = invalidCells(cells, arm, claim.observable);
  if (bad.length) return invalidVerdict(claim, arm, bad);
  const s = series(cells, arm, claim.observable, plan);
  const floor = check.floor ? (w: number) => check.floor!(claim.observable, w, plan) : undefined;
  switch (claim.kind) {
    case 'rate':
      return rateVerdict(
        claim,
        fitRate(s, { floor, estimand: claim.estimand }),
        arm,
        ALPHA,
        sizeAxis(check.statement, arm),
      );
    case 'limit':
      return limitVerdict(claim, { rate: fitRate(s, { floor }), limit: extrapolateToInfinity(s, claim.exponent) }, arm);
    case 'formula':
      return formulaVerdict(claim, formulaPoints(check, claim.predicted, s, cells, arm, plan), arm);
    case 'bound':
      return boundVerdict(claim, formulaPoints(check, claim.predicted, s, cells, arm, plan), arm);
    case 'peak':
      return peakVerdict(claim, s, arm, ALPHA, sizeAxis(check.statement, arm));
    case 'trend':
      return trendVerdict(claim, s, arm, ALPHA, sizeAxis(check.statement, arm));
    case 'classification': {
      // Under an ablation `arm` replaces the claim's first arm.
      const arms = [arm, ...claim.arms.slice(1)];
      const bad = arms.flatMap((a) =>
        invalidCells(cells, a, claim.observable).map((b) => ({ ...b, why: `${a}: ${b.why}` })),
      );
      if (bad.length) return invalidVerdict(claim, arm, bad);
      return classificationVerdict(
        claim,
        arms.map((a) => ({ arm: a, fit: fitRate(series(cells, a, claim.observable, plan), { floor }) })),
      );
    }
    case 'identity':
      return identityRuleVerdict(
        claim,
        cells.filter((c) => c.arm === arm && c.status === 'ok').map((c) => c.observation),
        arm,
      );
    case 'positivity':
    case 'computed':
      throw new Error(
        `${check.statement.id}: claim ${claim.id} of kind ${claim.kind} needs a judge of the theorem's own (judges)`,
      );
  }
}

/** Per setting: the t interval of the observable's mean over seeds beside the mean of the predicted observable. */
function formulaPoints(
  check: TheoremCheck,
  predictedObservable: string,
  s: WidthSeries,
  cells: CellResult[],
  arm: string,
  plan: SweepPlan,
): FormulaPoint[] {
  const predicted = series(cells, arm, predictedObservable, plan);
  const axis = sizeAxis(check.statement, arm);
  return s.widths.map((w, k) => {
    const m = meanInterval(s.values[k]!);
    const g = predicted.values[k]!;
    return {
      setting: `${axis.symbol} = ${w * axis.factor}`,
      estimate: m.estimate,
      se: m.se,
      df: m.df,
      predicted: g.reduce((a, b) => a + b, 0) / g.length,
    };
  });
}

function ablationVerdicts(check: TheoremCheck, ablation: Ablation, cells: CellResult[], plan: SweepPlan): Verdict[] {
  return check.statement.claims
    .filter((c) => c.arm === ablation.baseArm)
    .map((c) => evaluateClaim(check, c, ablation.arm, cells, plan));
}

/** Holm's step-down adjustment: adjusted p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)). */
export function holm(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

export function familyOf(claims: readonly Claim[], verdicts: readonly Verdict[], alpha = ALPHA): Family {
  const members = verdicts.filter((v) => {
    const c = claims.find((x) => x.id === v.claim);
    return c?.theorem && c.standing !== 'computed' && v.pSupport !== undefined;
  });
  const adjusted = holm(members.map((v) => v.pSupport!));
  return {
    method: 'holm',
    alpha,
    entries: members.map((v, i) => ({
      claim: v.claim,
      arm: v.arm,
      p: v.pSupport!,
      adjusted: adjusted[i]!,
      supportedAfterAdjustment: v.verdict === 'supported' && adjusted[i]! <= alpha,
    })),
  };
}

/**
 * The claims that the cells of one arm decide: those made on the arm, and, for an ablation's arm, its base arm's claims
 * judged on it (what `evaluate` reports under the ablation).
 */
export function armClaims(statement: TheoremStatement, arm: string): { claim: Claim; ablation?: Ablation }[] {
  return [
    ...statement.claims.filter((c) => c.arm === arm).map((claim) => ({ claim })),
    ...statement.ablations
      .filter((a) => a.arm === arm)
      .flatMap((ablation) =>
        statement.claims.filter((c) => c.arm === ablation.baseArm).map((claim) => ({ claim, ablation })),
      ),
  ];
}

/** The verdicts of armClaims on the cells (a theorem's own judge may also read other arms' cells). */
export function armVerdicts(
  check: TheoremCheck,
  arm: string,
  cells: CellResult[],
  plan: SweepPlan,
): { verdict: Verdict; ablation?: Ablation }[] {
  return armClaims(check.statement, arm).map(({ claim, ablation }) => ({
    verdict: evaluateClaim(check, claim, arm, cells, plan),
    ablation,
  }));
}

export function evaluate(check: TheoremCheck, cells: CellResult[], plan: SweepPlan): Evaluation {
  const verdicts = check.statement.claims.map((c) => evaluateClaim(check, c, c.arm, cells, plan));
  return {
    verdicts,
    ablations: check.statement.ablations.map((a) => ({
      ablation: a.id,
      verdicts: ablationVerdicts(check, a, cells, plan),
    })),
    family: familyOf(check.statement.claims, verdicts),
  };
}
