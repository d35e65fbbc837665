/**
 * What an ablation did, read off the committed certificates (the sentence under each ablation on a theorem page), and
 * the size format of the local-slopes table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJson } from '../../src/io/json.ts';
import { ablationOutcome, claimFindings } from '../../src/report/findings.ts';
import { formatSize } from '../../src/report/format.ts';
import type { Certificate } from '../../src/verify/certificate.ts';
import { findStatement } from '../../theorems/registry.ts';

const outcome = (theorem: string, ablation: string) => {
  const path = join(import.meta.dirname, '..', '..', 'proofs-numeric', `${theorem}.json`);
  const cert = fromJson(readFileSync(path, 'utf8')) as Certificate;
  return ablationOutcome(findStatement(theorem), cert, ablation);
};

describe('what an ablation did', () => {
  it('names the verdicts that moved, with the exponents of rate claims, and counts the ones kept', () => {
    expect(outcome('ntk-constancy', 'relu')).toBe(
      'Moved: change-smooth-tanh supported (-0.974) → refuted (-0.739). 6 other claims kept their verdict.',
    );
    expect(outcome('ntk-pd-sphere', 'polynomial')).toBe('Moved: pd-search supported → refuted.');
  });

  it('says when every claim lost its data, and why, or which claims did', () => {
    expect(outcome('linearization', 'lr-divergent')).toMatch(
      /^Every claim it re-evaluates has no valid data: 40 cell\(s\) invalid .*diverged/,
    );
    expect(outcome('ntk-constancy', 'standard-fixed-lr')).toMatch(
      /^Invalid: change-vanishes, .*weights-readout \(78 cell\(s\) invalid.*\)\. 1 other claim kept its verdict\.$/,
    );
  });

  it('does not read a claim that stays inconclusive as one that holds', () => {
    expect(outcome('deep-linear-rank', 'large-init')).toMatch(/^No verdict moved: the claim stays supported/);
    expect(outcome('double-descent', 'ridge')).toMatch(
      /^No verdict moved: peak-at-interpolation stays inconclusive; .*so this run shows nothing either way/,
    );
  });

  it('sizes print as integers, or to four significant digits', () => {
    expect([512, 16384, 0.05000000000000004, 0.0625, 1 / 3].map(formatSize)).toEqual([
      '512',
      '16384',
      '0.05',
      '0.0625',
      '0.3333',
    ]);
  });
});

describe("what a classification claim's experiment measured", () => {
  it('names each arm with the class its interval supports, not the count the verdict carries as its estimate', () => {
    const path = join(import.meta.dirname, '..', '..', 'proofs-numeric', 'regimes.json');
    const cert = fromJson(readFileSync(path, 'utf8')) as Certificate;
    const statement = findStatement('regimes');
    const claim = statement.claims.find((c) => c.kind === 'classification')!;
    const verdict = cert.evaluation.verdicts.find((v) => v.claim === claim.id && v.arm === claim.arm)!;
    const { measures } = claimFindings(statement, claim, verdict);
    expect(measures).toMatch(/^the rate of .* on each of \d+ arms, each placed in the class its interval supports \(/);
    expect(measures).toContain('kernel regime o(1)');
    expect(measures).toContain('feature learning Θ(1)');
    expect(measures).not.toMatch(/\): 4(\.000)?$/);
  });
});
