import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeBlocks, renderReadme, type CalibrationFile } from '../../src/report/readme-figures.ts';
import { runCase, standardCases } from '../../src/stats/calibration.ts';
import { theorems } from '../../theorems/index.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the README figures come from the certificates', () => {
  it(
    'every generated block of README.md equals its rendering from proofs-numeric/ and ' +
      'docs/calibration.json (npm run readme)',
    () => {
      const text = readFileSync(join(root, 'README.md'), 'utf8');
      expect(text).toContain('<!-- figures:verdicts -->');
      expect(text).toContain('<!-- figures:calibration -->');
      expect(renderReadme(text, readmeBlocks(theorems, root))).toBe(text);
    },
  );
  it('docs/calibration.json is what the calibration code computes (spot check of rows)', () => {
    const file = JSON.parse(readFileSync(join(root, 'docs', 'calibration.json'), 'utf8')) as CalibrationFile;
    const cases = standardCases();
    expect(file.rows).toHaveLength(cases.length);
    for (const i of [0, 57, cases.length - 1]) expect(runCase(cases[i]!, file.replications)).toEqual(file.rows[i]);
  });
});
