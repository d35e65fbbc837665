/** Tests: analytic kernels, values written by hand from the closed forms. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels, pairMoments } from '../../src/engine/kernels/analytic-kernels.ts';
import { stream } from '../../src/random/rng.ts';

const relu = parseActivation('relu');
const erf = parseActivation('erf');
const tanh = parseActivation('tanh');
const erfByQuadrature = { ...erf, closedForm: undefined };

// x1 = e1, x2 = e2 (orthogonal), x3 = -e1 (antipodal), x4 = e1 (parallel), x5 at cos 0.6 from e1; d = 2.
const X = [
  [1, 0],
  [0, 1],
  [-1, 0],
  [1, 0],
  [0.6, 0.8],
];

describe('analytic kernels, values written by hand from the closed forms', () => {
  it('relu, one hidden layer, sigma_w^2 = 2, no bias (arc-cosine kernel, Cho & Saul 2009)', () => {
    const { nngp, ntk } = analyticKernels(X, { activation: relu, depth: 1, sigmaW2: 2, sigmaB2: 0 });
    // Sigma^1 = x.x' (d = 2, sigma_w^2 = 2), so rho = x.x'; Sigma^2 = (sqrt(1-rho^2) + (pi - acos rho) rho) / pi;
    // Theta^2 = Sigma^2 + 2 rho (pi - acos rho) / (2 pi).
    const theta06 = Math.acos(0.6);
    const sigma06 = (0.8 + (Math.PI - theta06) * 0.6) / Math.PI;
    const expectedNngp: Record<string, number> = { '0,0': 1, '0,1': 1 / Math.PI, '0,2': 0, '0,3': 1, '0,4': sigma06 };
    const expectedNtk: Record<string, number> = {
      '0,0': 2,
      '0,1': 1 / Math.PI,
      '0,2': 0,
      '0,3': 2,
      '0,4': sigma06 + (0.6 * (Math.PI - theta06)) / Math.PI,
    };
    for (const [key, v] of Object.entries(expectedNngp)) {
      const [i, j] = key.split(',').map(Number) as [number, number];
      expect(nngp[i]![j]).toBeCloseTo(v, 13);
      expect(ntk[i]![j]).toBeCloseTo(expectedNtk[key]!, 13);
    }
    expect(sigma06).toBeCloseTo(0.6775476, 6);
  });

  it('erf, one hidden layer, sigma_w^2 = 1, no bias (Williams 1997)', () => {
    const { nngp, ntk } = analyticKernels(X, { activation: erf, depth: 1, sigmaW2: 1, sigmaB2: 0 });
    // Sigma^1 = x.x'/2, so 1 + 2 q = 2 and Sigma^2 = (2/pi) asin(x.x'/2); E[erf' erf'] = (2/pi)/sqrt(1 - c^2).
    const diagNtk = 1 / 3 + 2 / (Math.PI * Math.sqrt(3));
    expect(nngp[0]![0]).toBeCloseTo(1 / 3, 14);
    expect(nngp[0]![1]).toBeCloseTo(0, 14);
    expect(nngp[0]![2]).toBeCloseTo(-1 / 3, 14);
    expect(nngp[0]![4]).toBeCloseTo((2 / Math.PI) * Math.asin(0.3), 14);
    expect(ntk[0]![0]).toBeCloseTo(diagNtk, 13);
    expect(ntk[0]![0]).toBeCloseTo(0.7008859, 6);
    expect(ntk[0]![1]).toBeCloseTo(0, 14);
    expect(ntk[0]![2]).toBeCloseTo(-diagNtk, 13);
    expect(ntk[0]![4]).toBeCloseTo((2 / Math.PI) * Math.asin(0.3) + (0.3 * 2) / Math.PI / Math.sqrt(0.91), 13);
  });

  it("follows neural-tangents' Dense recursion: identity activation, three hidden layers", () => {
    // Sigma' = sigma_w^2 Sigma + sigma_b^2, Theta' = Sigma' + sigma_w^2 Theta, from x.x'/d = 0.3, sigma_w^2 = 2,
    // sigma_b^2 = 0.5:
    // Sigma: 1.1, 2.7, 5.9, 12.3; Theta: 1.1, 4.9, 15.7, 43.7.
    const { nngp, ntk } = analyticKernels([[Math.sqrt(0.3)]], {
      activation: parseActivation('identity'),
      depth: 3,
      sigmaW2: 2,
      sigmaB2: 0.5,
    });
    expect(nngp[0]![0]).toBeCloseTo(12.3, 12);
    expect(ntk[0]![0]).toBeCloseTo(43.7, 12);
  });

  it('standard parametrization: same NNGP, NTK with the width in the weight term', () => {
    const ntkParam = analyticKernels(X, { activation: relu, depth: 1, sigmaW2: 2, sigmaB2: 0 });
    const std = analyticKernels(X, {
      activation: relu,
      depth: 1,
      sigmaW2: 2,
      sigmaB2: 0,
      parametrization: 'standard',
      widths: [100],
    });
    expect(std.nngp).toEqual(ntkParam.nngp);
    // Theta^1 = x.x' = rho; Theta^2 = 100 E[phi phi] + 2 rho E[phi' phi'], E[phi phi] = Sigma^2 / 2.
    expect(std.ntk[0]![1]).toBeCloseTo(100 * (1 / Math.PI / 2), 12);
    expect(std.ntk[0]![0]).toBeCloseTo(100 * 0.5 + 2 * 1 * 0.5, 12);
  });
});

describe('closed forms against quadrature and Monte Carlo', () => {
  it('erf: closed form and Gauss-Hermite agree to 1e-8 for random covariances (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: -0.999, max: 0.999, noNaN: true }),
        (q1, q2, rho) => {
          const c = rho * Math.sqrt(q1 * q2);
          const closed = pairMoments(erf, q1, q2, c);
          const quad = pairMoments(erfByQuadrature, q1, q2, c);
          expect(Math.abs(closed.phiPhi - quad.phiPhi)).toBeLessThan(1e-8);
          expect(Math.abs(closed.dphiDphi - quad.dphiDphi)).toBeLessThan(1e-8);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('erf: whole kernels, closed form vs quadrature, depth 1..4 with and without bias, to 1e-8', () => {
    const pts = [
      [0.3, -0.2, 0.9],
      [-0.5, 0.5, 0.1],
      [0.1, 0.9, -0.4],
      [-0.3, 0.2, -0.9],
    ];
    for (let depth = 1; depth <= 4; depth++)
      for (const sigmaB2 of [0, 0.2]) {
        const a = analyticKernels(pts, { activation: erf, depth, sigmaW2: 1.7, sigmaB2 });
        const b = analyticKernels(pts, { activation: erfByQuadrature, depth, sigmaW2: 1.7, sigmaB2 });
        a.ntk.flat().forEach((v, i) => expect(Math.abs(v - b.ntk.flat()[i]!)).toBeLessThan(1e-8));
        a.nngp.flat().forEach((v, i) => expect(Math.abs(v - b.nngp.flat()[i]!)).toBeLessThan(1e-8));
      }
  });

  it('relu closed form and tanh quadrature agree with Monte Carlo within 5 standard errors', () => {
    const rng = stream({ test: 'pair-mc' });
    const [q1, q2, c] = [1.4, 0.6, 0.5];
    const n = 400_000;
    const rho = c / Math.sqrt(q1 * q2);
    for (const act of [relu, tanh]) {
      let s = 0,
        s2 = 0,
        d = 0,
        d2 = 0;
      for (let i = 0; i < n; i++) {
        const z1 = rng.normal();
        const z2 = rng.normal();
        const u = Math.sqrt(q1) * z1;
        const v = Math.sqrt(q2) * (rho * z1 + Math.sqrt(1 - rho * rho) * z2);
        const p = act.f(u) * act.f(v);
        const dp = act.df(u) * act.df(v);
        s += p;
        s2 += p * p;
        d += dp;
        d2 += dp * dp;
      }
      const pm = pairMoments(act, q1, q2, c);
      const se = (sum: number, sum2: number) => Math.sqrt((sum2 / n - (sum / n) ** 2) / n);
      expect(Math.abs(s / n - pm.phiPhi)).toBeLessThan(5 * se(s, s2));
      expect(Math.abs(d / n - pm.dphiDphi)).toBeLessThan(5 * se(d, d2));
    }
  });

  it('handles the degenerate cases rho = +-1 and zero variance without NaN', () => {
    for (const act of [relu, erf, tanh]) {
      for (const [q1, q2, c] of [
        [1, 1, 1],
        [1, 1, -1],
        [0, 1, 0],
        [2, 2, 2.0000000001],
      ] as const) {
        const pm = pairMoments(act, q1, q2, c);
        expect(Number.isFinite(pm.phiPhi)).toBe(true);
        expect(Number.isFinite(pm.dphiDphi)).toBe(true);
      }
    }
  });
});
