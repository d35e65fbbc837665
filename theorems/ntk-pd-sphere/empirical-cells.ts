/** ntk-pd-sphere: cells of the empirical NTK Gram of finite networks. */
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernelsCached } from '../../src/engine/kernels/analytic-kernels.ts';
import { empiricalNtk } from '../../src/engine/nets/empirical-ntk.ts';
import { relativeFrobenius, symmetrize } from '../../src/numeric/linalg.ts';
import { disposeMlp, initMlp } from '../../src/engine/nets/mlp.ts';
import { FLOAT32_EPS } from '../../src/numeric/precision.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';
import type { CellResult } from '../../src/verify/experiment.ts';
import { BIAS, spectrum } from './kernels.ts';

const M = 24;
const D = 3;
const DEPTH = 2;

export function empiricalPoints(): number[][] {
  return spherePoints(stream({ experiment: 'ntk-pd-sphere/empirical', data: 'inputs' }), M, D);
}

/** Empirical NTK Gram of one relu network of width n (float32), its spectrum and distance to the limit. */
export function empiricalCell(width: number, seed: number): Pick<CellResult, 'observation'> {
  const X = empiricalPoints();
  const activation = parseActivation('relu');
  const limit = analyticKernelsCached(X, { activation, depth: DEPTH, sigmaW2: 2, sigmaB2: BIAS }).ntk;
  const net = initMlp(
    {
      inputDim: D,
      widths: new Array(DEPTH).fill(width),
      outputDim: 1,
      activation,
      parametrization: 'ntk',
      sigmaW2: 2,
      sigmaB2: BIAS,
    },
    { experiment: 'ntk-pd-sphere/empirical', width, seed },
  );
  const K = symmetrize(empiricalNtk(net, X));
  disposeMlp(net);
  const s = spectrum(K, FLOAT32_EPS);
  const params = D * width + width + (DEPTH - 1) * (width * width + width) + width + 1;
  return {
    observation: {
      lambdaMin: s.lambdaMin,
      lambdaMax: s.lambdaMax,
      margin: s.margin,
      positive: s.margin > 1 ? 1 : 0,
      relativeError: relativeFrobenius(K, limit),
      parameters: params,
    },
  };
}
