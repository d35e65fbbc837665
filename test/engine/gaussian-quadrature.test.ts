/** Tests: Gaussian expectations with error control. */
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels, pairMoments } from '../../src/engine/kernels/analytic-kernels.ts';
import { gaussianPairMean } from '../../src/numeric/gauss-hermite.ts';
import { normalCdf } from '../../src/stats/student-t.ts';
import {
  adaptiveIntegral,
  gaussianPairExpectation,
  latticePairExpectation,
  NonFiniteIntegrand,
  standardGaussianMean,
} from '../../src/numeric/gaussian-quadrature.ts';

const erf = parseActivation('erf');
/** erf through the quadrature (its closed form removed): the closed form is the independent route. */
const erfByQuadrature = { ...erf, name: 'erf-by-quadrature', closedForm: undefined };
const tanh = parseActivation('tanh');
const sech2 = (x: number) => 1 / Math.cosh(x) ** 2;

/** An independent route: composite Simpson in (z1, z2) on [-L, L]^2 with n intervals per axis. */
function simpson2d(
  f: (x: number) => number,
  g: (x: number) => number,
  q1: number,
  q2: number,
  c: number,
  n = 3000,
  L = 9,
): number {
  const s1 = Math.sqrt(q1);
  const s2 = Math.sqrt(q2);
  const rho = c / (s1 * s2);
  const tau = Math.sqrt(Math.max(0, 1 - rho * rho));
  const h = (2 * L) / n;
  const w = (i: number) => (i === 0 || i === n ? 1 : i % 2 ? 4 : 2);
  let acc = 0;
  for (let i = 0; i <= n; i++) {
    const z1 = -L + i * h;
    const fu = f(s1 * z1) * Math.exp(-0.5 * z1 * z1) * w(i);
    let inner = 0;
    for (let j = 0; j <= n; j++) {
      const z2 = -L + j * h;
      inner += w(j) * g(s2 * (rho * z1 + tau * z2)) * Math.exp(-0.5 * z2 * z2);
    }
    acc += fu * inner;
  }
  return (acc * h * h) / 9 / (2 * Math.PI);
}

describe('Gaussian expectations with error control', () => {
  it('1D: E[Z^2k] and E[exp(Z)] exactly, and the kink of |Z| by the Gauss-Kronrod fallback', () => {
    for (let k = 1; k <= 8; k++) {
      let exact = 1;
      for (let j = 2 * k - 1; j > 0; j -= 2) exact *= j;
      expect(standardGaussianMean((z) => z ** (2 * k), 1e-12 * exact).value / exact).toBeCloseTo(1, 11);
    }
    expect(standardGaussianMean(Math.exp, 1e-13).value).toBeCloseTo(Math.exp(0.5), 12);
    expect(standardGaussianMean(Math.abs, 1e-12).value).toBeCloseTo(Math.sqrt(2 / Math.PI), 11);
    expect(adaptiveIntegral(Math.sin, 0, Math.PI, 1e-14).value).toBeCloseTo(2, 13);
  });

  it(
    'erf pair moments by quadrature equal the closed forms to 1e-10 for variances 0.01 ' +
      'to 200, parallel and antipodal included',
    () => {
      for (const q1 of [0.01, 0.3, 2, 20, 200])
        for (const q2 of [0.01, 1, 100])
          for (const rho of [-1, -0.9999, -0.5, 0, 0.3, 0.99, 1]) {
            const c = rho * Math.sqrt(q1 * q2);
            const closed = pairMoments(erf, q1, q2, c);
            const quad = pairMoments(erfByQuadrature, q1, q2, c);
            const scale = (x: (z: number) => number) =>
              Math.sqrt(
                gaussianPairMean(
                  (u) => x(u) ** 2,
                  () => 1,
                  q1,
                  1,
                  0,
                  64,
                ) *
                  gaussianPairMean(
                    (v) => x(v) ** 2,
                    () => 1,
                    q2,
                    1,
                    0,
                    64,
                  ),
              );
            expect(Math.abs(closed.phiPhi - quad.phiPhi), `phi q1=${q1} q2=${q2} rho=${rho}`).toBeLessThan(
              1e-10 * Math.max(scale(erf.f), 1e-3),
            );
            expect(
              Math.abs(closed.dphiDphi - quad.dphiDphi) / Math.abs(closed.dphiDphi),
              `dphi q1=${q1} q2=${q2} rho=${rho}`,
            ).toBeLessThan(1e-9);
          }
    },
  );

  it(
    'erf kernels by quadrature equal the closed-form recursion to 1e-10 relative at ' +
      'depth 1 to 10, |x|^2/d from 0.01 to 100',
    () => {
      const d = 4;
      const dir = [1, 2, -1, 0.5].map((v) => v / Math.hypot(1, 2, -1, 0.5));
      const other = [0.3, -1, 2, 1].map((v) => v / Math.hypot(0.3, -1, 2, 1));
      for (const r2 of [0.01, 1, 100]) {
        const scale = Math.sqrt(r2 * d);
        // Parallel (same point twice), antipodal, a generic pair, and unequal norms.
        const X = [
          dir.map((v) => v * scale),
          dir.map((v) => v * scale),
          dir.map((v) => -v * scale),
          other.map((v) => v * scale),
          other.map((v) => 0.3 * v * scale),
        ];
        for (const depth of [1, 3, 10]) {
          const spec = { depth, sigmaW2: 1.7, sigmaB2: 0.1 };
          const a = analyticKernels(X, { ...spec, activation: erf });
          const b = analyticKernels(X, { ...spec, activation: erfByQuadrature });
          for (const key of ['nngp', 'ntk'] as const)
            a[key].forEach((row, i) =>
              row.forEach((v, j) =>
                expect(
                  Math.abs(v - b[key][i]![j]!) / Math.abs(a[key][i]![i]!),
                  `${key} r2=${r2} depth=${depth} (${i},${j})`,
                ).toBeLessThan(1e-10),
              ),
            );
        }
      }
    },
  );

  it(
    'tanh at large variance: the quadrature matches a fine 2D Simpson rule where ' +
      '128-point Gauss-Hermite is off by 1e-3 to 1e-1',
    () => {
      for (const [q, rho] of [
        [8, 1],
        [8, 0.3],
        [40, -0.7],
      ] as const) {
        const c = rho * q;
        const simpsonTanh = simpson2d(Math.tanh, Math.tanh, q, q, c);
        const simpsonSech = simpson2d(sech2, sech2, q, q, c);
        const quad = pairMoments(tanh, q, q, c);
        expect(Math.abs(quad.phiPhi - simpsonTanh) / Math.abs(simpsonTanh)).toBeLessThan(1e-9);
        expect(Math.abs(quad.dphiDphi - simpsonSech) / Math.abs(simpsonSech)).toBeLessThan(1e-9);
        const gh = gaussianPairMean(sech2, sech2, q, q, c, 128);
        expect(Math.abs(gh - simpsonSech) / simpsonSech).toBeGreaterThan(1e-4);
      }
    },
  );

  it(
    'the issue case: tanh depth 1, sigma_w^2 = 2, |x|^2 = 4d: NTK diagonal 2 E[tanh^2] + ' + '16 E[sech^4] at q = 8',
    () => {
      const x = new Array(8).fill(2);
      const k = analyticKernels([x], { activation: tanh, depth: 1, sigmaW2: 2, sigmaB2: 0 });
      const expected = 2 * simpson2d(Math.tanh, Math.tanh, 8, 8, 8) + 16 * simpson2d(sech2, sech2, 8, 8, 8);
      expect(Math.abs(k.ntk[0]![0]! - expected) / expected).toBeLessThan(1e-10);
    },
  );

  it('the lattice rule, each inner rule forced, equals the erf closed forms and the tanh 2D Simpson rule', () => {
    for (const inner of ['fixed', 'moving'] as const)
      for (const q of [0.01, 2, 200])
        // The moving rule serves nearly parallel pairs; forced on nearly orthogonal ones at variance 200 it takes
        // seconds.
        for (const rho of inner === 'fixed' || q < 200
          ? [-0.9999, -0.6, 0, 1e-5, 0.01, 0.35, 0.999]
          : [-0.9999, 0.999]) {
          const q2 = 1.3 * q;
          const c = rho * Math.sqrt(q * q2);
          const closed = pairMoments(erf, q, q2, c);
          const scaleF = Math.sqrt(
            gaussianPairMean(
              (u) => erf.f(u) ** 2,
              () => 1,
              q,
              1,
              0,
              64,
            ) *
              gaussianPairMean(
                (v) => erf.f(v) ** 2,
                () => 1,
                q2,
                1,
                0,
                64,
              ),
          );
          const r = latticePairExpectation(erf.f, erf.f, q, q2, c, 1e-10 * scaleF, Math.sqrt(scaleF), inner);
          // A rule may decline (null: too much work for this inner rule); where it answers it must be right.
          if (r) expect(Math.abs(r.value - closed.phiPhi), `${inner} q=${q} rho=${rho}`).toBeLessThan(2e-10 * scaleF);
          const d = latticePairExpectation(erf.df, erf.df, q, q2, c, 1e-10 * Math.abs(closed.dphiDphi), 1, inner);
          if (d)
            expect(
              Math.abs(d.value - closed.dphiDphi) / Math.abs(closed.dphiDphi),
              `${inner} dphi q=${q} rho=${rho}`,
            ).toBeLessThan(2e-10);
        }
    for (const inner of ['fixed', 'moving'] as const) {
      const r = latticePairExpectation(sech2, sech2, 8, 8, 2.4, 1e-12, 1, inner);
      expect(r, inner).not.toBeNull();
      const ref = simpson2d(sech2, sech2, 8, 8, 2.4);
      expect(Math.abs(r!.value - ref) / ref, inner).toBeLessThan(1e-9);
    }
  });

  it(
    'a kink makes the lattice rule decline (the nested Gauss-Kronrod rule takes over), ' +
      'and the pair is still right',
    () => {
      const relu = (x: number) => Math.max(0, x);
      expect(latticePairExpectation(relu, relu, 1, 1, 0.5, 1e-11, 1)).toBeNull();
      // E relu(u) relu(v) at unit variances and correlation rho: (sqrt(1 - rho^2) + (pi - acos rho) rho) / (2 pi).
      const rho = 0.5;
      const exact = (Math.sqrt(1 - rho * rho) + (Math.PI - Math.acos(rho)) * rho) / (2 * Math.PI);
      expect(gaussianPairExpectation(relu, relu, 1, 1, rho).value).toBeCloseTo(exact, 10);
    },
  );

  it('kinks and jumps: relu and its step derivative by the nested rule equal the arc-cosine kernels at rho < 0', () => {
    // Found by reverse-ntk's Mehler check: relu(a + tau z) vanishes at z = +-4 and not beyond the kink -a / tau > 4,
    // so the tail estimate stopped the range short (errors up to 5e-6, 7e-3 for the step), and a kink off the
    // trapezoidal grid let two sums agree by chance. Each must be within the requested 1e-12 of the scale.
    const relu = parseActivation('relu');
    for (const rho of [-0.999, -0.99, -0.9, -0.5, 0.9, 0.999]) {
      const f = gaussianPairExpectation(relu.f, relu.f, 1, 1, rho, 1e-12).value;
      const d = gaussianPairExpectation(relu.df, relu.df, 1, 1, rho, 1e-12).value;
      expect(Math.abs(f - relu.closedForm!.phiPhi(1, 1, rho))).toBeLessThan(1e-12);
      expect(Math.abs(d - relu.closedForm!.dphiDphi(1, 1, rho))).toBeLessThan(1e-12);
    }
    // The inner integral alone: E[relu(a + tau Z)] = a Phi(a / tau) + tau phi(a / tau), kink far in the tail.
    const tau = Math.sqrt(1 - 0.81);
    for (const a of [-1.746, -2.5, -0.3, 1.2]) {
      const got = standardGaussianMean((z) => Math.max(0, a + tau * z), 1e-13, [-a / tau]).value;
      const exact = a * normalCdf(a / tau) + (tau * Math.exp(-((a / tau) ** 2) / 2)) / Math.sqrt(2 * Math.PI);
      expect(Math.abs(got - exact)).toBeLessThan(1e-12);
    }
  });

  it('a moment that is not finite on the integration range is an error, not a number', () => {
    expect(() =>
      gaussianPairExpectation(
        (z) => Math.exp(z * z),
        (z) => Math.exp(z * z),
        1,
        1,
        0.5,
      ),
    ).toThrow(NonFiniteIntegrand);
  });

  it('cost: a tanh Gram entry (two moments) in a few milliseconds at unit variance, tens at variance 200', () => {
    const perEntry = (q: number) => {
      pairMoments(tanh, q, 0.9 * q, 0.1 * q); // second moments memoised, code warmed
      const rhos = [-0.9, -0.3, 0.2, 0.6, 0.95, 0.99999];
      // The fastest of three passes is the cost; the slower ones measure whatever else the machine was doing (the suite
      // runs files in parallel, beside a browser, a Slurm cluster and npm pack).
      let best = Infinity;
      for (let pass = 0; pass < 3; pass++) {
        const start = performance.now();
        for (const rho of rhos) pairMoments(tanh, q, 0.9 * q, rho * q * Math.sqrt(0.9));
        best = Math.min(best, (performance.now() - start) / rhos.length);
      }
      return best;
    };
    // Measured on the 2-core machine: ~1.5 ms at q = 1.2 and ~25 ms at q = 200 (the nested rule took 6 and 250);
    // the bounds leave room for a loaded CI runner.
    expect(perEntry(1.2)).toBeLessThan(20);
    expect(perEntry(200)).toBeLessThan(150);
  });
});
