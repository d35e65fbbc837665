/**
 * Every Monte Carlo theorem claim that a committed certificate decides (supported or refuted) carries the p-value of
 * its support test and stands in the theorem's Holm family: a claim judged outside the family would be asserted
 * without the family-wise control (linearization's gp-mean was, until issue 22).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificate } from '../../src/verify/certificate.ts';
import { claimOf } from '../../src/verify/claims.ts';
import { familyOf } from '../../src/verify/evaluate.ts';
import { theorems } from '../../theorems/index.ts';

const root = join(import.meta.dirname, '..', '..');
const MONTE_CARLO = new Set(['rate', 'formula', 'limit', 'classification', 'peak', 'trend', 'bound']);

describe('the Holm family holds every decided Monte Carlo theorem claim', () => {
  it.each(readdirSync(join(root, 'proofs-numeric')).filter((f) => f.endsWith('.json')))('%s', (file) => {
    const cert = readCertificate(join(root, 'proofs-numeric', file));
    const check = theorems.find((t) => t.statement.id === cert.theorem)!;
    const family = new Set(cert.evaluation.family.entries.map((e) => e.claim));
    for (const v of cert.evaluation.verdicts) {
      const claim = claimOf(check.statement, v.claim);
      if (!claim.theorem || claim.standing === 'computed' || !MONTE_CARLO.has(claim.kind)) continue;
      if (v.verdict !== 'supported' && v.verdict !== 'refuted') continue;
      expect(v.pSupport, `${v.claim}: no p-value`).toBeTypeOf('number');
      expect(family.has(v.claim), `${v.claim}: not in the family`).toBe(true);
    }
    // Every p-value and adjustment is a number in [0, 1] (a NaN once made Holm keep nothing).
    for (const e of cert.evaluation.family.entries) {
      expect(e.p, `${e.claim}: p`).toBeGreaterThanOrEqual(0);
      expect(e.adjusted, `${e.claim}: adjusted`).toBeLessThanOrEqual(1);
    }
    // The family is what familyOf computes from the verdicts (no member added or dropped by hand).
    expect(cert.evaluation.family).toEqual(familyOf(check.statement.claims, cert.evaluation.verdicts));
  });
});
