/**
 * Tests: tensor-program-coordinates. The limiting laws against Monte Carlo draws of the Z-variables, the NNGP variance
 * against adaptive quadrature, and the closed-form step against a gradient step by central differences.
 */
import { describe, expect, it } from 'vitest';
import { stream } from '../../src/random/rng.ts';
import { standardGaussianMean } from '../../src/numeric/gaussian-quadrature.ts';
import { normalCdf } from '../../src/stats/student-t.ts';
import {
  Q2,
  kolmogorovSmirnov,
  oneStep,
  stepLawCdf,
  stepLawDensity,
} from '../../theorems/tensor-program-coordinates/check.ts';
import { DESIGN } from '../../theorems/tensor-program-coordinates/statement.ts';

describe('tensor-program-coordinates', () => {
  it('q2 = E tanh(Z)^2 against an independent route, and the normal distribution function the laws use', () => {
    expect(Math.abs(Q2 - standardGaussianMean((z) => Math.tanh(z) ** 2, 1e-14).value)).toBeLessThan(1e-12);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 12);
    expect(normalCdf(3)).toBeCloseTo(0.9986501019683699, 12);
  });

  it("the Z-variable law eta y Z^v tanh'(Z^h) against 100,000 draws of the recursion (5 standard errors)", () => {
    const rng = stream({ test: 'z-law' });
    const N = 100_000;
    const draws = new Float64Array(N);
    for (let i = 0; i < N; i++)
      draws[i] = DESIGN.learningRate * DESIGN.target * rng.normal() * (1 / Math.cosh(rng.normal()) ** 2);
    for (const t of [-1.5, -0.4, 0, 0.2, 1.1]) {
      const p = stepLawCdf(t);
      const empirical = draws.reduce((c, x) => c + (x <= t ? 1 : 0), 0) / N;
      expect(Math.abs(empirical - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N) + 1e-12);
    }
    // The law of the draws themselves is at KS distance O(N^-1/2) from the distribution function.
    expect(kolmogorovSmirnov(draws, stepLawCdf)).toBeLessThan(2 / Math.sqrt(N));
  });

  it('the limit density is the derivative of the distribution function and integrates to 1', () => {
    for (const t of [-1.2, -0.3, 0.05, 0.8])
      expect(stepLawDensity(t)).toBeCloseTo((stepLawCdf(t + 1e-5) - stepLawCdf(t - 1e-5)) / 2e-5, 6);
    let mass = 0;
    for (let t = -8; t < 8; t += 0.001) mass += stepLawDensity(t + 0.0005) * 0.001;
    expect(mass).toBeCloseTo(1, 4);
  });

  it('the closed-form change of h equals a gradient step by central differences (both parametrizations)', () => {
    for (const parametrization of ['mup', 'ntk'] as const) {
      const n = 4;
      const { W, v, change, input, readout, rate } = oneStep(parametrization, n, 7);
      const d = input.length;
      const loss = () => {
        let f = 0;
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += W[i * d + k]! * input[k]!;
          f += v[i]! * Math.tanh(s / Math.sqrt(d));
        }
        return (f * readout - DESIGN.target) ** 2 / 2;
      };
      for (let i = 0; i < n; i++) {
        let dh = 0;
        for (let k = 0; k < d; k++) {
          const keep = W[i * d + k]!;
          W[i * d + k] = keep + 1e-6;
          const up = loss();
          W[i * d + k] = keep - 1e-6;
          const down = loss();
          W[i * d + k] = keep;
          dh += (-rate * ((up - down) / 2e-6) * input[k]!) / Math.sqrt(d);
        }
        expect(Math.abs(dh - change[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(change[i]!)));
      }
    }
  });
});
