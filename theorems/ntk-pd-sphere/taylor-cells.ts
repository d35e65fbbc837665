/** ntk-pd-sphere: cells of the relu NTK's Taylor coefficients, by three routes. */
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels } from '../../src/engine/kernels/analytic-kernels.ts';
import { Formula } from '../../src/symbolic/expression.ts';
import { checkIdentity } from '../../src/symbolic/identity.ts';
import {
  addSeries,
  cauchyCoefficients,
  fraction,
  k0Series,
  k1Series,
  piLinearTex,
  piLinearValue,
  scaleSeries,
  shiftSeries,
  symbolicTaylor,
} from '../../src/symbolic/series.ts';
import type { CellResult, Observation } from '../../src/verify/experiment.ts';
import { BIAS } from './kernels.ts';

export const K0 = '(pi - acos(u)) / pi';
export const K1 = '(u * (pi - acos(u)) + sqrt(1 - u^2)) / pi';
const D = 3;
const SIGMA_W2 = 2;

const k0At = (rho: string) => `((pi - acos(${rho})) / pi)`;
const k1At = (rho: string) => `(((${rho}) * (pi - acos(${rho})) + sqrt(1 - (${rho})^2)) / pi)`;

/**
 * The relu NTK on S^{d-1} as a formula in u = x.x', by the DESIGN.md recursion with
 * E[relu relu] = (q/2) k1(rho), E[relu' relu'] = k0(rho)/2 (sigma_w^2 = 2), rho = Sigma(u) / q.
 */
export function reluNtkFormula(depth: number, sigmaB2: number, d = D): Formula {
  let sigma = `(${SIGMA_W2} * u / ${d} + ${sigmaB2})`;
  let q = SIGMA_W2 / d + sigmaB2;
  let theta = sigma;
  for (let l = 0; l < depth; l++) {
    const rho = `(${sigma} / ${q})`;
    const next = `(${SIGMA_W2} * ${q / 2} * ${k1At(rho)} + ${sigmaB2})`;
    theta = `(${next} + ${SIGMA_W2} * ${theta} * ${k0At(rho)} / 2)`;
    sigma = next;
    q = SIGMA_W2 * (q / 2) + sigmaB2; // k1(1) = 1
  }
  return new Formula(theta);
}

function parityCounts(coefficients: number[], tol: number) {
  return {
    positiveEven: coefficients.filter((c, k) => k % 2 === 0 && c > tol).length,
    positiveOddBeyondLinear: coefficients.filter((c, k) => k % 2 === 1 && k >= 3 && c > tol).length,
    min: Math.min(...coefficients),
  };
}

/** Taylor coefficients to `order`: exact for k0, k1 (and the no-bias NTK), Cauchy integrals for the NTK with bias. */
export function taylorCell(order: number, withBias: boolean): Pick<CellResult, 'observation' | 'details'> {
  const observation: Observation = {};
  const details: Record<string, unknown> = {};
  const k0 = new Formula(K0);
  const k1 = new Formula(K1);
  const exact0 = k0Series(order);
  const exact1 = k1Series(order);
  // Three routes to the same coefficients: exact series, Cauchy integral, mathjs derivatives (low order).
  const cauchy0 = cauchyCoefficients(k0, order);
  const cauchy1 = cauchyCoefficients(k1, order);
  const sym1 = symbolicTaylor(k1, 5);
  observation.exactVsCauchy = Math.max(
    ...exact0.map((c, k) => Math.abs(piLinearValue(c) - cauchy0[k]!)),
    ...exact1.map((c, k) => Math.abs(piLinearValue(c) - cauchy1[k]!)),
  );
  observation.exactVsDerivatives = Math.max(...sym1.map((c, k) => Math.abs(c - piLinearValue(exact1[k]!))));
  details.k0 = exact0.map(piLinearTex);
  details.k1 = exact1.map(piLinearTex);

  const identity = checkIdentity(k1.derivative(), k0, [-1, 1]);
  observation.k1DerivativeError = identity.maxError;
  observation.k1DerivativeSimplifiesToZero = identity.simplifiesToZero ? 1 : 0;
  // The recursion (engine, float64) against (2/d)(k1 + u k0) at sampled u.
  const closed = new Formula(`(2 / ${D}) * (${K1} + u * ${K0})`);
  const recursion = checkIdentity(closed, reluNtkFormula(1, 0), [-1, 1]);
  const engine = Math.max(
    ...[-1, -0.7, -0.2, 0, 0.3, 0.8, 1].map((u) => {
      const X = [
        [1, 0, 0],
        [u, Math.sqrt(Math.max(0, 1 - u * u)), 0],
      ];
      return Math.abs(
        analyticKernels(X, { activation: parseActivation('relu'), depth: 1, sigmaW2: 2, sigmaB2: 0 }).ntk[0]![1]! -
          closed.at(u),
      );
    }),
  );
  observation.recursionError = Math.max(recursion.maxError, engine);

  const series: Record<string, number[]> = {
    k0: exact0.map(piLinearValue),
    k1: exact1.map(piLinearValue),
  };
  if (withBias) {
    for (const depth of [1, 2, 3]) series[`ntk-L${depth}`] = cauchyCoefficients(reluNtkFormula(depth, BIAS), order);
  } else {
    // (2/d)(k1 + u k0), exactly: its odd part is u alone.
    const exactNtk = scaleSeries(addSeries(exact1, shiftSeries(exact0)), fraction(2, D));
    details.ntkNoBias = exactNtk.map(piLinearTex);
    series['ntk-L1-nobias'] = exactNtk.map(piLinearValue);
  }
  let minCoefficient = Infinity;
  let minOdd = Infinity;
  let minEven = Infinity;
  for (const [name, coefficients] of Object.entries(series)) {
    const counts = parityCounts(coefficients, 1e-9);
    observation[`min:${name}`] = counts.min;
    observation[`positiveOdd:${name}`] = counts.positiveOddBeyondLinear;
    observation[`positiveEven:${name}`] = counts.positiveEven;
    minCoefficient = Math.min(minCoefficient, counts.min);
    if (name.startsWith('ntk')) {
      minOdd = Math.min(minOdd, counts.positiveOddBeyondLinear);
      minEven = Math.min(minEven, counts.positiveEven);
    }
  }
  observation.minCoefficient = minCoefficient;
  observation.ntkPositiveOddBeyondLinear = minOdd;
  observation.ntkPositiveEven = minEven;
  details.coefficients = series;
  return { observation, details };
}
