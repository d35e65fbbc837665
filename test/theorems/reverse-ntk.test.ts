/**
 * Tests: reverse-ntk's cell. The empirical NTK formula against finite-difference gradients of the network itself, the
 * fixed inputs, the ablation's refusal, and the engineered network's kernel against the target at large width.
 */
import { describe, expect, it } from 'vitest';
import { hermiteSeriesFunction } from '../../src/symbolic/hermite.ts';
import { stream } from '../../src/random/rng.ts';
import { TARGET, TARGET_AT_ONE, empiricalNtk, networkInputs, runCell } from '../../theorems/reverse-ntk/check.ts';
import { DESIGN } from '../../theorems/reverse-ntk/statement.ts';

const { inputs: m, inputDimension: d } = DESIGN;

describe('reverse-ntk cells', () => {
  it('the fixed inputs lie on the sphere of radius sqrt(d) with every pairwise |cosine| <= 0.5', () => {
    const { X, rho, maxCosine } = networkInputs();
    expect(maxCosine).toBeLessThanOrEqual(DESIGN.networkMaxCosine);
    for (let i = 0; i < m; i++) expect(rho[i * m + i]).toBeCloseTo(1, 14);
    expect(X.length).toBe(m * d);
  });

  it('the empirical NTK formula equals J J^T from central finite differences of the network (width 5)', () => {
    const a = [0.3, -0.7, 0.4, 0.2, -0.1, 0.05];
    const n = 5;
    const { X, rho } = networkInputs();
    const key = { arm: 'test', width: n, seed: 3 };
    const theta = empiricalNtk(a, n, X, rho, key);
    // The same draws as the cell: per neuron w_r (d normals) then v_r.
    const rng = stream({ experiment: 'reverse-ntk/v2', ...key });
    const W = new Float64Array(n * d);
    const v = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      rng.fillNormal(W.subarray(r * d, (r + 1) * d));
      v[r] = rng.normal();
    }
    const { f: phi } = hermiteSeriesFunction(a);
    const output = (x: number) => {
      let s = 0;
      for (let r = 0; r < n; r++) {
        let z = 0;
        for (let k = 0; k < d; k++) z += W[r * d + k]! * X[x * d + k]!;
        s += v[r]! * phi(z / Math.sqrt(d));
      }
      return s / Math.sqrt(n);
    };
    const params = [W, v];
    const jacobian = (x: number) => {
      const g: number[] = [];
      for (const p of params)
        for (let j = 0; j < p.length; j++) {
          const keep = p[j]!;
          p[j] = keep + 1e-6;
          const up = output(x);
          p[j] = keep - 1e-6;
          const down = output(x);
          p[j] = keep;
          g.push((up - down) / 2e-6);
        }
      return g;
    };
    const J = Array.from({ length: m }, (_, i) => jacobian(i));
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        const fd = J[i]!.reduce((s, x, k) => s + x * J[j]![k]!, 0);
        expect(Math.abs(theta[i * m + j]! - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
  });

  it('at width 65536 the engineered network is within a few 1/sqrt(n) of the target; the ablations are not', () => {
    const cell = (arm: string) => runCell({ cell: { arm, width: 65536, seed: 0 } } as never).observation;
    const engineered = cell('engineered');
    expect(engineered.deviation).toBeLessThan(5 / Math.sqrt(65536));
    expect(engineered.truncationBound).toBeLessThan(1e-3);
    // The cut at degree 8 leaves 1.155 of Theta(1) = 8 on the diagonal: the bias the statement names.
    expect(engineered.diagonalBias).toBeCloseTo(1.155 / 8, 3);
    expect(engineered.diagonalDeviation).toBeGreaterThan(0.03);
    const negative = cell('negative-coefficient');
    expect(negative.refused).toBe(1);
    expect(negative.deviation).toBeGreaterThan(0.1);
    expect(cell('truncated').deviation).toBeGreaterThan(0.005);
    expect(TARGET_AT_ONE).toBe(8);
    expect(Math.min(...TARGET)).toBeGreaterThan(0);
  });
});
