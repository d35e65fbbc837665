/**
 * Guided exercises of the lab (issue 28): a question, the run that answers it, and the verdicts the theory predicts
 * for that run. They are data written beside a theorem's statement (theorems/<id>/exercises.ts).
 */
import { armClaims, armVerdicts } from '../verify/evaluate.ts';
import {
  armWidths,
  type CellResult,
  type Observation,
  type SweepPlan,
  type TheoremCheck,
} from '../verify/experiment.ts';
import { VERDICT_VALUES, type VerdictValue } from '../verify/verdicts.ts';
import { z } from 'zod';
import { issueLines } from '../verify/validate.ts';
import { labPlan } from './plan.ts';

/**
 * One exercise. Its run reads the certificate's first seeds (from its plan's firstSeed), so where the certificate has
 * those cells the lab reproduces them.
 */
export interface LabExercise {
  /** Unique within the theorem: lowercase letters, digits and dashes. */
  id: string;
  /** The question put to the student (plain text; math words such as n^-1 are typeset). */
  question: string;
  /** The run that answers it: an arm of the plan, its widths (or sizes) and the number of seeds. */
  run: { arm: string; widths: readonly number[]; seeds: number };
  /** The verdicts the run gives, by claim id: claims made on the arm, or (an ablation's arm) its base arm's claims. */
  expect: Readonly<Record<string, VerdictValue>>;
  /** What to take away once the run is done: why the verdicts come out so (plain text). */
  answer: string;
}

/** A lab theorem: its check and its exercises. */
export interface LabTheorem {
  check: TheoremCheck;
  exercises: readonly LabExercise[];
}

const VERDICT = z.enum(VERDICT_VALUES);

/** An exercise as a module exports it (a user's `export const exercises = [...]` is read through it). */
export const labExerciseSchema = z
  .object({
    id: z.string(),
    question: z.string().min(1),
    run: z.object({ arm: z.string(), widths: z.array(z.number()).min(1), seeds: z.number() }).strict(),
    expect: z.record(z.string(), VERDICT),
    answer: z.string().min(1),
  })
  .strict() satisfies z.ZodType<LabExercise>;

/**
 * A module's `exercises` export checked field by field and against its theorem: the exercises, or the problems, one
 * line each (absent is no exercises).
 */
export function readExercises(check: TheoremCheck, value: unknown): { exercises: LabExercise[]; problems: string[] } {
  if (value === undefined) return { exercises: [], problems: [] };
  const parsed = z.array(labExerciseSchema).safeParse(value);
  if (!parsed.success) {
    const lines = issueLines(value, parsed.error, (data, path) => {
      const [index, ...rest] = path;
      if (typeof index !== 'number') return { where: 'exercises', rest: path };
      const id = (data as { id?: unknown }[])[index]?.id;
      return { where: `exercise ${typeof id === 'string' ? id : `#${index}`}`, rest };
    });
    return { exercises: [], problems: lines };
  }
  return { exercises: parsed.data, problems: exerciseProblems(check, parsed.data) };
}

/**
 * What an exercise gets wrong against its theorem (empty when it is consistent): an arm the plan lacks, a claim that is
 * not judged on the arm, a duplicate id.
 */
export function exerciseProblems(check: TheoremCheck, exercises: readonly LabExercise[]): string[] {
  const plan = check.plan('full');
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const e of exercises) {
    const where = `exercise ${check.statement.id}/${e.id}`;
    if (ids.has(e.id)) problems.push(`${where} is defined twice`);
    ids.add(e.id);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(e.id)) problems.push(`${where}: id: lowercase letters, digits and dashes`);
    if (!plan.arms.includes(e.run.arm)) {
      problems.push(`${where}: arm ${e.run.arm} is not an arm of the full plan (${plan.arms.join(', ')})`);
      continue;
    }
    if (!Number.isInteger(e.run.seeds) || e.run.seeds < 1) problems.push(`${where}: seeds: a positive integer`);
    if (!e.run.widths.length || e.run.widths.some((w) => !Number.isInteger(w) || w < 0))
      problems.push(`${where}: widths: non-negative integers`);
    const judged = new Set(armClaims(check.statement, e.run.arm).map((r) => r.claim.id));
    for (const claim of Object.keys(e.expect))
      if (!judged.has(claim))
        problems.push(`${where}: claim ${claim} is not judged on arm ${e.run.arm} (${[...judged].join(', ')})`);
  }
  return problems;
}

/**
 * The verdicts an exercise's run gives on the given cells (the certificate's, in the test that checks every
 * exercise): other arms keep their cells, as in the lab.
 */
export function exerciseVerdicts(
  check: TheoremCheck,
  e: LabExercise,
  cells: readonly CellResult[],
  plan: SweepPlan,
): Record<string, VerdictValue> {
  const first = plan.firstSeed ?? 0;
  const run = cells.filter(
    (c) => c.arm !== e.run.arm || (e.run.widths.includes(c.width) && c.seed >= first && c.seed < first + e.run.seeds),
  );
  const out: Record<string, VerdictValue> = {};
  for (const r of armVerdicts(check, e.run.arm, run, labPlan(plan, e.run.arm, e.run.widths, e.run.seeds)))
    out[r.verdict.claim] = r.verdict.verdict;
  return out;
}

/** The widths the lab offers on an arm: the certificate's, and below them a half and a quarter of the smallest. */
export function offeredWidths(plan: SweepPlan, arm: string, hasSizeAxis: boolean): number[] {
  const widths = armWidths(plan, arm);
  if (hasSizeAxis || !widths.length) return [...widths];
  const smallest = Math.min(...widths);
  const below = [smallest / 4, smallest / 2].filter((w) => Number.isInteger(w) && w >= 2);
  return [...new Set([...below, ...widths])].sort((a, b) => a - b);
}

/** How an observation computed elsewhere (the lab) agrees with the certificate's: bit for bit, or by how much. */
export interface Agreement {
  total: number;
  identical: number;
  /** The observables that differ, with their relative difference |a - b| / max(|a|, |b|). */
  differing: { name: string; relative: number }[];
}

export function agreement(got: Readonly<Record<string, number | null>>, certified: Observation): Agreement {
  const differing: Agreement['differing'] = [];
  const names = Object.keys(certified);
  for (const name of names) {
    const [a, b] = [got[name] ?? NaN, certified[name]!];
    if (Object.is(a, b)) continue;
    differing.push({ name, relative: Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)) });
  }
  return { total: names.length, identical: names.length - differing.length, differing };
}
