/** Tests: statement figures from the committed certificates. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coordCheckCsv, statementFigures } from '../../src/report/figures.ts';
import { readCertificate } from '../../src/verify/certificate.ts';
import { statement as doubleDescent } from '../../theorems/double-descent/statement.ts';
import { statement as deepLinearRank } from '../../theorems/deep-linear-rank/statement.ts';
import { statement as linearization } from '../../theorems/linearization/statement.ts';
import { statement as ntkConstancy } from '../../theorems/ntk-constancy/statement.ts';
import { statement as regimes } from '../../theorems/regimes/statement.ts';
import { statement as tensorPrograms } from '../../theorems/tensor-program-coordinates/statement.ts';
import { statement as reverseNtk } from '../../theorems/reverse-ntk/statement.ts';
import { statement as nngp } from '../../theorems/nngp-correspondence/statement.ts';

const root = join(import.meta.dirname, '..', '..');

describe('statement figures from the committed certificates', () => {
  it(
    'regimes: the dichotomy, one coordinate-check panel per arm and step, two loss-against-rate panels, ' +
      'tidy CSV rows for every recorded value',
    async () => {
      const cert = readCertificate(join(root, 'proofs-numeric', 'regimes.json'));
      const html = await statementFigures(regimes, cert);
      const figure = regimes.figures!.find((f) => f.kind === 'coord-check')!;
      expect(figure.kind).toBe('coord-check');
      expect((html.match(/<svg/g) ?? []).length).toBe(
        // and the dichotomy's one plot
        figure.kind === 'coord-check' ? figure.arms.length * figure.steps.length + 2 + 1 : 0,
      );
      expect(html).not.toMatch(/NaN|undefined|Infinity/);
      // A coordinate check has no fit and no claimed line: its legend names neither.
      expect(html).not.toMatch(/>fitted<|>claimed</);
      // The microsoft/mup layout: a row per arm whose steps share one y axis, its legend drawn once, arms named in
      // words.
      if (figure.kind === 'coord-check') {
        const coord = html.split('<figure').find((f) => f.includes("Title text 'NTK, t = 1'"))!;
        expect((coord.match(/aria-roledescription="legend"/g) ?? []).length).toBe(figure.arms.length);
        const ranges = [...coord.matchAll(/Y-axis titled '[^']*' for a log scale with values from ([^"]+)"/g)].map(
          (m) => m[1],
        );
        expect(ranges.length).toBe(figure.arms.length * figure.steps.length);
        for (let a = 0; a < figure.arms.length; a++)
          expect(new Set(ranges.slice(a * figure.steps.length, (a + 1) * figure.steps.length)).size).toBe(1);
        expect(coord).toContain('μP, t = 1');
        expect(coord).not.toMatch(/>mup-sp-readout, t =/);
      }
      // Every width is labelled in every 200 px panel (the greedy overlap rule hid 4,096 in each of them).
      expect(html).not.toMatch(/opacity="0">(128|256|512|1,?024|2,?048|4,?096|8,?192)<\/text>/);
      const csv = coordCheckCsv(regimes, cert)!.trim().split('\n');
      expect(csv[0]).toBe('arm,width,seed,step,layer,mean_abs_change');
      let expected = 0;
      if (figure.kind === 'coord-check')
        for (const c of cert.cells.filter((x) => (figure.arms as readonly string[]).includes(x.arm)))
          for (const [k] of figure.steps.entries())
            for (const layer of figure.layers) if (c.observation[layer.observables[k]!] !== undefined) expected++;
      expect(csv.length - 1).toBe(expected);
      for (const line of csv.slice(1)) expect(Number.isFinite(Number(line.split(',').at(-1)))).toBe(true);
    },
  );

  it(
    'double-descent: the risk-against-gamma, test-error-against-N/n and norm-bound ' + 'figures draw every series',
    async () => {
      const cert = readCertificate(join(root, 'proofs-numeric', 'double-descent.json'));
      const html = await statementFigures(doubleDescent, cert);
      expect((html.match(/<svg/g) ?? []).length).toBe(3);
      for (const label of [
        'simulated',
        'finite-n expectation',
        'asymptotic (HMRT Theorem 1)',
        'min-norm',
        'ridge λ = 0.01',
        'norm bound (min-norm)',
        'risk of predicting 0',
        '√(N / n)',
      ])
        expect(html).toContain(label);
      expect(html).not.toMatch(/NaN|undefined/);
    },
  );

  it(
    'deep-linear-rank: effective rank against depth, error against observations, and the ' +
      'counterexample as the loss falls',
    async () => {
      const cert = readCertificate(join(root, 'proofs-numeric', 'deep-linear-rank.json'));
      const html = await statementFigures(deepLinearRank, cert);
      // One curves figure, then two panels for each of the three sweep-curve figures.
      expect((html.match(/<svg/g) ?? []).length).toBe(1 + 2 * 3);
      for (const label of ['gradient descent, α = 1e-3', 'min nuclear norm', 'target', 'L = 3', 'L = 2'])
        expect(html).toContain(label);
      expect(html).not.toMatch(/NaN|undefined/);
    },
  );

  it(
    'linearization: the trained ensemble against its Gaussian process over training time (a panel per tracked ' +
      'test point), at every test point, and across widths',
    async () => {
      const cert = readCertificate(join(root, 'proofs-numeric', 'linearization.json'));
      const html = await statementFigures(linearization, cert);
      // Two trajectory figures (a panel per arm: tanh, erf, relu, tanh-lr) and the ensemble against its GP in four
      // panels: two tracked test points over time, every test point after training, the distances across widths.
      expect((html.match(/<svg/g) ?? []).length).toBe(2 * 4 + 4);
      for (const label of [
        'Test point 1 over training',
        'Test point 2 over training',
        'Every test point after training',
        'Distance from the GP across widths',
        'GP: mean ± 2 sd',
        'ensemble n = 128',
        'ensemble n = 1024',
        'covariance tolerance 0.1',
        'n = 4096',
        'linearization',
      ])
        expect(html).toContain(label);
      // The ensemble's centre at the last checkpoint is the mean of its networks' outputs.
      const last = cert.cells
        .filter((c) => c.arm === 'ensemble' && c.width === 1024)
        .map((c) => c.observation['ft:8:0']!);
      const centre = last.reduce((a, b) => a + b, 0) / last.length;
      expect(html).toContain(`${Number(centre.toPrecision(12))}; series: ensemble n = 1024`);
      expect(html).not.toMatch(/NaN|undefined/);
    },
  );

  it(
    'ntk-constancy: the NTK along the circle (Jacot et al. Figure 1), and the training trajectory, loss and NTK ' +
      'change at the 8 checkpoints, a curve per width',
    async () => {
      const cert = readCertificate(join(root, 'proofs-numeric', 'ntk-constancy.json'));
      const html = await statementFigures(ntkConstancy, cert);
      expect((html.match(/<svg/g) ?? []).length).toBe(1 + 2 * 4);
      for (const label of ['n = 512 (10 networks)', 'n = 8192 (10 networks)', 'limit (infinite width)'])
        expect(html).toContain(label);
      expect(html).toMatch(/n = 8192: \d\.\d{3} from the limit at initialization, \d\.\d{3} moved in training/);
      for (const w of [512, 1024, 2048, 4096, 8192]) expect(html).toContain(`n = ${w}`);
      expect(html).not.toMatch(/NaN|undefined/);
    },
  );
  it('nngp-correspondence: the output covariance along the circle at two widths beside the NNGP kernel', async () => {
    const cert = readCertificate(join(root, 'proofs-numeric', 'nngp-correspondence.json'));
    const html = await statementFigures(nngp, cert);
    expect((html.match(/<svg/g) ?? []).length).toBe(1);
    for (const label of ['n = 8 (10 batches)', 'n = 512 (10 batches)', 'limit (infinite width)'])
      expect(html).toContain(label);
    // A cell that did not train draws no dashed line and says nothing about training.
    expect(html).not.toMatch(/after training|moved in training/);
    expect(html).toMatch(/n = 512: \d\.\d{3} from the limit at initialization\./);
  });
  it('tensor-program-coordinates: a coordinate-law panel per arm, a curve per width beside the limit', async () => {
    const cert = readCertificate(join(root, 'proofs-numeric', 'tensor-program-coordinates.json'));
    const html = await statementFigures(tensorPrograms, cert);
    expect((html.match(/<svg/g) ?? []).length).toBe(2);
    for (const label of ['limit (recursion)', 'n = 256 (16 nets)', 'n = 65536 (16 nets)', 'n = 8192 (16 nets)'])
      expect(html).toContain(label);
    expect(html).not.toMatch(/NaN|undefined/);
  });
  it('reverse-ntk: the cut series against the deep NTK over every cosine, and the deviations by width', async () => {
    const cert = readCertificate(join(root, 'proofs-numeric', 'reverse-ntk.json'));
    const html = await statementFigures(reverseNtk, cert);
    expect((html.match(/<svg/g) ?? []).length).toBe(2);
    for (const label of ['cut at degree 2', 'cut at degree 8', 'cut at degree 64', 'engineered (degree 8)'])
      expect(html).toContain(label);
    expect(html).not.toMatch(/NaN|undefined|no curves in the certificate/);
  });
});
