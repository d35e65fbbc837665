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
  if (!m || !(count >= 1) || !(index >= 1) || index > count || count > 10_000) throw new UsageError('--shard', text, 'i/N with 1 <= i <= N, e.g. 2/8 (a Slurm array index from 1, or a Kubernetes completion index + 1)');
  return { index, count };
}

/** The shard (1-based) of every cell of the plan, by longest-processing-time-first on the expected costs. */
export function assignShards(check: Pick<TheoremCheck, 'cellCost'>, plan: SweepPlan, count: number): Map<string, number> {
  const cells = planCells(plan).map((c) => ({ c, key: cellKey(c), cost: cellCost(check, c, plan) }));
  cells.sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const { key, cost } of cells) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += cost;
    out.set(key, best + 1);
  }
  return out;
}

export function shardCells(check: Pick<TheoremCheck, 'cellCost'>, plan: SweepPlan, shard: Shard): Cell[] {
  const assignment = assignShards(check, plan, shard.count);
  return planCells(plan).filter((c) => assignment.get(cellKey(c)) === shard.index);
}

export function shardCheckpointName(theorem: string, fidelity: string, shard: Shard): string {
  return `${theorem}.${fidelity}.shard-${shard.index}-of-${shard.count}.jsonl`;
}
