/** Tests: bad input is a one-line usage error (exit 2). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

/** Rows of issue 10's bad-input list: each is a one-line error naming the argument with exit code 2, never a hang. */
const dir = mkdtempSync(join(tmpdir(), 'tdlv-bad-'));
const inputs = join(dir, 'x.json');
writeFileSync(
  inputs,
  JSON.stringify([
    [1, 0, 0],
    [0, 1, 0],
  ]),
);
const big = join(dir, 'big.json');
writeFileSync(big, '[[1e308, 1, 0], [1, -1e308, 0]]');

const run = runCli;
// Issue 22's hostile inputs: a FIFO (opening it for reading would block forever), a certificate nested 200,000 deep,
// a shard checkpoint that is a directory, and "00" for a number.
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const deep = join(dir, 'deep.json');
writeFileSync(deep, '{"schema":"tdlv-certificate/1","cells":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}');
const wrongTheorem = join(dir, 'wrong-theorem');
mkdirSync(wrongTheorem);
writeFileSync(
  join(wrongTheorem, 'ntk-constancy.json'),
  readFileSync('proofs-numeric/overparam-convergence.json', 'utf8'),
);
const shardDir = join(dir, 'shards');
mkdirSync(join(shardDir, 'overparam-convergence.smoke.shard-1-of-1.jsonl'), { recursive: true });

describe('bad input is a one-line usage error (exit 2)', () => {
  const cases: [string[], RegExp][] = [
    [['kernel', '--inputs', '/dev/zero', '--depth', '1'], /--inputs: .*regular file/],
    [['kernel', '--inputs', fifo, '--depth', '1'], /--inputs: .*regular file, not a device, directory or pipe/],
    [['audit', fifo], /certificate: .*not a device, directory or pipe/],
    [['judge', '--data', fifo, '--claim', 'O(n^-1)'], /--data: .*not a device, directory or pipe/],
    [['audit', deep], /certificate: .*nested at most 64 deep \(this one: 200001\)/],
    [
      ['report', '--certificates', wrongTheorem, '--out', join(dir, 'wrong-reports')],
      /--certificates: .*ntk-constancy\.json"; expected a certificate of ntk-constancy \(this one is of overparam/,
    ],
    [
      ['merge', 'overparam-convergence', '--fidelity', 'smoke', '--checkpoints', shardDir],
      /--checkpoints: .*regular file/,
    ],
    [['kernel', '--inputs', inputs, '--depth', '1', '--empirical', '--width', '8', '--seed', '00'], /--seed: got "00"/],
    [['audit', 'proofs-numeric/overparam-convergence.json', '--replay-seed', '+1'], /--replay-seed: got "\+1"/],
    [
      ['audit', 'proofs-numeric/overparam-convergence.json', '--cells', 'du/512/0', '--replay-seed', 'abc'],
      /--replay-seed: got "abc"; expected no --replay-seed with --cells/,
    ],
    [
      ['audit', 'proofs-numeric/overparam-convergence.json', '--replay-budget', '0.00000001'],
      /--replay-budget: got "0\.00000001"; expected at least the expected cost of the cheapest cell/,
    ],
    [['audit', 'proofs-numeric/overparam-convergence.json', '--tolerance', 'loose'], /--tolerance: got "loose"/],
    [
      ['audit', 'proofs-numeric/overparam-convergence.json', '--theorem', './examples/custom-theorem/theorem.ts'],
      /--theorem: .*expected no module: overparam-convergence is built in/,
    ],
    [['audit', '/dev/zero'], /certificate: .*regular file/],
    [['judge', '--data', '/dev/zero', '--claim', 'O(n^-1)'], /--data: .*regular file/],
    [['verify', 'ntk-constancy', '--fidelity', 'smoke', '--checkpoints', '/proc/x'], /--checkpoints/],
    [['report', '--out', '/proc/x'], /--out/],
    [['report', '--out', '/dev/null'], /--out/],
    [['verify', 'ntk-constancy', '--fidelity', 'smoke', '--out', '/dev/null/x'], /--out/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--sigma-w2', '0x10'], /--sigma-w2/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--empirical', '--width', '8', '--samples', '1e10'], /--samples/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--tolerance', '1e-20'], /--tolerance/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--quadrature-points', '300'], /--quadrature-points/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', 'expr:exp(z^2)'], /--activation/],
    [['kernel', '--inputs', inputs, '--depth', '1', 'extra'], /kernel: got "extra"/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', 'expr:x^2'], /symbol x/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', 'expr:5 cm + z'], /symbol cm/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', "expr:createUnit('foo')"], /function createUnit/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', "expr:evaluate('1')"], /function evaluate/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', 'expr:z + 0*det(ones(60,60))'], /function det/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', 'expr:1/z'], /not finite/],
    [['kernel', '--inputs', big, '--depth', '1'], /stay finite/],
    [['kernel', '--inputs', inputs, '--depth', '1000', '--sigma-w2', '8'], /stay finite/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--workers', '4096'], /--workers/],
    [['kernel', '--inputs', inputs, '--depth', '2', '--sigma-w2', '1e200'], /stay finite/],
    [['kernel', '--inputs', inputs, '--depth', '1', '--activation', 'expr:z^1000'], /--activation/],
    [['list', 'extra'], /list: got "extra"/],
    [['verify', 'ntk-constancy', 'extra'], /verify: got "extra"/],
  ];
  for (const [argv, message] of cases)
    it(argv.join(' '), async () => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/internal error|    at /);
    });

  it(
    'certificates that are not certificates: a JSON string, a number, null evaluation, ' + 'wrong-typed fields',
    async () => {
      const real = JSON.parse(
        readFileSync(join(import.meta.dirname, '..', '..', 'proofs-numeric', 'ntk-pd-sphere.json'), 'utf8'),
      );
      const variants: unknown[] = [
        '"a string"',
        '42',
        { ...real, evaluation: null },
        { ...real, workers: '<script>alert(1)</script>' },
        { ...real, cells: [{ arm: 1 }] },
        { ...real, plan: 'full' },
      ];
      for (const [i, v] of variants.entries()) {
        const path = join(dir, `bad-cert-${i}.json`);
        writeFileSync(path, typeof v === 'string' ? v : JSON.stringify(v));
        for (const argv of [
          ['audit', path, '--replay', '0'],
          ['report', '--certificates', dir, '--out', join(dir, 'r')],
        ]) {
          if (argv[0] === 'report')
            writeFileSync(join(dir, 'ntk-pd-sphere.json'), typeof v === 'string' ? v : JSON.stringify(v));
          const r = await run(argv);
          expect(r.code, `${argv[0]} variant ${i}`).toBe(2);
          expect(r.err.split('\n')).toHaveLength(1);
        }
      }
    },
  );

  it('a formula activation works with --empirical (its name round-trips to the worker threads)', async () => {
    const r = await run([
      'kernel',
      '--inputs',
      inputs,
      '--depth',
      '1',
      '--activation',
      'expr:tanh(z)',
      '--empirical',
      '--width',
      '64',
      '--samples',
      '2',
      '--workers',
      '1',
      '--backend',
      'wasm',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).empirical.samples).toBe(2);
  }, 60_000);

  it('--seed 0 is accepted where --seed 00 is not', async () => {
    const r = await run([
      'kernel',
      '--inputs',
      inputs,
      '--depth',
      '1',
      '--empirical',
      '--width',
      '8',
      '--samples',
      '2',
      '--seed',
      '0',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
  });
  it('--help exits 0 on every command', async () => {
    for (const c of ['list', 'show', 'verify', 'audit', 'judge', 'report', 'kernel'])
      expect((await run([c, '--help'])).code, c).toBe(0);
  });
});
