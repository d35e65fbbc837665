/** Gradient descent of the linearized network in closed form, and the NTK Gaussian process it converges to. */
import { matmul, symmetricEigen, transpose, type Dense } from '../../numeric/linalg.ts';

/**
 * Closed-form gradient descent of the linearized network (Lee et al. 2019, Section 2.2, eqs. 9-11,
 * in discrete time; neural-tangents `predict.gradient_descent_mse`). With the DESIGN.md loss
 * L = (1/2m) sum (f - y)^2 and step eta, the training residual r_t = f_t(X) - Y obeys
 *   r_t = E_t r_0,   E_t = (I - eta Theta / m)^t,
 * and at any other input x
 *   f_t(x) = f_0(x) - Theta(x, X) Theta^{-1} (I - E_t) r_0.
 * Everything is float64, through the eigendecomposition Theta = V diag(lambda) V^T, with
 * (I - E_t) Theta^{-1} = V diag((1 - (1 - eta lambda / m)^t) / lambda) V^T evaluated stably as lambda -> 0.
 */
export interface SpectralGd {
  values: number[];
  vectors: Dense;
  eta: number;
  m: number;
}

export function spectralGd(thetaTrain: Dense, eta: number): SpectralGd {
  const { values, vectors } = symmetricEigen(thetaTrain);
  return { values, vectors, eta, m: thetaTrain.length };
}

/** (1 - (1 - eta lambda / m)^t) / lambda, with its limit t eta / m at lambda = 0. */
export function integratedDecay(lambda: number, eta: number, m: number, t: number): number {
  const a = (eta * lambda) / m;
  if (Math.abs(a) < 1e-300) return (t * eta) / m;
  if (a < 1) return -Math.expm1(t * Math.log1p(-a)) / lambda;
  return (1 - (1 - a) ** t) / lambda;
}

/** Apply V diag(g(lambda)) V^T to the columns of B. */
export function spectralApply(s: SpectralGd, g: (lambda: number) => number, B: Dense): Dense {
  const VtB = matmul(transpose(s.vectors), B);
  const scaled = VtB.map((row, i) => row.map((v) => v * g(s.values[i]!)));
  return matmul(s.vectors, scaled);
}

/** Training residual r_t = (I - eta Theta / m)^t r_0 (columns of r0 are outputs). */
export function linearTrainResidual(s: SpectralGd, r0: Dense, t: number): Dense {
  return spectralApply(s, (lambda) => (1 - (s.eta * lambda) / s.m) ** t, r0);
}

/** f_t at other inputs: f_0(x) - Theta(x, X) (I - E_t) Theta^{-1} r_0. */
export function linearTestPrediction(s: SpectralGd, thetaTestTrain: Dense, f0Test: Dense, r0: Dense, t: number): Dense {
  const w = spectralApply(s, (lambda) => integratedDecay(lambda, s.eta, s.m, t), r0);
  const shift = matmul(thetaTestTrain, w);
  return f0Test.map((row, i) => row.map((v, k) => v - shift[i]![k]!));
}

/**
 * The Gaussian process of an ensemble of infinitely wide networks trained for t steps (Lee et al. 2019,
 * Section 2.3, eqs. 14-16; neural-tangents `predict.gradient_descent_mse_ensemble` with the NTK):
 *   A(x) = Theta(x, X) Theta^{-1} (I - E_t),
 *   mean(x) = A(x) Y,
 *   cov(x, x') = K(x, x') + A(x) K(X, X) A(x')^T - A(x) K(X, x') - A(x') K(X, x).
 * K is the NNGP kernel (the distribution of f_0), Theta the NTK; train indices first in both.
 */
export interface GpPrediction {
  mean: Dense;
  cov: Dense;
}

export function ntkGaussianProcess(K: Dense, Theta: Dense, m: number, Y: Dense, eta: number, t: number): GpPrediction {
  const train = (A: Dense) => A.slice(0, m).map((r) => r.slice(0, m));
  const testTrain = (A: Dense) => A.slice(m).map((r) => r.slice(0, m));
  const testTest = (A: Dense) => A.slice(m).map((r) => r.slice(m));
  const s = spectralGd(train(Theta), eta);
  // A^T = (I - E_t) Theta^{-1} Theta(X, x): symmetric spectral factor applied to Theta(X, test).
  const At = spectralApply(s, (lambda) => integratedDecay(lambda, eta, m, t), transpose(testTrain(Theta)));
  const A = transpose(At);
  const mean = matmul(A, Y);
  const AK = matmul(A, train(K));
  const AKAt = matmul(AK, At);
  const AKx = matmul(A, transpose(testTrain(K)));
  const Kxx = testTest(K);
  const cov = Kxx.map((row, i) => row.map((v, j) => v + AKAt[i]![j]! - AKx[i]![j]! - AKx[j]![i]!));
  return { mean, cov };
}
