/**
 * Tests: the mean-field maps (src/engine/kernels/mean-field.ts) against independent routes: closed forms against
 * quadrature, the critical line against a Gauss-Hermite solver written here, the Stein slope against finite
 * differences, fixed points against the iterated maps, and the maps against wide random networks.
 */
import { describe, expect, it } from 'vitest';
import {
  chi1,
  chiC,
  correlationMap,
  criticalSigmaW2,
  lengthFixedPoint,
  lengthMap,
  lengthSlope,
  meanFieldPoint,
} from '../../src/engine/kernels/mean-field.ts';
import { parseActivation, type Activation } from '../../src/engine/nets/activations.ts';
import { stream } from '../../src/random/rng.ts';
import { runCli } from '../helpers/cli.ts';

const tanh = parseActivation('tanh');
const erf = parseActivation('erf');
const relu = parseActivation('relu');
/** erf without its closed forms: every expectation by quadrature. */
const erfByQuadrature: Activation = { ...erf, closedForm: undefined };

/**
 * An independent route: composite Simpson on z in [-12, 12] (h = 2e-4; the Gaussian tail beyond is below 1e-32), a
 * different algorithm from the module's adaptive Gauss-Kronrod and trapezoid rules. (Gauss-Hermite is not used: for
 * tanh its convergence is slow, 3e-7 relative at 128 nodes for q = 2, because of the poles of sech.)
 */
function simpsonGaussianMean(f: (x: number) => number, q: number): number {
  const s = Math.sqrt(q);
  const n = 120_000;
  const h = 24 / n;
  let acc = 0;
  for (let i = 0; i <= n; i++) {
    const z = -12 + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    acc += w * f(s * z) * Math.exp((-z * z) / 2);
  }
  return (acc * h) / 3 / Math.sqrt(2 * Math.PI);
}

describe('mean-field maps', () => {
  it('erf: the closed forms equal adaptive quadrature of the same expectations (1e-11)', () => {
    for (const q of [1e-3, 0.3, 1, 7, 60])
      for (const w of [0.5, 1.7]) {
        expect(lengthMap(erfByQuadrature, w, 0.1, q)).toBeCloseTo(lengthMap(erf, w, 0.1, q), 11);
        expect(chi1(erfByQuadrature, w, q)).toBeCloseTo(chi1(erf, w, q), 11);
        for (const c of [-0.999, -0.3, 0, 0.5, 0.9999])
          expect(correlationMap(erfByQuadrature, w, 0.1, q, c)).toBeCloseTo(correlationMap(erf, w, 0.1, q, c), 10);
      }
  });
  it('the critical line of tanh and erf meets its defining equations under independent quadrature (1e-10)', () => {
    // q* = sigma_w^2 E[phi(sqrt(q*) z)^2] + sigma_b^2 and sigma_w^2 E[phi'(sqrt(q*) z)^2] = 1: both simple roots
    // (slopes of order 1), so residuals of 1e-10 put sigma_w^2 within about 1e-10 of the line.
    for (const phi of [tanh, erfByQuadrature])
      for (const b of [0.01, 0.05, 0.5, 1.5]) {
        const w = criticalSigmaW2(phi, b);
        const q = lengthFixedPoint(phi, w, b);
        const length = w * simpsonGaussianMean((x) => phi.f(x) ** 2, q) + b;
        const slope = w * simpsonGaussianMean((x) => phi.df(x) ** 2, q);
        expect(Math.abs(length / q - 1), `${phi.name} ${b} length`).toBeLessThan(1e-10);
        expect(Math.abs(slope - 1), `${phi.name} ${b} chi_1`).toBeLessThan(1e-10);
        // erf's closed forms give the same line.
        if (phi === erfByQuadrature) expect(Math.abs(criticalSigmaW2(erf, b) / w - 1)).toBeLessThan(1e-10);
      }
    // Schoenholz et al. 2017 (Fig. 1): tanh at sigma_b^2 = 0.05 is critical near sigma_w^2 = 1.76.
    expect(criticalSigmaW2(tanh, 0.05)).toBeCloseTo(1.76, 2);
  });
  it('known values: relu is critical at exactly 2; without bias tanh at 1 and erf at pi / 4', () => {
    for (const b of [0, 0.05, 1]) expect(criticalSigmaW2(relu, b)).toBe(2);
    expect(criticalSigmaW2(tanh, 0)).toBe(1);
    expect(criticalSigmaW2(erf, 0)).toBeCloseTo(Math.PI / 4, 15);
    expect(lengthFixedPoint(relu, 1.5, 0.2)).toBeCloseTo(0.2 / (1 - 0.75), 15);
    expect(meanFieldPoint(relu, 1.5, 0.2)).toMatchObject({ phase: 'ordered', chi1: 0.75, cStar: 1, chiC: 0.75 });
  });
  it('a positively homogeneous activation has a linear length map: identity against the iterated map', () => {
    const identity = parseActivation('identity');
    for (const b of [0, 0.3]) expect(criticalSigmaW2(identity, b)).toBe(1);
    expect(lengthSlope(identity, 0.7, 5)).toBe(0.7);
    // q* = sigma_b^2 / (1 - sigma_w^2), and iterating the map (by quadrature of E[phi^2]) reaches it.
    let q = 1;
    for (let l = 0; l < 200; l++) q = lengthMap(identity, 0.5, 0.1, q);
    expect(lengthFixedPoint(identity, 0.5, 0.1)).toBeCloseTo(0.2, 15);
    expect(q).toBeCloseTo(0.2, 12);
    expect(lengthFixedPoint(identity, 1, 0)).toBeNaN();
    expect(() => lengthFixedPoint(identity, 1, 0.1)).toThrow(/identity length map grows without bound/);
    expect(() => lengthFixedPoint(relu, 2.5, 0)).toThrow(/sigma_w\^2 > 2 \(and at 2 with a bias\)/);
  });
  it("the length map's slope (Stein's identity) equals a central finite difference", () => {
    for (const phi of [tanh, erfByQuadrature, parseActivation('gelu')])
      for (const q of [0.05, 0.8, 4]) {
        const h = 1e-5 * q;
        const fd = (lengthMap(phi, 1.3, 0.1, q + h) - lengthMap(phi, 1.3, 0.1, q - h)) / (2 * h);
        expect(Math.abs(lengthSlope(phi, 1.3, q) - fd), `${phi.name} ${q}`).toBeLessThan(1e-8);
      }
  });
  it('fixed points are where the iterated maps go, geometrically at rate chi_c', () => {
    for (const [phi, w, b] of [
      [tanh, 3, 0.05],
      [erf, 1.5, 0.05],
      [tanh, 1.2, 0.3],
    ] as const) {
      const p = meanFieldPoint(phi, w, b);
      let q = 3;
      for (let l = 0; l < 400; l++) q = lengthMap(phi, w, b, q);
      expect(q).toBeCloseTo(p.qStar!, 10);
      let c = 0.5;
      let ratio = NaN;
      for (let l = 0; l < 2000; l++) {
        const next = correlationMap(phi, w, b, p.qStar!, c);
        // Late enough to be linear, early enough to be far above roundoff.
        const gap = c - p.cStar;
        if (Math.abs(gap) < 1e-4 && Math.abs(gap) > 1e-8) ratio = (next - p.cStar) / gap;
        c = next;
      }
      expect(c).toBeCloseTo(p.cStar, 9);
      // The approach to c* is geometric with factor chi_c = the map's slope there.
      expect(ratio).toBeCloseTo(chiC(phi, w, p.qStar!, p.cStar), 4);
      expect(p.xiC).toBeCloseTo(-1 / Math.log(p.chiC), 12);
    }
  });
  it('wide random tanh networks follow the iterated length and correlation maps (width 2048, 4 layers)', () => {
    const [w, b, n, L] = [2.5, 0.1, 2048, 4];
    const rng = stream({ test: 'mean-field-network' });
    const x1 = Array.from({ length: n }, () => rng.normal());
    const x2 = x1.map((v) => 0.6 * v + 0.8 * rng.normal());
    let h = [x1, x2];
    let q = 0;
    let c = 0;
    const norm = (u: number[], v: number[]) => u.reduce((s, ui, i) => s + ui * v[i]!, 0) / n;
    // Layer 1 from the inputs (identity "activation" on the inputs), then tanh layers.
    for (let l = 0; l < L; l++) {
      const W = Array.from({ length: n }, () => Float64Array.from({ length: n }, () => rng.normal()));
      const bias = Array.from({ length: n }, () => rng.normal());
      const act = (u: number[]) => (l === 0 ? u : u.map(Math.tanh));
      const [a1, a2] = h.map(act) as [number[], number[]];
      h = [a1, a2].map((a) =>
        W.map((row, i) => Math.sqrt(w / n) * row.reduce((s, wij, j) => s + wij * a[j]!, 0) + Math.sqrt(b) * bias[i]!),
      );
      if (l === 0) {
        q = w * norm(x1, x1) + b;
        c = (w * norm(x1, x2) + b) / q;
      } else {
        // Off the fixed point the covariance maps to sigma_w^2 E[phi(u) phi(v)] + sigma_b^2 = correlationMap x q and
        // the length to L(q): the correlation is their ratio. (The two inputs have almost equal lengths.)
        const qNext = lengthMap(tanh, w, b, q);
        c = (correlationMap(tanh, w, b, q, c) * q) / qNext;
        q = qNext;
      }
    }
    const qHat = norm(h[0]!, h[0]!);
    const cHat = norm(h[0]!, h[1]!) / Math.sqrt(qHat * norm(h[1]!, h[1]!));
    expect(Math.abs(qHat / q - 1)).toBeLessThan(0.08);
    expect(Math.abs(cHat - c)).toBeLessThan(0.05);
  });
});

describe('tdlv criticality', () => {
  it('prints the edge of chaos, the phase and the depth scales as JSON with the named fields', async () => {
    const r = await runCli(['criticality', '--activation', 'tanh', '--sigma-b2', '0.05', '--sigma-w2', '3', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out).sort()).toEqual(
      [
        'activation',
        'sigmaB2',
        'sigmaW2',
        'sigmaW2Critical',
        'phase',
        'qStar',
        'chi1',
        'cStar',
        'chiC',
        'xiC',
        'xiQ',
      ].sort(),
    );
    expect(out.phase).toBe('chaotic');
    expect(out.sigmaW2Critical).toBeCloseTo(criticalSigmaW2(tanh, 0.05), 12);
    const edge = JSON.parse((await runCli(['criticality', '--activation', 'relu', '--sigma-b2', '0', '--json'])).out);
    expect(edge).toMatchObject({ sigmaW2: 2, sigmaW2Critical: 2, phase: 'critical', xiC: 'Infinity', qStar: null });
    // With a bias the relu (and identity) line is where q* diverges: said, not a number from the wall's edge.
    for (const a of ['relu', 'identity']) {
      const r2 = JSON.parse((await runCli(['criticality', '--activation', a, '--sigma-b2', '0.1', '--json'])).out);
      expect(r2).toMatchObject({ phase: 'critical', qStar: 'Infinity', chi1: 1 });
      expect(r2.sigmaW2Critical).toBeCloseTo(a === 'relu' ? 2 : 1, 9);
    }
    // Far into the chaotic phase (q* ~ 1e6) tanh' is a spike of width 1e-3 in z: chi_1 is still resolved.
    const far = JSON.parse(
      (await runCli(['criticality', '--activation', 'tanh', '--sigma-b2', '0', '--sigma-w2', '1000000', '--json'])).out,
    );
    expect(far.phase).toBe('chaotic');
    expect(far.chi1).toBeCloseTo(532.135, 2);
  });
  it('bad input is one line, exit 2; a point with no fixed point says so', async () => {
    for (const [args, message] of [
      [['--activation', 'relu', '--sigma-b2', '0.1', '--sigma-w2', '3'], /--sigma-w2: .*no fixed point/],
      [['--activation', 'nope', '--sigma-b2', '0'], /--activation: got "nope"/],
      [['--activation', 'tanh', '--sigma-b2', 'x'], /--sigma-b2: got "x"; expected a decimal number in \[0, 1e6\]/],
      [['--activation', 'tanh'], /--sigma-b2: got nothing/],
      [['--activation', 'tanh', '--sigma-b2', '0', '--sigma-w2', '0'], /--sigma-w2: got "0"/],
    ] as const) {
      const r = await runCli(['criticality', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
  });
});
