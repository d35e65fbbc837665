/** Discrete and gamma-family draws (binomial, gamma, chi-square) from addressed random streams. */
import type { RandomStream } from './rng.ts';

/** Binomial(n, 1/2): the number of set bits in n random bits. */
export function binomialHalf(rng: RandomStream, n: number): number {
  let count = 0;
  let left = n;
  while (left > 0) {
    let bits = rng.nextUint32();
    if (left < 32) bits &= (1 << left) - 1;
    bits -= (bits >>> 1) & 0x55555555;
    bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
    count += Math.imul((bits + (bits >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    left -= 32;
  }
  return count;
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the shape < 1 boost. */
export function gamma(rng: RandomStream, shape: number): number {
  if (shape <= 0) return 0;
  if (shape < 1) return gamma(rng, shape + 1) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Chi-square with k degrees of freedom (0 for k = 0). */
export function chiSquare(rng: RandomStream, k: number): number {
  return k === 0 ? 0 : 2 * gamma(rng, k / 2);
}
