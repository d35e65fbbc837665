/**
 * nn-vs-kernels: the closed forms of the exact population risk against independent routes. The relu dual kernel and
 * Mehler's target correlations against Monte Carlo; the population risk of a small random-features model against
 * least squares on 400,000 sampled inputs scored on 400,000 fresh ones; the Cholesky form against Gauss-Jordan.
 */
import { describe, expect, it } from 'vitest';
import { inverseQuadraticForm } from '../../src/numeric/least-squares.ts';
import { stream } from '../../src/random/rng.ts';
import {
  lossAndGradient,
  populationRisk,
  reluKernel,
  runCell,
  tangentRisk,
  targetCorrelation,
  type TwoLayer,
} from '../../theorems/nn-vs-kernels/check.ts';

const relu = (z: number) => (z > 0 ? z : 0);

/** Gauss-Jordan elimination on the augmented rows [A | b] (n x (n + 1)), in place: afterwards row i ends in x_i. */
function gaussJordan(rows: number[][], n: number): number[] {
  for (let c = 0; c < n; c++) {
    const p = rows[c]![c]!;
    for (let k = c; k <= n; k++) rows[c]![k]! /= p;
    for (let r = 0; r < n; r++)
      if (r !== c) {
        const f = rows[r]![c]!;
        for (let k = c; k <= n; k++) rows[r]![k]! -= f * rows[c]![k]!;
      }
  }
  return rows.map((row) => row[n]!);
}
const he2 = (z: number) => (z * z - 1) / Math.SQRT2;

describe('nn-vs-kernels closed forms', () => {
  it('the relu dual kernel: 1/2 at rho = 1, 1/(2 pi) at 0, 0 at -1, and Monte Carlo at rho = 0.3, -0.6', () => {
    expect(reluKernel(1)).toBeCloseTo(0.5, 15);
    expect(reluKernel(0)).toBeCloseTo(1 / (2 * Math.PI), 15);
    expect(reluKernel(-1)).toBeCloseTo(0, 15);
    const rng = stream({ test: 'nn-vs-kernels/kernel' });
    for (const rho of [0.3, -0.6]) {
      let s = 0;
      const M = 400_000;
      for (let i = 0; i < M; i++) {
        const u = rng.normal();
        const v = rho * u + Math.sqrt(1 - rho * rho) * rng.normal();
        s += relu(u) * relu(v);
      }
      expect(Math.abs(s / M - reluKernel(rho))).toBeLessThan(4e-3);
    }
  });

  it("Mehler's target correlations E[f(x) relu(<w, x>)] against Monte Carlo, degrees 1 and 2", () => {
    const rng = stream({ test: 'nn-vs-kernels/mehler' });
    const M = 400_000;
    for (const rho of [0.9, -0.4]) {
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < M; i++) {
        const u = rng.normal();
        const v = rho * u + Math.sqrt(1 - rho * rho) * rng.normal();
        s1 += u * relu(v);
        s2 += he2(u) * relu(v);
      }
      expect(Math.abs(s1 / M - targetCorrelation(rho, 1))).toBeLessThan(5e-3);
      expect(Math.abs(s2 / M - targetCorrelation(rho, 2))).toBeLessThan(5e-3);
    }
  });

  it('the quadratic form b^T G^-1 b by Cholesky equals Gauss-Jordan on a random 6 x 6 positive definite G', () => {
    const rng = stream({ test: 'nn-vs-kernels/chol' });
    const n = 6;
    const A = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
    const G = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => A[i]!.reduce((s, v, k) => s + v * A[j]![k]!, 0) + (i === j ? 0.1 : 0)),
    );
    const b = Array.from({ length: n }, () => rng.normal());
    const x = gaussJordan(
      G.map((row, i) => [...row, b[i]!]),
      n,
    );
    const direct = b.reduce((s, v, i) => s + v * x[i]!, 0);
    const chol = inverseQuadraticForm(Float64Array.from(G.flat()), n, Float64Array.from(b));
    expect(Math.abs(chol / direct - 1)).toBeLessThan(1e-12);
  });

  it('the exact population risk (d = 4, N = 6) matches least squares fitted and scored on sampled inputs', () => {
    const d = 4;
    const N = 6;
    const rng = stream({ test: 'nn-vs-kernels/risk' });
    const W = rng.fillNormal(new Float64Array(N * d));
    for (let i = 0; i < N; i++) {
      const norm = Math.hypot(...W.subarray(i * d, (i + 1) * d));
      for (let k = 0; k < d; k++) W[i * d + k]! /= norm;
    }
    for (const degree of [1, 2] as const) {
      const target = (x: Float64Array) => (degree === 1 ? x[0]! : he2(x[0]!));
      const features = (x: Float64Array) =>
        Array.from({ length: N }, (_, i) => relu(W.subarray(i * d, (i + 1) * d).reduce((s, w, k) => s + w * x[k]!, 0)));
      const M = 400_000;
      const gram = Array.from({ length: N }, () => new Array<number>(N + 1).fill(0));
      const x = new Float64Array(d);
      for (let m = 0; m < M; m++) {
        rng.fillNormal(x);
        const phi = features(x);
        const y = target(x);
        for (let i = 0; i < N; i++) {
          for (let j = 0; j < N; j++) gram[i]![j]! += phi[i]! * phi[j]!;
          gram[i]![N]! += phi[i]! * y;
        }
      }
      // Solve the normal equations, then score on fresh inputs.
      const a = gaussJordan(gram, N);
      let err = 0;
      for (let m = 0; m < M; m++) {
        rng.fillNormal(x);
        const phi = features(x);
        err += (target(x) - phi.reduce((s, v, i) => s + v * a[i]!, 0)) ** 2;
      }
      const exact = populationRisk(W, N, d, degree);
      expect(exact).toBeGreaterThan(0);
      expect(Math.abs(err / M - exact)).toBeLessThan(0.02 * Math.max(exact, 0.05) + 3e-3);
    }
  });

  it('the neural-tangent model: the exact risk (d = 3, N = 3, 9 features) matches sampled least squares', () => {
    const d = 3;
    const N = 3;
    const rng = stream({ test: 'nn-vs-kernels/tangent' });
    const W = rng.fillNormal(new Float64Array(N * d));
    for (let i = 0; i < N; i++) {
      const norm = Math.hypot(...W.subarray(i * d, (i + 1) * d));
      for (let k = 0; k < d; k++) W[i * d + k]! /= norm;
    }
    const D = N * d;
    const features = (x: Float64Array) =>
      Array.from({ length: D }, (_, f) => {
        const i = Math.floor(f / d);
        const u = W.subarray(i * d, (i + 1) * d).reduce((s, w, k) => s + w * x[k]!, 0);
        return u > 0 ? x[f % d]! : 0;
      });
    const M = 400_000;
    const gram = Array.from({ length: D }, () => new Array<number>(D + 1).fill(0));
    const x = new Float64Array(d);
    for (let m = 0; m < M; m++) {
      rng.fillNormal(x);
      const phi = features(x);
      const y = he2(x[0]!);
      for (let i = 0; i < D; i++) {
        for (let j = 0; j < D; j++) gram[i]![j]! += phi[i]! * phi[j]!;
        gram[i]![D]! += phi[i]! * y;
      }
    }
    const a = gaussJordan(gram, D);
    let err = 0;
    for (let m = 0; m < M; m++) {
      rng.fillNormal(x);
      const phi = features(x);
      err += (he2(x[0]!) - phi.reduce((s, v, i) => s + v * a[i]!, 0)) ** 2;
    }
    const exact = tangentRisk(W, N, d);
    expect(exact).toBeGreaterThan(0);
    expect(Math.abs(err / M - exact)).toBeLessThan(0.02 * exact + 3e-3);
  });

  it('a cell is deterministic and its risk lies in (0, 1]', () => {
    const args = { cell: { arm: 'below', width: 16, seed: 0 } } as Parameters<typeof runCell>[0];
    const first = runCell(args) as { observation: Record<string, number> };
    expect(first).toEqual(runCell(args));
    expect(first.observation.features).toBe(64);
    expect(first.observation.risk).toBeGreaterThan(0);
    expect(first.observation.risk).toBeLessThanOrEqual(1);
  });

  it('the training gradient matches central finite differences of the batch loss (d = 3, N = 4, B = 5)', () => {
    const rng = stream({ test: 'nn-vs-kernels/gradient' });
    const make = (): TwoLayer => ({
      d: 3,
      N: 4,
      W: rng.fillNormal(new Float64Array(12)),
      b: rng.fillNormal(new Float64Array(4)),
      a: rng.fillNormal(new Float64Array(4)),
      c: rng.fillNormal(new Float64Array(1)),
    });
    const net = make();
    const grad = make();
    const x = rng.fillNormal(new Float64Array(15));
    for (const degree of [1, 2] as const) {
      lossAndGradient(net, x, 5, degree, grad);
      const scratch = make();
      for (const key of ['W', 'b', 'a', 'c'] as const)
        for (let j = 0; j < net[key].length; j++) {
          const h = 1e-6;
          const keep = net[key][j]!;
          net[key][j] = keep + h;
          const up = lossAndGradient(net, x, 5, degree, scratch);
          net[key][j] = keep - h;
          const down = lossAndGradient(net, x, 5, degree, scratch);
          net[key][j] = keep;
          expect(Math.abs((up - down) / (2 * h) - grad[key][j]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(up)));
        }
      // A frozen first layer has no gradient there, and the same second-layer gradient.
      const frozen = make();
      lossAndGradient(net, x, 5, degree, frozen, false);
      expect([...frozen.W, ...frozen.b].every((v) => v === 0)).toBe(true);
      expect([...frozen.a]).toEqual([...grad.a]);
    }
  });

  it('a trained-network cell at d = 4 is deterministic and reports both risks', () => {
    const args = { cell: { arm: 'nn', width: 4, seed: 0 } } as Parameters<typeof runCell>[0];
    const first = runCell(args) as { observation: Record<string, number> };
    expect(first).toEqual(runCell(args));
    expect(first.observation.halfRfRisk).toBeCloseTo(first.observation.rfRisk! / 2, 15);
    expect(first.observation.neurons).toBe(8);
  });
});
