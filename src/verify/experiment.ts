import type { Claim, TheoremStatement } from './claims.ts';
import type { Verdict } from './verdicts.ts';

export const FIDELITIES = ['smoke', 'quick', 'full'] as const;
export type Fidelity = (typeof FIDELITIES)[number];

/** One Monte Carlo cell: an independent network (arm, width, seed). */
export interface Cell {
  arm: string;
  width: number;
  seed: number;
}

/** Scalar observables of one cell, by name. */
export type Observation = Record<string, number>;

export interface CellResult extends Cell {
  status: 'ok' | 'invalid';
  /** Why a cell is invalid (NaN, divergence). */
  why?: string;
  observation: Observation;
  /** Structured evidence that is not a scalar (a shrunk counterexample, Taylor coefficients). */
  details?: unknown;
  seconds: number;
  /** The cell-code version, the commit and the engine version (src/engine/version.ts) that computed this cell (recorded
   * by the sweep). */
  code?: { cellVersion: string; commit: string; engine?: string };
}

/** What a fidelity level runs: the cells and the settings every cell sees. */
export interface SweepPlan {
  fidelity: Fidelity;
  arms: string[];
  widths: number[];
  seeds: number;
  /** Experiment settings (steps, data sizes...), recorded in the certificate. */
  settings: Record<string, number | string | boolean>;
  /** Arms whose widths (or sizes) and seeds differ from the defaults above. */
  armPlans?: Record<string, { widths: number[]; seeds: number }>;
}

export function armWidths(plan: SweepPlan, arm: string): number[] {
  return plan.armPlans?.[arm]?.widths ?? plan.widths;
}

export function armSeeds(plan: SweepPlan, arm: string): number {
  return plan.armPlans?.[arm]?.seeds ?? plan.seeds;
}

export interface CellTaskArgs {
  cell: Cell;
  plan: SweepPlan;
}

/** A theorem's executable half: which cells to run, where the cell function lives, float32 floors. */
export interface TheoremCheck {
  statement: TheoremStatement;
  plan(fidelity: Fidelity): SweepPlan;
  /** Absolute URL of the module exporting the cell function (it runs in worker threads). */
  cellModule: string;
  cellFunction: string;
  /** Bumped whenever the cell function's output changes meaning; checkpoints of other versions are not resumed. */
  cellVersion: string;
  /** Expected cost of a cell in any unit (balances shards and orders the queue); width^2 when absent. */
  cellCost?(cell: Cell, plan: SweepPlan): number;
  /** Float32 floor of an observable at a width, below which a rate is not fitted. */
  floor?(observable: string, width: number, plan: SweepPlan): number;
  /** Evaluation of claims the generic evaluator does not handle (positivity, identity...). */
  evaluateClaim?(claim: Claim, arm: string, cells: CellResult[], plan: SweepPlan): Verdict | undefined;
}

export function planCells(plan: SweepPlan): Cell[] {
  const cells: Cell[] = [];
  for (const arm of plan.arms)
    for (const width of armWidths(plan, arm))
      for (let seed = 0; seed < armSeeds(plan, arm); seed++) cells.push({ arm, width, seed });
  return cells;
}

export function cellKey(cell: Cell): string {
  return `${cell.arm}|${cell.width}|${cell.seed}`;
}

/** A plan whose arms each carry their own widths and seeds (the arms are the keys of `armPlans`). */
export function perArmPlan(
  fidelity: Fidelity,
  armPlans: NonNullable<SweepPlan['armPlans']>,
  settings: SweepPlan['settings'] = {},
): SweepPlan {
  return {
    fidelity,
    arms: Object.keys(armPlans),
    widths: [],
    seeds: 0,
    settings: { ...settings },
    armPlans: structuredClone(armPlans),
  };
}
