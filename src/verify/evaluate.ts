import { groupedBootstrap } from '../stats/bootstrap.ts';
import { mean } from '../stats/moments.ts';
import { extrapolateToInfinity, fitRate, type WidthSeries } from '../stats/rate-fit.ts';
import type { Ablation, Claim } from './claims.ts';
import { armWidths, type CellResult, type SweepPlan, type TheoremCheck } from './experiment.ts';
import { formulaVerdict, invalidVerdict, limitVerdict, rateVerdict, type FormulaPoint, type Verdict } from './verdicts.ts';

/**
 * From raw cells to verdicts: the same function runs after a sweep and in `tdlv audit`, so a
 * certificate's verdicts can always be recomputed from its observations. Deterministic: the
 * bootstrap streams are addressed by (theorem, claim, arm).
 */
export interface AblationResult {
  ablation: string;
  verdicts: Verdict[];
}

export interface Evaluation {
  verdicts: Verdict[];
  ablations: AblationResult[];
}

function series(cells: CellResult[], arm: string, observable: string, plan: SweepPlan): WidthSeries {
  const widths = armWidths(plan, arm);
  return {
    widths,
    values: widths.map((w) => cells.filter((c) => c.arm === arm && c.width === w).map((c) => c.observation[observable]!)),
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

export function evaluateClaim(check: TheoremCheck, claim: Claim, arm: string, cells: CellResult[], plan: SweepPlan): Verdict {
  return check.evaluateClaim?.(claim, arm, cells, plan) ?? defaultVerdict(check, claim, arm, cells, plan);
}

/**
 * The generic rules, per width series of the claim's observable: rate and limit fits, and formula
 * estimates bootstrapped over seeds. A theorem's own evaluateClaim may call it on a subset of cells.
 */
export function defaultVerdict(check: TheoremCheck, claim: Claim, arm: string, cells: CellResult[], plan: SweepPlan): Verdict {
  const bad = invalidCells(cells, arm, claim.observable);
  if (bad.length) return invalidVerdict(claim, arm, bad);
  const address = { theorem: check.statement.id, claim: claim.id, arm };
  const s = series(cells, arm, claim.observable, plan);
  const seeds = Math.min(...s.values.map((v) => v.length));
  const floor = check.floor ? (w: number) => check.floor!(claim.observable, w, plan) : undefined;
  switch (claim.kind) {
    case 'rate':
      return rateVerdict(claim, fitRate(s, { address, floor }), seeds, arm);
    case 'limit':
      return limitVerdict(claim, { rate: fitRate(s, { address, floor }), limit: extrapolateToInfinity(s, claim.exponent, address) }, seeds, arm);
    case 'formula': {
      const predicted = series(cells, arm, claim.predicted, plan);
      const points: FormulaPoint[] = s.widths.map((w, k) => {
        const r = groupedBootstrap([s.values[k]!], (g) => mean(g[0]!), { address: { ...address, width: w } });
        return { setting: `n = ${w}`, estimate: r.estimate, ci: r.ci, predicted: mean(predicted.values[k]!) };
      });
      return formulaVerdict(claim, points, arm);
    }
    default:
      throw new Error(`${check.statement.id}: claim ${claim.id} of kind ${claim.kind} needs the theorem's evaluateClaim`);
  }
}

function ablationVerdicts(check: TheoremCheck, ablation: Ablation, cells: CellResult[], plan: SweepPlan): Verdict[] {
  return check.statement.claims.filter((c) => c.arm === ablation.baseArm).map((c) => evaluateClaim(check, c, ablation.arm, cells, plan));
}

export function evaluate(check: TheoremCheck, cells: CellResult[], plan: SweepPlan): Evaluation {
  return {
    verdicts: check.statement.claims.map((c) => evaluateClaim(check, c, c.arm, cells, plan)),
    ablations: check.statement.ablations.map((a) => ({ ablation: a.id, verdicts: ablationVerdicts(check, a, cells, plan) })),
  };
}
