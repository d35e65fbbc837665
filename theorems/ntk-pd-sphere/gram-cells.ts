/** ntk-pd-sphere: cells of lambda_min of the analytic NTK Gram on random point sets. */
import { spherePoints, stream } from '../../src/random/rng.ts';
import type { CellResult, Observation } from '../../src/verify/experiment.ts';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernelsByDepth } from '../../src/engine/kernels/analytic-kernels.ts';
import { BIAS, sigmaW2Of, spectrum } from './kernels.ts';

export const GRAM_DIMENSIONS = [3, 5, 10];
export const GRAM_DEPTHS = [1, 2, 3, 4];
export const GRAM_ACTIVATIONS = ['relu', 'erf', 'tanh'];

export interface GramRow {
  d: number;
  activation: string;
  depth: number;
  lambdaMin: number;
  lambdaMax: number;
  margin: number;
}

/** One random point set of size m per dimension; lambda_min for every activation and depth. */
export function gramCell(m: number, seed: number): Pick<CellResult, 'observation' | 'details'> {
  const observation: Observation = { minMargin: Infinity, minRelativeLambdaMin: Infinity };
  const rows: GramRow[] = [];
  for (const d of GRAM_DIMENSIONS) {
    const X = spherePoints(stream({ experiment: 'ntk-pd-sphere/gram', m, d, seed }), m, d);
    for (const activation of GRAM_ACTIVATIONS) {
      const byDepth = analyticKernelsByDepth(X, {
        activation: parseActivation(activation),
        depth: Math.max(...GRAM_DEPTHS),
        sigmaW2: sigmaW2Of(activation),
        sigmaB2: BIAS,
      });
      for (const depth of GRAM_DEPTHS) {
        const s = spectrum(byDepth[depth - 1]!.ntk);
        observation[`lambdaMin:${activation}:L${depth}:d${d}`] = s.lambdaMin;
        observation.minMargin = Math.min(observation.minMargin!, s.margin);
        observation.minRelativeLambdaMin = Math.min(observation.minRelativeLambdaMin!, s.lambdaMin / s.lambdaMax);
        rows.push({ d, activation, depth, ...s });
      }
    }
  }
  return { observation, details: rows };
}
