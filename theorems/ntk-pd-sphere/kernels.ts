/** ntk-pd-sphere: the analytic NTK Gram and its spectrum against the float64 floor. */
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels } from '../../src/engine/kernels/analytic-kernels.ts';
import { symmetricEigen } from '../../src/numeric/linalg.ts';
import { FLOAT64_EPS } from '../../src/numeric/precision.ts';

export const BIAS = 0.1;

export function sigmaW2Of(activation: string): number {
  return activation === 'relu' ? 2 : 1.5;
}

export interface Spectrum {
  lambdaMin: number;
  lambdaMax: number;
  /** lambda_min / (m eps lambda_max): above 1 means above the float64 floor of the eigensolver. */
  margin: number;
}

export function spectrum(K: number[][], eps = FLOAT64_EPS): Spectrum {
  const values = symmetricEigen(K).values;
  const lambdaMin = values[0]!;
  const lambdaMax = values[values.length - 1]!;
  return { lambdaMin, lambdaMax, margin: lambdaMin / (K.length * eps * lambdaMax) };
}

/** The analytic NTK Gram of X (sigma_w^2 = 2 for relu, 1.5 otherwise). */
export function ntkGram(X: number[][], activation: string, depth: number, sigmaB2 = BIAS): number[][] {
  return analyticKernels(X, { activation: parseActivation(activation), depth, sigmaW2: sigmaW2Of(activation), sigmaB2 })
    .ntk;
}

/** Spectrum of the analytic NTK Gram of X. */
export function ntkSpectrum(X: number[][], activation: string, depth: number, sigmaB2 = BIAS): Spectrum {
  return spectrum(ntkGram(X, activation, depth, sigmaB2));
}
