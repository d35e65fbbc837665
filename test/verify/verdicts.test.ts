import { describe, expect, it } from 'vitest';
import { stream } from '../../src/engine/rng.ts';
import { extrapolateToInfinity, fitRate, type WidthSeries } from '../../src/stats/rate-fit.ts';
import type { Claim, FormulaClaim, LimitClaim, RateClaim } from '../../src/verify/claims.ts';
import { formulaVerdict, identityVerdict, limitVerdict, positivityVerdict, rateVerdict } from '../../src/verify/verdicts.ts';

const WIDTHS = [128, 256, 512, 1024, 2048, 4096];

/** Q = C n^slope times log-normal noise of the given spread, `seeds` per width. */
function synthetic(slope: number, seeds: number, spread: number, tag: string, C = 3): WidthSeries {
  const rng = stream({ test: 'synthetic', tag, slope, seeds, spread });
  return { widths: WIDTHS, values: WIDTHS.map((n) => Array.from({ length: seeds }, () => C * n ** slope * Math.exp(spread * rng.normal()))) };
}

const base = { title: 't', tex: 't', hypotheses: [], source: 's', theorem: true, arm: 'a', observable: 'q' };
const rate = (mode: RateClaim['mode'], exponent: number): RateClaim => ({ ...base, id: `${mode}${exponent}`, kind: 'rate', mode, exponent, tol: 0.1 });
const judge = (claim: RateClaim, s: WidthSeries) => rateVerdict(claim, fitRate(s, { address: { t: claim.id } }), Math.min(...s.values.map((v) => v.length))).verdict;

describe('rate verdicts on synthetic data with known slopes', () => {
  const half = synthetic(-0.5, 10, 0.1, 'half');
  it('a true slope of -1/2 supports O(n^{-1/2}) and Theta(n^{-1/2}) and o(1)', () => {
    expect(judge(rate('upper', -0.5), half)).toBe('supported');
    expect(judge(rate('tight', -0.5), half)).toBe('supported');
    expect(judge(rate('vanishes', 0), half)).toBe('supported');
  });
  it('a true slope of -1/2 refutes O(n^{-1}) and Theta(n^{-1})', () => {
    expect(judge(rate('upper', -1), half)).toBe('refuted');
    expect(judge(rate('tight', -1), half)).toBe('refuted');
  });
  it('a true slope of -1 supports O(n^{-1/2}) (a bound, not tight) but refutes Theta(n^{-1/2})', () => {
    const one = synthetic(-1, 10, 0.1, 'one');
    expect(judge(rate('upper', -0.5), one)).toBe('supported');
    expect(judge(rate('tight', -0.5), one)).toBe('refuted');
  });
  it('a constant quantity refutes o(1)', () => {
    expect(judge(rate('vanishes', 0), synthetic(0, 10, 0.05, 'flat'))).toBe('refuted');
  });
  it('too few seeds give inconclusive, whatever the data', () => {
    expect(judge(rate('upper', -0.5), synthetic(-0.5, 2, 0.1, 'two'))).toBe('inconclusive');
  });
  it('noisy data give an interval too wide to decide: inconclusive', () => {
    expect(judge(rate('tight', -0.5), synthetic(-0.5, 3, 1.5, 'noisy'))).toBe('inconclusive');
  });
  it('the fit recovers the slope and the local slopes', () => {
    const fit = fitRate(synthetic(-0.75, 20, 0.05, 'recover'), { address: { t: 'recover' } });
    expect(fit.slope.estimate).toBeCloseTo(-0.75, 1);
    expect(fit.slope.ci[0]).toBeLessThan(-0.75);
    expect(fit.slope.ci[1]).toBeGreaterThan(-0.75);
    expect(fit.local).toHaveLength(WIDTHS.length - 1);
    for (const l of fit.local) expect(Math.abs(l.estimate + 0.75)).toBeLessThan(0.1);
  });
  it('local slopes expose a crossover that one global slope hides', () => {
    // n^{-1} up to 512, then n^{-1/2}: a relu-like crossover.
    const values = WIDTHS.map((n) => Array.from({ length: 8 }, () => (n <= 512 ? 1 / n : 1 / Math.sqrt(512 * n))));
    const fit = fitRate({ widths: WIDTHS, values }, { address: { t: 'crossover' } });
    expect(fit.local[0]!.estimate).toBeCloseTo(-1, 6);
    expect(fit.local[fit.local.length - 1]!.estimate).toBeCloseTo(-0.5, 6);
  });
  it('widths below the float32 floor are not fitted; too few left is inconclusive', () => {
    const s = synthetic(-1, 8, 0.05, 'floor', 1);
    const fit = fitRate(s, { address: { t: 'floor' }, floor: () => 3e-4 });
    expect(fit.belowFloor).toEqual([512, 1024, 2048, 4096]);
    expect(rateVerdict(rate('upper', -1), fit, 8).verdict).toBe('inconclusive');
  });
  it('is deterministic: the same data and address give the same interval', () => {
    const a = fitRate(half, { address: { t: 'det' } });
    const b = fitRate(half, { address: { t: 'det' } });
    expect(a).toEqual(b);
  });
});

describe('formula, limit, positivity and identity verdicts', () => {
  const formula: FormulaClaim = { ...base, id: 'f', kind: 'formula', predicted: 'g', relTol: 0.01 };
  it('formula: CI containing the prediction supports; a CI far from it refutes; a vague CI is inconclusive', () => {
    expect(formulaVerdict(formula, [{ setting: 'a', estimate: 3.01, ci: [2.995, 3.02], predicted: 3 }]).verdict).toBe('supported');
    expect(formulaVerdict(formula, [{ setting: 'a', estimate: 3.3, ci: [3.2, 3.4], predicted: 3 }]).verdict).toBe('refuted');
    expect(formulaVerdict(formula, [{ setting: 'a', estimate: 3.2, ci: [2, 4], predicted: 3 }]).verdict).toBe('inconclusive');
  });
  const limit: LimitClaim = { ...base, id: 'l', kind: 'limit', exponent: -0.5, tol: 0.1 };
  it('limit: a distance c n^{-1/2} extrapolating to 0 is supported; one tending to a constant is refuted', () => {
    const toZero = synthetic(-0.5, 10, 0.05, 'lim0');
    const v = limitVerdict(limit, { rate: fitRate(toZero, { address: { t: 'l0' } }), limit: extrapolateToInfinity(toZero, -0.5, { t: 'l0' }) }, 10);
    expect(v.verdict).toBe('supported');
    const offset: WidthSeries = { widths: toZero.widths, values: toZero.values.map((vs) => vs.map((x) => x + 0.2)) };
    const w = limitVerdict(limit, { rate: fitRate(offset, { address: { t: 'l1' } }), limit: extrapolateToInfinity(offset, -0.5, { t: 'l1' }) }, 10);
    expect(w.verdict).toBe('refuted');
  });
  const claim = { ...base, id: 'p', kind: 'positivity' } as Claim;
  it('positivity: a certified counterexample refutes, an uncertified value below the floor is inconclusive, none supports', () => {
    expect(positivityVerdict(claim, { minimum: 0.01, trials: 100, floor: 1e-12 }).verdict).toBe('supported');
    expect(positivityVerdict(claim, { minimum: 1e-17, trials: 100, floor: 1e-12, counterexample: [[1, 0], [-1, 0]], certifiedSingular: true }).verdict).toBe('refuted');
    expect(positivityVerdict(claim, { minimum: 1e-17, trials: 100, floor: 1e-12, counterexample: [[1, 0], [-1, 0]] }).verdict).toBe('inconclusive');
  });
  it('identity: small numeric error supports, large refutes', () => {
    const id = { ...base, id: 'i', kind: 'identity' as const, tol: 1e-9 };
    expect(identityVerdict(id, { simplifiesToZero: false, maxError: 1e-12, points: 50 }).verdict).toBe('supported');
    expect(identityVerdict(id, { simplifiesToZero: false, maxError: 1e-3, points: 50 }).verdict).toBe('refuted');
  });
});
