/** Checking a symbolic identity symbolically and numerically at sampled points. */
import fc from 'fast-check';
import type { Formula } from './expression.ts';

export interface IdentityCheck {
  simplifiesToZero: boolean;
  /** Largest |lhs - rhs| over the sampled points. */
  maxError: number;
  points: number;
  /** Where the largest error was found. */
  worstAt: number;
}

/**
 * Check lhs = rhs on an interval: symbolically (mathjs simplify of lhs - rhs) and numerically at
 * `points` points drawn by fast-check (including the interval's ends). A symbolic result is never
 * reported without the numeric check.
 */
export function checkIdentity(
  lhs: Formula,
  rhs: Formula,
  domain: [number, number],
  points = 200,
  seed = 1,
): IdentityCheck {
  const simplifiesToZero = lhs.minus(rhs).isZero();
  const xs = fc.sample(fc.double({ min: domain[0], max: domain[1], noNaN: true }), { numRuns: points, seed });
  let maxError = 0;
  let worstAt = NaN;
  for (const x of [domain[0], domain[1], ...xs]) {
    const e = Math.abs(lhs.at(x) - rhs.at(x));
    if (Number.isNaN(e)) return { simplifiesToZero, maxError: NaN, points: xs.length + 2, worstAt: x };
    if (e > maxError) {
      maxError = e;
      worstAt = x;
    }
  }
  return { simplifiesToZero, maxError, points: xs.length + 2, worstAt };
}
