/** ntk-constancy: plans and the training cells measuring the NTK at initialization and as it moves. */
import { defineTheorem } from '../../src/verify/define.ts';
import * as tf from '@tensorflow/tfjs-core';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernelsCached } from '../../src/engine/kernels/analytic-kernels.ts';
import { empiricalNtk } from '../../src/engine/nets/empirical-ntk.ts';
import { frobenius, maxEigenvalue, subtract } from '../../src/numeric/linalg.ts';
import { cloneMlp, disposeMlp, initMlp, type MlpSpec, type KernelParametrization } from '../../src/engine/nets/mlp.ts';
import { circleSlice, sphereRegression } from '../../src/engine/nets/datasets.ts';
import { parameterChange } from '../../src/engine/nets/parameter-change.ts';
import { trainingFloor } from '../../src/numeric/precision.ts';
import { meanSquaredLoss, trainFullBatch } from '../../src/engine/nets/train.ts';
import { kernelLearningRate } from '../../src/engine/nets/learning-rate.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';
import {
  armNames,
  type Cell,
  type CellOutput,
  type CellResult,
  type CellTaskArgs,
  type Fidelity,
  type Observation,
  type SweepPlan,
  type TheoremCheck,
} from '../../src/verify/experiment.ts';
import {
  CHECKPOINTS,
  lossAtCheckpoint,
  ntkChangeAtCheckpoint,
  statement,
  type Arm,
  type Observable,
} from './statement.ts';

/** The settings every cell of this theorem sees. */
type NtkSettings = { steps: number };

const INPUT_DIM = 8;
const TRAIN = 16;
const TEST = 16;

interface ArmSpec {
  activation: string;
  parametrization: KernelParametrization;
  sigmaW2: number;
  sigmaB2: number;
  /** 'per-network': eta = 1 / lambda_max(Theta_0 / m); 'fixed': that of the analytic NTK at the smallest width. */
  learningRate: 'per-network' | 'fixed';
}

export const ARMS: Record<Exclude<Arm, 'circle'>, ArmSpec> = {
  tanh: { activation: 'tanh', parametrization: 'ntk', sigmaW2: 1.5, sigmaB2: 0.1, learningRate: 'per-network' },
  erf: { activation: 'erf', parametrization: 'ntk', sigmaW2: 1.5, sigmaB2: 0.1, learningRate: 'per-network' },
  relu: { activation: 'relu', parametrization: 'ntk', sigmaW2: 2, sigmaB2: 0.1, learningRate: 'per-network' },
  'tanh-standard': {
    activation: 'tanh',
    parametrization: 'standard',
    sigmaW2: 1.5,
    sigmaB2: 0.1,
    learningRate: 'fixed',
  },
};

const PLANS: Record<Fidelity, Omit<SweepPlan<NtkSettings, Arm>, 'fidelity' | 'arms'>> = {
  smoke: {
    widths: [32, 64, 128],
    seeds: 3,
    settings: { steps: 16 },
    armPlans: { circle: { widths: [32, 128], seeds: 2 } },
  },
  quick: {
    widths: [128, 256, 512, 1024, 2048],
    seeds: 4,
    settings: { steps: 48 },
    armPlans: { circle: { widths: [128, 2048], seeds: 4 } },
  },
  // The circle arm draws Jacot et al.'s Figure 1 (their widths 500 and 10,000, ten networks each): a narrow and a wide
  // network, as powers of two.
  full: {
    widths: [512, 1024, 2048, 4096, 8192],
    seeds: 32,
    settings: { steps: 128 },
    armPlans: { circle: { widths: [512, 8192], seeds: 10 } },
  },
};

/** The figure-1 arm: three hidden relu layers on inputs of the unit circle (Jacot et al.'s L = 4, n_0 = 2). */
const CIRCLE = { depth: 3, sigmaW2: 2, sigmaB2: 0.1, trainPoints: 4, angles: 61 };

/**
 * Jacot et al. 2018, Figure 1, in this theorem's setting: Theta(x_0, x(gamma)) along the unit circle for one network at
 * initialization and after T steps of full-batch gradient descent on 4 points of the circle (targets y = x_1 + x_1
 * x_2, eta = 1 / lambda_max(Theta_0 / m)), beside the limiting NTK. Stored as details.slice; its observables are the
 * largest deviation from the limit at initialization and the largest change in training, relative to Theta(x_0, x_0)
 * of the limit.
 */
function circleCell(cell: Cell<Arm>, steps: number): CellOutput<Observable> {
  const activation = parseActivation('relu');
  const kernelSpec = { activation, depth: CIRCLE.depth, sigmaW2: CIRCLE.sigmaW2, sigmaB2: CIRCLE.sigmaB2 };
  const { gammas, points } = circleSlice(CIRCLE.angles);
  const train = spherePoints(stream({ experiment: 'ntk-constancy', data: 'circle' }), CIRCLE.trainPoints, 2);
  const net = initMlp(
    {
      inputDim: 2,
      widths: Array.from({ length: CIRCLE.depth }, () => cell.width),
      outputDim: 1,
      activation,
      parametrization: 'ntk',
      sigmaW2: CIRCLE.sigmaW2,
      sigmaB2: CIRCLE.sigmaB2,
    },
    { experiment: 'ntk-constancy', arm: cell.arm, width: cell.width, seed: cell.seed },
  );
  const Xslice = tf.tensor2d(points);
  const Xtrain = tf.tensor2d(train);
  const Ytrain = tf.tensor2d(train.map(([a, b]) => [a! + a! * b!]));
  const row = () => empiricalNtk(net, Xslice)[0]!.slice(1);
  try {
    const init = row();
    const eta = kernelLearningRate(empiricalNtk(net, Xtrain));
    const run = trainFullBatch(net, Xtrain, Ytrain, eta, steps);
    if (run.divergedAt !== null) return { observation: {}, why: `gradient descent diverged at step ${run.divergedAt}` };
    const trained = row();
    const limit = analyticKernelsCached(points, kernelSpec).ntk[0]!.slice(1);
    const scale = limit[(CIRCLE.angles - 1) / 2]!;
    const worst = (a: number[], b: number[]) => Math.max(...a.map((v, k) => Math.abs(v - b[k]!))) / scale;
    return {
      observation: { sliceInitDeviation: worst(init, limit), sliceChange: worst(trained, init) },
      details: { slice: { x: gammas, init, trained, limit } },
    };
  } finally {
    disposeMlp(net);
    Xslice.dispose();
    Xtrain.dispose();
    Ytrain.dispose();
  }
}

/** The data every cell sees: 16 train + 16 test points on S^7 and a smooth target. */
export function dataset(): { X: number[][]; Y: number[][] } {
  return sphereRegression('ntk-constancy', TRAIN, TEST, INPUT_DIM);
}

function spec(arm: ArmSpec, width: number): MlpSpec {
  return {
    inputDim: INPUT_DIM,
    widths: [width, width],
    outputDim: 1,
    activation: parseActivation(arm.activation),
    parametrization: arm.parametrization,
    sigmaW2: arm.sigmaW2,
    sigmaB2: arm.sigmaB2,
  };
}

/** Analytic NTK of an arm on the dataset (the standard-parametrization one depends on the width). */
function limitKernel(arm: ArmSpec, X: number[][], width: number): number[][] {
  return analyticKernelsCached(X, {
    activation: parseActivation(arm.activation),
    depth: 2,
    sigmaW2: arm.sigmaW2,
    sigmaB2: arm.sigmaB2,
    parametrization: arm.parametrization,
    widths: [width, width],
  }).ntk;
}

function trainBlock(theta: number[][]): number[][] {
  return theta.slice(0, TRAIN).map((row) => row.slice(0, TRAIN));
}

/** Worker task: one network (arm, width, seed), trained for `steps` steps. */
export function runCell({
  cell,
  plan,
}: CellTaskArgs<NtkSettings, Arm>): CellResult<Arm, Observable> | CellOutput<Observable> {
  if (cell.arm === 'circle') return circleCell(cell, plan.settings.steps);
  const start = performance.now();
  const arm = ARMS[cell.arm];
  if (!arm) throw new Error(`ntk-constancy: unknown arm ${cell.arm}`);
  const steps = plan.settings.steps;
  const { X, Y } = dataset();
  const net = initMlp(spec(arm, cell.width), {
    experiment: 'ntk-constancy',
    arm: cell.arm,
    width: cell.width,
    seed: cell.seed,
  });
  const initial = cloneMlp(net);
  const Xall = tf.tensor2d(X);
  const Xtrain = tf.tensor2d(X.slice(0, TRAIN));
  const Ytrain = tf.tensor2d(Y);
  const theta0 = empiricalNtk(net, Xall);
  const observation: Observation<Observable> = {};
  const finish = (status: CellResult['status'], why?: string): CellResult<Arm, Observable> => {
    disposeMlp(net);
    disposeMlp(initial);
    Xall.dispose();
    Xtrain.dispose();
    Ytrain.dispose();
    return { ...cell, status, ...(why ? { why } : {}), observation, seconds: (performance.now() - start) / 1000 };
  };

  const limit = limitKernel(arm, X, cell.width);
  observation.ntkInitDeviation = frobenius(subtract(theta0, limit)) / frobenius(limit);
  const lambdaMax = maxEigenvalue(trainBlock(theta0)) / TRAIN;
  // 'fixed': the rate that is stable at the smallest width of the plan, used at every width.
  const eta = kernelLearningRate(
    trainBlock(arm.learningRate === 'per-network' ? theta0 : limitKernel(arm, X, plan.widths[0]!)),
  );
  observation.lambdaMax = lambdaMax;
  observation.learningRate = eta;
  observation.etaTimesLambdaMax = eta * lambdaMax;

  const norm0 = frobenius(theta0);
  let sup = 0;
  const run = trainFullBatch(net, Xtrain, Ytrain, eta, steps, {
    checkpoints: {
      count: CHECKPOINTS,
      at: (_t, checkpoint) => {
        const change = frobenius(subtract(empiricalNtk(net, Xall), theta0)) / norm0;
        observation[ntkChangeAtCheckpoint(checkpoint)] = change;
        observation[lossAtCheckpoint(checkpoint)] = meanSquaredLoss(net, Xtrain, Ytrain);
        sup = Math.max(sup, change);
      },
    },
  });
  observation[lossAtCheckpoint(0)] = run.initialLoss;
  observation.initialTrainLoss = run.initialLoss;
  if (run.divergedAt !== null)
    return finish(
      'invalid',
      `gradient descent diverged at step ${run.divergedAt} (loss ${run.loss.toExponential(2)}, eta ` +
        `lambda_max = ${(eta * lambdaMax).toFixed(2)} > 2)`,
    );
  observation.finalTrainLoss = run.loss;
  observation.ntkChange = sup;
  const change = parameterChange(net, initial);
  observation.weightChangeInput = change.input;
  observation.weightChangeHidden = change.hidden;
  observation.weightChangeReadout = change.readout;
  for (const [k, v] of Object.entries(observation))
    if (!Number.isFinite(v)) return finish('invalid', `${k} is not finite`);
  return finish('ok');
}

export const check: TheoremCheck<NtkSettings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => ({ fidelity, arms: [...armNames(ARMS), 'circle'], ...structuredClone(PLANS[fidelity]) }),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '2',
  floor: (observable, width, plan) => trainingFloor(observable, width, plan.settings.steps),
});
