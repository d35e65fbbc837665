/**
 * Group-sequential verification (`verify --until-decisive`): the theorem's Monte Carlo claims are looked at after each
 * batch of seeds, and the arms of claims still undecided get another batch, up to a maximum number of looks. Each look
 * judges with the claim's own rule and then requires its p-value to clear that look's nominal level from an
 * alpha-spending boundary (src/stats/group-sequential.ts), so a false claim is supported with probability at most
 * ALPHA over all looks together; refutation spends alpha the same way. Every look is recorded in the certificate, and
 * the audit recomputes the whole sequence from the cells.
 */
import { ALPHA } from '../stats/level.ts';
import { boundaries, stagewisePValue, zOfP, type Boundaries, type Spending } from '../stats/group-sequential.ts';
import type { Claim } from './claims.ts';
import { evaluate, familyOf, type Evaluation } from './evaluate.ts';
import { armSeeds, armWidths, type CellResult, type SweepPlan, type TheoremCheck } from './experiment.ts';
import { canonicalJson as canonical } from './certificate.ts';
import { fmtLevel, type Verdict } from './verdicts.ts';

export interface SequentialLook {
  /** Seeds per arm at this look (counted from the plan's firstSeed). */
  seeds: Record<string, number>;
  /** The sequential claims (claim ids) still undecided after this look. */
  open: string[];
}

export interface SequentialDesign {
  spending: Spending;
  alpha: number;
  /** The most looks the design may take; look k holds k batches of seeds on the arms that grew. */
  maxLooks: number;
  /** One batch of seeds per arm: the plan's seeds at look 1. */
  batch: Record<string, number>;
  /** Nominal one-sided levels of the looks (from the boundaries; recorded for readers, recomputed by the audit). */
  nominal: number[];
  /** The looks taken, in order. */
  looks: SequentialLook[];
  /** Why the design stopped before every claim was decided or maxLooks was reached (a budget), if it did. */
  stoppedEarly?: string;
}

/** Equal batches: look k of K is at information fraction k / K. */
export const lookTimes = (maxLooks: number) => Array.from({ length: maxLooks }, (_, k) => (k + 1) / maxLooks);

const computed = new Map<string, Boundaries>();
/** The boundaries of a design (computed once per spending function, alpha and number of looks). */
export function designBoundaries(design: Pick<SequentialDesign, 'spending' | 'alpha' | 'maxLooks'>): Boundaries {
  const key = `${design.spending}|${design.alpha}|${design.maxLooks}`;
  if (!computed.has(key)) computed.set(key, boundaries(design.spending, design.alpha, lookTimes(design.maxLooks)));
  return computed.get(key)!;
}

/**
 * The claims the design decides sequentially: theorem claims judged by a test (their verdicts carry pSupport), not
 * computed ones: the members of the Holm family. Exploratory claims and ablations are judged on the final cells.
 */
export function isSequentialClaim(claim: Claim, verdict: Verdict): boolean {
  return claim.theorem && claim.standing !== 'computed' && verdict.pSupport !== undefined;
}

/** The arms whose cells a claim is judged on (an arm per class of a classification claim). */
export function claimArms(claim: Claim): string[] {
  return claim.kind === 'classification' ? [...new Set([claim.arm, ...claim.arms])] : [claim.arm];
}

/** The plan of one look: each arm at its look's seeds, widths as planned. */
export function planAtLook(plan: SweepPlan, seeds: Record<string, number>): SweepPlan {
  return {
    ...plan,
    armPlans: Object.fromEntries(
      plan.arms.map((a) => [a, { widths: armWidths(plan, a), seeds: seeds[a] ?? armSeeds(plan, a) }]),
    ),
  };
}

/** The cells a look sees: on each arm, the first `seeds[arm]` seeds from the plan's firstSeed. */
export function cellsAtLook(plan: SweepPlan, cells: readonly CellResult[], seeds: Record<string, number>) {
  const first = plan.firstSeed ?? 0;
  return cells.filter((c) => c.seed < first + (seeds[c.arm] ?? armSeeds(plan, c.arm)));
}

type Decision = 'supported' | 'refuted' | 'open' | 'invalid';

/** One claim's decision at look k (1-based) of the design, from its verdict on that look's cells. */
export function decideAtLook(v: Verdict, look: number, b: Boundaries): Decision {
  const nominal = b.nominal[look - 1]!;
  const last = look === b.z.length;
  if (v.verdict === 'invalid') return 'invalid';
  if (v.verdict === 'supported' && v.pSupport !== undefined && v.pSupport <= nominal) return 'supported';
  // A rule that reports no refutation p-value refutes only at the last look, at its own level (one test).
  if (v.verdict === 'refuted' && (v.pRefute === undefined ? last : v.pRefute <= nominal)) return 'refuted';
  return 'open';
}

const fmtNominal = (x: number) => x.toPrecision(2);

/** The verdict a sequential claim ends with: its verdict at the look that decided it (or the last), restated. */
function sequentialVerdict(v: Verdict, decision: Decision, look: number, design: SequentialDesign, b: Boundaries) {
  const seeds = (arm: string) => design.looks[look - 1]!.seeds[arm];
  const where =
    `look ${look} of at most ${design.maxLooks} (${seeds(v.arm)} seeds per width; ${design.spending} ` +
    `spending, nominal level ${fmtNominal(b.nominal[look - 1]!)})`;
  // An invalid look may carry no p-value: then the verdict has none either.
  const pSupport = v.pSupport === undefined ? undefined : stagewisePValue(b, look, zOfP(v.pSupport));
  const evidence = {
    ...v.evidence,
    sequential: {
      look,
      nominal: b.nominal[look - 1]!,
      pNominal: v.pSupport ?? null,
      pRefuteNominal: v.pRefute ?? null,
    },
  };
  const common = { ...v, ...(pSupport === undefined ? {} : { pSupport }), evidence };
  switch (decision) {
    case 'supported':
    case 'refuted':
    case 'invalid':
      return { ...common, verdict: decision, reason: `${where}: ${v.reason}` } satisfies Verdict;
    case 'open': {
      const why =
        look < design.maxLooks
          ? `stopped at look ${look} of ${design.maxLooks} (${design.stoppedEarly ?? 'no further look taken'})`
          : `undecided after the last look`;
      const was =
        v.verdict === 'inconclusive' ? '' : ` (the fixed-sample rule says ${v.verdict} at ${fmtLevel(ALPHA)})`;
      return {
        ...common,
        verdict: 'inconclusive',
        reason: `${where}: ${why}${was}; ${v.reason}`,
      } satisfies Verdict;
    }
  }
}

/** Evaluations of looks, by check, cells and look plan: the audit and verify judge each look several times. */
const lookEvaluations = new WeakMap<TheoremCheck, WeakMap<readonly CellResult[], Map<string, Evaluation>>>();

/** One look's evaluation (deterministic, so computed once per check, cells and look plan). */
function evaluateLook(
  check: TheoremCheck,
  cells: readonly CellResult[],
  plan: SweepPlan,
  seeds: Record<string, number>,
): Evaluation {
  const lookPlan = planAtLook(plan, seeds);
  const key = JSON.stringify(lookPlan);
  if (!lookEvaluations.has(check)) lookEvaluations.set(check, new WeakMap());
  const byCells = lookEvaluations.get(check)!;
  if (!byCells.has(cells)) byCells.set(cells, new Map());
  const cache = byCells.get(cells)!;
  if (!cache.has(key)) cache.set(key, evaluate(check, cellsAtLook(plan, cells, seeds), lookPlan));
  return cache.get(key)!;
}

/**
 * Evaluate a sequential certificate: each recorded look on its own cells, each sequential claim frozen at the look that
 * decided it, everything else (exploratory claims, ablations) judged on the cells of the last look. Deterministic: the
 * audit calls it on the certificate's cells and compares.
 */
export function evaluateSequential(
  check: TheoremCheck,
  cells: readonly CellResult[],
  plan: SweepPlan,
  design: SequentialDesign,
): Evaluation {
  const b = designBoundaries(design);
  const perLook = design.looks.map((l) => evaluateLook(check, cells, plan, l.seeds));
  const final = perLook.at(-1)!;
  const claims = check.statement.claims;
  const verdicts = final.verdicts.map((last, i) => {
    const claim = claims[i]!;
    const first = perLook[0]!.verdicts[i]!;
    if (!isSequentialClaim(claim, first)) return last;
    for (let k = 1; k <= perLook.length; k++) {
      const v = perLook[k - 1]!.verdicts[i]!;
      const d = decideAtLook(v, k, b);
      if (d !== 'open') return sequentialVerdict(v, d, k, design, b);
    }
    return sequentialVerdict(last, 'open', perLook.length, design, b);
  });
  return { verdicts, ablations: final.ablations, family: familyOf(claims, verdicts) };
}

/** After a look: the sequential claims still open (by id), from the evaluations of the looks so far. */
export function openClaims(
  check: TheoremCheck,
  cells: readonly CellResult[],
  plan: SweepPlan,
  design: SequentialDesign,
): string[] {
  const ev = evaluateSequential(check, cells, plan, { ...design, stoppedEarly: undefined });
  const b = designBoundaries(design);
  const look = design.looks.length;
  return check.statement.claims
    .filter((c, i) => {
      const v = ev.verdicts[i]!;
      const seq = v.evidence.sequential as { look: number } | undefined;
      return seq !== undefined && seq.look === look && v.verdict === 'inconclusive' && look < b.z.length;
    })
    .map((c) => c.id);
}

/** The seeds of the next look: one more batch on every arm an open claim is judged on. */
export function nextLookSeeds(check: TheoremCheck, design: SequentialDesign, open: readonly string[]) {
  const current = design.looks.at(-1)!.seeds;
  const look = design.looks.length + 1;
  const grow = new Set(check.statement.claims.filter((c) => open.includes(c.id)).flatMap((c) => claimArms(c as Claim)));
  return Object.fromEntries(
    Object.entries(current).map(([arm, s]) => [arm, grow.has(arm) ? look * design.batch[arm]! : s]),
  );
}

/** A design's first look: the plan's seeds on every arm. */
export function startDesign(plan: SweepPlan, spending: Spending, maxLooks: number, alpha = ALPHA): SequentialDesign {
  const batch = Object.fromEntries(plan.arms.map((a) => [a, armSeeds(plan, a)]));
  const design: SequentialDesign = {
    spending,
    alpha,
    maxLooks,
    batch,
    nominal: [],
    looks: [{ seeds: batch, open: [] }],
  };
  design.nominal = designBoundaries(design).nominal;
  return design;
}

/** The plan holding every cell the design could run (each arm at maxLooks batches): the checkpoint's plan. */
export function maximalPlan(plan: SweepPlan, design: SequentialDesign): SweepPlan {
  return planAtLook(plan, Object.fromEntries(plan.arms.map((a) => [a, design.maxLooks * design.batch[a]!])));
}

/**
 * Why a certificate's sequential design is not the one the rule produces from its cells, or null: the batches are the
 * module plan's seeds, the nominal levels follow from the spending function, each look's open claims are those its
 * cells leave undecided, and each next look grows exactly their arms. (A budget may end the design early; that can
 * only leave claims inconclusive.)
 */
export function designProblem(
  check: TheoremCheck,
  cells: readonly CellResult[],
  basePlan: SweepPlan,
  design: SequentialDesign,
): string | null {
  if (!design.looks.length || design.looks.length > design.maxLooks)
    return `${design.looks.length} looks recorded for a design of at most ${design.maxLooks}`;
  const fresh = startDesign(basePlan, design.spending, design.maxLooks, design.alpha);
  if (canonical(fresh.batch) !== canonical(design.batch)) return "the batches are not the module plan's seeds";
  if (canonical(fresh.nominal) !== canonical(design.nominal))
    return 'the nominal levels are not those of the spending function';
  const replay: SequentialDesign = { ...fresh, looks: [] };
  for (let k = 0; k < design.looks.length; k++) {
    const recorded = design.looks[k]!;
    const seeds = k === 0 ? fresh.batch : nextLookSeeds(check, replay, replay.looks.at(-1)!.open);
    if (canonical(seeds) !== canonical(recorded.seeds)) return `look ${k + 1} does not hold the seeds the rule adds`;
    replay.looks.push({ seeds, open: [] });
    const open = openClaims(check, cells, basePlan, replay);
    if (canonical(open) !== canonical(recorded.open))
      return (
        `look ${k + 1} records open claims ${recorded.open.join(', ') || 'none'}; ` +
        `its cells leave ${open.join(', ') || 'none'}`
      );
    replay.looks.at(-1)!.open = open;
  }
  const last = design.looks.at(-1)!;
  if (last.open.length && design.looks.length < design.maxLooks && !design.stoppedEarly)
    return `claims ${last.open.join(', ')} are open after look ${design.looks.length} but no further look was taken`;
  return null;
}
