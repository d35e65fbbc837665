/** Tests: arc-cosine kernel series. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Formula } from '../../src/symbolic/expression.ts';
import { checkIdentity } from '../../src/symbolic/identity.ts';
import { cauchyCoefficients, k0Series, k1Series, piLinearValue, symbolicTaylor } from '../../src/symbolic/series.ts';

const K0 = new Formula('(pi - acos(u))/pi');
const K1 = new Formula('(u*(pi - acos(u)) + sqrt(1 - u^2))/pi');

/** (1/2)_r / ((2r+1) r!) in floating point, the closed-form coefficient of the issue. */
function closedForm(r: number): number {
  let poch = 1;
  let fact = 1;
  for (let j = 0; j < r; j++) {
    poch *= 0.5 + j;
    fact *= j + 1;
  }
  return poch / ((2 * r + 1) * fact);
}

describe('arc-cosine kernel series', () => {
  it('k0 = 1/2 + (1/pi) sum_r (1/2)_r / ((2r+1) r!) u^{2r+1}, exactly, to order 41', () => {
    const s = k0Series(41);
    expect(piLinearValue(s[0]!)).toBe(0.5);
    for (let r = 0; 2 * r + 1 <= 41; r++) {
      expect(s[2 * r + 1]!.a.valueOf()).toBe(0);
      expect(s[2 * r + 1]!.b.valueOf()).toBeCloseTo(closedForm(r), 15);
      expect(piLinearValue(s[2 * r + 2] ?? s[0]!)).toBeGreaterThanOrEqual(0);
    }
  });

  it('exact series, Cauchy integrals and mathjs derivatives agree', () => {
    for (const [exact, f] of [
      [k0Series(24), K0],
      [k1Series(24), K1],
    ] as const) {
      const cauchy = cauchyCoefficients(f, 24);
      exact.forEach((c, k) => expect(Math.abs(piLinearValue(c) - cauchy[k]!)).toBeLessThan(1e-10));
      symbolicTaylor(f, 4).forEach((c, k) => expect(c).toBeCloseTo(piLinearValue(exact[k]!), 14));
    }
  });

  it('the series sum to the functions inside the unit interval (fast-check)', () => {
    const s0 = k0Series(200).map(piLinearValue);
    const s1 = k1Series(200).map(piLinearValue);
    fc.assert(
      fc.property(fc.double({ min: -0.8, max: 0.8, noNaN: true }), (u) => {
        const sum = (s: number[]) => s.reduceRight((acc, c) => acc * u + c, 0);
        expect(sum(s0)).toBeCloseTo(K0.at(u), 10);
        expect(sum(s1)).toBeCloseTo(K1.at(u), 10);
      }),
    );
  });

  it('d k1/du = k0: symbolically zero and numerically at 200 points', () => {
    const r = checkIdentity(K1.derivative(), K0, [-1, 1]);
    expect(r.simplifiesToZero).toBe(true);
    expect(r.maxError).toBeLessThan(1e-14);
  });

  it('a false identity is caught numerically even when not simplified', () => {
    const r = checkIdentity(K1.derivative(), new Formula('(pi - acos(u))/pi + u^7 / 1000'), [-1, 1]);
    expect(r.simplifiesToZero).toBe(false);
    expect(r.maxError).toBeGreaterThan(1e-4);
  });
});
