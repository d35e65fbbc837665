/** Tests: npm pack, install the tarball into an empty folder, run it. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledIsCurrent } from '../../bin/compiled.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * The package installs like one: `npm pack`, install the tarball into an empty folder (runtime dependencies only, no
 * dev dependencies, no sources), then run the installed CLI from there. A current dist/ is packed as it is
 * (`--ignore-scripts`): `prepare` would rebuild it in place while other test files run `tdlv` from it, and a module
 * read while tsc rewrites it fails the import (a CI run's kill-and-resume test once exited 1 so). A stale dist/ is
 * rebuilt through `prepare`; meanwhile `tdlv` runs the sources, since the build stamp is written last.
 */
describe('npm pack, install the tarball into an empty folder, run it', () => {
  it('tdlv list starts from compiled JavaScript; verify --fidelity smoke and audit work in the consumer folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdlv-pack-'));
    const scripts = compiledIsCurrent(root) ? ['--ignore-scripts'] : [];
    execFileSync('npm', ['pack', ...scripts, '--pack-destination', dir, '--silent'], { cwd: root, stdio: 'pipe' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', `./${tarball}`, 'typescript@5'], {
      cwd: dir,
      stdio: 'pipe',
    });
    const installed = readdirSync(join(dir, 'node_modules', 'tdlv'));
    expect(installed).toContain('dist');
    expect(installed).not.toContain('src');
    const bin = join(dir, 'node_modules', '.bin', 'tdlv');
    const start = performance.now();
    const list = execFileSync(bin, ['list'], { cwd: dir, encoding: 'utf8' });
    const seconds = (performance.now() - start) / 1000;
    expect(list).toContain('ntk-constancy');
    expect(seconds).toBeLessThan(3); // well under a second on an idle machine; the suite runs files in parallel
    expect(execFileSync(bin, ['list', '--help'], { cwd: dir, encoding: 'utf8' })).toContain('tdlv list');
    const verify = execFileSync(bin, ['verify', 'ntk-constancy', '--fidelity', 'smoke', '--workers', '2', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(JSON.parse(verify).theorem).toBe('ntk-constancy');
    const audit = execFileSync(
      bin,
      ['audit', join('proofs-numeric', 'ntk-constancy.smoke.json'), '--replay', '1', '--json'],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    expect(JSON.parse(audit).ok).toBe(true);
    // A user's own theorem, importing the public API from the installed package (plain JavaScript: no tsx needed).
    writeFileSync(
      join(dir, 'theorem.mjs'),
      `import { defineTheorem, perArmPlan, rate, stream } from 'tdlv';
const claim = rate({ id: 'c', title: 'a quantity falls like 1/n', tex: 'O(n^{-1})', hypotheses: ['h'], ` +
        `source: 'mine', theorem: true, standing: 'conjecture', arm: 'a', observable: 'q', mode: 'upper', ` +
        `exponent: -1, tol: 0.15 });
export function runCell({ cell }) {
  const rng = stream({ experiment: 'mine', width: cell.width, seed: cell.seed });
  return { ...cell, status: 'ok', observation: { q: (1 + 0.1 * rng.normal()) / cell.width }, seconds: 0 };
}
export const check = defineTheorem({
  statement: { id: 'mine', title: 'mine', summary: '', sources: [], hypotheses: [{ id: 'h', text: ` +
        `'h' }], conventions: '', claims: [claim], ablations: [], experiment: '' },
  plan: (fidelity) => perArmPlan(fidelity, { a: { widths: [8, 16, 32, 64, 128], seeds: 4 } }),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
});
`,
    );
    const mine = execFileSync(bin, ['verify', './theorem.mjs', '--fidelity', 'smoke', '--workers', '2', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(JSON.parse(mine).claims[0].verdict).toBe('supported');

    // The new user's path (issue 22): tdlv new, check (type-checked by the TypeScript installed beside it), verify,
    // audit and report, from a TypeScript module with nothing but tdlv (and typescript, for check) installed.
    const run = (args: string[], cwd = dir) =>
      execFileSync(bin, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(run(['new', 'my-claim'])).toContain('my-claim.ts');
    expect(readdirSync(dir)).toContain('tsconfig.json');
    expect(run(['check', './my-claim.ts'])).toMatch(/^my-claim: 1 claim\(s\)/);
    const verdicts = JSON.parse(run(['verify', './my-claim.ts', '--fidelity', 'smoke', '--workers', '2', '--json']));
    expect(verdicts.claims[0].verdict).toMatch(/supported|inconclusive|refuted/);
    expect(
      JSON.parse(
        run(['audit', 'proofs-numeric/my-claim.smoke.json', '--theorem', './my-claim.ts', '--replay', '2', '--json']),
      ).ok,
    ).toBe(true);
    run(['report', '--theorem', './my-claim.ts', '--certificates', 'proofs-numeric', '--out', 'reports']);
    expect(readdirSync(join(dir, 'reports'))).toContain('my-claim.html');
    // and its lab, bundled from the module with the installed package's compiled engine
    expect(readFileSync(join(dir, 'reports', 'lab.html'), 'utf8')).toContain('"id":"my-claim"');
    // A type error is one line per problem, exit 2, before any cell. A claim about an observable the cells do not
    // return passes the run-time checks until a cell has run; the skeleton's Arm and Observable unions make it a
    // compile error at that field (one type-check for both typos: each costs a TypeScript start).
    const misnamed = (id: string) =>
      readFileSync(join(dir, 'my-claim.ts'), 'utf8')
        .replace("id: 'my-claim'", `id: '${id}'`)
        .replace("observable: 'deviation',", "observable: 'deviaton',");
    writeFileSync(join(dir, 'typo-name.ts'), misnamed('typo-name'));
    expect(run(['check', './typo-name.ts', '--no-typecheck'])).toMatch(/^typo-name: 1 claim/);
    writeFileSync(join(dir, 'typo.ts'), misnamed('typo').replace('exponent: -0.5,', "exponent: '-0.5',"));
    const typo = spawnSync(bin, ['check', './typo.ts'], { cwd: dir, encoding: 'utf8' });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/exponent: got "-0\.5", expected a finite number/);
    expect(typo.stderr).toMatch(/typo\.ts\(\d+,\d+\): error TS2322/);
    expect(typo.stderr).toMatch(/typo\.ts\(\d+,\d+\): error TS2322: Type '"deviaton"' is not assignable/);
    // A .ts theorem in a folder without "type": "module" loads too (tsx's CommonJS hook).
    const cjs = join(dir, 'cjs');
    mkdirSync(cjs);
    writeFileSync(join(cjs, 'package.json'), JSON.stringify({ name: 'cjs', private: true }));
    writeFileSync(
      join(cjs, 'cjs-claim.ts'),
      readFileSync(join(dir, 'my-claim.ts'), 'utf8').replaceAll('my-claim', 'cjs-claim'),
    );
    // and type-checks there too (the tsconfig tdlv new wrote reads it as an ES module, as tsx runs it; that
    // tsconfig's project is the whole folder, so the deliberate typos above leave first)
    for (const f of ['typo.ts', 'typo-name.ts']) rmSync(join(dir, f));
    expect(run(['check', './cjs-claim.ts'], cjs)).toMatch(/^cjs-claim: 1 claim/);
    const cjsRun = JSON.parse(
      run(['verify', './cjs-claim.ts', '--fidelity', 'smoke', '--workers', '1', '--json'], cjs),
    );
    expect(cjsRun.theorem).toBe('cjs-claim');
    // A module in a folder where tdlv cannot be resolved says so, and what to run.
    const elsewhere = mkdtempSync(join(tmpdir(), 'tdlv-elsewhere-'));
    writeFileSync(join(elsewhere, 'lost.ts'), readFileSync(join(dir, 'my-claim.ts'), 'utf8'));
    const lost = spawnSync(bin, ['check', join(elsewhere, 'lost.ts')], { cwd: dir, encoding: 'utf8' });
    expect(lost.status).toBe(2);
    expect(lost.stderr).toMatch(/it is not installed in .* or any folder above it \(run: npm install tdlv/);
  }, 600_000);
});
