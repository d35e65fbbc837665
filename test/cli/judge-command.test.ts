/** Tests: tdlv judge. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { stream } from '../../src/random/rng.ts';
import { evaluate } from '../../src/verify/evaluate.ts';
import { parseClaim } from '../../src/verify/judge.ts';

const dir = mkdtempSync(join(tmpdir(), 'tdlv-judge-'));

const run = runCli;

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function measurements(
  datasets: { name: string; slope: number }[],
  seeds = 8,
  widths = [512, 1024, 2048, 4096, 8192],
): string {
  const rng = stream({ test: 'judge' });
  const rows = ['dataset,width,seed,value'];
  for (const d of datasets)
    for (const w of widths)
      for (let s = 0; s < seeds; s++)
        rows.push(`${d.name},${w},${s},${2 * w ** d.slope * Math.exp(0.05 * rng.normal())}`);
  return rows.join('\n') + '\n';
}

describe('tdlv judge', () => {
  it('parses the claim forms', () => {
    expect(parseClaim('O(n^-1)')).toEqual({ mode: 'upper', exponent: -1 });
    expect(parseClaim('Theta(n^-0.5)')).toEqual({ mode: 'tight', exponent: -0.5 });
    expect(parseClaim('Omega(n^+1.5)')).toEqual({ mode: 'lower', exponent: 1.5 });
    expect(parseClaim('O(n^{-1})')).toEqual({ mode: 'upper', exponent: -1 });
    expect(parseClaim('o(1)')).toEqual({ mode: 'vanishes', exponent: 0 });
    for (const bad of ['O(n^x)', 'Theta(n)', 'O(n^-1', 'big-O(n^-1)', ''])
      expect(() => parseClaim(bad)).toThrow(/--claim/);
  });
  it('judges each dataset in file order, as JSON', async () => {
    const path = csv(
      'two.csv',
      measurements([
        { name: 'fast', slope: -1 },
        { name: 'slow', slope: -0.5 },
      ]),
    );
    const r = await run(['judge', '--data', path, '--claim', 'O(n^-1)', '--json']);
    expect(r.code).toBe(0);
    const { results } = JSON.parse(r.out) as {
      results: { dataset: string; verdict: string; slope: { estimate: number; ci: [number, number] } }[];
    };
    expect(results.map((x) => [x.dataset, x.verdict])).toEqual([
      ['fast', 'supported'],
      ['slow', 'refuted'],
    ]);
    expect(results[0]!.slope.ci[0]).toBeLessThan(-1);
    expect(results[0]!.slope.ci[1]).toBeGreaterThan(-1);
  });
  it('without a dataset column the dataset is ""', async () => {
    const text = measurements([{ name: 'x', slope: -0.5 }])
      .replace('dataset,', '')
      .replace(/^x,/gm, '');
    const r = await run(['judge', '--data', csv('one.csv', text), '--claim', 'Theta(n^-0.5)', '--json']);
    expect(JSON.parse(r.out).results[0].dataset).toBe('');
    expect(JSON.parse(r.out).results[0].verdict).toBe('supported');
  });
  it('uses exactly the rules of verify: the same verdict as the evaluator on the same data', async () => {
    const rng = stream({ test: 'judge-vs-verify' });
    const widths = [128, 256, 512, 1024];
    const cells = widths.flatMap((width) =>
      Array.from({ length: 5 }, (_, seed) => ({
        arm: 'a',
        width,
        seed,
        status: 'ok' as const,
        seconds: 0,
        observation: { q: 3 * width ** -0.7 * Math.exp(0.4 * rng.normal()) },
      })),
    );
    const claim = {
      id: 'c',
      kind: 'rate' as const,
      mode: 'upper' as const,
      exponent: -1,
      tol: 0.15,
      title: '',
      tex: '',
      hypotheses: [],
      source: '',
      theorem: true,
      standing: 'conjecture' as const,
      arm: 'a',
      observable: 'q',
    };
    const check = {
      statement: {
        id: 't',
        title: '',
        summary: '',
        sources: [],
        hypotheses: [],
        conventions: '',
        claims: [claim],
        ablations: [],
        experiment: '',
      },
      plan: () => plan,
      cellModule: '',
      cell: () => ({ observation: {} }),
      cellVersion: '1',
    };
    const plan = { fidelity: 'quick' as const, arms: ['a'], widths, seeds: 5, settings: {} };
    const fromVerify = evaluate(check, cells, plan).verdicts[0]!;
    const text = ['width,seed,value', ...cells.map((c) => `${c.width},${c.seed},${c.observation.q}`)].join('\n');
    const r = await run(['judge', '--data', csv('same.csv', text), '--claim', 'O(n^-1)', '--json']);
    const fromJudge = JSON.parse(r.out).results[0];
    expect(fromJudge.verdict).toBe(fromVerify.verdict);
    expect(fromJudge.slope.estimate).toBeCloseTo(fromVerify.estimate, 12);
    expect(fromJudge.reason).toBe(fromVerify.reason);
  });
  it('is fast: 200 datasets of 40 rows in well under a few seconds', async () => {
    const path = csv('many.csv', measurements(Array.from({ length: 200 }, (_, i) => ({ name: `d${i}`, slope: -1 }))));
    const start = performance.now();
    const r = await run(['judge', '--data', path, '--claim', 'O(n^-1)', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).results).toHaveLength(200);
    expect(performance.now() - start).toBeLessThan(3000);
  });
  it('bad rows get a one-line error naming the line, exit 2', async () => {
    const cases: [string, RegExp][] = [
      ['width,seed,value\n512,0,1\n0,1,2\n', /line 3 \(width\)/],
      ['width,seed,value\n512,0\n', /line 2: .*3 comma-separated fields/],
      ['w,s,v\n512,0,1\n', /line 1 \(header\)/],
      ['width,seed,value\n512,0,1\n512,0,2\n', /line 3 \(seed\)/],
      ['width,seed,value\n', /at least one row/],
    ];
    for (const [i, [text, message]] of cases.entries()) {
      const r = await run(['judge', '--data', csv(`bad${i}.csv`, text), '--claim', 'O(n^-1)']);
      expect(r.code, text).toBe(2);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
    expect((await run(['judge', '--data', join(dir, 'missing.csv'), '--claim', 'O(n^-1)'])).code).toBe(2);
    expect((await run(['judge', '--data', join(dir, 'bad0.csv'), '--claim', 'O(n^-1)', '--tol', '-1'])).err).toMatch(
      /--tol/,
    );
    expect((await run(['judge', '--help'])).code).toBe(0);
    const huge = `O(n^-${'9'.repeat(5000)})`;
    const r = await run(['judge', '--data', join(dir, 'one.csv'), '--claim', huge]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--claim: .*\|P\| <= 100/);
    expect(
      (await run(['judge', '--data', join(dir, 'one.csv'), '--claim', 'O(n^-1)', '--estimand', 'median'])).err,
    ).toMatch(/--estimand: got "median"; expected geometric or mean/);
  });
  it('a value a log-scale fit cannot use makes its dataset invalid (line, column); others are judged', async () => {
    const good = measurements([{ name: 'good', slope: -1 }])
      .split('\n')
      .slice(1)
      .join('\n');
    for (const bad of ['-2', 'NaN', '0x10', '0']) {
      const text = `dataset,width,seed,value\n${good}\nbad,512,0,1\nbad,1024,0,${bad}\n`;
      const r = await run(['judge', '--data', csv(`inv-${bad}.csv`, text), '--claim', 'O(n^-1)', '--json']);
      expect(r.code).toBe(0);
      const [g, b] = JSON.parse(r.out).results;
      expect(g.dataset).toBe('good');
      expect(g.verdict).not.toBe('invalid');
      expect(b.verdict).toBe('invalid');
      expect(b.reason).toMatch(/line \d+, column 4 \(value\): got "[^"]*"; a rate is fitted on a log scale/);
    }
  });
  it('--json reports design, pSupport, tail, local fits, warnings, tool; --exit-code is the verdict', async () => {
    const path = csv('exit.csv', measurements([{ name: 'a', slope: -1 }]));
    const r = await run(['judge', '--data', path, '--claim', 'O(n^-1)', '--json', '--exit-code']);
    const out = JSON.parse(r.out);
    expect(out.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    const [a] = out.results;
    expect(Object.keys(a)).toEqual(
      expect.arrayContaining(['design', 'pSupport', 'tail', 'local', 'warnings', 'lackOfFit', 'estimand']),
    );
    expect(a.design.networks).toBe(a.design.seedsPerWidth.reduce((x: number, y: number) => x + y, 0));
    expect(r.code).toBe({ supported: 0, refuted: 3, inconclusive: 4, invalid: 5 }[a.verdict as string]);
    const refuted = await run(['judge', '--data', path, '--claim', 'O(n^-2)', '--exit-code']);
    expect(refuted.code).toBe(3);
    expect((await run(['judge', '--data', path, '--claim', 'O(n^-2)'])).code).toBe(0);
  });
  it('dataset names reach the terminal with control characters escaped', async () => {
    const name = 'evil\u001b]0;pwned\u0007\u001b[31m';
    const text = measurements([{ name: 'x', slope: -1 }]).replaceAll('x,', `"${name}",`);
    const r = await run(['judge', '--data', csv('ansi.csv', text), '--claim', 'O(n^-1)']);
    expect(r.out).not.toMatch(/\u001b|\u0007/);
    expect(r.out).toContain('evil\\u001b]0;pwned\\u0007');
  });
  it('--paired fits each seed across widths: a narrower valid interval when seeds share an offset', async () => {
    const rng = stream({ test: 'judge-paired' });
    const widths = [512, 1024, 2048, 4096, 8192];
    const offsets = Array.from({ length: 8 }, () => 0.3 * rng.normal());
    const rows = ['width,seed,value'];
    for (const w of widths)
      for (let s = 0; s < 8; s++) rows.push(`${w},s${s},${Math.exp(offsets[s]! + 0.05 * rng.normal()) / w}`);
    const path = csv('paired.csv', rows.join('\n') + '\n');
    const [plain] = JSON.parse((await run(['judge', '--data', path, '--claim', 'O(n^-1)', '--json'])).out).results;
    const [paired] = JSON.parse(
      (await run(['judge', '--data', path, '--claim', 'O(n^-1)', '--json', '--paired'])).out,
    ).results;
    const width = (r: { slope: { ci: [number, number] } }) => r.slope.ci[1] - r.slope.ci[0];
    expect(width(paired)).toBeLessThan(width(plain) / 2);
    expect(paired.slope.ci[0]).toBeLessThan(-1);
    expect(paired.slope.ci[1]).toBeGreaterThan(-1);
    // A seed missing at one width: that dataset cannot be paired.
    const gap = csv('paired-gap.csv', rows.filter((r) => r !== rows[3]).join('\n') + '\n');
    const [bad] = JSON.parse(
      (await run(['judge', '--data', gap, '--claim', 'O(n^-1)', '--json', '--paired'])).out,
    ).results;
    expect(bad.verdict).toBe('invalid');
    expect(bad.reason).toMatch(/--paired needs the same seeds at every width: seed "s2"/);
  });
});
