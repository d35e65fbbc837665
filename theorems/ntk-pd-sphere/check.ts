/** ntk-pd-sphere: plans, the cell dispatcher and the judges of positivity, identities and convergence. */
import { defineTheorem } from '../../src/verify/define.ts';
import { trainingFloor } from '../../src/numeric/precision.ts';
import type { Claim } from '../../src/verify/claims.ts';
import { defaultVerdict } from '../../src/verify/evaluate.ts';
import {
  perArmPlan,
  type CellResult,
  type CellTaskArgs,
  type Fidelity,
  type SweepPlan,
  type TheoremCheck,
  judge,
  type AnyJudge,
  type Settings,
} from '../../src/verify/experiment.ts';
import { identityVerdict, positivityVerdict, type EvidenceTable } from '../../src/verify/verdicts.ts';
import { empiricalCell } from './empirical-cells.ts';
import { gramCell, type GramRow } from './gram-cells.ts';
import { searchCell } from './search-cells.ts';
import { statement, type Arm, type Observable } from './statement.ts';
import { taylorCell } from './taylor-cells.ts';

type ArmPlans = NonNullable<SweepPlan<Settings, Arm>['armPlans']>;

const PLANS: Record<Fidelity, { armPlans: ArmPlans }> = {
  smoke: {
    armPlans: {
      gram: { widths: [8, 16], seeds: 1 },
      search: { widths: [25], seeds: 1 },
      'search-poly': { widths: [100], seeds: 1 },
      'search-nobias': { widths: [100], seeds: 1 },
      taylor: { widths: [24], seeds: 1 },
      'taylor-nobias': { widths: [24], seeds: 1 },
      empirical: { widths: [2, 16, 64, 256], seeds: 4 },
    },
  },
  quick: {
    armPlans: {
      gram: { widths: [16, 64, 128], seeds: 2 },
      search: { widths: [150], seeds: 2 },
      'search-poly': { widths: [300], seeds: 1 },
      'search-nobias': { widths: [300], seeds: 1 },
      taylor: { widths: [24], seeds: 1 },
      'taylor-nobias': { widths: [24], seeds: 1 },
      empirical: { widths: [2, 4, 8, 16, 64, 256, 1024], seeds: 8 },
    },
  },
  full: {
    armPlans: {
      // m = 256 on S^2 puts smooth-activation lambda_min below the float64 floor (1e-11 relative at m = 128).
      gram: { widths: [16, 64, 128], seeds: 8 },
      search: { widths: [1000], seeds: 4 },
      'search-poly': { widths: [1000], seeds: 2 },
      'search-nobias': { widths: [1000], seeds: 2 },
      taylor: { widths: [32], seeds: 1 },
      'taylor-nobias': { widths: [32], seeds: 1 },
      empirical: { widths: [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048], seeds: 32 },
    },
  },
};

/** Worker task. `width` is the point-set size (gram), the search budget (search), the Taylor order, or the network
 * width. */
export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellResult<Arm, Observable> {
  const start = performance.now();
  const { width, seed, arm } = cell;
  const run = () => {
    switch (arm) {
      case 'gram':
        return gramCell(width, seed);
      case 'search':
        return searchCell('hypotheses', seed, width);
      case 'search-poly':
        return searchCell('polynomial', seed, width);
      case 'search-nobias':
        return searchCell('no-bias', seed, width);
      case 'taylor':
        return taylorCell(width, true);
      case 'taylor-nobias':
        return taylorCell(width, false);
      case 'empirical':
        return empiricalCell(width, seed);
      default:
        throw new Error(`ntk-pd-sphere: unknown arm ${arm}`);
    }
  };
  const result = run();
  const bad = Object.entries(result.observation).find(([, v]) => Number.isNaN(v));
  return {
    ...cell,
    status: bad ? 'invalid' : 'ok',
    ...(bad ? { why: `${bad[0]} is NaN` } : {}),
    ...result,
    seconds: (performance.now() - start) / 1000,
  };
}

const EMPIRICAL_LIMIT_FROM = 16;

function base(claim: Claim, arm: string) {
  return { claim: claim.id, kind: claim.kind, arm };
}

/** The claims this theorem judges itself, by id (defineTheorem checks each against its claim). */
const judges: Record<string, AnyJudge<Settings, Arm, Observable>> = {
  'pd-random': judge('positivity', (claim, arm, cells, plan) => {
    const mine = cells.filter((c) => c.arm === arm);
    const minimum = Math.min(...mine.map((c) => c.observation.minMargin!));
    const rows = mine.flatMap((c) => (c.details as GramRow[]).map((r) => ({ ...r, m: c.width })));
    const keys = [...new Set(rows.map((r) => `${r.activation}|${r.d}|${r.depth}|${r.m}`))];
    const table: EvidenceTable = {
      title:
        'Smallest eigenvalue of the analytic NTK Gram over seeds (float64 floor: m eps ' +
        'lambda_max, margin = lambda_min / floor)',
      columns: ['activation', 'd', 'depth', 'm', 'min lambda_min', 'min lambda_min / lambda_max', 'min margin'],
      rows: keys.map((k) => {
        const group = rows.filter((r) => `${r.activation}|${r.d}|${r.depth}|${r.m}` === k);
        const g = group[0]!;
        return [
          g.activation,
          g.d,
          g.depth,
          g.m,
          Math.min(...group.map((r) => r.lambdaMin)),
          Math.min(...group.map((r) => r.lambdaMin / r.lambdaMax)),
          Math.min(...group.map((r) => r.margin)),
        ];
      }),
    };
    return positivityVerdict(claim, { minimum, trials: rows.length, floor: 1, table }, arm);
  }),
  'pd-search': judge('positivity', (claim, arm, cells, plan) => {
    const mine = cells.filter((c) => c.arm === arm);
    const failing = mine.find((c) => c.observation.counterexamples! > 0);
    const trials = mine.reduce((s, c) => s + c.observation.trials!, 0);
    const minimum = Math.min(...mine.map((c) => c.observation.minMargin!));
    const certifiedSingular =
      (failing?.details as { certifiedSingular?: boolean } | undefined)?.certifiedSingular === true;
    const v = positivityVerdict(
      claim,
      { minimum, trials, floor: 1, counterexample: failing?.details, certifiedSingular },
      arm,
    );
    if (failing) {
      const ce = (failing.details as { counterexample: Record<string, unknown> }).counterexample;
      v.reason =
        `fast-check found and shrank (${failing.observation.shrinks} steps) a ` +
        `${certifiedSingular ? 'certified ' : 'numerically singular (uncertified) '}counterexample: ` +
        `${JSON.stringify(ce)}; lambda_min / (m eps lambda_max) = ${minimum.toExponential(2)}`;
    }
    return v;
  }),
  'k1-derivative': judge('identity', (claim, arm, cells, plan) => {
    const mine = cells.filter((c) => c.arm === arm);
    const o = mine[0]!.observation;
    return identityVerdict(
      claim,
      {
        simplifiesToZero: o.k1DerivativeSimplifiesToZero === 1,
        maxError: o[claim.observable]!,
        points: 202,
      },
      arm,
    );
  }),
  'ntk-from-arccos': judge('identity', (claim, arm, cells, plan) => {
    const mine = cells.filter((c) => c.arm === arm);
    const o = mine[0]!.observation;
    return identityVerdict(
      claim,
      {
        simplifiesToZero: false,
        maxError: o[claim.observable]!,
        points: 202,
      },
      arm,
    );
  }),
  'taylor-nonnegative': judge('positivity', (claim, arm, cells, plan) => {
    const mine = cells.filter((c) => c.arm === arm);
    const o = mine[0]!.observation;
    const crossChecked = o.exactVsCauchy! < 1e-9 && o.exactVsDerivatives! < 1e-12;
    const ok = o.minCoefficient! >= -1e-9 && o.ntkPositiveOddBeyondLinear! >= 1 && o.ntkPositiveEven! >= 1;
    const order = plan.armPlans?.[arm]?.widths[0];
    const reason =
      `to order ${order}: smallest coefficient ${o.minCoefficient!.toExponential(2)}, NTK ` +
      `positive odd coefficients beyond u: ${o.ntkPositiveOddBeyondLinear}, positive even: ` +
      `${o.ntkPositiveEven}; ` +
      (`exact vs Cauchy ${o.exactVsCauchy!.toExponential(1)}, exact vs mathjs derivatives ` +
        `${o.exactVsDerivatives!.toExponential(1)}`);
    return {
      ...base(claim, arm),
      verdict: !crossChecked ? 'invalid' : ok ? 'supported' : 'refuted',
      estimate: o.minCoefficient!,
      ci: null,
      reason: crossChecked ? reason : `the three routes to the coefficients disagree: ${reason}`,
      evidence: { observation: o, coefficients: (mine[0]!.details as { coefficients: unknown }).coefficients },
    };
  }),
  'empirical-pd': judge('positivity', (claim, arm, cells, plan) => {
    const mine = cells.filter((c) => c.arm === arm);
    const widths = plan.armPlans![arm]!.widths;
    const fraction = widths.map((w) => {
      const at = mine.filter((c) => c.width === w);
      return {
        width: w,
        fraction: at.filter((c) => c.observation.positive === 1).length / at.length,
        parameters: at[0]!.observation.parameters!,
      };
    });
    const last = fraction.slice(-2);
    const supported = last.every((f) => f.fraction === 1);
    return {
      ...base(claim, arm),
      verdict: supported ? 'supported' : fraction[fraction.length - 1]!.fraction < 1 ? 'refuted' : 'inconclusive',
      estimate: fraction[fraction.length - 1]!.fraction,
      ci: null,
      reason:
        `fraction of seeds with lambda_min above the float32 floor: ` +
        `${fraction.map((f) => `n=${f.width}: ${f.fraction.toFixed(2)}`).join(', ')}`,
      evidence: {
        fraction,
        table: {
          title: 'Empirical NTK Gram (relu, two hidden layers, 24 points on S^2) against width',
          columns: ['width n', 'parameters', 'fraction of seeds with lambda_min > m eps32 lambda_max'],
          rows: fraction.map((f) => [f.width, f.parameters, f.fraction]),
        } satisfies EvidenceTable,
      },
    };
  }),
  'empirical-converges': judge('limit', (claim, arm, cells, plan) => {
    const mine = cells.filter((c) => c.arm === arm);
    // The n^{-1/2} regime starts once the network has more parameters than the Gram has entries.
    const widths = plan.armPlans![arm]!.widths.filter((w) => w >= EMPIRICAL_LIMIT_FROM);
    const restricted: SweepPlan = {
      ...plan,
      armPlans: { ...plan.armPlans, [arm]: { ...plan.armPlans![arm]!, widths } },
    };
    return defaultVerdict(
      check,
      claim,
      arm,
      mine.filter((c) => c.width >= EMPIRICAL_LIMIT_FROM),
      restricted,
    );
  }),
};

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity].armPlans),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '2',
  floor: (observable, width) => trainingFloor(observable, width, 0),
  judges,
});
