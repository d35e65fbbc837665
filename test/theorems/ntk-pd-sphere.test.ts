/** Tests: ntk-pd-sphere at smoke fidelity. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/engine/runtime/pool.ts';
import { evaluate, type Evaluation } from '../../src/verify/evaluate.ts';
import type { CellResult } from '../../src/verify/experiment.ts';
import { runSweep } from '../../src/verify/sweep.ts';
import { check } from '../../theorems/ntk-pd-sphere/check.ts';

const pool = new WorkerPool({ size: 2, backend: 'wasm' });
afterAll(() => pool.close());
let cells: CellResult[];
let evaluation: Evaluation;
const verdictOf = (claim: string) => evaluation.verdicts.find((v) => v.claim === claim)!;
const ablation = (id: string, claim: string) =>
  evaluation.ablations.find((a) => a.ablation === id)!.verdicts.find((v) => v.claim === claim)!;

describe('ntk-pd-sphere at smoke fidelity', () => {
  beforeAll(async () => {
    const plan = check.plan('smoke');
    cells = await runSweep({
      check,
      plan,
      pool,
      checkpointPath: join(mkdtempSync(join(tmpdir(), 'tdlv-pd-')), 'c.jsonl'),
    });
    evaluation = evaluate(check, cells, plan);
  }, 300_000);

  it(
    'with all hypotheses: positive-definite on random sets and under search; identities ' +
      'hold; coefficients non-negative',
    () => {
      for (const id of [
        'pd-random',
        'pd-search',
        'k1-derivative',
        'ntk-from-arccos',
        'taylor-nonnegative',
        'empirical-pd',
      ])
        expect(verdictOf(id).verdict, id).toBe('supported');
    },
  );

  it('polynomial activation: fast-check finds a singular Gram and shrinks it to rank bound + 1 points', () => {
    const v = ablation('polynomial', 'pd-search');
    expect(v.verdict).toBe('refuted');
    const details = cells.find((c) => c.arm === 'search-poly')!.details as {
      counterexample: { m: number };
      rankBound: number;
      numericalRank: number;
    };
    expect(details.counterexample.m).toBe(details.rankBound + 1);
    expect(details.numericalRank).toBe(details.rankBound);
  });

  it('no bias, one hidden layer: d + 1 antipodal pairs are singular; bias or depth restores lambda_min', () => {
    expect(ablation('no-bias', 'pd-search').verdict).toBe('refuted');
    const d = cells.find((c) => c.arm === 'search-nobias')!.details as {
      counterexample: { m: number; d: number };
      lambdaMin: number;
      restoredWithBias: number;
      restoredWithDepth2: number;
    };
    expect(d.counterexample.m).toBe(2 * (d.counterexample.d + 1));
    expect(Math.abs(d.lambdaMin)).toBeLessThan(1e-13);
    expect(d.restoredWithBias).toBeGreaterThan(1e-3);
    expect(d.restoredWithDepth2).toBeGreaterThan(1e-3);
  });

  it('no bias: the exact NTK series has no odd coefficient beyond u', () => {
    expect(ablation('no-bias-taylor', 'taylor-nonnegative').verdict).toBe('refuted');
    const o = cells.find((c) => c.arm === 'taylor-nobias')!.observation;
    expect(o['positiveOdd:ntk-L1-nobias']).toBe(0);
    expect(o['positiveEven:ntk-L1-nobias']).toBeGreaterThan(5);
  });

  it(
    'the empirical Gram is singular while the network has fewer parameters than points, ' + 'positive-definite after',
    () => {
      const at = (w: number) => cells.filter((c) => c.arm === 'empirical' && c.width === w);
      expect(at(2).every((c) => c.observation.positive === 0)).toBe(true);
      expect(at(256).every((c) => c.observation.positive === 1)).toBe(true);
    },
  );
});
