/**
 * Tests: every measurement plot's centre line passes through the seeds it summarises (issue 24: ntk-pd-sphere's line
 * was drawn three widths to the left of its seeds, a centre read by plan index while the fit covered fewer widths).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seriesCentre } from '../../src/report/plots.ts';
import { measurementSeries } from '../../src/report/theorem-page.ts';
import { readCertificate } from '../../src/verify/certificate.ts';
import { fitOf } from '../../src/report/findings.ts';
import { statements } from '../../theorems/registry.ts';

const root = join(import.meta.dirname, '..', '..');
const positive = (xs: number[]) => xs.filter((v) => Number.isFinite(v) && v > 0);
const geometricMean = (xs: number[]) => Math.exp(xs.reduce((s, v) => s + Math.log(v), 0) / xs.length);
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

describe('the centre line of every measurement plot', () => {
  it.each(statements.map((s) => [s.id, s] as const))(
    "%s: each drawn centre is the geometric mean of its width's seeds (the fit's), else their mean",
    (_id, statement) => {
      const cert = readCertificate(join(root, 'proofs-numeric', `${statement.id}.json`));
      let checked = 0;
      for (const { verdicts, arms, series } of measurementSeries(statement, cert))
        for (const [i, s] of series.entries()) {
          const fit = fitOf(verdicts.find((v) => v.arm === arms[i])!);
          s.widths.forEach((_w, k) => {
            const values = positive(s.values[k]!);
            const centre = seriesCentre(s, k);
            if (!values.length) return;
            const where = `${statement.id} ${s.label} width index ${k}`;
            // A claim about the mean draws the fit's bias-corrected means: between the seeds' extremes.
            if (fit?.points && Number.isFinite(s.fit?.points[k])) {
              expect(centre, where).toBeGreaterThanOrEqual(Math.min(...values) * (1 - 1e-12));
              expect(centre, where).toBeLessThanOrEqual(Math.max(...values) * (1 + 1e-12));
            } else {
              const expected = s.fit && Number.isFinite(s.fit.points[k]) ? geometricMean(values) : mean(values);
              expect(Math.abs(centre! / expected - 1), where).toBeLessThan(1e-9);
            }
            checked++;
          });
        }
      if (statement.claims.some((c) => c.kind === 'rate' || c.kind === 'limit')) expect(checked).toBeGreaterThan(0);
    },
  );
});
