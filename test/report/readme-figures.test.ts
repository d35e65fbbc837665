/** Tests: the README figures come from the certificates. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GENERATED_FILES,
  PICTURE,
  readmeBlocks,
  readmePicture,
  renderReadme,
  type CalibrationFile,
} from '../../bench/readme-figures.ts';
import { runCase, standardCases } from '../../src/stats/calibration.ts';
import { theorems } from '../../theorems/index.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the README figures come from the certificates', () => {
  it(
    'every generated block of README.md equals its rendering from proofs-numeric/ and ' +
      'docs/calibration.json (npm run readme)',
    () => {
      const blocks = readmeBlocks(theorems, root);
      const all = GENERATED_FILES.map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
      for (const block of ['theorems', 'verdicts', 'calibration', 'cell-bench', 'scale-out'])
        expect(all).toContain(`<!-- figures:${block} -->`);
      for (const f of GENERATED_FILES) {
        const text = readFileSync(join(root, f), 'utf8');
        expect(renderReadme(text, blocks), f).toBe(text);
      }
    },
  );
  it(
    'the README picture is the forest plot of its certificate, and the README a front ' + 'door (at most 15 KB)',
    async () => {
      const check = theorems.find((t) => t.statement.id === PICTURE.theorem)!;
      expect(readFileSync(join(root, PICTURE.path), 'utf8')).toBe(await readmePicture(check, root));
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      expect(readme).toContain(`](${PICTURE.path})`);
      expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024);
    },
  );
  it('docs/calibration.json is what the calibration code computes (spot check of rows)', () => {
    const file = JSON.parse(readFileSync(join(root, 'docs', 'calibration.json'), 'utf8')) as CalibrationFile;
    const cases = standardCases();
    expect(file.rows).toHaveLength(cases.length);
    for (const i of [0, 57, cases.length - 1]) expect(runCase(cases[i]!, file.replications)).toEqual(file.rows[i]);
  });
});
