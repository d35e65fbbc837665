/**
 * Tests: Hermite expansions, Mehler's formula and the relu kernels as power series, each against an independent route
 * (closed forms against adaptive quadrature, Gauss-Hermite against Gauss-Kronrod, series against the closed-form
 * kernel recursion, exact rationals against the arc-cosine Taylor series).
 */
import { describe, expect, it } from 'vitest';
import {
  NegativeCoefficientError,
  activationFromNtk,
  erfHermite,
  hermiteByQuadrature,
  hermiteFunctions,
  hermiteSeriesFunction,
  mehlerDerivative,
  mehlerNngp,
  monomialHermite,
  reluHermite,
  reluHermiteSquaresExact,
} from '../../src/symbolic/hermite.ts';
import {
  arcCosineCoefficients,
  composeSeries,
  reluKernelSeries,
  seriesTailBound,
  seriesValue,
} from '../../src/symbolic/dot-product-series.ts';
import { k0Series, k1Series, piLinearValue } from '../../src/symbolic/series.ts';
import { MAX_NODES, gaussHermite, gaussianMean } from '../../src/numeric/gauss-hermite.ts';
import { hermiteActivation, parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels, pairMoments } from '../../src/engine/kernels/analytic-kernels.ts';
import { hermiteExpansion } from '../../src/engine/kernels/hermite-expansion.ts';

/** Two points on the sphere of radius sqrt(d) at cosine rho (d = 3). */
const pair = (rho: number) => {
  const r = Math.sqrt(3);
  return [
    [r, 0, 0],
    [r * rho, r * Math.sqrt(1 - rho * rho), 0],
  ];
};
/** Cosines: fixed hard ones and pseudo-random ones in [-r, r]. */
const cosines = (r: number, n: number) => [
  -r,
  r,
  0,
  ...Array.from({ length: n }, (_, i) => r * (2 * ((Math.sin(12.9898 * (i + 1)) * 43758.5453) % 1) ** 2 - 1)),
];
const maxAbs = (xs: number[]) => Math.max(...xs.map(Math.abs));

describe('Hermite coefficients', () => {
  it('relu and erf closed forms match adaptive quadrature to 1e-10 (degree 60)', () => {
    const relu = parseActivation('relu');
    const erf = parseActivation('erf');
    const qr = hermiteByQuadrature(relu.f, 60).coefficients;
    const qe = hermiteByQuadrature(erf.f, 60).coefficients;
    expect(maxAbs(qr.map((v, k) => v - reluHermite(60)[k]!))).toBeLessThan(1e-10);
    expect(maxAbs(qe.map((v, k) => v - erfHermite(60)[k]!))).toBeLessThan(1e-10);
    // Known values: a_2 of relu is 1/(2 sqrt(pi)); a_1 of erf is 2/sqrt(3 pi).
    expect(reluHermite(2)[2]).toBeCloseTo(1 / (2 * Math.sqrt(Math.PI)), 15);
    expect(erfHermite(1)[1]).toBeCloseTo(2 / Math.sqrt(3 * Math.PI), 15);
  });

  it('tanh by adaptive quadrature matches a 190-node Gauss-Hermite rule to 1e-10 (degree 40)', () => {
    const adaptive = hermiteByQuadrature(Math.tanh, 40).coefficients;
    const h = new Float64Array(41);
    const gh = adaptive.map((_, k) => gaussianMean((z) => Math.tanh(z) * hermiteFunctions(z, k, h)[k]!, 1, MAX_NODES));
    expect(maxAbs(adaptive.map((v, k) => v - gh[k]!))).toBeLessThan(1e-10);
    // tanh is odd: its even coefficients vanish.
    expect(maxAbs(adaptive.filter((_, k) => k % 2 === 0))).toBeLessThan(1e-14);
  });

  it('z^p is reproduced exactly by its expansion, and h_k are orthonormal under N(0, 1)', () => {
    for (const p of [1, 3, 6]) {
      const { f } = hermiteSeriesFunction(monomialHermite(p, p));
      for (const z of [-7.5, -1.3, 0, 0.4, 3.9])
        expect(f(z)).toBeCloseTo(z ** p, 9 - Math.max(0, Math.log10(Math.abs(z) ** p)));
    }
    const h = new Float64Array(13);
    for (const [j, k] of [
      [3, 3],
      [12, 12],
      [3, 5],
      [7, 12],
    ] as const) {
      const inner = gaussianMean((z) => hermiteFunctions(z, 12, h)[j]! * h[k]!, 1, 40);
      expect(inner).toBeCloseTo(j === k ? 1 : 0, 12);
    }
  });

  it('the Gauss-Hermite rule is exact to roundoff up to its node limit and refuses more nodes', () => {
    for (const n of [150, MAX_NODES]) {
      expect(gaussianMean(() => 1, 1, n)).toBeCloseTo(1, 13);
      expect(gaussianMean((z) => z ** 8, 1, n)).toBeCloseTo(105, 10);
    }
    expect(() => gaussHermite(MAX_NODES + 1)).toThrow(RangeError);
  });

  it('the derivative of the expansion is the expansion of the derivative (central differences)', () => {
    const { f, df } = hermiteSeriesFunction(reluHermite(30));
    for (const z of [-2.1, -0.7, 0.3, 1.6]) expect(df(z)).toBeCloseTo((f(z + 1e-6) - f(z - 1e-6)) / 2e-6, 6);
  });

  it("relu's squared coefficients equal the Taylor coefficients of k1 / 2 exactly, to degree 60", () => {
    const squares = reluHermiteSquaresExact(60);
    const k1 = k1Series(60);
    squares.forEach((s, k) => {
      expect(s.a.equals(k1[k]!.a.div(2))).toBe(true);
      expect(s.b.equals(k1[k]!.b.div(2))).toBe(true);
      expect(piLinearValue(s)).toBeCloseTo(reluHermite(60)[k]! ** 2, 15);
    });
  });
});

describe("Mehler's formula", () => {
  it("the one-layer NNGP and E[phi phi'] series match two-dimensional quadrature (relu, erf, tanh, gelu)", () => {
    for (const name of ['relu', 'erf', 'tanh', 'gelu']) {
      const phi = parseActivation(name);
      const e = hermiteExpansion(phi, 200);
      for (const rho of cosines(0.9, 12)) {
        const m = pairMoments(phi, 1, 1, rho);
        // Tails at |rho| <= 0.9: (energy beyond K) 0.9^(K+1) < 1e-10 for every activation here.
        expect(Math.abs(mehlerNngp(e.coefficients, rho) - m.phiPhi)).toBeLessThan(1e-9);
        expect(Math.abs(mehlerDerivative(e.coefficients, rho) - m.dphiDphi)).toBeLessThan(1e-9);
      }
      // At rho = +-1 the series leaves out exactly its tail.
      expect(Math.abs(mehlerNngp(e.coefficients, 1) + e.nngpTail - pairMoments(phi, 1, 1, 1).phiPhi)).toBeLessThan(
        1e-9,
      );
    }
  });

  it('sum (k + 1) a_k^2 rho^k is the one-hidden-layer NTK of the kernel recursion (sigma_w^2 = 1, no bias)', () => {
    for (const name of ['relu', 'erf']) {
      const phi = parseActivation(name);
      const e = hermiteExpansion(phi, 200);
      for (const rho of cosines(0.9, 8)) {
        const k = analyticKernels(pair(rho), { activation: phi, depth: 1, sigmaW2: 1, sigmaB2: 0 });
        expect(Math.abs(seriesValue(e.ntk, rho) - k.ntk[0]![1]!)).toBeLessThan(1e-9);
      }
    }
  });
});

describe('the relu kernels as power series', () => {
  it('arc-cosine coefficients in float64 match the exact rationals', () => {
    const f0 = arcCosineCoefficients(0, 40);
    const f1 = arcCosineCoefficients(1, 40);
    k0Series(40).forEach((c, k) => expect(f0[k]).toBeCloseTo(piLinearValue(c), 15));
    k1Series(40).forEach((c, k) => expect(f1[k]).toBeCloseTo(piLinearValue(c), 15));
  });

  it('composition matches the closed form kappa_1(s(rho)) for an inner series with a constant term', () => {
    const s = new Float64Array(121);
    s[0] = 0.3;
    s[2] = 0.5;
    s[3] = 0.2;
    const c = composeSeries((J) => arcCosineCoefficients(1, J), s, 120);
    const k1 = (u: number) => (Math.sqrt(1 - u * u) + (Math.PI - Math.acos(u)) * u) / Math.PI;
    for (const rho of cosines(0.8, 10)) expect(seriesValue(c, rho)).toBeCloseTo(k1(seriesValue(s, rho)), 11);
  });

  it('the depth-3 relu NTK series (500 terms) matches the recursion at 50 cosines in [-0.95, 0.95] to 1e-10', () => {
    const { ntk, nngp, ntkAtOne } = reluKernelSeries(3, 500);
    expect(seriesTailBound(ntk, ntkAtOne, 0.95)).toBeLessThan(1e-11);
    expect(Math.min(...ntk)).toBeGreaterThanOrEqual(0);
    const relu = parseActivation('relu');
    for (const rho of cosines(0.95, 47)) {
      // sigma_w^2 = 2 on the first layer too: the engine's kernels are twice the normalised series (relu is
      // positively homogeneous).
      const k = analyticKernels(pair(rho), { activation: relu, depth: 3, sigmaW2: 2, sigmaB2: 0 });
      expect(Math.abs(2 * seriesValue(ntk, rho) - k.ntk[0]![1]!)).toBeLessThan(1e-10);
      expect(Math.abs(2 * seriesValue(nngp, rho) - k.nngp[0]![1]!)).toBeLessThan(1e-10);
    }
  });
});

describe('the inverse map: an activation with a given NTK', () => {
  it('an activation engineered from the depth-2 relu NTK has it as its one-layer NTK, whatever the signs', () => {
    const K = 40;
    const target = reluKernelSeries(2, K).ntk;
    const plus = hermiteActivation(activationFromNtk([...target]));
    const mixed = hermiteActivation(
      activationFromNtk(
        [...target],
        [...target].map((_, k) => (k % 3 ? 1 : -1)),
      ),
    );
    for (const rho of cosines(0.8, 6)) {
      for (const phi of [plus, mixed]) {
        const k = analyticKernels(pair(rho), { activation: phi, depth: 1, sigmaW2: 1, sigmaB2: 0 });
        expect(Math.abs(k.ntk[0]![1]! - seriesValue(target, rho))).toBeLessThan(1e-8);
      }
    }
  });

  it('a target with a negative coefficient is refused, naming the coefficient', () => {
    expect(() => activationFromNtk([0.5, 0.2, -0.01, 0.1])).toThrow(NegativeCoefficientError);
    expect(() => activationFromNtk([0.5, NaN])).toThrow(/coefficient 1/);
  });

  it('hermite: activations round-trip through their names bit for bit', () => {
    const a = activationFromNtk([...reluKernelSeries(3, 20).ntk]);
    const phi = hermiteActivation(a);
    const back = parseActivation(phi.name);
    for (const z of [-3.3, 0.1, 2.2]) expect(back.f(z)).toBe(phi.f(z));
    expect(() => parseActivation('hermite:1,,2')).toThrow(/hermite: then/);
    expect(() => parseActivation('hermite:0,0')).toThrow(/not all 0/);
  });
});
