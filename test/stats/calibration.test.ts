/** Tests: calibration of the rate rules on synthetic data with known truth. */
import { describe, expect, it } from 'vitest';
import {
  crossover,
  plusConstant,
  powerLaw,
  runCase,
  widthsFrom,
  type CalibrationCase,
} from '../../src/stats/calibration.ts';

/**
 * A reduced calibration (the full table: `npm run calibrate`, README "Calibration"). Each row is deterministic
 * (addressed
 * random streams); the bounds are the targets with room for the Monte Carlo error of 600 replications (sd ~
 * 1%).
 */
const R = 600;
const design = (seeds: number, k = 5) => ({ seeds, widths: widthsFrom(512, k) });
const row = (c: Omit<CalibrationCase, 'spread'> & { spread?: number }) => runCase({ spread: 0.3, ...c }, R);

describe('calibration of the rate rules on synthetic data with known truth', () => {
  // Was 80% before the width-level variance entered the interval (issue 23): that component, estimated from 3
  // residual degrees of freedom at 5 widths, costs power on data without shared noise (91% -> 75% for O(n^-1) at
  // 8 x 5) and buys coverage >= 93% with it (test below; 64-86% before).
  it('a true rate is supported at least 70% of the time at 8 seeds x 5 widths with 30% log-normal noise', () => {
    for (const mode of ['upper', 'tight', 'lower'] as const) {
      const r = row({
        family: powerLaw(-1),
        noise: 'lognormal',
        design: design(8),
        claim: { mode, exponent: -1, tol: 0.15 },
      });
      expect(r.rates.supported, mode).toBeGreaterThanOrEqual(mode === 'tight' ? 0.5 : 0.7);
    }
  });
  it(
    'claims false beyond their tolerance are supported at most 5% of the time ' +
      '(log-normal and t3 noise, 3 to 16 seeds)',
    () => {
      for (const noise of ['lognormal', 'student-t3'] as const)
        for (const seeds of [3, 4, 8, 16]) {
          const cases: CalibrationCase['claim'][] = [
            { mode: 'upper', exponent: -1.25, tol: 0.15 },
            { mode: 'lower', exponent: -0.75, tol: 0.15 },
            { mode: 'tight', exponent: -0.75, tol: 0.15 },
          ];
          for (const claim of cases)
            expect(
              row({ family: powerLaw(-1), noise, design: design(seeds), claim }).rates.supported,
            ).toBeLessThanOrEqual(0.05);
          expect(
            row({
              family: powerLaw(0),
              noise,
              design: design(seeds),
              claim: { mode: 'vanishes', exponent: 0, tol: 0.15 },
            }).rates.supported,
          ).toBeLessThanOrEqual(0.05);
          // The plateau, 0.1 + n^{-1/2} over 512-8192: decreasing, not vanishing.
          expect(
            row({
              family: plusConstant(-0.5, 0.1),
              noise,
              design: design(seeds),
              claim: { mode: 'vanishes', exponent: 0, tol: 0.15 },
            }).rates.supported,
          ).toBeLessThanOrEqual(0.05);
        }
    },
  );
  it('at the tolerance boundary the rule has its nominal size (<= 5% + Monte Carlo error)', () => {
    const r = row({
      family: powerLaw(-1),
      noise: 'lognormal',
      design: design(8),
      claim: { mode: 'upper', exponent: -1.15, tol: 0.15 },
    });
    expect(r.rates.supported).toBeLessThanOrEqual(0.065);
  });
  it('nominal 95% intervals cover 90-99.5% with log-normal noise and >= 85% with t3 noise, 3 to 32 seeds', () => {
    for (const seeds of [3, 4, 8, 32])
      for (const k of [3, 5]) {
        const ln = row({
          family: powerLaw(-1),
          noise: 'lognormal',
          design: design(seeds, k),
          claim: { mode: 'upper', exponent: -1, tol: 0.15 },
        });
        expect(ln.coverage, `${seeds} x ${k}`).toBeGreaterThanOrEqual(0.9);
        expect(ln.coverage, `${seeds} x ${k}`).toBeLessThanOrEqual(0.995);
        const t3 = row({
          family: powerLaw(-0.5),
          noise: 'student-t3',
          design: design(seeds, k),
          claim: { mode: 'upper', exponent: -0.5, tol: 0.15 },
        });
        expect(t3.coverage, `${seeds} x ${k}`).toBeGreaterThanOrEqual(0.85);
      }
  });
  it('a crossover to a slower rate that shows at the largest widths is refuted, not supported', () => {
    const r = row({
      family: crossover(-0.5, -1, 2048),
      noise: 'lognormal',
      design: design(8),
      claim: { mode: 'upper', exponent: -1, tol: 0.15 },
    });
    expect(r.rates.supported).toBeLessThanOrEqual(0.05);
  });
});
