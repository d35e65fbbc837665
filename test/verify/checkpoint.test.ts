/** Tests: checkpoint lines are validated, never trusted unchecked. */
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CellResult, SweepPlan } from '../../src/verify/experiment.ts';
import { checkpointLine, lockCheckpoint, readCheckpoint, type CheckpointHeader } from '../../src/verify/sweep.ts';

const plan: SweepPlan = { fidelity: 'smoke', arms: ['a'], widths: [8, 16], seeds: 2, settings: {} };
const header: CheckpointHeader = { theorem: 't', cellVersion: '1', plan };
const cell = (width: number, seed: number, q = 1): CellResult => ({
  arm: 'a',
  width,
  seed,
  status: 'ok',
  observation: { q },
  seconds: 0.1,
});

function write(lines: string[], trailingNewline = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'tdlv-ckpt-'));
  const path = join(dir, 't.smoke.jsonl');
  writeFileSync(path, [JSON.stringify(header), ...lines].join('\n') + (trailingNewline ? '\n' : ''));
  return path;
}

describe('checkpoint lines are validated, never trusted unchecked', () => {
  it('good lines are resumed', () => {
    const { done, rejected } = readCheckpoint(write([checkpointLine(cell(8, 0)), checkpointLine(cell(16, 1))]), header);
    expect(done.size).toBe(2);
    expect(rejected).toEqual([]);
  });
  it(
    'an edited number, a line without observation, a cell outside the plan and a torn ' +
      'line are set aside and reported',
    () => {
      const edited = checkpointLine(cell(8, 0)).replace('"q":1', '"q":2');
      const noObservation = JSON.stringify({ arm: 'a', width: 8, seed: 1, status: 'ok', seconds: 0 });
      const outside = checkpointLine(cell(1024, 0));
      const torn = checkpointLine(cell(16, 0)).slice(0, 20);
      const path = write([edited, noObservation, outside, checkpointLine(cell(16, 1)), torn], false);
      const { done, rejected } = readCheckpoint(path, header);
      expect([...done.keys()]).toEqual(['a|16|1']);
      expect(rejected.map((r) => r.why)).toEqual([
        expect.stringMatching(/checksum/),
        expect.stringMatching(/observation/),
        expect.stringMatching(/not in the plan/),
        expect.stringMatching(/JSON/),
      ]);
      // The file is rewritten without them and ends with a newline: the next appended line cannot glue onto a torn one.
      const text = readFileSync(path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.trim().split('\n')).toHaveLength(2);
    },
  );
  it('a checkpoint reached through a symbolic link is refused', () => {
    const path = write([checkpointLine(cell(8, 0))]);
    const link = `${path}.link`;
    symlinkSync(path, link);
    expect(() => readCheckpoint(link, header)).toThrow(/symbolic link/);
  });
  it('a second process cannot take a held lock; a stale lock is taken over', () => {
    const path = write([]);
    writeFileSync(`${path}.lock`, '1'); // pid 1 is alive
    expect(() => lockCheckpoint(path)).toThrow(/process 1 holds/);
    writeFileSync(`${path}.lock`, '999999999'); // no such process
    const release = lockCheckpoint(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe('two live processes on one checkpoint', () => {
  it('the second verify exits 2 naming the lock while the first runs; the first finishes', async () => {
    const { spawn } = await import('node:child_process');
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'tdlv.js');
    const dir = mkdtempSync(join(tmpdir(), 'tdlv-lock-'));
    // A theorem whose 30 cells take 0.4 s each: the first run holds its lock for 12 s, well past the second's start
    // (a built-in's smoke run could finish before a loaded machine had started the second process).
    const module = join(dir, 'slow.mjs');
    writeFileSync(
      module,
      `export const check = {
  statement: { id: 'slow', title: 't', summary: '', sources: [], hypotheses: [{ id: 'h', text: 'h' }],
    conventions: '', claims: [{ id: 'c', title: 'q falls like 1/n', tex: 'O(n^{-1})', hypotheses: ['h'],
      source: 's', theorem: true, standing: 'conjecture', arm: 'a', observable: 'q', kind: 'rate', mode: 'upper',
      exponent: -1, tol: 0.2 }], ablations: [], experiment: '' },
  plan: (fidelity) => ({ fidelity, arms: ['a'], widths: [8, 16, 32, 64, 128], seeds: 6, settings: {} }),
  cellModule: import.meta.url,
  cell: ({ cell }) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    return { ...cell, status: 'ok', observation: { q: (1 + 0.01 * cell.seed) / cell.width }, seconds: 0.4 };
  },
  cellVersion: '1',
};
`,
    );
    const args = ['verify', module, '--fidelity', 'smoke', '--workers', '1', '--out', dir, '--checkpoints', dir];
    const exit = (child: ReturnType<typeof spawn>) =>
      new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const first = spawn('node', [bin, ...args], { stdio: 'ignore' });
    const firstDone = exit(first);
    const lock = join(dir, 'slow.smoke.jsonl.lock');
    for (let i = 0; i < 600 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(lock)).toBe(true);
    let err = '';
    const second = spawn('node', [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    second.stderr!.on('data', (d) => (err += String(d)));
    expect(await exit(second)).toBe(2);
    expect(err).toMatch(/holds .*\.lock/);
    expect(await firstDone).toBe(0);
    expect(existsSync(lock)).toBe(false);
  }, 180_000);
});
