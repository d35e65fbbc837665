/** Tests: rate verdicts on synthetic data with known slopes. */
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/rng.ts';
import { extrapolateToInfinity, fitRate, type WidthSeries } from '../../src/stats/rate-fit.ts';
import type {
  BoundClaim,
  Claim,
  ClassificationClaim,
  FormulaClaim,
  LimitClaim,
  PeakClaim,
  RateClaim,
  TrendClaim,
} from '../../src/verify/claims.ts';
import { holm } from '../../src/verify/evaluate.ts';
import {
  boundVerdict,
  classificationVerdict,
  peakVerdict,
  formulaVerdict,
  identityVerdict,
  limitVerdict,
  pointFromInterval,
  positivityVerdict,
  rateVerdict,
  trendVerdict,
} from '../../src/verify/verdicts.ts';

const WIDTHS = [128, 256, 512, 1024, 2048, 4096];

/** Q = C n^slope times log-normal noise of the given spread, `seeds` per width. */
function synthetic(
  slope: number,
  seeds: number,
  spread: number,
  tag: string,
  C = 3,
  widths = WIDTHS,
  offset = 0,
): WidthSeries {
  const rng = stream({ test: 'synthetic', tag, slope, seeds, spread });
  return {
    widths,
    values: widths.map((n) =>
      Array.from({ length: seeds }, () => (offset + C * n ** slope) * Math.exp(spread * rng.normal())),
    ),
  };
}

const base = {
  title: 't',
  tex: 't',
  hypotheses: [],
  source: 's',
  theorem: true,
  standing: 'proven' as const,
  arm: 'a',
  observable: 'q',
};
const rate = (mode: RateClaim['mode'], exponent: number, tol = 0.1): RateClaim => ({
  ...base,
  id: `${mode}${exponent}`,
  kind: 'rate',
  mode,
  exponent,
  tol,
});
const judge = (claim: RateClaim, s: WidthSeries) => rateVerdict(claim, fitRate(s)).verdict;

describe('rate verdicts on synthetic data with known slopes', () => {
  const half = synthetic(-0.5, 10, 0.1, 'half');
  it('a true slope of -1/2 supports O(n^{-1/2}), Omega(n^{-1/2}), Theta(n^{-1/2}) and o(1)', () => {
    expect(judge(rate('upper', -0.5), half)).toBe('supported');
    expect(judge(rate('lower', -0.5), half)).toBe('supported');
    expect(judge(rate('tight', -0.5), half)).toBe('supported');
    expect(judge(rate('vanishes', 0), half)).toBe('supported');
  });
  it('a true slope of -1/2 refutes O(n^{-1}) and Theta(n^{-1}), and supports Omega(n^{-1})', () => {
    expect(judge(rate('upper', -1), half)).toBe('refuted');
    expect(judge(rate('tight', -1), half)).toBe('refuted');
    expect(judge(rate('lower', -1), half)).toBe('supported');
  });
  it(
    'a true slope of -1 supports O(n^{-1/2}) (a bound, not tight) but refutes ' + 'Theta(n^{-1/2}) and Omega(n^{-1/2})',
    () => {
      const one = synthetic(-1, 10, 0.1, 'one');
      expect(judge(rate('upper', -0.5), one)).toBe('supported');
      expect(judge(rate('tight', -0.5), one)).toBe('refuted');
      expect(judge(rate('lower', -0.5), one)).toBe('refuted');
    },
  );
  it('a constant quantity refutes o(1)', () => {
    expect(judge(rate('vanishes', 0), synthetic(0, 10, 0.05, 'flat'))).toBe('refuted');
  });
  it('a quantity that decreases to a plateau, 0.1 + n^{-1/2} over widths 512-8192, is not supported as o(1)', () => {
    const plateau = synthetic(-0.5, 8, 0.05, 'plateau', 1, [512, 1024, 2048, 4096, 8192], 0.1);
    const v = rateVerdict(rate('vanishes', 0), fitRate(plateau));
    expect(v.verdict).not.toBe('supported');
  });
  it('a crossover hidden by the global fit is caught by the largest widths', () => {
    // 40 n^{-1.5} dominates below n = 200, 0.2 n^{-0.5} above: the global slope looks fast, the tail is -1/2.
    const widths = [64, 128, 256, 512, 1024, 2048, 4096, 8192];
    const rng = stream({ test: 'crossover' });
    const values = widths.map((n) =>
      Array.from({ length: 16 }, () => (n ** -1.5 * 40 + 0.2 * n ** -0.5) * Math.exp(0.05 * rng.normal())),
    );
    const fit = fitRate({ widths, values });
    expect(fit.slope.upperBound).toBeLessThan(-0.65); // the global fit alone would support O(n^{-3/4})
    expect(fit.tail!.estimate).toBeGreaterThan(-0.75);
    expect(rateVerdict(rate('upper', -0.75), fit).verdict).toBe('refuted');
    expect(rateVerdict(rate('upper', -0.75), fit).reason).toContain('crossover');
  });
  it('too few seeds, widths or networks give inconclusive, whatever the data', () => {
    expect(judge(rate('upper', -0.5), synthetic(-0.5, 2, 0.1, 'two'))).toBe('inconclusive');
    expect(judge(rate('upper', -0.5), synthetic(-0.5, 3, 0.01, 'nine', 3, [128, 256, 512]))).toBe('inconclusive');
  });
  it('noisy data give an interval too wide to decide: inconclusive', () => {
    expect(judge(rate('tight', -0.5), synthetic(-0.5, 3, 1.5, 'noisy'))).toBe('inconclusive');
  });
  it('non-positive values make a log-scale fit invalid', () => {
    const s = synthetic(-0.5, 4, 0.1, 'neg');
    s.values[2]![1] = 0;
    expect(judge(rate('upper', -0.5), s)).toBe('invalid');
  });
  it('the fit recovers the slope and the local slopes', () => {
    const fit = fitRate(synthetic(-0.75, 20, 0.05, 'recover'));
    expect(fit.slope.estimate).toBeCloseTo(-0.75, 1);
    expect(fit.slope.ci[0]).toBeLessThan(-0.75);
    expect(fit.slope.ci[1]).toBeGreaterThan(-0.75);
    for (const l of fit.local) expect(Math.abs(l.estimate + 0.75)).toBeLessThan(0.2);
  });
  it('a width near the float32 floor makes the verdict inconclusive without dropping the width', () => {
    const s = synthetic(-1, 8, 0.05, 'floor');
    const fit = fitRate(s, { floor: () => 3e-4 });
    expect(fit.fitted).toEqual(WIDTHS);
    expect(fit.nearFloor.length).toBeGreaterThan(0);
    expect(rateVerdict(rate('upper', -1), fit).verdict).toBe('inconclusive');
  });
  it('is deterministic (no resampling)', () => {
    const s = synthetic(-0.5, 5, 0.2, 'det');
    expect(fitRate(s)).toEqual(fitRate(s));
  });
});

/** A formula claim at 2% (approximate): the fixture of the formula rule's tests. */
const formula: FormulaClaim = {
  ...base,
  id: 'f',
  kind: 'formula',
  predicted: 'g',
  relTol: 0.02,
  exact: false,
  relTolReason: 'test',
};

describe('formula, limit, positivity and identity verdicts', () => {
  const exact: FormulaClaim = { ...formula, id: 'e', exact: true };
  it('formula: inside the margin by two one-sided tests, outside it, or too wide', () => {
    expect(formulaVerdict(formula, [pointFromInterval('a', 3.01, [2.995, 3.025], 3)]).verdict).toBe('supported');
    expect(formulaVerdict(formula, [pointFromInterval('a', 3.3, [3.2, 3.4], 3)]).verdict).toBe('refuted');
    expect(formulaVerdict(formula, [pointFromInterval('a', 3.2, [2, 4], 3)]).verdict).toBe('inconclusive');
  });
  it('formula: an estimate 1.019 with interval [0.5, 1.5] against 1 is not supported at relTol 2%', () => {
    expect(formulaVerdict(formula, [pointFromInterval('a', 1.019, [0.5, 1.5], 1)]).verdict).toBe('inconclusive');
  });
  it('exact identity: a significant deviation inside the margin refutes; an approximation tolerates it', () => {
    const p = pointFromInterval('a', 1.01, [1.008, 1.012], 1);
    expect(formulaVerdict(exact, [p]).verdict).toBe('refuted');
    expect(formulaVerdict(formula, [p]).verdict).toBe('supported');
  });
  it('formula: a refutation at one of many settings must clear Bonferroni', () => {
    const many = Array.from({ length: 20 }, (_, i) => pointFromInterval(`s${i}`, 1, [0.999, 1.001], 1));
    // z = 2.2 from the prediction: significant alone (p = 0.028), not at 0.05 / 21.
    many.push({ setting: 'edge', estimate: 1.0022, se: 0.001, df: Infinity, predicted: 1 });
    expect(formulaVerdict(exact, many).verdict).not.toBe('refuted');
  });
  it('limit: shrinking to 0 is supported; a distance with an offset is refuted', () => {
    const limit: LimitClaim = { ...base, id: 'l', kind: 'limit', exponent: -0.5, tol: 0.15 };
    const toZero = synthetic(-0.5, 10, 0.05, 'l0');
    const v = limitVerdict(limit, { rate: fitRate(toZero), limit: extrapolateToInfinity(toZero, -0.5) });
    expect(v.verdict).toBe('supported');
    const offset: WidthSeries = { widths: toZero.widths, values: toZero.values.map((g) => g.map((x) => x + 0.5)) };
    const w = limitVerdict(limit, { rate: fitRate(offset), limit: extrapolateToInfinity(offset, -0.5) });
    expect(w.verdict).toBe('refuted');
  });
  it('positivity needs a certificate (or a value below -floor) to refute', () => {
    const claim = { ...base, id: 'p', kind: 'positivity' } as Claim;
    expect(positivityVerdict(claim, { minimum: 0.01, trials: 100, floor: 1e-12 }).verdict).toBe('supported');
    expect(
      positivityVerdict(claim, {
        minimum: 1e-17,
        trials: 100,
        floor: 1e-12,
        counterexample: [
          [1, 0],
          [-1, 0],
        ],
        certifiedSingular: true,
      }).verdict,
    ).toBe('refuted');
    expect(
      positivityVerdict(claim, {
        minimum: 1e-17,
        trials: 100,
        floor: 1e-12,
        counterexample: [
          [1, 0],
          [-1, 0],
        ],
      }).verdict,
    ).toBe('inconclusive');
    expect(positivityVerdict(claim, { minimum: -1e-3, trials: 100, floor: 1e-12 }).verdict).toBe('refuted');
  });
  it('identity: within tol or refuted', () => {
    const id = { ...base, id: 'i', kind: 'identity' as const, tol: 1e-10 };
    expect(identityVerdict(id, { simplifiesToZero: false, maxError: 1e-12, points: 50 }).verdict).toBe('supported');
    expect(identityVerdict(id, { simplifiesToZero: false, maxError: 1e-3, points: 50 }).verdict).toBe('refuted');
  });
});

describe('Holm adjustment', () => {
  it('matches the step-down formula on a worked example', () => {
    // p = (0.01, 0.04, 0.03, 0.005), m = 4: sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> max(0.06,
    // 0.04) = 0.06.
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual(
      [0.03, 0.06, 0.06, 0.02].map((x) => expect.closeTo(x, 12) as unknown as number),
    );
  });
});

describe('classification verdicts (the Dynamical Dichotomy) on synthetic data', () => {
  const dichotomy: ClassificationClaim = {
    ...base,
    id: 'dichotomy',
    kind: 'classification',
    arms: ['a', 'b'],
    classes: [
      { id: 'feature', title: 'Theta(1)', mode: 'tight', exponent: 0, tol: 0.15 },
      { id: 'kernel', title: 'o(1)', mode: 'vanishes', exponent: 0, tol: 0.15 },
    ],
  };
  const fits = (...slopes: number[]) =>
    slopes.map((slope, i) => ({ arm: `arm${i}`, fit: fitRate(synthetic(slope, 8, 0.1, `class${i}`)) }));
  it('one flat arm and one vanishing arm: each in exactly one class, supported', () => {
    const v = classificationVerdict(dichotomy, fits(0, -0.5));
    expect(v.verdict).toBe('supported');
    expect(v.estimate).toBe(2);
    expect(v.pSupport!).toBeLessThanOrEqual(0.05);
  });
  it('an arm whose quantity grows is in no class: refuted, naming the arm', () => {
    const v = classificationVerdict(dichotomy, fits(0, 0.5));
    expect(v.verdict).toBe('refuted');
    expect(v.reason).toMatch(/arm1 is in no class/);
  });
  it('an arm near the boundary between the classes (slope -0.15) is undecided: inconclusive, not refuted', () => {
    expect(classificationVerdict(dichotomy, fits(-0.5, -0.15)).verdict).toBe('inconclusive');
  });
  it('too few networks: inconclusive (the rate guards apply to every arm)', () => {
    const few = [{ arm: 'x', fit: fitRate(synthetic(0, 2, 0.1, 'few', 3, [128, 256, 512])) }];
    expect(classificationVerdict(dichotomy, few).verdict).toBe('inconclusive');
  });
});

describe('peak verdicts (the double-descent peak) on synthetic data', () => {
  const peak: PeakClaim = { ...base, id: 'peak', kind: 'peak', at: 400 };
  const widths = [100, 200, 400, 800, 1600];
  const curve = (f: (n: number) => number, tag: string, seeds = 6, spread = 0.1) => {
    const rng = stream({ test: 'peak', tag });
    return {
      widths,
      values: widths.map((n) => Array.from({ length: seeds }, () => f(n) * Math.exp(spread * rng.normal()))),
    };
  };
  it('a curve rising to 400 and falling after it: supported, the peak located', () => {
    const v = peakVerdict(
      peak,
      curve((n) => 1 / (0.05 + Math.abs(Math.log(n / 400))), 'up-down'),
    );
    expect(v.verdict).toBe('supported');
    expect(v.estimate).toBe(400);
  });
  it('a monotone decreasing curve (ridge): refuted', () => {
    expect(
      peakVerdict(
        peak,
        curve((n) => 100 / n, 'down'),
      ).verdict,
    ).toBe('refuted');
  });
  it('a flat curve: inconclusive (no step is significant either way)', () => {
    expect(
      peakVerdict(
        peak,
        curve(() => 1, 'flat'),
      ).verdict,
    ).toBe('inconclusive');
  });
  it('error rates: on 400 flat curves (no peak) it is never supported, and on 400 true peaks rarely refuted', () => {
    const flat = Array.from(
      { length: 400 },
      (_, r) =>
        peakVerdict(
          peak,
          curve(() => 1, `null${r}`, 4, 0.3),
        ).verdict,
    );
    expect(flat.filter((v) => v === 'supported').length / 400).toBeLessThanOrEqual(0.05);
    const real = Array.from(
      { length: 400 },
      (_, r) =>
        peakVerdict(
          peak,
          curve((n) => 1 / (0.3 + Math.abs(Math.log(n / 400))), `alt${r}`, 4, 0.3),
        ).verdict,
    );
    expect(real.filter((v) => v === 'refuted').length / 400).toBeLessThanOrEqual(0.05);
  });
  it('a peak at another width than claimed: refuted', () => {
    expect(
      peakVerdict(
        peak,
        curve((n) => 1 / (0.05 + Math.abs(Math.log(n / 800))), 'shifted'),
      ).verdict,
    ).toBe('refuted');
  });
});

describe('trend verdicts (effective rank against depth) on synthetic data', () => {
  const trend: TrendClaim = { ...base, id: 'trend', kind: 'trend', direction: 'decreasing' };
  const depths = [1, 2, 3, 4];
  const curve = (f: (L: number) => number, tag: string, seeds = 6, spread = 0.1) => {
    const rng = stream({ test: 'trend', tag });
    return {
      widths: depths,
      values: depths.map((L) => Array.from({ length: seeds }, () => f(L) * Math.exp(spread * rng.normal()))),
    };
  };
  it('falling at every step: supported, the estimate the last-to-first ratio', () => {
    const v = trendVerdict(
      trend,
      curve((L) => 10 / L, 'down'),
    );
    expect(v.verdict).toBe('supported');
    expect(v.estimate).toBeCloseTo(0.25, 1);
  });
  it(
    'rising somewhere: refuted; flat at the end: inconclusive; an increasing claim on a ' + 'falling curve: refuted',
    () => {
      expect(
        trendVerdict(
          trend,
          curve((L) => (L === 3 ? 20 : 10 / L), 'bump'),
        ).verdict,
      ).toBe('refuted');
      expect(
        trendVerdict(
          trend,
          curve((L) => 10 / Math.min(L, 3), 'plateau'),
        ).verdict,
      ).toBe('inconclusive');
      expect(
        trendVerdict(
          { ...trend, direction: 'increasing' },
          curve((L) => 10 / L, 'down'),
        ).verdict,
      ).toBe('refuted');
    },
  );
  it(
    'error rates: on 400 flat curves never supported beyond 5%; on 400 curves falling ' + '15% per step rarely refuted',
    () => {
      const flat = Array.from(
        { length: 400 },
        (_, r) =>
          trendVerdict(
            trend,
            curve(() => 1, `null${r}`, 4, 0.3),
          ).verdict,
      );
      expect(flat.filter((v) => v === 'supported').length / 400).toBeLessThanOrEqual(0.05);
      const real = Array.from(
        { length: 400 },
        (_, r) =>
          trendVerdict(
            trend,
            curve((L) => 0.85 ** L, `alt${r}`, 4, 0.3),
          ).verdict,
      );
      expect(real.filter((v) => v === 'refuted').length / 400).toBeLessThanOrEqual(0.05);
    },
  );
});

describe('bound verdicts on synthetic settings', () => {
  const bound: BoundClaim = { ...base, id: 'bound', kind: 'bound', predicted: 'b', side: 'below' };
  const point = (estimate: number, se: number, predicted: number) => ({
    setting: 's',
    estimate,
    se,
    df: 10,
    predicted,
  });
  it('every setting surely below: supported; one surely above: refuted; one too close to tell: inconclusive', () => {
    expect(boundVerdict(bound, [point(0.8, 0.02, 0.9), point(0.7, 0.02, 0.9)]).verdict).toBe('supported');
    expect(boundVerdict(bound, [point(0.8, 0.02, 0.9), point(1.0, 0.02, 0.9)]).verdict).toBe('refuted');
    expect(boundVerdict(bound, [point(0.8, 0.02, 0.9), point(0.89, 0.02, 0.9)]).verdict).toBe('inconclusive');
    expect(boundVerdict({ ...bound, side: 'above' }, [point(1.0, 0.02, 0.9)]).verdict).toBe('supported');
  });
  it('error rate: a mean exactly on the bound is supported in at most 5% of 2000 draws', () => {
    const rng = stream({ test: 'bound-null' });
    let supported = 0;
    for (let r = 0; r < 2000; r++)
      if (boundVerdict(bound, [point(0.9 + 0.02 * rng.normal(), 0.02, 0.9)]).verdict === 'supported') supported++;
    expect(supported / 2000).toBeLessThanOrEqual(0.06);
  });
});

describe('pRefute: a rule refutes exactly when its refutation p-value is at most ALPHA', () => {
  // The group-sequential design holds pRefute to a smaller nominal level at each look (src/verify/sequential.ts): it
  // must be the p-value of the test the rule refutes by, nothing looser.
  const agrees = (v: { verdict: string; pRefute?: number }) => {
    if (v.verdict === 'invalid') return;
    expect(v.pRefute, JSON.stringify(v)).toBeTypeOf('number');
    expect(v.verdict === 'refuted', `${v.verdict} with pRefute ${v.pRefute}`).toBe(v.pRefute! <= 0.05);
  };
  it('rates of every mode, across slopes near and far from the claim', () => {
    let refuted = 0;
    for (const slope of [-1.3, -1.1, -1, -0.9, -0.7, -0.4, 0])
      for (const seeds of [4, 8])
        for (const claim of [rate('upper', -1), rate('lower', -1), rate('tight', -1), rate('vanishes', 0)]) {
          const v = rateVerdict(claim, fitRate(synthetic(slope, seeds, 0.3, `pRefute${claim.id}`)));
          agrees(v);
          if (v.verdict === 'refuted') refuted++;
        }
    expect(refuted).toBeGreaterThan(10);
  });
  it('formulas, bounds, trends, peaks and limits', () => {
    const bound: BoundClaim = { ...base, id: 'b', kind: 'bound', predicted: 'g', side: 'below' } as BoundClaim;
    for (const [est, lo, hi] of [
      [3.01, 2.995, 3.025],
      [3.3, 3.2, 3.4],
      [3.2, 2, 4],
      [3.07, 3.05, 3.09],
      [2.9, 2.85, 2.95],
    ] as const)
      for (const exact of [false, true]) {
        const points = [pointFromInterval('a', est, [lo, hi], 3), pointFromInterval('b', 3, [2.99, 3.01], 3)];
        agrees(formulaVerdict({ ...formula, exact }, points));
        agrees(boundVerdict(bound, points));
      }
    const trend: TrendClaim = { ...base, id: 't', kind: 'trend', direction: 'decreasing' } as TrendClaim;
    const peak: PeakClaim = { ...base, id: 'p', kind: 'peak', at: 1024 };
    const limit = { ...base, id: 'l', kind: 'limit', exponent: -1, tol: 0.1 } as LimitClaim;
    for (const slope of [-1, 0, 0.5])
      for (const offset of [0, 0.001]) {
        const s = synthetic(slope, 6, 0.3, `pRefute-trend${offset}`, 3, WIDTHS, offset);
        agrees(trendVerdict(trend, s));
        agrees(peakVerdict(peak, s));
        agrees(limitVerdict(limit, { rate: fitRate(s), limit: extrapolateToInfinity(s, -1) }));
      }
  });
});
