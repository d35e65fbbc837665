/**
 * A sharded audit (`audit --replay all --shard i/N`, then `--merge-shards`): the slices replay every cell of the
 * certificate exactly once, the merge is one audit of the whole, a forged cell fails its slice and the merge, and the
 * merge refuses slices that are missing, of another certificate, or asked for together with replay options. The
 * theorem is the contract test's plain-JavaScript user module (cells of microseconds), audited with --theorem.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { evaluate } from '../../src/verify/evaluate.ts';
import type { TheoremCheck } from '../../src/verify/experiment.ts';

const MODULE = `// A user's theorem: q(n) = (1 + noise) / n over three arms.
const claim = {
  kind: 'rate', id: 'falls', title: 'q falls like 1/n', tex: 'O(n^{-1})', hypotheses: ['h'], source: 'mine',
  theorem: true, standing: 'conjecture', arm: 'a', observable: 'q', mode: 'upper', exponent: -1, tol: 0.15,
};
export function runCell({ cell }) {
  const u = Math.sin(cell.width * 12.9898 + cell.seed * 78.233 + cell.arm.length) * 43758.5453;
  return { observation: { q: (1 + 0.1 * (u - Math.floor(u) - 0.5)) / cell.width } };
}
export const check = {
  statement: { id: 'user-shards', title: 't', summary: '', sources: [], hypotheses: [{ id: 'h', text: 'h' }],
    conventions: '', claims: [claim], ablations: [], experiment: '' },
  plan: (fidelity) => ({ fidelity, arms: ['a', 'bb', 'ccc'], widths: [8, 16, 32, 64], seeds: 4, settings: {} }),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
};
`;

const dir = mkdtempSync(join(tmpdir(), 'tdlv-audit-shard-'));
const module = join(dir, 'theorem.mjs');
const cert = join(dir, 'out', 'user-shards.smoke.json');
const shards = join(dir, 'shards');
const audit = (...args: string[]) => runCli(['audit', cert, '--theorem', module, '--shard-dir', shards, ...args]);
const slices = () =>
  readdirSync(shards)
    .filter((f) => f.startsWith('user-shards.smoke.audit-shard-'))
    .map(
      (f) =>
        JSON.parse(readFileSync(join(shards, f), 'utf8')) as {
          replayed: { arm: string; width: number; seed: number }[];
        },
    );

describe('a sharded audit', () => {
  it('three slices replay each of the 48 cells once; their merge is one passing audit of the whole', async () => {
    writeFileSync(module, MODULE);
    const verified = await runCli([
      'verify',
      module,
      '--fidelity',
      'smoke',
      '--workers',
      '1',
      '--out',
      join(dir, 'out'),
      '--checkpoints',
      join(dir, 'runs'),
    ]);
    expect(verified.code, verified.err).toBe(0);
    for (const i of [1, 2, 3]) {
      const r = await audit('--workers', '1', '--replay', 'all', '--shard', `${i}/3`);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.err).toMatch(new RegExp(`slice ${i}/3 written to .*user-shards\\.smoke\\.audit-shard-${i}-of-3\\.json`));
    }
    const keys = slices().flatMap((s) => s.replayed.map((c) => `${c.arm}/${c.width}/${c.seed}`));
    expect(keys).toHaveLength(48);
    expect(new Set(keys).size).toBe(48);
    // Balanced by the cost model (width^2): no slice holds all the widest cells.
    for (const s of slices()) expect(s.replayed.filter((c) => c.width === 64).length).toBeLessThan(12);
    const merged = await audit('--merge-shards');
    expect(merged.code, merged.out).toBe(0);
    expect(merged.out).toMatch(/ok {6}replay: 48 cell\(s\) replayed, all reproduce/);
    expect(merged.out).toMatch(/any forgery .* escapes a draw made this way with probability at most 0\.0000/);
    expect(merged.out).toMatch(/audit passed/);
  }, 120_000);

  it('the merge refuses a missing slice, slices of an edited certificate, and replay options', async () => {
    const slice2 = join(shards, 'user-shards.smoke.audit-shard-2-of-3.json');
    const kept = readFileSync(slice2, 'utf8');
    rmSync(slice2);
    const missing = await audit('--merge-shards');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--shard-dir: .*shard\(s\) 2\/3 missing/);
    writeFileSync(slice2, kept);
    expect((await audit('--merge-shards', '--replay', '3')).code).toBe(2);
    expect((await audit('--replay', '3', '--shard', '1/3')).err).toMatch(/--shard: .*to be used with --replay all/);
    expect((await audit('--workers', '1', '--replay', 'all', '--shard', '4/3')).code).toBe(2);
    expect((await audit('--cells', 'a/8/0', '--shard', '1/3')).err).toMatch(/--shard: .*no --shard with --cells/);
    const original = readFileSync(cert, 'utf8');
    const edited = JSON.parse(original);
    edited.createdAt = '2020-01-01T00:00:00.000Z';
    writeFileSync(cert, JSON.stringify(edited));
    const stale = await audit('--merge-shards');
    expect(stale.code).toBe(2);
    expect(stale.err).toMatch(/replayed another certificate \(or this one before an edit\)/);
    writeFileSync(cert, original);
    expect(stale.err.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('a forged cell fails the slice that holds it and the merge, which names it', async () => {
    const forged = JSON.parse(readFileSync(cert, 'utf8'));
    const cell = forged.cells.find(
      (c: { arm: string; width: number; seed: number }) => c.arm === 'bb' && c.width === 32,
    );
    cell.observation.q *= 1.001;
    // Verdicts recomputed, so that only a replay can tell.
    const { check } = (await import(module)) as { check: TheoremCheck };
    forged.evaluation = JSON.parse(JSON.stringify(evaluate(check, forged.cells, forged.plan)));
    writeFileSync(cert, JSON.stringify(forged));
    rmSync(shards, { recursive: true });
    const codes = [];
    for (const i of [1, 2]) codes.push((await audit('--workers', '1', '--replay', 'all', '--shard', `${i}/2`)).code);
    expect(codes.sort()).toEqual([0, 1]);
    const merged = await audit('--merge-shards');
    expect(merged.code).toBe(1);
    expect(merged.out).toMatch(new RegExp(`FAILED {2}replay: cell bb\\|32\\|${cell.seed} does not reproduce`));
  }, 120_000);
});
