/**
 * Group-sequential boundaries against published values (gsDesign's sfLDOF, Jennison & Turnbull) and against Monte
 * Carlo paths of the Brownian motion they are computed for; the stagewise p-value is uniform under the null; and the
 * sequential rule of `verify --until-decisive` on synthetic rates keeps its size and buys power.
 */
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/rng.ts';
import { powerLaw, runSequentialCase, widthsFrom } from '../../src/stats/calibration.ts';
import { boundaries, SPENDING_FUNCTIONS, spent, stagewisePValue, zOfP } from '../../src/stats/group-sequential.ts';

/** Z_k of a standard Brownian motion observed at the information fractions. */
function paths(times: number[], count: number, drift = 0): number[][] {
  const rng = stream({ test: 'group-sequential', times: times.join(','), drift });
  return Array.from({ length: count }, () => {
    let w = 0;
    let prev = 0;
    return times.map((t) => {
      w += drift * (t - prev) + Math.sqrt(t - prev) * rng.normal();
      prev = t;
      return w / Math.sqrt(t);
    });
  });
}

describe('alpha-spending boundaries', () => {
  it("match gsDesign's Lan-DeMets O'Brien-Fleming bounds (one-sided 0.025, three equal looks)", () => {
    const b = boundaries('obrien-fleming', 0.025, [1 / 3, 2 / 3, 1]);
    expect(b.z.map((z) => Number(z.toFixed(4)))).toEqual([3.7103, 2.5114, 1.993]);
  });

  it('reduce to the fixed-sample test with one look, and spend alpha in full', () => {
    expect(boundaries('pocock', 0.05, [1]).z[0]).toBeCloseTo(1.6449, 4);
    for (const s of ['obrien-fleming', 'pocock'] as const) {
      const b = boundaries(s, 0.05, [0.25, 0.5, 0.75, 1]);
      expect(b.increments.reduce((a, x) => a + x, 0)).toBeCloseTo(0.05, 12);
      expect(spent(s, 0.05, 0)).toBe(0);
      // Each nominal level is below alpha: a look's own test is stricter than a fixed-sample test.
      for (const n of b.nominal) expect(n).toBeLessThan(0.05);
    }
  });

  it.each([
    ['obrien-fleming', [1 / 3, 2 / 3, 1]],
    ['pocock', [1 / 3, 2 / 3, 1]],
    ['obrien-fleming', [0.2, 0.5, 1]],
  ] as const)('%s at %j: Monte Carlo paths cross at rate alpha, look by look', (spending, times) => {
    const b = boundaries(spending, 0.05, [...times]);
    const n = 200_000;
    const crossedAt = new Array<number>(times.length).fill(0);
    for (const z of paths([...times], n)) {
      const k = z.findIndex((x, i) => x >= b.z[i]!);
      if (k >= 0) crossedAt[k]!++;
    }
    // Binomial standard error of a rate near 0.05 at 2e5 paths: 5e-4; 4 se.
    expect(Math.abs(crossedAt.reduce((a, x) => a + x, 0) / n - 0.05)).toBeLessThan(2e-3);
    crossedAt.forEach((c, k) => expect(Math.abs(c / n - b.increments[k]!)).toBeLessThan(4 * Math.sqrt(0.05 / n)));
  });

  it('stagewise p-values are uniform under the null and equal alpha spent at the boundary', () => {
    const times = [1 / 3, 2 / 3, 1];
    const b = boundaries('obrien-fleming', 0.05, times);
    b.z.forEach((z, k) =>
      expect(stagewisePValue(b, k + 1, z)).toBeCloseTo(spent('obrien-fleming', 0.05, times[k]!), 6),
    );
    const ps = paths(times, 20_000).map((z) => {
      const k = z.findIndex((x, i) => x >= b.z[i]!);
      const look = k >= 0 ? k + 1 : times.length;
      return stagewisePValue(b, look, z[look - 1]!);
    });
    for (const x of [0.01, 0.05, 0.2, 0.5])
      expect(Math.abs(ps.filter((p) => p <= x).length / ps.length - x)).toBeLessThan(
        4 * Math.sqrt((x * (1 - x)) / ps.length),
      );
  }, 60_000);

  it('turn any p-value into a finite z, a tiny one conservatively (stagewise p-values stay finite)', () => {
    const b = boundaries('obrien-fleming', 0.05, [1 / 3, 2 / 3, 1]);
    for (const p of [0, 1e-300, 2.78e-20, 1e-15, 0.5, 1 - 1e-17, 1]) {
      expect(Number.isFinite(zOfP(p)), String(p)).toBe(true);
      for (const look of [1, 2, 3]) expect(Number.isFinite(stagewisePValue(b, look, zOfP(p)))).toBe(true);
    }
    expect(zOfP(0.025)).toBeCloseTo(1.959964, 5);
    expect(stagewisePValue(b, 1, zOfP(2.78e-20))).toBeGreaterThanOrEqual(2.78e-20);
  });

  it('refuse information fractions that do not rise to 1', () => {
    expect(() => boundaries('pocock', 0.05, [0.5, 0.4, 1])).toThrow(/increase to 1/);
    expect(() => boundaries('pocock', 0.05, [0.5, 0.9])).toThrow(/increase to 1/);
  });
});

describe('the group-sequential rule on synthetic rates (reduced; the table: npm run calibrate:sequential)', () => {
  const design = { seeds: 4, widths: widthsFrom(512, 5) };
  const base = { noise: 'lognormal' as const, spread: 0.3, design, family: powerLaw(-1) };
  it.each(SPENDING_FUNCTIONS)(
    '%s: at the tolerance boundary, false support over all looks stays at 5% (600 replications)',
    (spending) => {
      const r = runSequentialCase({ ...base, claim: { mode: 'upper', exponent: -1.15, tol: 0.15 } }, 600, 3, spending);
      // sd of a rate near 0.05 at 600 replications: 0.9%.
      expect(r.rates.supported).toBeLessThanOrEqual(0.05 + 2 * 0.009);
    },
  );
  it("O'Brien-Fleming: a true rate is supported at least as often as by a fixed design of the same mean cost", () => {
    const r = runSequentialCase({ ...base, claim: { mode: 'upper', exponent: -1, tol: 0.15 } }, 600);
    expect(r.meanSeeds).toBeLessThan(3 * design.seeds);
    expect(r.rates.supported).toBeGreaterThanOrEqual(r.fixedSameCost.supported - 0.03);
  });
});
