/** Tests: shards: deterministic slices balanced by expected cost. */
import { describe, expect, it } from 'vitest';
import { cellKey, perArmPlan, planCells } from '../../src/verify/experiment.ts';
import { assignShards, parseShard, shardCells } from '../../src/verify/shard.ts';
import { theorems } from '../../theorems/index.ts';

describe('shards: deterministic slices balanced by expected cost', () => {
  it('i/N is parsed 1-based; anything else is a one-line usage error', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1', '-1/2', '1.5/2'])
      expect(() => parseShard(bad), bad).toThrow(/--shard: got .*; expected i\/N/);
  });
  it('every cell of every built-in plan lands in exactly one shard, the same on every call', () => {
    for (const t of theorems)
      for (const count of [1, 2, 3, 7]) {
        const plan = t.plan('quick');
        const slices = Array.from({ length: count }, (_, i) =>
          shardCells(t, plan, { index: i + 1, count }).map(cellKey),
        );
        const all = slices.flat();
        expect(all.length, t.statement.id).toBe(planCells(plan).length);
        expect(new Set(all).size).toBe(all.length);
        expect(assignShards(t, plan, count)).toEqual(assignShards(t, plan, count));
      }
  });
  it('balanced by cost, not count: the loads differ by at most the largest cell', () => {
    const plan = perArmPlan('quick', { a: { widths: [64, 128, 256, 512, 1024, 2048], seeds: 5 } });
    const check = {};
    for (const count of [2, 3, 4]) {
      const loads = Array.from({ length: count }, (_, i) =>
        shardCells(check, plan, { index: i + 1, count }).reduce((s, c) => s + c.width * c.width, 0),
      );
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(2048 * 2048);
    }
    // A theorem's own cost model is used where it has one.
    const byDepth = { cellCost: (c: { width: number }) => 10 ** c.width };
    const depthPlan = perArmPlan('quick', { a: { widths: [1, 2, 3, 4], seeds: 2 } });
    const heavy = shardCells(byDepth, depthPlan, { index: 1, count: 2 });
    expect(heavy.filter((c) => c.width === 4).length).toBe(1);
  });
});
