/** Tests: npm run bench -- --cell. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchCell, copyBandwidth, simdPeak } from '../../bench/cell.ts';
import { UsageError } from '../../src/errors.ts';

const root = join(import.meta.dirname, '..', '..');
const bench = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'engine.bench.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });

describe('npm run bench -- --cell', () => {
  it('times one cell and reports seconds, passes over the weights and bandwidth as JSON', () => {
    const run = (steps: number) => {
      const r = bench(['--cell', 'ntk-constancy/tanh/128', '--steps', String(steps), '--no-peer', '--json']);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    };
    const [two, four] = [run(2), run(4)];
    expect(two).toMatchObject({ theorem: 'ntk-constancy', arm: 'tanh', width: 128, steps: 2, peer: null });
    for (const key of ['seconds', 'passesOverWeights', 'gbPerSecond', 'copyGbPerSecond', 'fractionOfCopyBandwidth'])
      expect(two[key], key).toBeGreaterThan(0);
    // Below 8 steps every step is a checkpoint: each extra step is a training step (forward, backward, update: 4 passes
    // over the hidden matrix), the NTK (forward and backward: 2) and the loss (a forward: 1).
    expect(four.passesOverWeights - two.passesOverWeights).toBe(2 * 7);
    // and 2 x 128 flops per weight: 16 rows through the forward, the backward and the update, 32 through the NTK's
    // forward and backward, 16 through the loss's forward.
    expect(four.flopsPerWeight - two.flopsPerWeight).toBe(2 * 2 * (3 * 16 + 2 * 32 + 16));
    for (const key of ['productGflopPerSecond', 'simdPeakGflopPerSecond', 'copyFractionAtSimdPeak'])
      expect(two[key], key).toBeGreaterThan(0);
    // The product rate is the cell's flops over its whole time: it cannot exceed the arithmetic ceiling.
    expect(two.fractionOfSimdPeak).toBeGreaterThan(0);
    expect(two.fractionOfSimdPeak).toBeLessThan(1);
  }, 120_000);

  it('a malformed cell or an unknown arm is one line naming the argument, exit 2', async () => {
    // The command: one process, to see the exit status and the single line.
    const r = bench(['--cell', 'ntk-constancy/tanh']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--cell');
    // The other refusals are the same UsageError, thrown by benchCell before any cell runs (in this process: each
    // spawn costs seconds of module loading).
    for (const [args, words] of [
      [['--cell', 'ntk-constancy/gelu/128', '--no-peer'], 'tanh, erf, relu'],
      [['--cell', 'ntk-constancy/tanh/128', '--steps', '0'], '--steps'],
    ] as const) {
      const error = await benchCell([...args]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(words);
      expect((error as Error).message).not.toContain('\n');
    }
  }, 120_000);

  it('the copy bandwidth and the SIMD arithmetic ceiling are positive', async () => {
    expect(copyBandwidth(16 * 2 ** 20)).toBeGreaterThan(0.1);
    expect(await simdPeak()).toBeGreaterThan(0.5);
  });
});
