/**
 * The one way to write a theorem, for the built-in modules and for users alike: `defineTheorem` checks the contract
 * between a statement and its plan before anything is computed, and returns the check the CLI runs.
 */
import { UsageError } from '../errors.ts';
import { z } from 'zod';
import { ablationPlaces, claimObservables, figureArms, TheoremStatementSchema, type Claim } from './claims.ts';
import {
  CellOutputSchema,
  FIDELITIES,
  SweepPlanSchema,
  armWidths,
  cellKey,
  type Cell,
  type CellResult,
  type Settings,
  type TheoremCheck,
} from './experiment.ts';
import { issueLines, shown, statementLocator, type Locator } from './validate.ts';
import { ACTIVATION_NAMES, parseActivation } from '../engine/nets/activations.ts';

/** A theorem module that breaks the contract: the message names the theorem and the claim, ablation or figure at fault.
 * */
export class TheoremContractError extends UsageError {
  constructor(
    readonly theorem: string,
    problem: string,
    /** Every problem found (`tdlv check` prints them all; verify the first). */
    readonly problems: string[] = [problem],
  ) {
    super(
      `theorem ${theorem}`,
      problem,
      'a statement whose claims, ablations and figures name arms, hypotheses and settings ' +
        'its plan has (see docs/guide.md, "Your own theorem")',
      `theorem ${theorem}: ${problem}`,
    );
  }
}

/** Kinds no generic rule decides: a theorem with such a claim judges it itself. */
const JUDGED_KINDS = new Set<string>(['positivity', 'computed']);

const fn = z.custom<(...args: never[]) => unknown>((f) => typeof f === 'function', 'a function');

/** The fields a theorem check has (the statement is validated by its own schema, with claims located by id). */
const TheoremCheckSchema = z.strictObject({
  statement: z.unknown(),
  plan: fn,
  /** import.meta.url of the module exporting this check. */
  cellModule: z.string().startsWith('file:', 'the URL of the module exporting this check (import.meta.url)'),
  cell: fn,
  cellVersion: z.string().min(1),
  cellCost: fn.optional(),
  floor: fn.optional(),
  judges: z
    .record(z.string(), z.strictObject({ kind: z.string(), verdict: fn }, 'a judge made by judge(kind, verdict)'))
    .optional(),
});

/**
 * Every way the module breaks its contract (empty when it is consistent), checked at every fidelity before any cell
 * runs: first the schemas (an unknown field, a missing one, a value outside its set), then what the statement's parts
 * name (hypotheses, arms, settings) against each other and against the plans.
 */
export function contractErrors(check: TheoremCheck): string[] {
  if (typeof check !== 'object' || check === null) return [`the module exports ${shown(check)}, not a theorem check`];
  const errors = [...schemaErrors(TheoremCheckSchema, check, (_d, path) => ({ where: '', rest: path }))];
  const parsed = TheoremStatementSchema.safeParse(check.statement);
  if (!parsed.success) return [...issueLines(check.statement, parsed.error, statementLocator), ...errors];
  const s = parsed.data;
  const hypotheses = new Set(s.hypotheses.map((h) => h.id));
  const seen = new Set<string>();
  for (const claim of s.claims) {
    if (seen.has(claim.id)) errors.push(`claim ${claim.id} is defined twice`);
    seen.add(claim.id);
    for (const h of claim.hypotheses)
      if (!hypotheses.has(h))
        errors.push(`claim ${claim.id} depends on hypothesis ${h}, which the statement does not list`);
    const own = check.judges?.[claim.id];
    if (JUDGED_KINDS.has(claim.kind) && !own)
      errors.push(`claim ${claim.id} of kind ${claim.kind} needs a judge of the theorem's own (judges)`);
    if (own && own.kind !== claim.kind)
      errors.push(`judges: ${claim.id}: got a judge for ${own.kind} claims, expected one for ${claim.kind} claims`);
  }
  for (const key of Object.keys(check.judges ?? {}))
    if (!seen.has(key))
      errors.push(`judges: ${key}: got a judge, expected a claim id of the statement (${[...seen].join(', ')})`);
  // A phase diagram computes its activation's maps when the page is built: a name parseActivation refuses would only
  // fail there, after every cell ran.
  for (const f of s.figures ?? [])
    if (f.kind === 'phase-diagram') {
      try {
        parseActivation(f.activation);
      } catch {
        errors.push(
          `figure "${f.title}": activation: got ${shown(f.activation)}, expected an activation name tdlv kernel ` +
            `accepts (${ACTIVATION_NAMES.slice(0, 5).join(', ')}, ...)`,
        );
      }
    }
  for (const f of s.figures ?? [])
    if (f.kind === 'sweep-map' && f.y.multiples.length !== f.y.observables.length)
      errors.push(
        `figure "${f.title}": y: got ${f.y.multiples.length} multiples and ${f.y.observables.length} observables, ` +
          `expected one observable per multiple`,
      );
  for (const a of s.ablations) {
    for (const h of a.violates)
      if (!hypotheses.has(h))
        errors.push(`ablation ${a.id} violates hypothesis ${h}, which the statement does not list`);
    if (!s.claims.some((c) => c.arm === a.baseArm))
      errors.push(`ablation ${a.id} has base arm ${a.baseArm}, on which no claim is made`);
    // A pointer must lead to a plot that draws the ablation's arm.
    const { figures, observables } = ablationPlaces(s, a);
    const places = [...figures, ...observables];
    if (a.shownIn !== undefined && !places.includes(a.shownIn))
      errors.push(
        `ablation ${a.id}: shownIn: got ${shown(a.shownIn)}, expected the title of a figure that draws arm ${a.arm} ` +
          `or the observable of a rate or limit claim on it (${places.map(shown).join(', ') || 'there is none'})`,
      );
  }
  for (const fidelity of FIDELITIES) {
    let plan;
    try {
      plan = check.plan(fidelity);
    } catch (error) {
      errors.push(`plan('${fidelity}') throws: ${(error as Error).message}`);
      continue;
    }
    const planIssues = SweepPlanSchema.safeParse(plan);
    if (!planIssues.success) {
      errors.push(...issueLines(plan, planIssues.error, (_d, path) => ({ where: `plan('${fidelity}')`, rest: path })));
      continue;
    }
    if (plan.fidelity !== fidelity)
      errors.push(`plan('${fidelity}'): fidelity: got ${shown(plan.fidelity)}, expected "${fidelity}"`);
    const arms = new Set(plan.arms);
    const armsOf = (what: string, named: string[]) => {
      for (const arm of named)
        if (!arms.has(arm))
          errors.push(`${what} names arm ${arm}, which the ${fidelity} plan lacks (it has ${plan.arms.join(', ')})`);
    };
    for (const claim of s.claims) {
      armsOf(`claim ${claim.id}`, claim.kind === 'classification' ? claim.arms : [claim.arm]);
      if (claim.kind === 'peak' && arms.has(claim.arm) && !armWidths(plan, claim.arm).includes(claim.at))
        errors.push(
          `claim ${claim.id} puts its peak at ${claim.at}, which is not a setting of arm ` +
            `${claim.arm} in the ${fidelity} plan`,
        );
    }
    for (const a of s.ablations) armsOf(`ablation ${a.id}`, [a.baseArm, a.arm]);
    for (const f of s.figures ?? []) armsOf(`figure "${f.title}"`, figureArms(f));
    armsOf('armLabels', Object.keys(s.armLabels ?? {}));
    armsOf('sizeAxes', Object.keys(s.sizeAxes ?? {}));
    for (const arm of plan.arms)
      if (!armWidths(plan, arm).length) errors.push(`arm ${arm} has no settings in the ${fidelity} plan`);
  }
  return [...new Set(errors)];
}

/** Throws the first contract error (with how many more there are) as one line naming `name` when the check has no id.
 * */
export function assertContract(check: TheoremCheck, name = '(no id)'): void {
  const errors = contractErrors(check);
  if (errors.length)
    throw new TheoremContractError(
      typeof check?.statement?.id === 'string' ? check.statement.id : name,
      errors[0]! + (errors.length > 1 ? ` (and ${errors.length - 1} more: tdlv check lists them)` : ''),
      errors,
    );
}

/** Checks the contract and returns the theorem check; a broken module fails here, with one line naming what is wrong.
 * */
export function defineTheorem<S extends Settings, A extends string = string, O extends string = string>(
  check: TheoremCheck<S, A, O>,
): TheoremCheck<S, A, O> {
  assertContract(check as unknown as TheoremCheck);
  return check;
}

/**
 * What a finished cell owes the claims on its arm: every observable (and prediction) they read. Checked on the first
 * cell of each arm, so a typo in an observable name stops the run after one cell instead of ending in invalid verdicts.
 * Cells marked invalid may lack observables (a run that missed its premise leaves them out on purpose), and a claim
 * with a judge of the theorem's own may be decided on quantities it computes from many cells (an ensemble mean), so
 * only the claims the generic rules decide are held to this.
 */
export function missingObservables(
  check: Pick<TheoremCheck, 'statement' | 'judges'>,
  result: CellResult,
): string | null {
  if (result.status !== 'ok') return null;
  const s = check.statement;
  const onArm = (claim: Claim) =>
    claim.arm === result.arm ||
    (claim.kind === 'classification' && claim.arms.includes(result.arm)) ||
    s.ablations.some((a) => a.arm === result.arm && a.baseArm === claim.arm);
  for (const claim of s.claims.filter((c) => onArm(c) && !check.judges?.[c.id])) {
    const absent = claimObservables(claim).filter((o) => !(o in result.observation));
    if (absent.length)
      return (
        `claim ${claim.id} reads ${absent.join(', ')}, which cell ` +
        `${result.arm}/${result.width}/${result.seed} does not write (it writes ` +
        (`${Object.keys(result.observation).slice(0, 8).join(', ') || 'nothing'}` +
          `${Object.keys(result.observation).length > 8 ? ', ...' : ''})`)
      );
  }
  return null;
}

function schemaErrors(schema: z.ZodType, data: unknown, locate: Locator): string[] {
  const result = schema.safeParse(data);
  return result.success ? [] : issueLines(data, result.error, locate);
}

/**
 * The cell envelope's check of what a cell function returned, and its completion: the cell's address, its status (ok,
 * or invalid when it says why) and the seconds its function took in the worker are the envelope's, unless the cell
 * states them itself (then the address must be the one asked for). Anything malformed is one line naming the cell,
 * and nothing malformed reaches a checkpoint.
 */
export function acceptCellResult(
  theorem: string,
  asked: Cell,
  returned: unknown,
  measuredSeconds = 0,
): Omit<CellResult, 'code'> {
  const name = `cell ${asked.arm}/${asked.width}/${asked.seed} of ${theorem}`;
  const expected = 'a cell result { observation: { name: number }, why?: "..." } (or the whole CellResult)';
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned))
    throw new UsageError(name, shown(returned), expected);
  const parsed = CellOutputSchema.safeParse(returned);
  if (!parsed.success) {
    const [first] = issueLines(returned, parsed.error, (_d, path) => ({ where: '', rest: path }));
    throw new UsageError(name, shown(returned), expected, `${name}: returned ${first}`);
  }
  const r = parsed.data;
  const result = {
    ...r,
    arm: r.arm ?? asked.arm,
    width: r.width ?? asked.width,
    seed: r.seed ?? asked.seed,
    status: r.status ?? (r.why === undefined ? 'ok' : 'invalid'),
    seconds: r.seconds ?? measuredSeconds,
  } satisfies Omit<CellResult, 'code'>;
  if (cellKey(result) !== cellKey(asked))
    throw new UsageError(
      name,
      cellKey(result),
      expected,
      `${name}: returned the result of cell ${result.arm}/${result.width}/${result.seed}`,
    );
  return result;
}
