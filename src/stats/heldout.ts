/**
 * Held-out calibration families (issue 23's referee): departures from the model the rate rules assume, chosen before
 * the rules that answer them were written. `npm run calibrate:heldout` runs them all; the test suite runs a few.
 */
import { powerLaw, widthsFrom, type CalibrationCase, type Family } from './calibration.ts';

const logFactor: Family = { name: 'n^-1 log n', curve: (n) => Math.log(n) / n };
const correction: Family = { name: 'n^-1 + n^-1.5', curve: (n) => 1 / n + n ** -1.5 };
/** Log-sd growing linearly in log n from a at the first width to b at the last. */
const spreadFrom = (a: number, b: number, widths: number[]) => (n: number) => {
  const t = Math.log(n / widths[0]!) / Math.log(widths.at(-1)! / widths[0]!);
  return Math.round(1e6 * (a + (b - a) * t)) / 1e6;
};

export function heldOutCases(): CalibrationCase[] {
  const cases: CalibrationCase[] = [];
  const tol = 0.15;
  for (const seeds of [8, 32]) {
    const widths = widthsFrom(512, 5);
    const design = { seeds, widths };
    const base = { noise: 'lognormal' as const, spread: 0.3, design };
    // Noise shared by every seed of a width.
    for (const shared of [0.05, 0.1])
      for (const claim of [
        { mode: 'upper' as const, exponent: -1, tol },
        { mode: 'upper' as const, exponent: -1.15, tol },
        { mode: 'upper' as const, exponent: -1.25, tol },
      ])
        cases.push({ ...base, family: powerLaw(-1), shared, claim });
    // E[Q] = n^-1 exactly with the log-sd growing 0.1 -> 0.6: the mean's rate, and the typical value's.
    const spreadAt = spreadFrom(0.1, 0.6, widths);
    for (const estimand of ['mean', 'geometric'] as const)
      for (const claim of [
        { mode: 'upper' as const, exponent: -1.15, tol },
        { mode: 'tight' as const, exponent: -1, tol },
      ])
        cases.push({ ...base, family: powerLaw(-1), spreadAt, meanOne: true, estimand, claim });
    // Contamination: 10% of the rows x20 at the two largest widths.
    for (const claim of [
      { mode: 'lower' as const, exponent: -0.75, tol },
      { mode: 'upper' as const, exponent: -1, tol },
    ])
      cases.push({ ...base, family: powerLaw(-1), contaminate: { fraction: 0.1, factor: 20, widths: 2 }, claim });
  }
  // An offset shared by one seed across widths (3:1 against the within-seed noise): clustered and paired fits.
  for (const seeds of [8, 32])
    for (const paired of [false, true])
      for (const claim of [
        { mode: 'upper' as const, exponent: -1, tol },
        { mode: 'upper' as const, exponent: -1.25, tol },
      ])
        cases.push({
          family: powerLaw(-1),
          noise: 'lognormal',
          spread: 0.1,
          seedOffset: 0.3,
          paired,
          design: { seeds, widths: widthsFrom(512, 5) },
          claim,
        });
  // Three widths: the width-level variance has one residual degree of freedom (the K = 3 rule: df floored at 1).
  for (const seeds of [8, 32])
    for (const shared of [0, 0.1, 0.3])
      for (const claim of [
        { mode: 'tight' as const, exponent: -1, tol },
        { mode: 'upper' as const, exponent: -1.15, tol },
      ])
        cases.push({
          family: powerLaw(-1),
          noise: 'lognormal',
          spread: 0.3,
          ...(shared ? { shared } : {}),
          design: { seeds, widths: widthsFrom(512, 3) },
          claim,
        });
  // Log factors and small widths: asymptotically O(n^-1), not over these widths.
  for (const widths of [widthsFrom(8, 4), widthsFrom(512, 5)])
    for (const family of [logFactor, correction])
      cases.push({
        family,
        noise: 'lognormal',
        spread: 0.3,
        design: { seeds: 8, widths },
        claim: { mode: 'upper', exponent: -1, tol },
      });
  return cases;
}
