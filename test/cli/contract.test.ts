/**
 * The theorem contract from the user's side (issue 22): a module that breaks it is refused before any cell runs, what a
 * cell returns is checked by the envelope, code provenance stops a rerun of edited code and fails the audit, and NaN
 * survives the round trip through checkpoints and certificates. The module is plain JavaScript in a temporary folder,
 * so nothing here needs tsx or the package's build.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJson } from '../../src/io/json.ts';
import { runBinary, runCli } from '../helpers/cli.ts';

const MODULE = `// A user's theorem: q(n) = (1 + noise) / n, and one cell that observes NaN.
const claim = {
  kind: 'rate', id: 'falls', title: 'q falls like 1/n', tex: 'O(n^{-1})', hypotheses: ['h'], source: 'mine',
  theorem: true, standing: 'conjecture', arm: 'a', observable: 'q', mode: 'upper', exponent: -1, tol: 0.15,
};
export function runCell({ cell }) {
  const u = Math.sin(cell.width * 12.9898 + cell.seed * 78.233) * 43758.5453;
  const noise = 0.1 * (u - Math.floor(u) - 0.5);
  const q = cell.width === 16 && cell.seed === 1 ? NaN : (1 + noise) / cell.width;
  return { ...cell, status: 'ok', observation: { q, r: Infinity }, seconds: 0 };
}
export const check = {
  statement: { id: 'user-rate', title: 't', summary: '', sources: [], hypotheses: [{ id: 'h', text: 'h' }],
    conventions: '', claims: [claim], ablations: [], experiment: '' },
  plan: (fidelity) => ({ fidelity, arms: ['a'], widths: [8, 16, 32, 64], seeds: 4, settings: {} }),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
};
`;

function folder(source: string = MODULE) {
  const dir = mkdtempSync(join(tmpdir(), 'tdlv-contract-'));
  const module = join(dir, 'theorem.mjs');
  writeFileSync(module, source);
  const args = ['--fidelity', 'smoke', '--workers', '1', '--out', join(dir, 'out'), '--checkpoints', join(dir, 'runs')];
  return {
    dir,
    module,
    args,
    cert: join(dir, 'out', 'user-rate.smoke.json'),
    ckpt: join(dir, 'runs', 'user-rate.smoke.jsonl'),
  };
}

describe('an audit replays with code it trusts, never with code the certificate names', () => {
  it('a forged certificate whose module returns forged numbers is refused before that module is loaded', async () => {
    const f = folder();
    expect((await runCli(['verify', f.module, ...f.args])).code).toBe(0);
    const cert = JSON.parse(readFileSync(f.cert, 'utf8'));
    for (const c of cert.cells) if (typeof c.observation.q === 'number') c.observation.q *= 1.3;
    const forged = join(f.dir, 'forged.mjs');
    const marker = join(f.dir, 'forged-module-ran');
    writeFileSync(
      forged,
      MODULE.replace(
        'export function runCell',
        `import { writeFileSync } from 'node:fs';\n` +
          `writeFileSync(${JSON.stringify(marker)}, '');\nexport function runCell`,
      ),
    );
    cert.module = forged;
    writeFileSync(f.cert, JSON.stringify(cert));
    const named = await runCli(['audit', f.cert, '--replay', 'all']);
    expect(named.code).toBe(2);
    const withForged = await runCli(['audit', f.cert, '--theorem', forged, '--replay', 'all']);
    expect(withForged.code).toBe(1);
    expect(withForged.out).toMatch(/FAILED provenance: .*forged\.mjs.*not loaded/);
    expect(existsSync(marker)).toBe(false);
    const honest = await runCli(['audit', f.cert, '--theorem', f.module, '--replay', '2']);
    expect(honest.code).toBe(1);
  }, 120_000);
});

describe('the theorem contract, from a user module', () => {
  it(
    'NaN and infinities survive checkpoint and certificate; audit replays every cell; an ' +
      'edit stops the rerun and fails the audit',
    async () => {
      const f = folder();
      const first = await runCli(['verify', f.module, ...f.args, '--json']);
      expect(first.code, first.err).toBe(0);
      const text = readFileSync(f.cert, 'utf8');
      expect(text).toContain('"NaN"');
      const cert = fromJson(text) as {
        cells: { width: number; seed: number; observation: Record<string, number> }[];
        sources: Record<string, string>;
        tool: { dirty: boolean };
      };
      const nan = cert.cells.find((c) => c.width === 16 && c.seed === 1)!;
      expect(Number.isNaN(nan.observation.q)).toBe(true);
      expect(nan.observation.r).toBe(Infinity);
      expect(Object.keys(cert.sources)).toEqual(['theorem.mjs']);
      expect(cert.tool.dirty).toBe(true); // not under version control: only its hash says what ran
      const audit = await runCli(['audit', f.cert, '--theorem', f.module, '--replay', 'all', '--json']);
      expect(audit.code, audit.out).toBe(0);
      // The audit never loads the module a certificate names: without --theorem it refuses (exit 2).
      const named = await runCli(['audit', f.cert, '--replay', '1']);
      expect(named.code).toBe(2);
      expect(named.err).toMatch(/--theorem: got nothing; expected the path of the module of user-rate: an audit never/);
      // The same command again resumes every cell from the checkpoint and writes the same verdicts (NaN read back as
      // NaN).
      const again = await runCli(['verify', f.module, ...f.args, '--json']);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.out).claims).toEqual(JSON.parse(first.out).claims);
      // A one-comment edit: the rerun stops naming the file and the ways on; the audit fails naming it.
      writeFileSync(f.module, MODULE.replace("// A user's theorem", "// A user's theorem (edited)"));
      const rerun = await runCli(['verify', f.module, ...f.args]);
      expect(rerun.code).toBe(2);
      expect(rerun.err).toMatch(/was computed by other code: theorem\.mjs changed since; run with --fresh/);
      expect(rerun.err.trim().split('\n')).toHaveLength(1);
      const stale = await runCli(['audit', f.cert, '--theorem', f.module, '--replay', '1']);
      expect(stale.code).toBe(1);
      expect(stale.out).toMatch(/FAILED provenance: theorem\.mjs changed since the certificate was made .*not loaded/);
      const fresh = await runCli(['verify', f.module, ...f.args, '--fresh', '--json']);
      expect(fresh.code).toBe(0);
    },
    120_000,
  );

  it.each([
    [
      'a rate mode outside its set',
      (s: string) => s.replace("mode: 'upper'", "mode: 'below'"),
      /^tdlv: theorem user-rate: claim falls: mode: got "below", expected one of "upper" \| "lower" \| "tight"/,
    ],
    [
      'an unknown field',
      (s: string) => s.replace('tol: 0.15', 'tol: 0.15, relTolReason: "x"'),
      /^tdlv: theorem user-rate: claim falls: relTolReason: got "x", expected no such field/,
    ],
    [
      'a built-in id',
      (s: string) => s.replace("id: 'user-rate'", "id: 'ntk-constancy'"),
      /ntk-constancy is a built-in theorem's id/,
    ],
    [
      'a cell that is not a function',
      (s: string) => s.replace('cell: runCell,', "cell: 'runCell',"),
      /^tdlv: theorem user-rate: cell: got "runCell", expected a function/,
    ],
    [
      'a cellModule that exports another check',
      (s: string) =>
        s.replace('cellModule: import.meta.url', "cellModule: new URL('./other.mjs', import.meta.url).href"),
      new RegExp(
        '^tdlv: theorem user-rate: cellModule: got "file:.*other\\.mjs", expected import\\.meta\\.url of the module ' +
          'that exports this check \\(that module exports no check\\)$',
      ),
    ],
  ])('%s is refused with exit 2 before any cell runs', async (_, edit, message) => {
    const f = folder(edit(MODULE));
    const r = await runCli(['verify', f.module, ...f.args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(f.ckpt)).toBe(false);
  });

  it.each([
    [
      'a status outside its set',
      "status: 'weird'",
      /cell a\/\d+\/\d of user-rate: returned status: got "weird", expected one of "ok" \| "invalid"/,
    ],
    [
      'no observation',
      'observation: undefined',
      /cell a\/\d+\/\d of user-rate: returned observation: got nothing, expected a record/,
    ],
    [
      'a string observation',
      "observation: { q: 'x' }",
      /cell a\/\d+\/\d of user-rate: returned observation\.q: got "x", expected a number/,
    ],
    ['another width', 'width: cell.width + 1', /cell a\/\d+\/\d of user-rate: returned the result of cell a\/\d+\/\d/],
  ])(
    'a cell result with %s is one line naming the cell, and never reaches the checkpoint',
    async (_, field, message) => {
      const f = folder(
        MODULE.replace(
          "status: 'ok', observation: { q, r: Infinity }",
          `status: 'ok', observation: { q, r: Infinity }, ${field}`,
        ),
      );
      const r = await runCli(['verify', f.module, ...f.args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(readFileSync(f.ckpt, 'utf8').trim().split('\n')).toHaveLength(1); // the header alone
    },
  );

  it('tdlv check lists every problem of a module, one line each, and passes a good one', async () => {
    const bad = folder(MODULE.replace("mode: 'upper'", "mode: 'below'").replace('tol: 0.15', 'tol: -1'));
    const r = await runCli(['check', bad.module]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([
      'tdlv: theorem user-rate: claim falls: mode: got "below", expected one of "upper" | ' +
        '"lower" | "tight" | "vanishes"',
      'tdlv: theorem user-rate: claim falls: tol: got -1, expected a number > 0',
    ]);
    const good = await runCli(['check', folder().module]);
    expect(good.code, good.err).toBe(0);
    expect(good.out).toMatch(
      /^user-rate: 1 claim\(s\), 0 ablation\(s\); smoke 16 cells, quick 16 cells, full 16 cells: ok$/,
    );
  });

  it("a cell's time limit starts when the cell does: a module slow to import runs under a 2 s limit", async () => {
    const f = folder(`const t0 = Date.now();\nwhile (Date.now() - t0 < 2500) {}\n${MODULE}`);
    const r = await runCli(['verify', f.module, ...f.args, '--cell-timeout', '2']);
    expect(r.err).not.toMatch(/no result within/);
    expect(existsSync(f.cert)).toBe(true);
  }, 60_000);

  it.each([
    ['a busy loop', 'for (;;) {}'],
    ['an Atomics.wait', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);'],
    ['a promise that never settles', 'return new Promise(() => {});'],
    ['process.exit', 'process.exit(0);'],
  ])(
    'a cell stuck in %s is ended and named in one line; finished cells stay checkpointed',
    async (_, stuck) => {
      const f = folder(
        MODULE.replace(
          'export function runCell({ cell }) {',
          `export function runCell({ cell }) {\n  if (cell.width === 64 && cell.seed === 3) { ${stuck} }`,
        ),
      );
      const r = await runCli(['verify', f.module, ...f.args, '--cell-timeout', '2']);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(
        stuck.startsWith('process')
          ? /cell a\/64\/3 of user-rate: its worker thread exited \(code 0\) before returning a result/
          : /cell a\/64\/3 of user-rate: no result within 2 s \(the cell's time limit; --cell-timeout SECONDS sets it/,
      );
      // The largest cells run first; the others finished before the stuck one was ended or were never started.
      expect(readFileSync(f.ckpt, 'utf8').trim().split('\n').length).toBeGreaterThan(1);
    },
    60_000,
  );

  it('a run stopped by a failing cell ends its process at once (no timer of a queued cell left behind)', async () => {
    const f = folder(
      MODULE.replace(
        'export function runCell({ cell }) {',
        "export function runCell({ cell }) {\n  if (cell.width === 64 && cell.seed === 0) throw new Error('boom');",
      ),
    );
    // One worker: when the failing cell is settled the next one is handed to the freed worker, with its time limit.
    // The run takes seconds; one still alive after 60 s is killed, and the assertion below shows it.
    const start = performance.now();
    const r = await runBinary(['verify', f.module, ...f.args], () => performance.now() - start > 60_000);
    expect({ code: r.code, signal: r.signal }, r.err).toEqual({ code: 2, signal: null });
    expect(r.err).toMatch(/cell a\/64\/0 of user-rate: got "boom"/);
  }, 120_000);

  it(
    'a cell may return only its observations (and why it is invalid): the envelope adds ' +
      'address, status and seconds',
    async () => {
      const f = folder(
        MODULE.replace(
          "return { ...cell, status: 'ok', observation: { q, r: Infinity }, seconds: 0 };",
          'for (let t = performance.now(); performance.now() - t < 5; );\n  ' +
            "return Number.isNaN(q) ? { observation: { q }, why: 'q is NaN' } : { observation: { q } };",
        ),
      );
      const r = await runCli(['verify', f.module, ...f.args, '--json']);
      expect(r.code, r.err).toBe(0);
      const cert = fromJson(readFileSync(f.cert, 'utf8')) as {
        cells: { arm: string; width: number; seed: number; status: string; why?: string; seconds: number }[];
      };
      expect(cert.cells).toHaveLength(16);
      for (const c of cert.cells) {
        expect(c.arm).toBe('a');
        expect(c.seconds).toBeGreaterThan(0.004); // measured in the worker around the cell function
        expect(c.status).toBe(c.width === 16 && c.seed === 1 ? 'invalid' : 'ok');
      }
      expect(cert.cells.find((c) => c.status === 'invalid')!.why).toBe('q is NaN');
      const audit = await runCli(['audit', f.cert, '--theorem', f.module, '--replay', 'all', '--json']);
      expect(audit.code, audit.out).toBe(0);
    },
  );
});
