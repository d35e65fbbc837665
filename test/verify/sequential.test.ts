/**
 * `verify --until-decisive`: a group-sequential run records its looks, freezes each claim at the look that decided it,
 * grows only the arms of open claims, stops within its budget, and the audit recomputes the whole design from the
 * cells (a forged look or nominal level fails). The theorem is a plain-JavaScript user module with cells of
 * microseconds: one claim decided at the first look, one noisy enough to need more.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import type { Certificate } from '../../src/verify/certificate.ts';

const MODULE = `// A user's theorem: q(n) = (1 + s u) / n with a small noise s on arm easy and a large one on arm hard.
const claim = (id, arm) => ({
  kind: 'rate', id, title: 'q falls like 1/n', tex: 'O(n^{-1})', hypotheses: ['h'], source: 'mine',
  theorem: true, standing: 'conjecture', arm, observable: 'q', mode: 'upper', exponent: -1, tol: 0.15,
});
export function runCell({ cell }) {
  const u = Math.sin(cell.width * 12.9898 + cell.seed * 78.233 + cell.arm.length) * 43758.5453;
  const s = cell.arm === 'easy' ? 0.1 : 1.6;
  return { observation: { q: (1 + s * (u - Math.floor(u) - 0.5)) / cell.width } };
}
export const check = {
  statement: { id: 'user-sequential', title: 't', summary: '', sources: [], hypotheses: [{ id: 'h', text: 'h' }],
    conventions: '', claims: [claim('easy-falls', 'easy'), claim('hard-falls', 'hard')], ablations: [],
    experiment: '' },
  plan: (fidelity) => ({ fidelity, arms: ['easy', 'hard'], widths: [8, 16, 32, 64, 128], seeds: 4, settings: {} }),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
};
`;

const dir = mkdtempSync(join(tmpdir(), 'tdlv-sequential-'));
const module = join(dir, 'theorem.mjs');
writeFileSync(module, MODULE);
const verify = (out: string, ...args: string[]) =>
  runCli([
    'verify',
    module,
    '--fidelity',
    'smoke',
    '--workers',
    '1',
    '--out',
    join(dir, out),
    '--checkpoints',
    join(dir, `runs-${out}`),
    ...args,
  ]);
const certPath = (out: string) => join(dir, out, 'user-sequential.smoke.json');
const read = (out: string) => JSON.parse(readFileSync(certPath(out), 'utf8')) as Certificate;
const audit = (path: string) => runCli(['audit', path, '--theorem', module, '--replay', '2']);
type Seq = { look: number; nominal: number };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify --until-decisive', () => {
  it('freezes a claim at the look that decides it and grows only the arms of open claims', async () => {
    const r = await verify('a', '--until-decisive', '--looks', '3', '--first-seed', '1000');
    expect(r.code, r.err).toBe(0);
    const cert = read('a');
    const design = cert.sequential!;
    expect(design.batch).toEqual({ easy: 4, hard: 4 });
    expect(design.looks[0]!.open).toEqual(['hard-falls']);
    expect(design.looks.length).toBeGreaterThan(1);
    // The easy arm stopped at its first batch; the hard arm grew by one batch per look.
    design.looks.forEach((l, k) => expect(l.seeds).toEqual({ easy: 4, hard: 4 * (k + 1) }));
    expect(cert.cells.filter((c) => c.arm === 'hard').length).toBe(5 * 4 * design.looks.length);
    expect(Math.min(...cert.cells.map((c) => c.seed))).toBe(1000);
    const easy = cert.evaluation.verdicts.find((v) => v.claim === 'easy-falls')!;
    expect(easy.verdict).toBe('supported');
    expect((easy.evidence.sequential as Seq).look).toBe(1);
    const hard = cert.evaluation.verdicts.find((v) => v.claim === 'hard-falls')!;
    const seq = hard.evidence.sequential as Seq;
    expect(seq.look).toBe(design.looks.length);
    expect(seq.nominal).toBe(design.nominal[seq.look - 1]);
    // The O'Brien-Fleming-type levels: almost nothing at the first look, nearly alpha at the last.
    expect(design.nominal[0]).toBeLessThan(1e-3);
    expect(design.nominal[2]).toBeGreaterThan(0.04);
    expect(cert.command).toContain('--until-decisive --looks 3 --spending obrien-fleming');
    const a = await audit(certPath('a'));
    expect(a.code, a.out + a.err).toBe(0);
    expect(a.out).toMatch(/group-sequential design \(obrien-fleming spending\) of \d look/);
  }, 60_000);

  it('--reuse judges a sequential certificate again without running its cells', async () => {
    const r = await verify(
      'a',
      '--until-decisive',
      '--looks',
      '3',
      '--first-seed',
      '1000',
      '--fresh',
      '--reuse',
      certPath('a'),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/reusing \d+ cells of/);
    const cert = read('a');
    expect(cert.reused!.cells).toBe(cert.cells.length);
    expect(cert.sequential!.looks.length).toBeGreaterThan(1);
  }, 60_000);

  it('an audit recomputes the looks: a forged look or nominal level fails', async () => {
    const cert = read('a');
    const forged = (name: string, edit: (c: Certificate) => void) => {
      const c = structuredClone(cert);
      edit(c);
      const path = join(dir, `${name}.smoke.json`);
      writeFileSync(path, JSON.stringify(c));
      return audit(path);
    };
    const open = await forged('open', (c) => (c.sequential!.looks[0]!.open = []));
    expect(open.code).toBe(1);
    expect(open.out).toMatch(/the sequential design does not follow from the cells: look 1 records open claims none/);
    const level = await forged('level', (c) => (c.sequential!.nominal[0] = 0.05));
    expect(level.code).toBe(1);
    expect(level.out).toMatch(/nominal levels are not those of the spending function/);
  }, 60_000);

  it('takes no look past its budget: open claims end inconclusive, saying why', async () => {
    const r = await verify('b', '--until-decisive', '--budget', '0.001s');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/past the budget of 0\.001 s: stopping at look 1/);
    const cert = read('b');
    expect(cert.sequential!.looks.length).toBe(1);
    const hard = cert.evaluation.verdicts.find((v) => v.claim === 'hard-falls')!;
    expect(hard.verdict).toBe('inconclusive');
    expect(hard.reason).toMatch(/^look 1 of at most 3 .*: stopped at look 1 of 3 \(look 2 would end/);
    expect((await audit(certPath('b'))).code).toBe(0);
  }, 60_000);

  it('refuses its options without --until-decisive, and a bad budget, in one line', async () => {
    for (const [args, pattern] of [
      [['--looks', '2'], /--looks.*to be used with --until-decisive/],
      [['--until-decisive', '--budget', 'soon'], /--budget.*a positive duration such as 90m/],
      [['--until-decisive', '--spending', 'haybittle'], /--spending.*one of obrien-fleming, pocock/],
      [['--first-seed', '-1'], /--first-seed/],
    ] as const) {
      const r = await verify('c', ...args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(pattern);
    }
  });
});
