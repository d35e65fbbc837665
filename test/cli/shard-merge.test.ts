/** Tests: sharded sweeps: verify --shard i/N side by side, then merge. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointLine } from '../../src/verify/sweep.ts';
import { runCli } from '../helpers/cli.ts';

const theorem = 'overparam-convergence';
const dir = mkdtempSync(join(tmpdir(), 'tdlv-shards-'));
const strip = (c: { arm: string; width: number; seed: number; status: string; observation: unknown }) => ({
  arm: c.arm,
  width: c.width,
  seed: c.seed,
  status: c.status,
  observation: c.observation,
});

describe('sharded sweeps: verify --shard i/N side by side, then merge', () => {
  it('two shards run at once and merged equal an unsharded run, cell for cell and verdict for verdict', async () => {
    const runs = join(dir, 'runs');
    const [a, b] = await Promise.all(
      [1, 2].map((i) =>
        runCli([
          'verify',
          theorem,
          '--fidelity',
          'smoke',
          '--shard',
          `${i}/2`,
          '--workers',
          '1',
          '--checkpoints',
          runs,
          '--out',
          join(dir, 'unused'),
        ]),
      ),
    );
    expect(a!.code).toBe(0);
    expect(b!.code).toBe(0);
    expect(a!.err).toMatch(/shard 1\/2: \d+ cell\(s\)/);
    const merged = await runCli([
      'merge',
      theorem,
      '--fidelity',
      'smoke',
      '--checkpoints',
      runs,
      '--out',
      join(dir, 'merged'),
      '--json',
    ]);
    expect(merged.code).toBe(0);
    const whole = await runCli([
      'verify',
      theorem,
      '--fidelity',
      'smoke',
      '--workers',
      '2',
      '--checkpoints',
      join(dir, 'whole-runs'),
      '--out',
      join(dir, 'whole'),
      '--json',
    ]);
    expect(whole.code).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'merged', `${theorem}.smoke.json`), 'utf8'));
    const w = JSON.parse(readFileSync(join(dir, 'whole', `${theorem}.smoke.json`), 'utf8'));
    expect(m.cells.map(strip)).toEqual(w.cells.map(strip));
    expect(m.evaluation).toEqual(w.evaluation);
    expect(m.shards).toBe(2);
    const audit = await runCli(['audit', join(dir, 'merged', `${theorem}.smoke.json`), '--replay', '1', '--json']);
    expect(audit.code).toBe(0);

    // Two shards that disagree on a cell, and a missing shard: one-line refusals.
    const first = join(runs, `${theorem}.smoke.shard-1-of-2.jsonl`);
    const second = join(runs, `${theorem}.smoke.shard-2-of-2.jsonl`);
    const line = readFileSync(second, 'utf8').split('\n')[1]!;
    const { sha: _sha, ...cell } = JSON.parse(line);
    cell.observation.lambda0 += 1e-9;
    writeFileSync(first, readFileSync(first, 'utf8') + checkpointLine(cell) + '\n');
    const clash = await runCli([
      'merge',
      theorem,
      '--fidelity',
      'smoke',
      '--checkpoints',
      runs,
      '--out',
      join(dir, 'clash'),
    ]);
    expect(clash.code).toBe(2);
    expect(clash.err).toMatch(/shards 1 and 2 disagree on cell|shards 2 and 1 disagree on cell/);
    const lonely = join(dir, 'lonely');
    await runCli([
      'verify',
      theorem,
      '--fidelity',
      'smoke',
      '--shard',
      '1/3',
      '--workers',
      '1',
      '--checkpoints',
      lonely,
      '--out',
      join(dir, 'unused'),
    ]);
    const missing = await runCli([
      'merge',
      theorem,
      '--fidelity',
      'smoke',
      '--checkpoints',
      lonely,
      '--out',
      join(dir, 'missing'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(
      /missing overparam-convergence\.smoke\.shard-2-of-3\.jsonl, overparam-convergence\.smoke\.shard-3-of-3\.jsonl/,
    );
  }, 240_000);
});
