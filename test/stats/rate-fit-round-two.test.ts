/**
 * Tests: the rate fit's estimand, its width-level variance and its warnings (issue 23), and the constants of the rate
 * rule pinned so that a mutation of any of them fails a test (Welch-Satterthwaite degrees of freedom, the tail's
 * alpha / 2, MIN_SEEDS).
 */
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/rng.ts';
import { runCase, powerLaw, widthsFrom, type CalibrationCase } from '../../src/stats/calibration.ts';
import { fitRate, type WidthSeries } from '../../src/stats/rate-fit.ts';
import { studentTQuantile } from '../../src/stats/student-t.ts';
import type { RateClaim } from '../../src/verify/claims.ts';
import { rateVerdict, rateWarnings } from '../../src/verify/verdicts.ts';

const claim = (mode: RateClaim['mode'], exponent: number, extra: Partial<RateClaim> = {}): RateClaim => ({
  id: 'c',
  kind: 'rate',
  title: '',
  tex: '',
  hypotheses: [],
  source: '',
  theorem: true,
  standing: 'conjecture',
  arm: 'a',
  observable: 'q',
  mode,
  exponent,
  tol: 0.15,
  ...extra,
});

function lognormal(tag: string, widths: number[], seeds: number, sd: (n: number) => number, meanOne = false) {
  const rng = stream({ test: 'round-two', tag });
  return {
    widths,
    values: widths.map((n) =>
      Array.from({ length: seeds }, () => Math.exp(sd(n) * rng.normal() - (meanOne ? sd(n) ** 2 / 2 : 0)) / n),
    ),
  } satisfies WidthSeries;
}

describe('the estimand a rate is about', () => {
  const widths = widthsFrom(512, 5);
  const growing = (n: number) => 0.1 + (0.5 * Math.log(n / 512)) / Math.log(16);
  it('E[Q] = 1/n, growing spread: the mean estimand finds -1, the geometric one the typical value and warns', () => {
    const s = lognormal('estimand', widths, 400, growing, true);
    const mean = fitRate(s, { estimand: 'mean' });
    const geometric = fitRate(s);
    expect(Math.abs(mean.slope.estimate + 1)).toBeLessThan(3 * mean.slope.se);
    // The typical value falls faster: log-mean offset -sigma^2/2 goes from -0.005 to -0.18 over log 16.
    expect(geometric.slope.estimate).toBeLessThan(-1.03);
    expect(rateWarnings(claim('upper', -1), geometric).join(' ')).toMatch(/spread of log Q changes with width/);
    expect(rateWarnings(claim('upper', -1, { estimand: 'mean' }), mean).join(' ')).not.toMatch(/spread/);
  });
  it("the delta-method standard error of the mean's slope matches the spread of estimates over replications", () => {
    const estimates: number[] = [];
    const ses: number[] = [];
    for (let r = 0; r < 600; r++) {
      const f = fitRate(lognormal(`delta-${r}`, widths, 16, growing, true), { estimand: 'mean' });
      estimates.push(f.slope.estimate);
      ses.push(f.slope.se);
    }
    const m = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - m) ** 2, 0) / (estimates.length - 1));
    const rms = Math.sqrt(ses.reduce((a, b) => a + b * b, 0) / ses.length);
    expect(Math.abs(m + 1)).toBeLessThan(0.02);
    // The width-level term (tau^2 >= 0) makes the reported se slightly conservative; never much smaller.
    expect(rms / sd).toBeGreaterThan(0.9);
    expect(rms / sd).toBeLessThan(1.35);
  });
});

describe('noise shared by the seeds of a width enters the interval (held-out families, partly in the suite)', () => {
  const R = 500;
  it.each([8, 32])(
    'coverage at least 0.93 and false support at most 0.05 with a shared log effect of sd 0.1, %i seeds',
    (seeds) => {
      const base: Omit<CalibrationCase, 'claim'> = {
        family: powerLaw(-1),
        noise: 'lognormal',
        spread: 0.3,
        design: { seeds, widths: widthsFrom(512, 5) },
        shared: 0.1,
      };
      const r = runCase({ ...base, claim: { mode: 'upper', exponent: -1.25, tol: 0.15 } }, R);
      expect(r.coverage).toBeGreaterThanOrEqual(0.93);
      expect(r.rates.supported).toBeLessThanOrEqual(0.05);
    },
  );
  it('a contaminated or small-width data set never passes silently (a warning, or not supported)', () => {
    const cases: CalibrationCase[] = [
      {
        family: powerLaw(-1),
        noise: 'lognormal',
        spread: 0.3,
        design: { seeds: 32, widths: widthsFrom(512, 5) },
        contaminate: { fraction: 0.1, factor: 20, widths: 2 },
        claim: { mode: 'lower', exponent: -0.75, tol: 0.15 },
      },
      {
        family: { name: 'n^-1 log n', curve: (n) => Math.log(n) / n },
        noise: 'lognormal',
        spread: 0.3,
        design: { seeds: 8, widths: widthsFrom(8, 4) },
        claim: { mode: 'upper', exponent: -1, tol: 0.15 },
      },
    ];
    for (const c of cases) {
      const r = runCase(c, 200);
      // Every supported replication carried a warning: supported <= warned share among them is all we can see here,
      // so check the stronger statement that no replication is supported without one.
      expect(r.rates.supported <= r.warned).toBe(true);
      expect(r.warned).toBeGreaterThan(0.9);
    }
  });
});

describe('warnings a referee reads beside the verdict', () => {
  const widths = widthsFrom(512, 5);
  it('a single value of 1e-300 is flagged and said to decide the fit', () => {
    const s = lognormal('tiny', widths, 8, () => 0.3);
    s.values[4]![0] = 1e-300;
    const w = rateWarnings(claim('upper', -1), fitRate(s)).join(' ');
    expect(w).toMatch(/robust sd of log Q .* a few cells decide the fit/);
  });
  it('a tolerance below 1/ln(n_max) is flagged; one above it is not', () => {
    const s = lognormal('res', widthsFrom(8, 4), 8, () => 0.3);
    expect(rateWarnings(claim('upper', -1), fitRate(s)).join(' ')).toMatch(/below 1\/ln\(n_max\) = 0\.240/);
    const big = lognormal('res2', widthsFrom(512, 5), 8, () => 0.3);
    expect(rateWarnings(claim('upper', -1), fitRate(big)).join(' ')).not.toMatch(/1\/ln/);
  });
  it('an inconclusive verdict says how many seeds per width would decide it', () => {
    const s = lognormal('power', widths, 4, () => 0.3);
    const v = rateVerdict(claim('tight', -1), fitRate(s));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reason).toMatch(/about \d+ seeds per width \(now 4\) would decide it at 80% power|wrong side|width-level/);
  });
});

describe('the rate rule constants, pinned', () => {
  it('the degrees of freedom are Welch-Satterthwaite over the widths', () => {
    // Points exactly on a line (no lack of fit, tau^2 = 0): df = (sum a_k)^2 / sum a_k^2 / (S_k - 1).
    const widths = [100, 200, 400];
    const groups = [
      [-0.1, 0.1, 0.05],
      [-0.3, 0.3, 0.2, -0.2],
      [-0.05, 0.05, 0.02, -0.02, 0.01],
    ].map((g) => {
      const m = g.reduce((a, b) => a + b, 0) / g.length;
      return g.map((v) => v - m);
    });
    const values = groups.map((g, k) => g.map((v) => Math.exp(v - Math.log(widths[k]!))));
    const fit = fitRate({ widths, values });
    const x = widths.map(Math.log);
    const xbar = x.reduce((a, b) => a + b, 0) / 3;
    const sxx = x.reduce((a, b) => a + (b - xbar) ** 2, 0);
    const a = groups.map((g, k) => {
      const logs = values[k]!.map(Math.log);
      const m = logs.reduce((s, v) => s + v, 0) / logs.length;
      const s2 = logs.reduce((s, v) => s + (v - m) ** 2, 0) / (logs.length - 1);
      return (((x[k]! - xbar) / sxx) ** 2 * s2) / g.length;
    });
    const df = a.reduce((s, v) => s + v, 0) ** 2 / a.reduce((s, v, k) => s + v ** 2 / (groups[k]!.length - 1), 0);
    expect(fit.lackOfFit.tau2).toBe(0);
    expect(fit.slope.df).toBeCloseTo(df, 10);
    expect(fit.slope.estimate).toBeCloseTo(-1, 12);
  });
  it('the tail refutes at alpha / 2: a tail p-value of 0.04 does not refute, 0.02 does', () => {
    const widths = widthsFrom(512, 5);
    const s = lognormal('tail', widths, 32, () => 0.1);
    const fit = fitRate(s);
    const c = claim('upper', -1);
    const b = -1 + c.tol;
    const tailAt = (p: number) => ({
      ...fit,
      tail: { ...fit.tail!, estimate: b + 0.01 * studentTQuantile(1 - p, Infinity), se: 0.01, df: Infinity },
    });
    expect(rateVerdict(c, tailAt(0.04)).verdict).not.toBe('refuted');
    expect(rateVerdict(c, tailAt(0.02)).verdict).toBe('refuted');
  });
  it('two seeds per width are never enough, however many widths and networks', () => {
    const s = lognormal('two-seeds', widthsFrom(64, 10), 2, () => 0.01);
    const v = rateVerdict(claim('upper', -1), fitRate(s));
    expect(v.verdict).toBe('inconclusive');
    expect(v.reason).toMatch(/only 2 seed\(s\) at some width; at least 3/);
  });
});

describe('three widths: the width-level variance on one degree of freedom (the K = 3 rule)', () => {
  it('the degrees of freedom never fall below 1, so the interval stays finite', () => {
    // 3 seeds per width, and points that scatter about the line: tau^2 > 0 with strongly negative net coefficients.
    const widths = widthsFrom(512, 3);
    let floored = 0;
    for (let r = 0; r < 400; r++) {
      const s = lognormal(`k3-${r}`, widths, 3, () => 0.3);
      const fit = fitRate(s);
      expect(fit.slope.df).toBeGreaterThanOrEqual(1);
      expect(fit.slope.ci[1] - fit.slope.ci[0]).toBeLessThan(1e3);
      if (fit.slope.df === 1) floored++;
    }
    // Before the floor, about a third of these fits had df < 1 (intervals up to 1e43 wide).
    expect(floored).toBeGreaterThan(20);
  });
  it('a fit over three widths warns that shared noise cannot be estimated; four do not', () => {
    const c = claim('upper', -1);
    const three = rateWarnings(c, fitRate(lognormal('k3-warn', widthsFrom(512, 3), 32, () => 0.1)));
    expect(three.some((w) => /three widths leave a noise shared/.test(w))).toBe(true);
    const four = rateWarnings(c, fitRate(lognormal('k4-warn', widthsFrom(512, 4), 32, () => 0.1)));
    expect(four.some((w) => /three widths/.test(w))).toBe(false);
  });
});
