/** Tests: tdlv kernel. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tdlv-cli-'));
const inputs = join(dir, 'X.json');
writeFileSync(
  inputs,
  JSON.stringify([
    [1, 0, 0],
    [0, 1, 0],
    [-1, 0, 0],
  ]),
);
const ragged = join(dir, 'ragged.json');
writeFileSync(
  ragged,
  JSON.stringify([
    [1, 0],
    [0, 1, 0],
  ]),
);
const notJson = join(dir, 'bad.json');
writeFileSync(notJson, '[[1, 0');

const run = runCli;

describe('tdlv kernel', () => {
  it('prints the analytic kernels as JSON', async () => {
    const r = await run([
      'kernel',
      '--inputs',
      inputs,
      '--activation',
      'relu',
      '--depth',
      '1',
      '--sigma-w2',
      '2',
      '--sigma-b2',
      '0',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    // d = 3: Sigma^1 = 2/3 on the diagonal; relu keeps it (E[relu(u)^2] = q/2, times sigma_w^2 = 2); Theta = 2 Sigma.
    expect(json.nngp[0][0]).toBeCloseTo(2 / 3, 14);
    expect(json.ntk[0][0]).toBeCloseTo(4 / 3, 14);
    expect(json.nngp[0][1]).toBeCloseTo(2 / 3 / Math.PI, 14);
    expect(json.ntk[0][2]).toBe(0);
  });

  it('with --empirical adds Monte Carlo means and standard errors', async () => {
    const r = await run([
      'kernel',
      '--inputs',
      inputs,
      '--activation',
      'erf',
      '--depth',
      '2',
      '--sigma-b2',
      '0.1',
      '--empirical',
      '--width',
      '256',
      '--samples',
      '8',
      '--workers',
      '1',
      '--backend',
      'wasm',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.empirical.samples).toBe(8);
    expect(json.empirical.ntk.mean).toHaveLength(3);
    expect(json.empirical.ntk.stderr[0][0]).toBeGreaterThan(0);
    expect(json.empirical.relativeFrobeniusError.ntk).toBeLessThan(0.2);
  });

  it.each([
    [['kernel', '--inputs', join(dir, 'missing.json'), '--depth', '1'], '--inputs'],
    [['kernel', '--inputs', ragged, '--depth', '1'], '--inputs'],
    [['kernel', '--inputs', notJson, '--depth', '1'], '--inputs'],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', 'softsign'], '--activation'],
    [['kernel', '--inputs', inputs, '--depth', '0'], '--depth'],
    [['kernel', '--inputs', inputs, '--depth', '2.5'], '--depth'],
    [['kernel', '--inputs', inputs, '--depth', '1', '--empirical', '--width', '-4'], '--width'],
    [['kernel', '--inputs', inputs, '--depth', '1', '--empirical'], '--width'],
    [['kernel', '--inputs', inputs, '--depth', '1', '--parametrization', 'mup'], '--parametrization'],
    [['kernel', '--inputs', inputs, '--depth', '1', '--frobnicate'], '--frobnicate'],
    [
      ['kernel', '--inputs', inputs, '--depth', '2', '--empirical', '--width', '100000', '--backend', 'wasm'],
      '--width',
    ],
    [['nonsense'], 'command'],
  ])('rejects bad input with a one-line error naming the argument: %j', async (argv, argument) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain(argument);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('the installed bin runs as a subprocess: JSON on stdout, exit 2 and no stack trace on error', () => {
    const bin = join(import.meta.dirname, '../../bin/tdlv.js');
    const ok = execFileSync(
      'node',
      [bin, 'kernel', '--inputs', inputs, '--depth', '2', '--activation', 'tanh', '--json'],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(ok).ntk).toHaveLength(3);
    const bad = spawnSync('node', [bin, 'kernel', '--inputs', inputs, '--depth', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('tdlv: --depth: got "x"; expected a positive integer <= 1000');
  });
});
