/** Tests: tdlv verify, audit and report end to end (smoke fidelity). */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBinary, runCli } from '../helpers/cli.ts';
import { checkpointLine, readCheckpoint } from '../../src/verify/sweep.ts';
import { check } from '../../theorems/ntk-constancy/check.ts';

const dir = mkdtempSync(join(tmpdir(), 'tdlv-verify-'));

const run = runCli;

const smoke = (tag: string, workers = 2) => [
  'verify',
  'ntk-constancy',
  '--fidelity',
  'smoke',
  '--workers',
  String(workers),
  '--backend',
  'wasm',
  '--out',
  join(dir, tag),
  '--checkpoints',
  join(dir, tag),
];
const certPath = (tag: string) => join(dir, tag, 'ntk-constancy.smoke.json');
let reference: { cells: unknown[]; evaluation: unknown };

describe('tdlv verify, audit and report end to end (smoke fidelity)', () => {
  beforeAll(async () => {
    const r = await run([...smoke('reference'), '--json']);
    expect(r.code).toBe(0);
    reference = JSON.parse(readFileSync(certPath('reference'), 'utf8'));
  }, 300_000);

  it('--json prints the verdict of every claim with estimate and interval', async () => {
    const r = await run([...smoke('reference'), '--json']);
    const json = JSON.parse(r.out);
    expect(json.theorem).toBe('ntk-constancy');
    expect(json.claims.map((c: { id: string }) => c.id)).toEqual(check.statement.claims.map((c) => c.id));
    for (const c of json.claims) {
      expect(['supported', 'refuted', 'inconclusive', 'invalid']).toContain(c.verdict);
      expect(c).toHaveProperty('estimate');
      expect(c.ci).toHaveLength(2);
      expect(c.kind).toBe('rate');
    }
    expect(json.ablations.map((a: { id: string }) => a.id)).toEqual(['relu', 'standard-fixed-lr']);
  });

  it('a run killed part-way resumes from its checkpoint and ends with the same cells and verdicts', async () => {
    const checkpoint = join(dir, 'killed', 'ntk-constancy.smoke.jsonl');
    // One worker and a kill after the first cell leave the run seconds from its end, so a test process slowed by
    // others on the machine still kills it part-way (with two workers and a kill after eight cells, a CI run once
    // finished all 36 cells before the poll saw the eighth).
    const killed = await runBinary(
      smoke('killed', 1),
      () => existsSync(checkpoint) && readFileSync(checkpoint, 'utf8').split('\n').length > 2,
    );
    expect(
      { code: killed.code, signal: killed.signal },
      `the run should be killed before it ends; it said: ${killed.err}`,
    ).toEqual({ code: null, signal: 'SIGKILL' });
    expect(existsSync(certPath('killed'))).toBe(false);
    const partial = readFileSync(checkpoint, 'utf8').split('\n').filter(Boolean).length - 1;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(36);
    const resumed = await runBinary(smoke('killed'));
    expect(resumed.code, resumed.err).toBe(0);
    const cert = JSON.parse(readFileSync(certPath('killed'), 'utf8'));
    // Run time and the commit stamp are provenance, not results (a commit between the two runs changes the stamp).
    const strip = (cells: { seconds?: number; code?: { cellVersion: string } }[]) =>
      cells.map(({ seconds: _s, code, ...rest }) => ({ ...rest, cellVersion: code?.cellVersion }));
    expect(strip(cert.cells)).toEqual(strip(reference.cells as { seconds?: number }[]));
    expect(cert.evaluation).toEqual(reference.evaluation);
  }, 300_000);

  it('a checkpoint line cut short by an interrupt is skipped, not fatal', () => {
    const path = join(dir, 'cut.jsonl');
    const header = { theorem: 'ntk-constancy', cellVersion: check.cellVersion, plan: check.plan('smoke') };
    writeFileSync(
      path,
      `${JSON.stringify(header)}\n` +
        `${checkpointLine({ arm: 'tanh', width: 32, seed: 0, status: 'ok', observation: {}, seconds: 1 })}\n` +
        `{"arm": "tanh", "wid`,
    );
    expect(readCheckpoint(path, header).done.size).toBe(1);
  });

  it('a whole-arm forgery with inflated recorded seconds is caught by a default audit', async () => {
    const { evaluate } = await import('../../src/verify/evaluate.ts');
    const cert = JSON.parse(readFileSync(certPath('reference'), 'utf8'));
    const arm = cert.cells[0].arm as string;
    for (const c of cert.cells)
      if (c.arm === arm) {
        for (const k of Object.keys(c.observation)) if (Number.isFinite(c.observation[k])) c.observation[k] *= 1.3;
        c.seconds = 1e6; // a forger's attempt to keep its cells out of a budgeted draw
      }
    cert.evaluation = JSON.parse(JSON.stringify(evaluate(check, cert.cells, cert.plan)));
    writeFileSync(join(dir, 'forged-arm.json'), JSON.stringify(cert));
    const r = await run(['audit', join(dir, 'forged-arm.json'), '--workers', '1', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as { replayed: { arm: string; match: boolean }[] };
    expect(out.replayed.some((c) => c.arm === arm && !c.match)).toBe(true);
    // Every (arm, width) stratum was drawn once.
    const strata = new Set(cert.cells.map((c: { arm: string; width: number }) => `${c.arm}/${c.width}`));
    expect(out.replayed).toHaveLength(strata.size);
  }, 180_000);

  it('a certificate relabelled as made on another backend is held bit for bit unless the auditor asks', async () => {
    const { evaluate } = await import('../../src/verify/evaluate.ts');
    const cert = JSON.parse(readFileSync(certPath('reference'), 'utf8'));
    cert.backend = 'cpu';
    const target = cert.cells[0];
    const key = Object.keys(target.observation).find((k) => Number.isFinite(target.observation[k]))!;
    target.observation[key] *= 1 + 1e-6;
    cert.evaluation = JSON.parse(JSON.stringify(evaluate(check, cert.cells, cert.plan)));
    writeFileSync(join(dir, 'relabelled-cpu.json'), JSON.stringify(cert));
    const cell = `${target.arm}/${target.width}/${target.seed}`;
    const args = ['audit', join(dir, 'relabelled-cpu.json'), '--cells', cell, '--workers', '1', '--backend', 'wasm'];
    expect((await run(args)).code).toBe(1);
    expect((await run([...args, '--tolerance', 'roundoff'])).code).toBe(0);
  }, 120_000);

  it('audit passes on an honest certificate', async () => {
    const r = await run(['audit', certPath('reference'), '--replay', '2', '--workers', '1', '--backend', 'wasm']);
    expect(r.out).toContain('audit passed');
    expect(r.code).toBe(0);
  }, 120_000);

  it('audit fails on a hand-edited verdict and on a hand-edited observation', async () => {
    const cert = JSON.parse(readFileSync(certPath('reference'), 'utf8'));
    const verdictEdit = structuredClone(cert);
    verdictEdit.evaluation.verdicts[3].verdict =
      verdictEdit.evaluation.verdicts[3].verdict === 'supported' ? 'refuted' : 'supported';
    writeFileSync(join(dir, 'edited-verdict.json'), JSON.stringify(verdictEdit));
    const a = await run(['audit', join(dir, 'edited-verdict.json'), '--replay', '0', '--backend', 'wasm']);
    expect(a.code).toBe(1);
    expect(a.out).toContain('do not follow from the raw observations');

    const dataEdit = structuredClone(cert);
    const cell = dataEdit.cells.find((c: { arm: string; width: number }) => c.arm === 'tanh' && c.width === 32);
    cell.observation.ntkChange *= 0.5;
    writeFileSync(join(dir, 'edited-data.json'), JSON.stringify(dataEdit));
    const b = await run(['audit', join(dir, 'edited-data.json'), '--replay', '0', '--backend', 'wasm']);
    expect(b.code).toBe(1);
  }, 120_000);

  it(
    'audit replays named cells: a 1e-9 nudge of any single cell, verdicts recomputed, is ' +
      'caught by --cells for that cell',
    async () => {
      const cert = JSON.parse(readFileSync(certPath('reference'), 'utf8'));
      const { evaluate } = await import('../../src/verify/evaluate.ts');
      // Three cells spread over the certificate (first, middle, last), each forged alone.
      for (const index of [0, Math.floor(cert.cells.length / 2), cert.cells.length - 1]) {
        const forged = structuredClone(cert);
        const cell = forged.cells[index];
        const key = Object.keys(cell.observation).find(
          (k) => Number.isFinite(cell.observation[k]) && cell.observation[k] !== 0,
        )!;
        cell.observation[key] *= 1 + 1e-9;
        forged.evaluation = JSON.parse(JSON.stringify(evaluate(check, forged.cells, forged.plan)));
        writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
        const named = `${cell.arm}/${cell.width}/${cell.seed}`;
        const r = await run([
          'audit',
          join(dir, 'forged.json'),
          '--cells',
          named,
          '--workers',
          '1',
          '--backend',
          'wasm',
          '--json',
        ]);
        expect(r.code, named).toBe(1);
        const out = JSON.parse(r.out);
        expect(out.ok).toBe(false);
        expect(out.replayed).toEqual([
          expect.objectContaining({ arm: cell.arm, width: cell.width, seed: cell.seed, match: false }),
        ]);
        expect(out.checks.find((c: { name: string }) => c.name === 'evaluation').ok).toBe(true);
      }
    },
    120_000,
  );

  it(
    'a cell of an older engine is held to roundoff grown by training: a 1e-9 nudge ' +
      'reproduces, a fifth of the seed sd does not',
    async () => {
      const cert = JSON.parse(readFileSync(certPath('reference'), 'utf8'));
      const { evaluate } = await import('../../src/verify/evaluate.ts');
      const { variance } = await import('../../src/stats/moments.ts');
      const index = Math.floor(cert.cells.length / 2);
      const target = cert.cells[index];
      const group = cert.cells.filter(
        (c: { arm: string; width: number }) => c.arm === target.arm && c.width === target.width,
      );
      const sd = (k: string) =>
        Math.sqrt(variance(group.map((c: { observation: Record<string, number> }) => c.observation[k]!)));
      // An observable whose fifth of a seed sd is far beyond 1e-3 relative, so only the seed-sd rule can accept it.
      const key = Object.keys(target.observation).find(
        (k) => Number.isFinite(target.observation[k]) && 0.2 * sd(k) > 0.01 * Math.abs(target.observation[k]),
      )!;
      expect(key).toBeDefined();
      for (const [shift, reproduces] of [
        [1e-9 * Math.abs(target.observation[key]), true],
        [0.2 * sd(key), false],
      ] as const) {
        const forged = structuredClone(cert);
        forged.cells[index].code.engine = '1';
        forged.cells[index].observation[key] += shift;
        forged.evaluation = JSON.parse(JSON.stringify(evaluate(check, forged.cells, forged.plan)));
        writeFileSync(join(dir, 'older-engine.json'), JSON.stringify(forged));
        const r = await run([
          'audit',
          join(dir, 'older-engine.json'),
          '--cells',
          `${target.arm}/${target.width}/${target.seed}`,
          '--workers',
          '1',
          '--backend',
          'wasm',
          '--tolerance',
          'roundoff',
          '--json',
        ]);
        expect(r.code, `shift ${shift}`).toBe(reproduces ? 0 : 1);
        expect(JSON.parse(r.out).replayed[0]).toMatchObject({
          match: reproduces,
          tolerance: 1e-3,
          beyondSeedSd: reproduces ? [] : [key],
        });
      }
    },
    120_000,
  );

  it(
    'audit draws replayed cells with a fresh seed, reproducible with --replay-seed, and ' +
      'checks the plan against the module',
    async () => {
      const a = JSON.parse(
        (await run(['audit', certPath('reference'), '--replay', '2', '--workers', '1', '--backend', 'wasm', '--json']))
          .out,
      );
      const b = JSON.parse(
        (
          await run([
            'audit',
            certPath('reference'),
            '--replay',
            '2',
            '--replay-seed',
            String(a.replaySeed),
            '--workers',
            '1',
            '--backend',
            'wasm',
            '--json',
          ])
        ).out,
      );
      expect(a.ok).toBe(true);
      expect(b.replayed.map((x: { arm: string }) => x)).toEqual(a.replayed);
      expect(a.escapeProbability.oneCell).toBeCloseTo(
        1 - 2 / (a.replayed.length === 2 ? JSON.parse(readFileSync(certPath('reference'), 'utf8')).cells.length : NaN),
        12,
      );
      // A certificate cut to fewer widths, verdicts recomputed, fails on its plan even when every replayed cell
      // reproduces.
      const cert = JSON.parse(readFileSync(certPath('reference'), 'utf8'));
      const cut = structuredClone(cert);
      const keep = cut.plan.widths.slice(0, 2);
      cut.plan.widths = keep;
      cut.cells = cut.cells.filter((c: { width: number }) => keep.includes(c.width));
      const { evaluate } = await import('../../src/verify/evaluate.ts');
      cut.evaluation = JSON.parse(JSON.stringify(evaluate(check, cut.cells, cut.plan)));
      writeFileSync(join(dir, 'cut.json'), JSON.stringify(cut));
      const c = JSON.parse(
        (await run(['audit', join(dir, 'cut.json'), '--replay', '1', '--workers', '1', '--backend', 'wasm', '--json']))
          .out,
      );
      expect(c.ok).toBe(false);
      expect(c.checks.find((x: { name: string }) => x.name === 'plan').ok).toBe(false);
      // A smoke certificate relabelled full fails on its plan.
      writeFileSync(join(dir, 'relabelled.json'), JSON.stringify({ ...cert, fidelity: 'full' }));
      const relabelled = JSON.parse(
        (await run(['audit', join(dir, 'relabelled.json'), '--replay', '0', '--backend', 'wasm', '--json'])).out,
      );
      expect(relabelled.ok).toBe(false);
      expect(relabelled.checks.find((x: { name: string }) => x.name === 'plan').ok).toBe(false);
      // --replay all replays every cell.
      const all = JSON.parse(
        (
          await run([
            'audit',
            certPath('reference'),
            '--replay',
            'all',
            '--workers',
            '2',
            '--backend',
            'wasm',
            '--json',
          ])
        ).out,
      );
      expect(all.replayed).toHaveLength(cert.cells.length);
      expect(all.escapeProbability.oneCell).toBe(0);
      expect((await run(['audit', certPath('reference'), '--cells', 'nope/1/0'])).code).toBe(2);
    },
    180_000,
  );

  it('a corrupted or missing certificate is a usage error (exit 2, one line)', async () => {
    writeFileSync(join(dir, 'corrupt.json'), '{"schema": "tdlv-certificate/1", "cells": [');
    for (const path of [join(dir, 'corrupt.json'), join(dir, 'nope.json')]) {
      const r = await run(['audit', path]);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
    }
    expect((await run(['verify', 'no-such-theorem'])).code).toBe(2);
    expect((await run(['verify', 'ntk-constancy', '--fidelity', 'ultra'])).code).toBe(2);
  });

  it('report renders self-contained KaTeX pages with inline SVG plots and the reproduce command', async () => {
    const out = join(dir, 'reports');
    const r = await run(['report', '--certificates', join(dir, 'reference'), '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'ntk-constancy.html'), 'utf8');
    expect(html).toContain('class="katex"');
    expect(html).toContain('<svg');
    expect(html).toContain('npx tdlv verify ntk-constancy --fidelity smoke');
    expect(html).toContain('Ablations');
    expect(html).not.toMatch(/https?:\/\/cdn/);
    expect(existsSync(join(out, 'katex', 'katex.min.css'))).toBe(true);
    expect(existsSync(join(out, 'katex', 'fonts', 'KaTeX_Main-Regular.woff2'))).toBe(true);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('ntk-constancy.html');
  }, 120_000);
});
