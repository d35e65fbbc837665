/** Tests: addressed random streams. */
import { describe, expect, it } from 'vitest';
import { RandomStream, addressKey, spherePoints, stream } from '../../src/random/rng.ts';

describe('addressed random streams', () => {
  it('depend only on the address and label, not on key order', () => {
    const a = new RandomStream({ experiment: 'x', width: 64, seed: 3 }, 'W1').fillNormal(new Float64Array(10));
    const b = new RandomStream({ seed: 3, width: 64, experiment: 'x' }, 'W1').fillNormal(new Float64Array(10));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(addressKey({ b: 1, a: 2 })).toBe(addressKey({ a: 2, b: 1 }));
  });

  it('give different draws for different seeds, widths and labels', () => {
    const first = (addr: Record<string, number | string>, label: string) =>
      new RandomStream(addr, label).fillNormal(new Float64Array(4))[0];
    const base = first({ seed: 0, width: 8 }, 'W1');
    expect(first({ seed: 1, width: 8 }, 'W1')).not.toBe(base);
    expect(first({ seed: 0, width: 16 }, 'W1')).not.toBe(base);
    expect(first({ seed: 0, width: 8 }, 'W2')).not.toBe(base);
  });

  it('draws standard normals: moments within their sampling error', () => {
    const n = 400_000;
    const x = stream({ test: 'moments' }).fillNormal(new Float64Array(n));
    let m1 = 0,
      m2 = 0,
      m3 = 0,
      m4 = 0;
    for (const v of x) {
      m1 += v;
      m2 += v * v;
      m3 += v ** 3;
      m4 += v ** 4;
    }
    m1 /= n;
    m2 /= n;
    m3 /= n;
    m4 /= n;
    // Standard errors of the sample moments of N(0,1): sqrt(Var(z^k)/n) with Var(z)=1, Var(z^2)=2, Var(z^3)=15,
    // Var(z^4)=96.
    const se = (v: number) => 5 * Math.sqrt(v / n);
    expect(Math.abs(m1)).toBeLessThan(se(1));
    expect(Math.abs(m2 - 1)).toBeLessThan(se(2));
    expect(Math.abs(m3)).toBeLessThan(se(15));
    expect(Math.abs(m4 - 3)).toBeLessThan(se(96));
  });

  it('matches the normal CDF (Kolmogorov-Smirnov at the 1e-4 level)', () => {
    const n = 20_000;
    const x = Array.from(stream({ test: 'ks' }).fillNormal(new Float64Array(n))).sort((a, b) => a - b);
    const Phi = (z: number) => 0.5 * (1 + erfApprox(z / Math.SQRT2));
    let d = 0;
    x.forEach((v, i) => (d = Math.max(d, Math.abs(Phi(v) - (i + 0.5) / n))));
    expect(d).toBeLessThan(2.0 / Math.sqrt(n)); // K-S critical value 1.95/sqrt(n) at alpha = 1e-3
  });

  it('uniform points lie on the unit sphere', () => {
    for (const p of spherePoints(stream({ t: 1 }), 20, 5)) expect(Math.hypot(...p)).toBeCloseTo(1, 12);
  });
});

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), an independent erf for the K-S test.
function erfApprox(x: number): number {
  const s = Math.sign(x);
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return s * y;
}
