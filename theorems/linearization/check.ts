/** linearization: plans, training cells against the linearized model, the ensemble-vs-GP judges. */
import { defineTheorem } from '../../src/verify/define.ts';
import * as tf from '@tensorflow/tfjs-core';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernelsCached } from '../../src/engine/kernels/analytic-kernels.ts';
import { sphereRegression } from '../../src/engine/nets/datasets.ts';
import { empiricalNtk } from '../../src/engine/nets/empirical-ntk.ts';
import { type Dense } from '../../src/numeric/linalg.ts';
import { linearTestPrediction, linearTrainResidual, spectralGd } from '../../src/engine/nets/linearized.ts';
import {
  cloneMlp,
  disposeMlp,
  forward,
  initMlp,
  type Mlp,
  type KernelParametrization,
} from '../../src/engine/nets/mlp.ts';
import { parameterChange } from '../../src/engine/nets/parameter-change.ts';
import { trainingFloor } from '../../src/numeric/precision.ts';
import { trainFullBatch } from '../../src/engine/nets/train.ts';
import { kernelLearningRate } from '../../src/engine/nets/learning-rate.ts';
import {
  perArmPlan,
  type CellResult,
  type CellTaskArgs,
  type Fidelity,
  type Observation,
  type SweepPlan,
  type TheoremCheck,
  judge,
} from '../../src/verify/experiment.ts';
import { gpVerdict } from './gp-evaluation.ts';
import {
  CHECKPOINTS,
  ensembleOutputAt,
  gapAtCheckpoint,
  linearLossAtCheckpoint,
  networkLossAtCheckpoint,
  statement,
  TRACKED_POINTS,
  type Arm,
  type Observable,
} from './statement.ts';

/** The settings every cell of this theorem sees. */
export type LinSettings = { steps: number };

const D = 8;
const TRAIN = 16;
const TEST = 16;
const TOP_DIRECTIONS = 4;

interface ArmSpec {
  activation: string;
  parametrization: KernelParametrization;
  sigmaW2: number;
  /** eta lambda_max / m for 'per-network'; 'fixed-smallest' = SP ablation; 'fixed-limit' = eta from the analytic NTK.
   * */
  learningRate: { rule: 'per-network' | 'fixed-smallest' | 'fixed-limit'; factor: number };
  /** Ensemble arms record f_T, and the tracked test points over training (no linearization). */
  ensemble?: boolean;
}

export const ARMS: Record<Arm, ArmSpec> = {
  tanh: { activation: 'tanh', parametrization: 'ntk', sigmaW2: 1.5, learningRate: { rule: 'per-network', factor: 1 } },
  erf: { activation: 'erf', parametrization: 'ntk', sigmaW2: 1.5, learningRate: { rule: 'per-network', factor: 1 } },
  relu: { activation: 'relu', parametrization: 'ntk', sigmaW2: 2, learningRate: { rule: 'per-network', factor: 1 } },
  'tanh-lr': {
    activation: 'tanh',
    parametrization: 'ntk',
    sigmaW2: 1.5,
    learningRate: { rule: 'per-network', factor: 2.5 },
  },
  'tanh-lr-5': {
    activation: 'tanh',
    parametrization: 'ntk',
    sigmaW2: 1.5,
    learningRate: { rule: 'per-network', factor: 5 },
  },
  'tanh-standard': {
    activation: 'tanh',
    parametrization: 'standard',
    sigmaW2: 1.5,
    learningRate: { rule: 'fixed-smallest', factor: 1 },
  },
  ensemble: {
    activation: 'tanh',
    parametrization: 'ntk',
    sigmaW2: 1.5,
    learningRate: { rule: 'fixed-limit', factor: 1 },
    ensemble: true,
  },
};
export const SIGMA_B2 = 0.1;

type ArmPlans = NonNullable<SweepPlan<LinSettings, Arm>['armPlans']>;
const sweep = (widths: number[], seeds: number, ensembleWidths: number[], ensembleSeeds: number): ArmPlans =>
  Object.fromEntries(
    Object.entries(ARMS).map(([name, arm]) => [
      name,
      arm.ensemble ? { widths: ensembleWidths, seeds: ensembleSeeds } : { widths, seeds },
    ]),
  );

const PLANS: Record<Fidelity, { steps: number; armPlans: ArmPlans }> = {
  smoke: { steps: 16, armPlans: sweep([32, 64, 128], 3, [32, 128], 24) },
  quick: { steps: 48, armPlans: sweep([128, 256, 512, 1024, 2048], 4, [64, 128, 256, 512], 48) },
  // The ensemble: 512 networks per width and look (up to 1536 over three looks), chosen for gp-covariance's redesign
  // from its calibration alone: a covariance equal to the GP's is supported 84% of the time at 1536 networks.
  full: { steps: 128, armPlans: sweep([256, 512, 1024, 2048, 4096], 8, [128, 256, 512, 1024], 512) },
};

export function dataset() {
  return sphereRegression('linearization', TRAIN, TEST, D);
}

/** Analytic NNGP and NTK of an arm on the data (the standard-parametrization NTK depends on the width). */
export function limitKernels(arm: ArmSpec, width: number): { K: Dense; Theta: Dense } {
  const k = analyticKernelsCached(dataset().X, {
    activation: parseActivation(arm.activation),
    depth: 2,
    sigmaW2: arm.sigmaW2,
    sigmaB2: SIGMA_B2,
    parametrization: arm.parametrization,
    widths: [width, width],
  });
  return { K: k.nngp, Theta: k.ntk };
}

const block = (A: Dense, rows: [number, number], cols: [number, number]) =>
  A.slice(...rows).map((r) => r.slice(...cols));
const TRAIN_ROWS: [number, number] = [0, TRAIN];
const TEST_ROWS: [number, number] = [TRAIN, TRAIN + TEST];

function outputs(net: Mlp, X: tf.Tensor2D): Dense {
  const out = tf.tidy(() => forward(net, X).out);
  const values = out.arraySync() as Dense;
  out.dispose();
  return values;
}

const rms = (a: Dense, b: Dense) => Math.sqrt(a.reduce((s, r, i) => s + (r[0]! - b[i]![0]!) ** 2, 0) / a.length);

export function runCell({ cell, plan }: CellTaskArgs<LinSettings, Arm>): CellResult<Arm, Observable> {
  const start = performance.now();
  const arm = ARMS[cell.arm];
  if (!arm) throw new Error(`linearization: unknown arm ${cell.arm}`);
  const steps = plan.settings.steps;
  const { X, Y } = dataset();
  const net = initMlp(
    {
      inputDim: D,
      widths: [cell.width, cell.width],
      outputDim: 1,
      activation: parseActivation(arm.activation),
      parametrization: arm.parametrization,
      sigmaW2: arm.sigmaW2,
      sigmaB2: SIGMA_B2,
    },
    { experiment: 'linearization', arm: cell.arm, width: cell.width, seed: cell.seed },
  );
  const initial = cloneMlp(net);
  const Xall = tf.tensor2d(X);
  const Xtrain = tf.tensor2d(X.slice(0, TRAIN));
  const Ytrain = tf.tensor2d(Y);
  const observation: Observation<Observable> = {};
  const finish = (status: CellResult['status'], why?: string): CellResult<Arm, Observable> => {
    disposeMlp(net);
    disposeMlp(initial);
    [Xall, Xtrain, Ytrain].forEach((t) => t.dispose());
    return { ...cell, status, ...(why ? { why } : {}), observation, seconds: (performance.now() - start) / 1000 };
  };

  const limit = limitKernels(arm, cell.width);
  let ownKernel: Dense | null = null;
  const { rule, factor } = arm.learningRate;
  // The rate from the analytic kernel at this width, at the arm's smallest width, or from this network's own kernel.
  const rateKernel =
    rule === 'fixed-limit'
      ? limit.Theta
      : rule === 'fixed-smallest'
        ? limitKernels(arm, Math.min(...plan.armPlans![cell.arm]!.widths)).Theta
        : (ownKernel = empiricalNtk(net, Xall));
  const eta = kernelLearningRate(block(rateKernel, TRAIN_ROWS, TRAIN_ROWS), { factor });
  observation.learningRate = eta;

  if (arm.ensemble) {
    // The tracked test points' outputs before training and at every checkpoint (forward passes only: the training
    // trajectory is the same with or without them).
    const track = (k: number) =>
      outputs(net, Xall)
        .slice(TRAIN, TRAIN + TRACKED_POINTS)
        .forEach((r, j) => (observation[ensembleOutputAt(k, j)] = r[0]!));
    track(0);
    const run = trainFullBatch(net, Xtrain, Ytrain, eta, steps, {
      stopOnDivergence: false,
      checkpoints: { count: CHECKPOINTS, at: (_, k) => track(k) },
    });
    if (!Number.isFinite(run.loss)) return finish('invalid', 'training diverged');
    outputs(net, Xall)
      .slice(TRAIN)
      .forEach((r, i) => (observation[`f:${i}`] = r[0]!));
    return finish('ok');
  }

  const theta0 = ownKernel ?? empiricalNtk(net, Xall);
  const f0 = outputs(net, Xall);
  const r0 = f0.slice(0, TRAIN).map((r, i) => [r[0]! - Y[i]![0]!]);
  const spectral = spectralGd(block(theta0, TRAIN_ROWS, TRAIN_ROWS), eta);
  observation.etaTimesLambdaMax = (eta * spectral.values[spectral.values.length - 1]!) / TRAIN;
  // The analytic NTK's eigenvectors, for the decay along principal directions.
  const limitSpectral = spectralGd(block(limit.Theta, TRAIN_ROWS, TRAIN_ROWS), eta);
  const top = Array.from({ length: TOP_DIRECTIONS }, (_, k) =>
    limitSpectral.vectors.map((row) => row[row.length - 1 - k]!),
  );
  const project = (r: Dense) => top.map((v) => v.reduce((s, x, i) => s + x * r[i]![0]!, 0));
  const norm0 = Math.hypot(...r0.map((r) => r[0]!));
  const initialProjection = project(r0);

  let gapTest = 0;
  let gapTrain = 0;
  let decayError = 0;
  const halfMeanSquare = (a: Dense) => a.reduce((s, r, i) => s + (r[0]! - Y[i]![0]!) ** 2, 0) / (2 * TRAIN);
  const at = (t: number, checkpoint: number) => {
    const f = outputs(net, Xall);
    const linTrain = linearTrainResidual(spectral, r0, t).map((r, i) => [r[0]! + Y[i]![0]!]);
    const linTest = linearTestPrediction(spectral, block(theta0, TEST_ROWS, TRAIN_ROWS), f0.slice(TRAIN), r0, t);
    const gapNow = rms(f.slice(TRAIN), linTest);
    gapTrain = Math.max(gapTrain, rms(f.slice(0, TRAIN), linTrain));
    gapTest = Math.max(gapTest, gapNow);
    observation[gapAtCheckpoint(checkpoint)] = gapNow;
    observation[networkLossAtCheckpoint(checkpoint)] = halfMeanSquare(f.slice(0, TRAIN));
    observation[linearLossAtCheckpoint(checkpoint)] = halfMeanSquare(linTrain);
    const rt = f.slice(0, TRAIN).map((r, i) => [r[0]! - Y[i]![0]!]);
    const observed = project(rt);
    const predicted = initialProjection.map(
      (p, k) => p * (1 - (eta * limitSpectral.values[limitSpectral.values.length - 1 - k]!) / TRAIN) ** t,
    );
    decayError = Math.max(decayError, Math.hypot(...observed.map((o, k) => o - predicted[k]!)) / norm0);
    if (t === steps) {
      observed.forEach((o, k) => {
        observation[`decayObserved:${k + 1}`] = o / initialProjection[k]!;
        observation[`decayPredicted:${k + 1}`] = predicted[k]! / initialProjection[k]!;
      });
    }
  };
  const run = trainFullBatch(net, Xtrain, Ytrain, eta, steps, { checkpoints: { count: CHECKPOINTS, at } });
  if (run.divergedAt !== null) {
    const linearGrowth = Math.abs(1 - observation.etaTimesLambdaMax);
    observation.linearModelGrowthPerStep = linearGrowth;
    return finish(
      'invalid',
      `gradient descent diverged at step ${run.divergedAt}; the linear model grows by ` +
        `${linearGrowth.toFixed(2)} per step along the top eigenvector`,
    );
  }
  observation.linGapTest = gapTest;
  observation.linGapTrain = gapTrain;
  observation.eigenDecayError = decayError;
  const change = parameterChange(net, initial);
  observation.paramDistance = change.total;
  observation.weightChangeInput = change.input;
  observation.weightChangeHidden = change.hidden;
  observation.weightChangeReadout = change.readout;
  const bad = Object.entries(observation).find(([, v]) => !Number.isFinite(v));
  return bad ? finish('invalid', `${bad[0]} is not finite`) : finish('ok');
}

/** The ensemble against the NTK Gaussian process (gp-mean, gp-covariance). */
function gpJudge(what: 'mean' | 'covariance') {
  return judge<'limit', LinSettings, Arm, Observable>('limit', (claim, arm, cells, plan) => {
    const armConfig = ARMS[arm]!;
    const { K, Theta } = limitKernels(armConfig, 0);
    const eta = kernelLearningRate(block(Theta, TRAIN_ROWS, TRAIN_ROWS));
    return gpVerdict(
      claim,
      arm,
      cells,
      plan,
      {
        K,
        Theta,
        Y: dataset().Y,
        eta,
        steps: plan.settings.steps,
        train: TRAIN,
      },
      what,
    );
  });
}

export const check: TheoremCheck<LinSettings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity].armPlans, { steps: PLANS[fidelity].steps }),
  cellModule: import.meta.url,
  cell: runCell,
  // v3: ensemble cells record the tracked test points over training.
  cellVersion: '3',
  floor: (observable, width, plan) => trainingFloor(observable, width, plan.settings.steps),
  judges: { 'gp-mean': gpJudge('mean'), 'gp-covariance': gpJudge('covariance') },
});
