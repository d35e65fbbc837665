/**
 * Tests: the portable elementary functions (src/numeric/libm.ts) are bit-identical to Node's Math.* (V8's fdlibm) on
 * random arguments over every range their code branches on, on the edges between branches, and on special values.
 */
import { describe, expect, it } from 'vitest';
import { PORTABLE_MATH } from '../../src/numeric/libm.ts';

/** A reproducible stream of doubles: uniform on [-1, 1). */
function uniforms(seed: number): () => number {
  let s = BigInt(seed);
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    return (Number(s >> 11n) / 2 ** 53) * 2 - 1;
  };
}

/** Arguments: uniform on the scale, log-uniform down to 1e-300, the branch edges and special values. */
function argumentsFor(scale: number, count: number, seed: number): number[] {
  const u = uniforms(seed);
  const xs: number[] = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 2, 5e-324, -5e-324, 2.2250738585072014e-308];
  for (const edge of [0.5 * Math.LN2, 1.5 * Math.LN2, 56 * Math.LN2, Math.PI / 4, (3 * Math.PI) / 4, 22, 709.78])
    for (const d of [-2, -1, 0, 1, 2]) xs.push(edge + d * edge * 2 ** -52, -(edge + d * edge * 2 ** -52));
  for (let i = 0; i < count; i++) {
    const r = u();
    xs.push(i % 4 === 0 ? Math.sign(r) * 10 ** (-300 * Math.abs(u())) * scale : r * scale);
  }
  return xs;
}

function mismatches(f: (x: number) => number, g: (x: number) => number, xs: number[]): string[] {
  const bad: string[] = [];
  for (const x of xs) if (!Object.is(f(x), g(x))) bad.push(`${x}: ${f(x)} vs ${g(x)}`);
  return bad;
}

const SCALES: Record<keyof typeof PORTABLE_MATH, number[]> = {
  exp: [1, 20, 745],
  log: [1, 10, 1e300],
  log1p: [1, 1e3, 1e300],
  expm1: [1, 40, 710],
  tanh: [1, 3, 25],
  sin: [1, 10, 1e5],
  cos: [1, 10, 1e5],
  acos: [1, 1.0000001],
};

describe('portable libm (fdlibm in TypeScript) against Node Math', () => {
  for (const [name, scales] of Object.entries(SCALES)) {
    it(`${name}: bit-identical`, () => {
      const f = PORTABLE_MATH[name as keyof typeof PORTABLE_MATH] as (x: number) => number;
      const g = (Math as unknown as Record<string, (x: number) => number>)[name]!;
      for (const [k, scale] of scales.entries()) {
        const bad = mismatches(f, g, argumentsFor(scale, 200_000, 17 + k));
        expect(bad.slice(0, 5), `${name} at scale ${scale}: ${bad.length} mismatches`).toEqual([]);
      }
    });
  }
});
