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

const SCALES: Record<Exclude<keyof typeof PORTABLE_MATH, 'pow'>, number[]> = {
  exp: [1, 20, 745],
  log: [1, 10, 1e300],
  log1p: [1, 1e3, 1e300],
  expm1: [1, 40, 710],
  tanh: [1, 3, 25],
  sin: [1, 10, 1e5],
  cos: [1, 10, 1e5],
  tan: [1, 10, 1e5],
  asin: [1, 1.0000001],
  acos: [1, 1.0000001],
};

describe('portable libm (fdlibm in TypeScript) against Node Math', () => {
  for (const [name, scales] of Object.entries(SCALES)) {
    it(`${name}: bit-identical`, () => {
      const f = PORTABLE_MATH[name as keyof typeof SCALES];
      const g = (Math as unknown as Record<string, (x: number) => number>)[name]!;
      for (const [k, scale] of scales.entries()) {
        const bad = mismatches(f, g, argumentsFor(scale, 200_000, 17 + k));
        expect(bad.slice(0, 5), `${name} at scale ${scale}: ${bad.length} mismatches`).toEqual([]);
      }
    });
  }

  // pow: x over every binade and sign, y small, integer (odd and even, for negative x), huge (|y| > 2^31, where only
  // x within 2^-20 of 1 stays finite), and the special values of both in every combination; results down to subnormal
  // and up to overflow.
  it('pow: bit-identical', () => {
    const u = uniforms(29);
    const special = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 5e-324, 1.7976931348623157e308];
    const pairs: [number, number][] = [];
    for (const x of special) for (const y of special) pairs.push([x, y]);
    for (let i = 0; i < 400_000; i++) {
      const x = Math.sign(u()) * Math.exp(u() * 700);
      const kind = i % 8;
      const y =
        kind < 3
          ? u() * 4
          : kind === 3
            ? Math.round(u() * 60)
            : kind === 4
              ? (u() * 1100) / Math.max(1, Math.abs(Math.log(Math.abs(x))))
              : kind === 5
                ? Math.round(u() * 4) / 2 + 0.5
                : kind === 6
                  ? u() * 2 ** 40
                  : u() * 1e-10;
      pairs.push([kind === 6 ? 1 + u() * 2 ** -22 : x, y], [Math.abs(x), y]);
    }
    const bad = pairs.filter(([x, y]) => !Object.is(PORTABLE_MATH.pow(x, y), Math.pow(x, y)));
    expect(bad.slice(0, 5).map(([x, y]) => `${x} ** ${y}: ${PORTABLE_MATH.pow(x, y)} vs ${Math.pow(x, y)}`)).toEqual(
      [],
    );
    // The subnormal and overflow ends were reached.
    expect(pairs.some(([x, y]) => Math.abs(Math.pow(x, y)) > 0 && Math.abs(Math.pow(x, y)) < 2.2e-308)).toBe(true);
    expect(pairs.some(([x, y]) => Math.pow(x, y) === Infinity)).toBe(true);
  });
});
