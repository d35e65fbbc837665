/**
 * An activation's Hermite expansion and the dual kernels it gives (Mehler's formula): closed forms where the activation
 * carries them (relu, erf, polynomials), adaptive quadrature otherwise, each coefficient with its error.
 */
import type { Activation } from '../nets/activations.ts';
import { hermiteByQuadrature, mehlerCoefficients } from '../../symbolic/hermite.ts';
import { secondMoment } from '../../numeric/gaussian-quadrature.ts';

export interface HermiteExpansion {
  activation: string;
  /** a_0..a_K: phi = sum_k a_k He_k / sqrt(k!). */
  coefficients: number[];
  /** 'closed form' (error 0 up to roundoff) or 'quadrature' (each coefficient to absolute error <= its `errors`). */
  method: 'closed form' | 'quadrature';
  errors: number[];
  /** Taylor coefficients of E[phi(u) phi(v)] in rho (unit variances): a_k^2. */
  nngp: number[];
  /** Taylor coefficients of the one-hidden-layer NTK (sigma_w^2 = 1, no bias, unit variances): (k + 1) a_k^2. */
  ntk: number[];
  /** E[phi(Z)^2] - sum_(k <= K) a_k^2: the energy beyond degree K (the NNGP series' tail at rho = 1). */
  nngpTail: number;
  /** E[phi'(Z)^2] - sum_(k <= K) k a_k^2 (the derivative's tail; with nngpTail, the NTK series' tail at rho = 1). */
  derivativeTail: number;
}

/** The Hermite expansion of `activation` to degree K (quadrature to absolute error absTol where no closed form). */
export function hermiteExpansion(activation: Activation, K: number, absTol = 1e-13): HermiteExpansion {
  const closed = activation.hermite?.(K);
  const { coefficients, errors } = closed
    ? { coefficients: closed, errors: closed.map(() => 0) }
    : hermiteByQuadrature(activation.f, K, absTol);
  const { nngp, ntk } = mehlerCoefficients(coefficients);
  const energy = secondMoment(activation.f, 1);
  const derivativeEnergy = secondMoment(activation.df, 1);
  return {
    activation: activation.name,
    coefficients,
    method: closed ? 'closed form' : 'quadrature',
    errors,
    nngp,
    ntk,
    nngpTail: Math.max(0, energy - nngp.reduce((s, x) => s + x, 0)),
    derivativeTail: Math.max(0, derivativeEnergy - nngp.reduce((s, x, k) => s + k * x, 0)),
  };
}
