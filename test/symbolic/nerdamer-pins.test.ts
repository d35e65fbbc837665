/** Tests: nerdamer 1.1.13 pins (wrong answers we route around). */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Formula } from '../../src/symbolic/expression.ts';

/**
 * Known wrong answers of nerdamer 1.1.13, pinned so that an upgrade that fixes (or changes) them is
 * noticed. tdlv differentiates with mathjs and never integrates Gaussians symbolically.
 */
const require = createRequire(import.meta.url);
const nerdamer = require('nerdamer');
require('nerdamer/Calculus');

const value = (expr: string, u: number) => Number(nerdamer(expr, { u, x: u }).evaluate().text('decimals'));

describe('nerdamer 1.1.13 pins (wrong answers we route around)', () => {
  it('d/du (pi - acos u) has the wrong sign in nerdamer, the right one in mathjs', () => {
    const wrong = nerdamer.diff('pi - acos(u)', 'u').toString();
    expect(wrong).toBe('-sqrt(-u^2+1)^(-1)');
    const truth = 1 / Math.sqrt(1 - 0.3 ** 2);
    expect(value(wrong, 0.3)).toBeCloseTo(-truth, 12);
    expect(new Formula('pi - acos(u)').derivative().at(0.3)).toBeCloseTo(truth, 12);
  });

  it('so nerdamer gets d k1/du != k0, while mathjs simplifies d k1/du - k0 to 0', () => {
    const k1 = '(u*(pi - acos(u)) + sqrt(1 - u^2))/pi';
    const d = nerdamer.diff(k1, 'u').toString();
    const k0 = (u: number) => (Math.PI - Math.acos(u)) / Math.PI;
    expect(Math.abs(value(d, 0.3) - k0(0.3))).toBeGreaterThan(0.1);
    expect(new Formula(k1).derivative().minus(new Formula('(pi - acos(u))/pi')).isZero()).toBe(true);
  });

  it('nerdamer integrates x^2 exp(-x^2/2) over [0, 1] wrongly (1.4039 instead of 0.2491)', () => {
    const got = Number(nerdamer('defint(x^2*e^(-x^2/2), 0, 1, x)').evaluate().text('decimals'));
    // Exact: -e^{-1/2} + sqrt(pi/2) erf(1/sqrt 2) = 0.24909...
    const truth = -Math.exp(-0.5) + Math.sqrt(Math.PI / 2) * 0.6826894921370859;
    expect(truth).toBeCloseTo(0.249089, 5);
    expect(got).toBeCloseTo(1.4038929, 6);
  });
});
