/**
 * Gaussian expectations of polynomial activations by the moment formulas (Isserlis / Wick), never by
 * symbolic integration (nerdamer 1.1.13 gets definite Gaussian integrals wrong).
 */
import { fraction, type Fraction } from './series.ts';

function factorial(n: number): bigint {
  let f = 1n;
  for (let i = 2n; i <= BigInt(n); i++) f *= i;
  return f;
}

/** E[z^{2k}] = (2k-1)!! sigma^{2k} for z ~ N(0, sigma^2); odd moments vanish. */
export function gaussianMoment(power: number, variance: number): number {
  if (power % 2 === 1) return 0;
  let df = 1;
  for (let i = power - 1; i > 1; i -= 2) df *= i;
  return df * variance ** (power / 2);
}

/**
 * E[u^k v^k] for (u, v) ~ N(0, [[q, c], [c, q]]) as a polynomial in (c, q): by Wick's theorem, the
 * pairings of 2k factors with j pairs across u and v give
 *   sum_{j = k mod 2} (k!)^2 / (j! ((k-j)/2)!^2 2^{k-j}) c^j q^{k-j}.
 * Returned as exact coefficients a_j of c^j q^{k-j}.
 */
export function crossMomentCoefficients(k: number): Fraction[] {
  const out: Fraction[] = [];
  for (let j = 0; j <= k; j++) {
    if ((k - j) % 2 !== 0) {
      out.push(fraction(0));
      continue;
    }
    const h = (k - j) / 2;
    const num = factorial(k) * factorial(k);
    const den = factorial(j) * factorial(h) * factorial(h) * 2n ** BigInt(k - j);
    out.push(fraction(num, den));
  }
  return out;
}
