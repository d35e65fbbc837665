/** Tests: Student-t distribution. */
import { describe, expect, it } from 'vitest';
import { normalCdf, studentTCdf, studentTQuantile } from '../../src/stats/student-t.ts';

/** Density of Student-t, integrated by composite Simpson on [-L, t] plus the analytic tail beyond -L (an independent
 * route). */
function cdfByQuadrature(t: number, df: number): number {
  const lg = (x: number) => {
    // Stirling series for log Gamma (independent of the Lanczos form used by the module).
    let shift = 0;
    while (x < 20) {
      shift -= Math.log(x);
      x += 1;
    }
    return (
      shift +
      (x - 0.5) * Math.log(x) -
      x +
      0.5 * Math.log(2 * Math.PI) +
      1 / (12 * x) -
      1 / (360 * x ** 3) +
      1 / (1260 * x ** 5)
    );
  };
  const c = Math.exp(lg((df + 1) / 2) - lg(df / 2)) / Math.sqrt(df * Math.PI);
  const f = (x: number) => c * (1 + (x * x) / df) ** (-(df + 1) / 2);
  const L = 2000;
  // Tail P(T < -L) ~ c df^{(df+1)/2} L^{-df} / df for large L.
  const tail = (c * df ** ((df + 1) / 2) * L ** -df) / df;
  const N = 400000;
  const a = -L;
  const h = (t - a) / N;
  let s = f(a) + f(t);
  for (let i = 1; i < N; i++) s += f(a + i * h) * (i % 2 ? 4 : 2);
  return tail + (s * h) / 3;
}

describe('Student-t distribution', () => {
  it('reproduces tabulated quantiles', () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.706204736],
      [0.975, 2, 4.30265273],
      [0.975, 4, 2.776445105],
      [0.975, 10, 2.228138852],
      [0.95, 30, 1.697260887],
      [0.995, 5, 4.032142984],
      [0.975, 1e6, 1.959966],
    ];
    for (const [q, df, t] of table) expect(studentTQuantile(q, df)).toBeCloseTo(t, 5);
  });
  it('agrees with quadrature of the density', () => {
    for (const df of [3, 7.5, 25])
      for (const t of [-3, -0.7, 0.4, 2.5])
        expect(Math.abs(studentTCdf(t, df) - cdfByQuadrature(t, df))).toBeLessThan(2e-6);
  });
  it('normal CDF at known points', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 12);
    expect(normalCdf(4)).toBeCloseTo(0.9999683287581669, 12);
    expect(normalCdf(-6)).toBeCloseTo(9.865876450376946e-10, 18);
  });
  it('quantile inverts the CDF', () => {
    for (const df of [2, 5, 40])
      for (const q of [0.01, 0.3, 0.9, 0.999]) expect(studentTCdf(studentTQuantile(q, df), df)).toBeCloseTo(q, 10);
  });
});
