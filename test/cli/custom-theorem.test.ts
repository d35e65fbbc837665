/** Tests: your own theorem, from a path (examples/custom-theorem). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const example = './examples/custom-theorem/theorem.ts';
const dir = mkdtempSync(join(tmpdir(), 'tdlv-custom-'));

describe('your own theorem, from a path (examples/custom-theorem)', () => {
  it('verify --fidelity smoke --json, then show, audit and report accept the module', async () => {
    const out = join(dir, 'out');
    const verify = await runCli([
      'verify',
      example,
      '--fidelity',
      'smoke',
      '--json',
      '--workers',
      '2',
      '--out',
      out,
      '--checkpoints',
      join(dir, 'runs'),
    ]);
    expect(verify.code).toBe(0);
    const summary = JSON.parse(verify.out);
    expect(summary.theorem).toBe('gelu-depth4-ntk-change');
    expect(summary.claims[0].verdict).toMatch(/supported|refuted|inconclusive/);
    const cert = JSON.parse(readFileSync(join(out, 'gelu-depth4-ntk-change.smoke.json'), 'utf8'));
    expect(cert.module).toBe(example);
    expect(cert.command).toContain(example);
    const show = await runCli(['show', example]);
    expect(show.out).toContain('gelu-depth4-ntk-change');
    const audit = await runCli([
      'audit',
      join(out, 'gelu-depth4-ntk-change.smoke.json'),
      '--theorem',
      example,
      '--replay',
      '1',
      '--json',
    ]);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.out).ok).toBe(true);
    const report = await runCli(['report', '--theorem', example, '--certificates', out, '--out', join(dir, 'reports')]);
    expect(report.code).toBe(0);
    expect(readFileSync(join(dir, 'reports', 'gelu-depth4-ntk-change.html'), 'utf8')).toContain('O(n^{-1})');
    // Its lab: the module bundled for a browser, with the exercise it exports (the browser runs it in
    // test/lab/lab-browser.test.ts).
    expect(report.out).toContain(join(dir, 'reports', 'lab.html'));
    const lab = readFileSync(join(dir, 'reports', 'lab.html'), 'utf8');
    expect(lab).toContain('"id":"gelu-depth4-ntk-change"');
    expect(lab).toContain('"id":"too-few-networks"');
  }, 120_000);

  it('exercises that do not fit the theorem are a one-line error naming them (exit 2)', async () => {
    const source = readFileSync(example, 'utf8');
    const bad = join('examples', 'custom-theorem', `bad-exercise-${process.pid}.tmp.ts`);
    writeFileSync(
      bad,
      source.replace(
        "run: { arm: 'gelu', widths: [32, 64, 128], seeds: 3 }",
        "run: { arm: 'relu', widths: [32], seeds: 3 }",
      ),
    );
    const shape = join('examples', 'custom-theorem', `shape-exercise-${process.pid}.tmp.ts`);
    writeFileSync(shape, source.replace('seeds: 3 },', "seeds: '3' },"));
    try {
      const a = await runCli(['report', '--theorem', `./${bad}`, '--certificates', dir, '--out', join(dir, 'bad')]);
      expect(a.code).toBe(2);
      expect(a.err.trim()).toMatch(
        new RegExp(
          '^tdlv: theorem gelu-depth4-ntk-change: exercise gelu-depth4-ntk-change/too-few-networks: ' +
            String.raw`arm relu is not an arm of the full plan \(gelu\)$`,
        ),
      );
      const b = await runCli(['report', '--theorem', `./${shape}`, '--certificates', dir, '--out', join(dir, 'bad')]);
      expect(b.code).toBe(2);
      expect(b.err.trim()).toMatch(
        /^tdlv: theorem gelu-depth4-ntk-change: exercise too-few-networks: run.seeds: got "3", expected/,
      );
    } finally {
      rmSync(bad, { force: true });
      rmSync(shape, { force: true });
    }
  }, 60_000);

  it(
    'a module that breaks the contract, a missing file, a cell that throws and an ' +
      'observable no cell writes are one-line errors (exit 2)',
    async () => {
      const source = readFileSync(example, 'utf8');
      const broken = join('examples', 'custom-theorem', `broken-${process.pid}.tmp.ts`);
      const throwing = join('examples', 'custom-theorem', `throwing-${process.pid}.tmp.ts`);
      const typo = join('examples', 'custom-theorem', `typo-${process.pid}.tmp.ts`);
      writeFileSync(typo, source.replace("observable: 'ntkChange',", "observable: 'ntkChang',"));
      writeFileSync(broken, source.replace("arm: 'gelu',", "arm: 'relu',"));
      writeFileSync(
        throwing,
        source.replace(
          'export function runCell({ cell }: CellTaskArgs): CellResult {',
          'export function runCell({ cell }: CellTaskArgs): CellResult {\n  if (cell.width === ' +
            "64) throw new Error('boom');",
        ),
      );
      try {
        const a = await runCli([
          'verify',
          `./${broken}`,
          '--fidelity',
          'smoke',
          '--out',
          join(dir, 'b'),
          '--checkpoints',
          join(dir, 'b'),
        ]);
        expect(a.code).toBe(2);
        expect(a.err).toMatch(/theorem gelu-depth4-ntk-change: claim ntk-change names arm relu/);
        const b = await runCli(['verify', './no/such/theorem.ts']);
        expect(b.code).toBe(2);
        expect(b.err).toMatch(/theorem: got "\.\/no\/such\/theorem\.ts"/);
        const c = await runCli([
          'verify',
          `./${throwing}`,
          '--fidelity',
          'smoke',
          '--workers',
          '2',
          '--out',
          join(dir, 'c'),
          '--checkpoints',
          join(dir, 'c'),
        ]);
        expect(c.code).toBe(2);
        expect(c.err).toMatch(/cell gelu\/64\/\d of gelu-depth4-ntk-change: got "boom"/);
        expect(
          c.err
            .trim()
            .split('\n')
            .filter((l) => l.startsWith('tdlv:')).length,
        ).toBe(1);
        const d = await runCli([
          'verify',
          `./${typo}`,
          '--fidelity',
          'smoke',
          '--workers',
          '1',
          '--out',
          join(dir, 'd'),
          '--checkpoints',
          join(dir, 'd'),
        ]);
        expect(d.code).toBe(2);
        expect(d.err).toMatch(
          new RegExp(
            'theorem gelu-depth4-ntk-change: claim ntk-change reads ntkChang, ' +
              String.raw`which cell gelu/\d+/\d does not write \(it writes ntkChange, finalLoss\)`,
          ),
        );
      } finally {
        rmSync(broken, { force: true });
        rmSync(throwing, { force: true });
        rmSync(typo, { force: true });
      }
    },
    120_000,
  );
});
