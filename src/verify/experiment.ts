/** Plans, cells and cell results as schemas, judges, and the TheoremCheck a theorem module exports. */
import { z } from 'zod';
import type { ClaimKind, ClaimOf, Statement } from './claims.ts';
import type { Verdict } from './verdicts.ts';

export const FIDELITIES = ['smoke', 'quick', 'full'] as const;
export type Fidelity = (typeof FIDELITIES)[number];

const armName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'letters, digits and dashes');
/** A cell's `width`: the width n, or the index of a setting on an arm with its own size axis (0 allowed). */
const size = z.number().int().nonnegative().max(1e9);
/** Any number, NaN and infinities included: an observation may be NaN (the cell says why it is invalid). */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'a number');

/** One Monte Carlo cell: an independent network (arm, width, seed). */
export const CellSchema = z.strictObject({ arm: armName, width: size, seed: z.number().int().nonnegative() });
/** A cell's address; A narrows its arm to a theorem's own arms. */
export type Cell<A extends string = string> = Omit<z.infer<typeof CellSchema>, 'arm'> & { arm: A };

/** Scalar observables of one cell, by name. */
export type Observation<O extends string = string> = Partial<Record<O, number>>;

/** What computed a cell: recorded by the sweep, never by the cell function. */
export const CellCodeSchema = z.strictObject({
  cellVersion: z.string(),
  commit: z.string(),
  engine: z.string().optional(),
  /** SHA-256 over the theorem module and every module it imports from outside node_modules (src/verify/provenance.ts).
   * */
  sources: z.string().optional(),
});

export const CellResultSchema = z.strictObject({
  ...CellSchema.shape,
  status: z.enum(['ok', 'invalid']),
  /** Why a cell is invalid (NaN, divergence). */
  why: z.string().optional(),
  observation: z.record(z.string().min(1), anyNumber),
  /** Structured evidence that is not a scalar (a shrunk counterexample, Taylor coefficients). */
  details: z.unknown().optional(),
  seconds: z.number().nonnegative(),
  /** The cell-code version, commit, engine version and source hash that computed this cell (recorded by the sweep). */
  code: CellCodeSchema.optional(),
});
/** A finished cell; A and O narrow its arm and the names of its observations to a theorem's own (see Statement). */
export type CellResult<A extends string = string, O extends string = string> = Omit<
  z.infer<typeof CellResultSchema>,
  'arm' | 'observation'
> & { arm: A; observation: Partial<Record<O, number>> };

/**
 * A stored cell (a checkpoint line, a certificate's cell) checked against the CellResult schema: the cell, or the
 * first problem as `<field>: <what is wrong>`. Files written before non-finite numbers were kept hold null where a cell
 * observed NaN; that null is read as NaN.
 */
export function parseStoredCell(x: unknown): { cell: CellResult; problem?: undefined } | { problem: string } {
  const legacy =
    typeof x === 'object' && x !== null && typeof (x as { observation?: unknown }).observation === 'object'
      ? {
          ...(x as object),
          observation: Object.fromEntries(
            Object.entries((x as { observation: Record<string, unknown> }).observation ?? {}).map(([k, v]) => [
              k,
              v === null ? NaN : v,
            ]),
          ),
        }
      : x;
  const r = CellResultSchema.safeParse(legacy);
  if (r.success) return { cell: r.data };
  const issue = r.error.issues[0]!;
  return { problem: `${issue.path.join('.') || 'the cell'}: ${issue.message}` };
}

/**
 * What a cell function returns: its observations, and why the cell is invalid when it is (status, address and
 * seconds are filled in by the envelope); or the whole CellResult, as the built-in theorems return it.
 */
export const CellOutputSchema = CellResultSchema.omit({ code: true }).partial({
  arm: true,
  width: true,
  seed: true,
  status: true,
  seconds: true,
});
/** What a cell function returns; O narrows the names of its observations to the theorem's observables. */
export type CellOutput<O extends string = string> = Omit<z.infer<typeof CellOutputSchema>, 'observation'> & {
  observation: Partial<Record<O, number>>;
};

/** What a fidelity level runs: the cells and the settings every cell sees. */
export const SweepPlanSchema = z.strictObject({
  fidelity: z.enum(FIDELITIES),
  arms: z.array(armName).min(1),
  widths: z.array(size),
  seeds: z.number().int().nonnegative(),
  /**
   * The first seed of every arm (default 0): a plan with firstSeed F runs seeds F .. F + seeds - 1, so a design chosen
   * after seeing data is judged on fresh seeds (`verify --first-seed`).
   */
  firstSeed: z.number().int().nonnegative().optional(),
  /** Experiment settings (steps, data sizes...), recorded in the certificate. */
  settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  /** Arms whose widths (or sizes) and seeds differ from the defaults above. */
  armPlans: z
    .partialRecord(armName, z.strictObject({ widths: z.array(size).min(1), seeds: z.number().int().positive() }))
    .optional(),
});
/** A plan's settings (steps, data sizes...): every cell sees them, and the certificate records them. */
export type Settings = Record<string, number | string | boolean>;

/**
 * A plan whose settings have the theorem's own type S (e.g. `{ steps: number }`), so a cell reads `plan.settings.steps`
 * as a number; the schema checks the values at run time.
 */
export type SweepPlan<S extends Settings = Settings, A extends string = string> = Omit<
  z.infer<typeof SweepPlanSchema>,
  'settings' | 'arms' | 'armPlans'
> & {
  settings: S;
  arms: A[];
  armPlans?: Partial<Record<A, { widths: number[]; seeds: number }>>;
};

export function armWidths(plan: SweepPlan, arm: string): number[] {
  return plan.armPlans?.[arm]?.widths ?? plan.widths;
}

export function armSeeds(plan: SweepPlan, arm: string): number {
  return plan.armPlans?.[arm]?.seeds ?? plan.seeds;
}

/** What a cell function is called with: its cell and the plan (settings typed S). */
export interface CellTaskArgs<S extends Settings = Settings, A extends string = string> {
  cell: Cell<A>;
  plan: SweepPlan<S, A>;
}

/**
 * A theorem's own rule for one claim of kind K: the verdict on the cells of `arm` (the claim's arm, or the arm of an
 * ablation of it). Made by `judge(kind, verdict)`, so the claim it receives is already of its kind.
 */
export interface Judge<
  K extends ClaimKind = ClaimKind,
  S extends Settings = Settings,
  A extends string = string,
  O extends string = string,
> {
  readonly kind: K;
  verdict(claim: ClaimOf<K, A, O>, arm: A, cells: CellResult<A, O>[], plan: SweepPlan<S, A>): Verdict;
}

/** A judge of any one kind: what `judges` holds. */
export type AnyJudge<S extends Settings = Settings, A extends string = string, O extends string = string> = {
  [K in ClaimKind]: Judge<K, S, A, O>;
}[ClaimKind];

/** A judge for claims of one kind (see Judge). */
export function judge<
  K extends ClaimKind,
  S extends Settings = Settings,
  A extends string = string,
  O extends string = string,
>(kind: K, verdict: Judge<K, S, A, O>['verdict']): Judge<K, S, A, O> {
  return { kind, verdict };
}

/**
 * A theorem's executable half: which cells to run, where the cell function lives, float32 floors. S types the plan's
 * settings, A is the union of the theorem's arms and O of its observables (template literal types for indexed ones,
 * e.g. `` `lossAtFraction${number}` ``): a claim, plan, cell or judge naming another is a compile error. All three
 * default to the untyped contract, which `defineTheorem` checks at run time alike.
 */
export interface TheoremCheck<S extends Settings = Settings, A extends string = string, O extends string = string> {
  statement: Statement<A, O>;
  /** The cells to run at a fidelity, and the settings (typed S) every cell sees. */
  plan(fidelity: Fidelity): SweepPlan<S, A>;
  /**
   * `import.meta.url` of the module that exports this check: a worker thread imports it and calls its `cell` (the
   * cell runs where only what the module imports exists).
   */
  cellModule: string;
  /**
   * One cell: its observations (and `why` when it is invalid), or the full `CellResult`; the envelope
   * (src/verify/define.ts) adds its address, status and seconds and checks its shape.
   */
  cell(args: CellTaskArgs<S, A>): CellOutput<O> | CellResult<A, O> | Promise<CellOutput<O> | CellResult<A, O>>;
  /** Bumped whenever the cell function's output changes meaning; checkpoints of other versions are not resumed. */
  cellVersion: string;
  /** Expected cost of a cell in any unit (balances shards and orders the queue); width^2 when absent. */
  cellCost?(cell: Cell<A>, plan: SweepPlan<S, A>): number;
  /** Float32 floor of an observable at a width, below which a rate is not fitted. */
  floor?(observable: O, width: number, plan: SweepPlan<S, A>): number;
  /**
   * The theorem's own rules, by claim id, for the claims the generic rules of their kind do not decide (positivity,
   * identity and computed claims always; others where the evidence spans arms or needs pooling). `defineTheorem`
   * checks that every key is a claim of the statement, of the kind the judge is written for.
   */
  judges?: Readonly<Record<string, AnyJudge<S, A, O>>>;
}

/** The arms of a table of arm specifications, typed as the theorem's arm union (the keys of `arms`). */
export function armNames<A extends string>(arms: Readonly<Partial<Record<A, unknown>>>): A[] {
  return Object.keys(arms) as A[];
}

export function planCells(plan: SweepPlan): Cell[] {
  const cells: Cell[] = [];
  const first = plan.firstSeed ?? 0;
  for (const arm of plan.arms)
    for (const width of armWidths(plan, arm))
      for (let seed = first; seed < first + armSeeds(plan, arm); seed++) cells.push({ arm, width, seed });
  return cells;
}

export function cellKey(cell: Cell): string {
  return `${cell.arm}|${cell.width}|${cell.seed}`;
}

/** A plan whose arms each carry their own widths and seeds (the arms are the keys of `armPlans`). */
export function perArmPlan<S extends Settings = Record<never, never>, A extends string = string>(
  fidelity: Fidelity,
  armPlans: NonNullable<SweepPlan<S, A>['armPlans']>,
  settings: S = {} as S,
): SweepPlan<S, A> {
  return {
    fidelity,
    arms: armNames(armPlans),
    widths: [],
    seeds: 0,
    settings: { ...settings },
    armPlans: structuredClone(armPlans),
  };
}
