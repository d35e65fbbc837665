/** Tests: closed-form gradient descent of the linearized model. */
import { describe, expect, it } from 'vitest';
import { cholesky, matmul, solve, type Dense } from '../../src/numeric/linalg.ts';
import {
  linearTestPrediction,
  linearTrainResidual,
  ntkGaussianProcess,
  spectralGd,
} from '../../src/engine/nets/linearized.ts';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels } from '../../src/engine/kernels/analytic-kernels.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';

const X = spherePoints(stream({ test: 'linearized' }), 10, 4); // 6 train + 4 test
const m = 6;
const { nngp: K, ntk: Theta } = analyticKernels(X, {
  activation: parseActivation('erf'),
  depth: 2,
  sigmaW2: 1.5,
  sigmaB2: 0.1,
});
const train = (A: Dense) => A.slice(0, m).map((r) => r.slice(0, m));
const testTrain = (A: Dense) => A.slice(m).map((r) => r.slice(0, m));
const Y = X.slice(0, m).map((x) => [Math.sin(3 * x[0]!)]);
const lambdaMax = Math.max(...spectralGd(train(Theta), 1).values);
const eta = (1.2 * m) / lambdaMax;

/** The linear model iterated step by step in function space: the independent route. */
function iterate(f0: Dense, t: number): Dense {
  let f = f0.map((r) => [...r]);
  for (let s = 0; s < t; s++) {
    const r = f.slice(0, m).map((row, i) => row[0]! - Y[i]![0]!);
    f = f.map((row, i) => [row[0]! - (eta / m) * Theta[i]!.slice(0, m).reduce((acc, th, j) => acc + th * r[j]!, 0)]);
  }
  return f;
}

describe('closed-form gradient descent of the linearized model', () => {
  it('matches step-by-step iteration on train and test points', () => {
    const f0 = X.map((x) => [0.3 * x[1]! - 0.2]);
    const s = spectralGd(train(Theta), eta);
    const r0 = f0.slice(0, m).map((r, i) => [r[0]! - Y[i]![0]!]);
    for (const t of [0, 1, 7, 40]) {
      const it = iterate(f0, t);
      linearTrainResidual(s, r0, t).forEach((r, i) => expect(r[0]! + Y[i]![0]!).toBeCloseTo(it[i]![0]!, 11));
      linearTestPrediction(s, testTrain(Theta), f0.slice(m), r0, t).forEach((r, i) =>
        expect(r[0]!).toBeCloseTo(it[m + i]![0]!, 11),
      );
    }
  });

  it('at t -> infinity the GP mean is kernel regression with the NTK', () => {
    const gp = ntkGaussianProcess(K, Theta, m, Y, eta, 100_000);
    const regression = matmul(testTrain(Theta), solve(train(Theta), Y));
    gp.mean.forEach((r, i) => expect(r[0]!).toBeCloseTo(regression[i]![0]!, 9));
  });

  it('GP mean and covariance equal the Monte Carlo moments of linear models started from f_0 ~ N(0, K)', () => {
    const t = 12;
    const L = cholesky(K.map((row, i) => row.map((v, j) => v + (i === j ? 1e-12 : 0))));
    const rng = stream({ test: 'gp-mc' });
    const N = 20_000;
    const p = X.length - m;
    const sum = new Array(p).fill(0);
    const sum2 = Array.from({ length: p }, () => new Array(p).fill(0));
    for (let n = 0; n < N; n++) {
      const z = X.map(() => rng.normal());
      const f0 = L.map((row) => [row.reduce((s, v, j) => s + v * z[j]!, 0)]);
      const ft = iterate(f0, t)
        .slice(m)
        .map((r) => r[0]!);
      ft.forEach((v, i) => {
        sum[i] += v;
        ft.forEach((w, j) => (sum2[i]![j] += v * w));
      });
    }
    const gp = ntkGaussianProcess(K, Theta, m, Y, eta, t);
    for (let i = 0; i < p; i++) {
      const mean = sum[i] / N;
      const se = Math.sqrt(gp.cov[i]![i]! / N);
      expect(Math.abs(mean - gp.mean[i]![0]!)).toBeLessThan(5 * se);
      for (let j = 0; j < p; j++) {
        const cov = sum2[i]![j]! / N - (sum[i] / N) * (sum[j] / N);
        const seCov = Math.sqrt((gp.cov[i]![i]! * gp.cov[j]![j]! + gp.cov[i]![j]! ** 2) / N);
        expect(Math.abs(cov - gp.cov[i]![j]!)).toBeLessThan(5 * seCov);
      }
    }
  });
});
