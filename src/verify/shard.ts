/** Deterministic shards of a plan's cells, balanced by expected cost, and their checkpoint names. */
import { UsageError } from '../errors.ts';
import { cellKey, planCells, type Cell, type SweepPlan, type TheoremCheck } from './experiment.ts';
import { cellCost } from './sweep.ts';

/**
 * Sharded sweeps: `--shard i/N` runs a deterministic slice of a plan's cells on one machine (a Slurm array task, a
 * Kubernetes indexed pod), `tdlv merge` assembles the certificate from every shard's checkpoint. Slices are balanced by
 * expected cost, not by count: cells in decreasing cost go to the least loaded shard (longest processing time first,
 * ties broken by cell key and shard number, so every machine computes the same assignment).
 */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1) || index > count || count > 10_000)
    throw new UsageError(
      '--shard',
      text,
      'i/N with 1 <= i <= N, e.g. 2/8 (a Slurm array index from 1, or a Kubernetes completion index + 1)',
    );
  return { index, count };
}

/**
 * Longest processing time first: items in decreasing cost (ties in their given order) each go to the least loaded of
 * `processes` (ties to the lowest). Returns each item's process (0-based) and the loads. Shards are assigned by it, and
 * the README's scale-out table schedules recorded cell times by it.
 */
export function scheduleLongestFirst(
  costs: readonly number[],
  processes: number,
): { processOf: number[]; loads: number[] } {
  const order = costs.map((_, i) => i).sort((a, b) => costs[b]! - costs[a]! || a - b);
  const loads = new Array<number>(processes).fill(0);
  const processOf = new Array<number>(costs.length);
  for (const i of order) {
    let best = 0;
    for (let p = 1; p < processes; p++) if (loads[p]! < loads[best]!) best = p;
    loads[best]! += costs[i]!;
    processOf[i] = best;
  }
  return { processOf, loads };
}

/** The shard (1-based) of every cell of the plan, by longest-processing-time-first on the expected costs. */
export function assignShards(
  check: Pick<TheoremCheck, 'cellCost'>,
  plan: SweepPlan,
  count: number,
): Map<string, number> {
  // In key order, so that equal costs are taken by cell key.
  const cells = planCells(plan)
    .map((c) => ({ key: cellKey(c), cost: cellCost(check, c, plan) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const { processOf } = scheduleLongestFirst(
    cells.map((c) => c.cost),
    count,
  );
  return new Map(cells.map((c, i) => [c.key, processOf[i]! + 1]));
}

export function shardCells(check: Pick<TheoremCheck, 'cellCost'>, plan: SweepPlan, shard: Shard): Cell[] {
  const assignment = assignShards(check, plan, shard.count);
  return planCells(plan).filter((c) => assignment.get(cellKey(c)) === shard.index);
}

export function shardCheckpointName(theorem: string, fidelity: string, shard: Shard): string {
  return `${theorem}.${fidelity}.shard-${shard.index}-of-${shard.count}.jsonl`;
}

/** The shard a checkpoint file name holds, if it is one of `theorem` at `fidelity` (the inverse of
 * shardCheckpointName). */
export function shardOfCheckpointName(file: string, theorem: string, fidelity: string): Shard | undefined {
  const prefix = `${theorem}.${fidelity}.shard-`;
  if (!file.startsWith(prefix)) return undefined;
  const m = /^(\d+)-of-(\d+)\.jsonl$/.exec(file.slice(prefix.length));
  return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}
