/** regimes: plans and cells of the NTK, standard, muP, mean-field and lazy arms, coordinate checks. */
import { defineTheorem } from '../../src/verify/define.ts';
import * as tf from '@tensorflow/tfjs-core';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernelsCached } from '../../src/engine/kernels/analytic-kernels.ts';
import { coordSizes, coordSnapshot } from '../../src/engine/nets/coord-check.ts';
import { sphereRegression } from '../../src/engine/nets/datasets.ts';
import { empiricalNtk } from '../../src/engine/nets/empirical-ntk.ts';
import { frobenius, subtract, type Dense } from '../../src/numeric/linalg.ts';
import {
  abcExponents,
  disposeMlp,
  doublingExponent,
  forward,
  initMlp,
  type KernelParametrization,
  type Mlp,
  type MlpSpec,
  type Parametrization,
} from '../../src/engine/nets/mlp.ts';
import { FLOAT32_EPS, trainingFloor } from '../../src/numeric/precision.ts';
import { referenceForward, referenceParamsOf } from '../../src/engine/nets/reference-f64.ts';
import { hasDiverged, meanSquaredLoss, trainFullBatch, type LazyScaling } from '../../src/engine/nets/train.ts';
import { kernelLearningRate } from '../../src/engine/nets/learning-rate.ts';
import {
  perArmPlan,
  type CellOutput,
  type CellResult,
  type CellTaskArgs,
  type Fidelity,
  type Observation,
  type SweepPlan,
  type TheoremCheck,
} from '../../src/verify/experiment.ts';
import {
  COORD_LAYERS,
  COORD_STEPS,
  coordObservable,
  LAZY_ALPHA_PER_WIDTH,
  LR_GRID,
  lossAtRate,
  statement,
  type Arm,
  type Observable,
} from './statement.ts';

/** The settings every cell of this theorem sees. */
type RegimesSettings = { steps: number; lrSteps: number; lazyWidth: number };

const INPUT_DIM = 8;
const TRAIN = 16;
const TEST = 16;
const SIGMA_W2 = 1;
/** The base width of muP and mean-field (microsoft/mup's base shapes): where muP is the standard parametrization. */
export const BASE_WIDTH = 64;
const CHECKPOINTS = 8;
/** How an arm's learning rate is set, from quantities fixed before any network is drawn. */
type Rate =
  /** 1 / lambda_max(Theta / m) of the analytic NTK-parametrization kernel (width-independent). */
  | 'analytic-ntk'
  /** eta_0 = 1 / lambda_max(Theta / m) of the analytic standard-parametrization kernel at the base width: muP and SP
   * coincide there. */
  | 'base'
  /** eta_0 n0 / n: the standard parametrization's stable scaling. */
  | 'base-over-width';

interface NetworkArm {
  parametrization: Parametrization;
  depth: 1 | 2;
  readout?: Parametrization;
  rate: Rate;
}
type ArmSpec = (NetworkArm & { kind: 'train' }) | (NetworkArm & { kind: 'lazy' }) | (NetworkArm & { kind: 'lr-sweep' });

export const ARMS: Record<Exclude<Arm, 'abc'>, ArmSpec> = {
  ntk: { kind: 'train', parametrization: 'ntk', depth: 2, rate: 'analytic-ntk' },
  mup: { kind: 'train', parametrization: 'mup', depth: 2, rate: 'base' },
  'mup-sp-readout': { kind: 'train', parametrization: 'mup', readout: 'standard', depth: 2, rate: 'base' },
  sp: { kind: 'train', parametrization: 'standard', depth: 2, rate: 'base' },
  'sp-stable': { kind: 'train', parametrization: 'standard', depth: 2, rate: 'base-over-width' },
  'mean-field': { kind: 'train', parametrization: 'mean-field', depth: 1, rate: 'base' },
  lazy: { kind: 'lazy', parametrization: 'mean-field', depth: 1, rate: 'base' },
  'mup-lr': { kind: 'lr-sweep', parametrization: 'mup', depth: 2, rate: 'base' },
  'sp-lr': { kind: 'lr-sweep', parametrization: 'standard', depth: 2, rate: 'base' },
};

type ArmPlans = NonNullable<SweepPlan<RegimesSettings, Arm>['armPlans']>;
const plans = (
  widths: number[],
  seeds: number,
  alphas: number[],
  lazySeeds: number,
  lrWidths: number[],
  lrSeeds: number,
): ArmPlans =>
  Object.fromEntries(
    Object.entries(ARMS).map(([name, arm]) => {
      switch (arm.kind) {
        case 'train':
          return [name, { widths, seeds }];
        case 'lazy':
          // alpha = width / 8: 1/8 (far from lazy) to 8.
          return [name, { widths: alphas, seeds: lazySeeds }];
        case 'lr-sweep':
          return [name, { widths: lrWidths, seeds: lrSeeds }];
      }
    }),
  );

/** The abc arm: one deterministic cell, the table of exponents (no claim is judged on it). */
const withAbc = (armPlans: ArmPlans): ArmPlans => ({ abc: { widths: [1], seeds: 1 }, ...armPlans });

const fraction = (x: number) => (Number.isInteger(x) ? String(x) : `${x < 0 ? '-' : ''}${Math.abs(2 * x)}/2`);

/**
 * The abc exponents of every network arm (Yang & Hu 2021), read off the code that scales its layers (`abcExponents`)
 * and its learning-rate rule (the global rate's exponent, from `learningRate` at widths n and 2n): what each arm is,
 * stated by what runs rather than by a second copy.
 */
function abcTable(): { columns: string[]; rows: string[][] } {
  const n = 1024;
  const rows = Object.entries(ARMS)
    .filter(([, arm]) => arm.kind === 'train')
    .map(([name, arm]) => {
      const layers = abcExponents(spec(arm, n), n);
      const of = (role: string) => {
        const l = layers.find((x) => x.role === role);
        return l ? `${fraction(l.a)}, ${fraction(l.b)}, ${fraction(l.c)}` : '(none)';
      };
      const rate = doublingExponent(learningRate(arm, n), learningRate(arm, 2 * n));
      const parametrization = arm.readout ? `${arm.parametrization}, ${arm.readout} readout` : arm.parametrization;
      return [name, parametrization, of('input'), of('hidden'), of('readout'), fraction(rate)];
    });
  return {
    columns: [
      'arm',
      'parametrization',
      'input layer a, b, c',
      'hidden layer a, b, c',
      'readout a, b, c',
      'learning rate η ∝ n^−c: c',
    ],
    rows,
  };
}

const PLANS: Record<Fidelity, { settings: RegimesSettings; armPlans: ArmPlans }> = {
  smoke: {
    settings: { steps: 8, lrSteps: 8, lazyWidth: 256 },
    armPlans: withAbc(plans([64, 128, 256], 3, [2, 8, 32], 3, [64, 128, 256], 3)),
  },
  quick: {
    settings: { steps: 16, lrSteps: 16, lazyWidth: 512 },
    armPlans: withAbc(plans([128, 256, 512, 1024], 4, [1, 2, 4, 8, 16, 32], 3, [128, 256, 512, 1024], 4)),
  },
  full: {
    settings: { steps: 32, lrSteps: 32, lazyWidth: 1024 },
    armPlans: withAbc(
      plans([256, 512, 1024, 2048, 4096], 8, [1, 2, 4, 8, 16, 32, 64], 8, [128, 256, 512, 1024, 2048], 6),
    ),
  },
};

export function dataset(): { X: number[][]; Y: number[][] } {
  return sphereRegression('regimes', TRAIN, TEST, INPUT_DIM);
}

function spec(arm: NetworkArm, width: number): MlpSpec {
  return {
    inputDim: INPUT_DIM,
    widths: new Array(arm.depth).fill(width),
    outputDim: 1,
    activation: parseActivation('tanh'),
    parametrization: arm.parametrization,
    sigmaW2: SIGMA_W2,
    sigmaB2: 0,
    baseWidth: BASE_WIDTH,
    ...(arm.readout ? { readout: arm.readout } : {}),
  };
}

const trainBlock = (theta: Dense): Dense => theta.slice(0, TRAIN).map((row) => row.slice(0, TRAIN));

/** 1 / lambda_max(Theta / m) of an analytic kernel on the training points. */
function analyticRate(parametrization: KernelParametrization, depth: number, width: number): number {
  const { X } = dataset();
  const theta = analyticKernelsCached(X.slice(0, TRAIN), {
    activation: parseActivation('tanh'),
    depth,
    sigmaW2: SIGMA_W2,
    sigmaB2: 0,
    parametrization,
    widths: new Array(depth).fill(width),
  }).ntk;
  return kernelLearningRate(theta);
}

export function learningRate(arm: NetworkArm, width: number): number {
  switch (arm.rate) {
    case 'analytic-ntk':
      return analyticRate('ntk', arm.depth, width);
    case 'base':
      return analyticRate('standard', arm.depth, BASE_WIDTH);
    case 'base-over-width':
      return (analyticRate('standard', arm.depth, BASE_WIDTH) * BASE_WIDTH) / width;
  }
}

/** Kernel-target alignment y^T K y / (||K||_F ||y||^2) (Cristianini et al. 2002) on the training block. */
export function alignment(theta: Dense, y: number[]): number {
  const K = trainBlock(theta);
  const yKy = K.reduce((s, row, i) => s + y[i]! * row.reduce((t, v, j) => t + v * y[j]!, 0), 0);
  return yKy / (frobenius(K) * y.reduce((s, v) => s + v * v, 0));
}

interface Tensors {
  Xall: tf.Tensor2D;
  Xtrain: tf.Tensor2D;
  Ytrain: tf.Tensor2D;
  /** The training inputs as float64 rows (the float64 forward passes of the lazy arm). */
  train: number[][];
  y: number[];
  dispose(): void;
}

function tensors(): Tensors {
  const { X, Y } = dataset();
  const Xall = tf.tensor2d(X);
  const Xtrain = tf.tensor2d(X.slice(0, TRAIN));
  const Ytrain = tf.tensor2d(Y);
  return {
    Xall,
    Xtrain,
    Ytrain,
    train: X.slice(0, TRAIN),
    y: Y.map((r) => r[0]!),
    dispose: () => [Xall, Xtrain, Ytrain].forEach((t) => t.dispose()),
  };
}

type Finish = (status: CellResult['status'], why?: string) => CellResult<Arm, Observable>;

const diverged = (t: number, loss: number) => `gradient descent diverged at step ${t} (loss ${loss.toExponential(2)})`;

/** Coordinate check, kernel change and alignment of one network trained for `steps` steps. */
function trainCell(
  arm: NetworkArm,
  width: number,
  steps: number,
  net: Mlp,
  data: Tensors,
  observation: Observation<Observable>,
  finish: Finish,
): CellResult<Arm, Observable> {
  const eta = learningRate(arm, width);
  observation.learningRate = eta;
  const theta0 = empiricalNtk(net, data.Xall);
  const snapshot0 = coordSnapshot(net, data.Xtrain);
  const layers = arm.depth === 2 ? COORD_LAYERS : (['z1', 'f'] as const);
  const norm0 = frobenius(theta0);
  observation.alignmentInit = alignment(theta0, data.y);
  let sup = 0;
  let theta = theta0;
  const run = trainFullBatch(net, data.Xtrain, data.Ytrain, eta, steps, {
    afterStep: (t) => {
      if (!(COORD_STEPS as readonly number[]).includes(t)) return;
      const sizes = coordSizes(coordSnapshot(net, data.Xtrain), snapshot0);
      layers.forEach((layer, k) => (observation[coordObservable(layer, t)] = sizes[k]!.deltaL1));
    },
    checkpoints: {
      count: CHECKPOINTS,
      at: () => {
        theta = empiricalNtk(net, data.Xall);
        sup = Math.max(sup, frobenius(subtract(theta, theta0)) / norm0);
      },
    },
  });
  const initialLoss = (observation.initialTrainLoss = run.initialLoss);
  if (run.divergedAt !== null) return finish('invalid', diverged(run.divergedAt, run.loss));
  observation.finalTrainLoss = meanSquaredLoss(net, data.Xtrain, data.Ytrain);
  if (hasDiverged(observation.finalTrainLoss, initialLoss))
    return finish('invalid', diverged(steps, observation.finalTrainLoss));
  observation.ntkChange = sup;
  observation.alignmentFinal = alignment(theta, data.y);
  observation.alignmentGain = observation.alignmentFinal - observation.alignmentInit;
  observation.alignmentChange = Math.abs(observation.alignmentGain);
  return finish('ok');
}

/**
 * Lazy training of alpha (f - f_0) with rate eta_0 / alpha^2: the kernel change and the distance to the linearized
 * model
 * h_lin(t+1) = h_lin(t) - (eta_0 / m) Theta_0 (h_lin(t) - y), h_lin(0) = 0, on the training points (the alpha's
 * cancel).
 * f_T - f_0 is evaluated by float64 forward passes of the (float32) parameters: in float32 its roundoff, multiplied by
 * alpha, would reach the distance itself at alpha ~ 8.
 */
function lazyCell(
  arm: NetworkArm,
  alpha: number,
  steps: number,
  net: Mlp,
  data: Tensors,
  observation: Observation<Observable>,
  finish: Finish,
): CellResult<Arm, Observable> {
  const eta = learningRate(arm, BASE_WIDTH);
  observation.learningRate = eta / alpha ** 2;
  const theta0 = empiricalNtk(net, data.Xall);
  const norm0 = frobenius(theta0);
  const initialOutput = tf.tidy(() => forward(net, data.Xtrain).out);
  const initialParams = referenceParamsOf(net);
  const initialOutput64 = data.train.map((x) => referenceForward(net.spec, initialParams, x)[0]!);
  const lazy: LazyScaling = { alpha, initialOutput };
  const K = trainBlock(theta0);
  let hLin = new Array<number>(TRAIN).fill(0);
  let sup = 0;
  try {
    const run = trainFullBatch(net, data.Xtrain, data.Ytrain, eta / alpha ** 2, steps, {
      lazy,
      afterStep: () => {
        const residual = hLin.map((h, i) => h - data.y[i]!);
        hLin = hLin.map((h, i) => h - (eta / TRAIN) * K[i]!.reduce((s, k, j) => s + k * residual[j]!, 0));
      },
      checkpoints: {
        count: CHECKPOINTS,
        at: () => (sup = Math.max(sup, frobenius(subtract(empiricalNtk(net, data.Xall), theta0)) / norm0)),
      },
    });
    observation.initialTrainLoss = run.initialLoss;
    if (run.divergedAt !== null) return finish('invalid', diverged(run.divergedAt, run.loss));
    const finalParams = referenceParamsOf(net);
    const h = data.train.map((x, i) => alpha * (referenceForward(net.spec, finalParams, x)[0]! - initialOutput64[i]!));
    const yNorm = Math.hypot(...data.y);
    observation.distanceToLinear = Math.hypot(...h.map((v, i) => v - hLin[i]!)) / yNorm;
    observation.lazyNtkChange = sup;
    observation.finalTrainLoss = h.reduce((s, v, i) => s + (v - data.y[i]!) ** 2, 0) / (2 * TRAIN);
    return finish('ok');
  } finally {
    initialOutput.dispose();
  }
}

/**
 * The best learning rate after `steps` steps: the training loss on the grid eta_0 2^k (the same initial network for
 * every
 * rate), and the vertex of the parabola in log2 eta through the grid minimum and its two neighbours.
 */
function lrSweepCell(
  arm: NetworkArm,
  width: number,
  steps: number,
  address: Record<string, string | number>,
  data: Tensors,
  observation: Observation<Observable>,
  finish: Finish,
): CellResult<Arm, Observable> {
  const eta0 = learningRate(arm, width);
  const losses = LR_GRID.map((k) => {
    const net = initMlp(spec(arm, width), address);
    try {
      const run = trainFullBatch(net, data.Xtrain, data.Ytrain, eta0 * 2 ** k, steps);
      if (run.divergedAt !== null) return Infinity;
      const final = meanSquaredLoss(net, data.Xtrain, data.Ytrain);
      return Number.isFinite(final) && !hasDiverged(final, run.initialLoss) ? final : Infinity;
    } finally {
      disposeMlp(net);
    }
  });
  // One observable per rate of the grid (absent where the run diverged) for the loss-against-rate figure.
  LR_GRID.forEach((k, i) => {
    if (Number.isFinite(losses[i]!)) observation[lossAtRate(k)] = losses[i]!;
  });
  observation.divergedRates = losses.filter((l) => !Number.isFinite(l)).length;
  const best = losses.indexOf(Math.min(...losses));
  if (!Number.isFinite(losses[best]!)) return finish('invalid', 'every rate of the grid diverged');
  if (best === 0 || best === LR_GRID.length - 1)
    return finish('invalid', `the best rate is at the edge of the grid (log2 eta / eta_0 = ${LR_GRID[best]})`);
  const [a, b, c] = [losses[best - 1]!, losses[best]!, losses[best + 1]!];
  // Vertex of the parabola through (-1, a), (0, b), (1, c) on the grid's step h: offset (a - c) / (2 (a - 2b + c))
  // steps.
  const h = LR_GRID[1]! - LR_GRID[0]!;
  const offset = Number.isFinite(a) && Number.isFinite(c) && a - 2 * b + c > 0 ? (a - c) / (2 * (a - 2 * b + c)) : 0;
  observation.optimalLog2Rate = LR_GRID[best]! + h * offset;
  observation.optimalLearningRate = eta0 * 2 ** observation.optimalLog2Rate;
  observation.baseLearningRate = eta0;
  return finish('ok');
}

/** Worker task: one network (arm, width or alpha, seed). */
export function runCell({
  cell,
  plan,
}: CellTaskArgs<RegimesSettings, Arm>): CellResult<Arm, Observable> | CellOutput<Observable> {
  if (cell.arm === 'abc') return { observation: {}, details: { abc: abcTable() } };
  const start = performance.now();
  const arm = ARMS[cell.arm];
  if (!arm) throw new Error(`regimes: unknown arm ${cell.arm}`);
  const steps = plan.settings.steps;
  const data = tensors();
  const observation: Observation<Observable> = {};
  const address = { experiment: 'regimes', arm: cell.arm, width: cell.width, seed: cell.seed };
  let net: Mlp | null = null;
  const finish: Finish = (status, why) => {
    data.dispose();
    if (net) disposeMlp(net);
    const notFinite = status === 'ok' ? Object.entries(observation).find(([, v]) => !Number.isFinite(v)) : undefined;
    if (notFinite) [status, why] = ['invalid', `${notFinite[0]} is not finite`];
    return { ...cell, status, ...(why ? { why } : {}), observation, seconds: (performance.now() - start) / 1000 };
  };
  switch (arm.kind) {
    case 'train':
      net = initMlp(spec(arm, cell.width), address);
      return trainCell(arm, cell.width, steps, net, data, observation, finish);
    case 'lazy':
      net = initMlp(spec(arm, plan.settings.lazyWidth), address);
      return lazyCell(arm, cell.width * LAZY_ALPHA_PER_WIDTH, steps, net, data, observation, finish);
    case 'lr-sweep':
      return lrSweepCell(arm, cell.width, plan.settings.lrSteps, address, data, observation, finish);
  }
}

/**
 * Float32 floors (fixed before the data): kernels and pre-activations carry ~ 2 eps sqrt(n) relative roundoff. The
 * distance to the linear model carries that of Theta_0 (through h_lin, ||y|| ~ 1) plus alpha times the perturbation of
 * f by the rounding of T float32 parameter updates, eps sqrt(T) (f_T - f_0 itself is evaluated in float64).
 */
function floor(observable: Observable, width: number, plan: SweepPlan<RegimesSettings, Arm>): number {
  const lazyWidth = plan.settings.lazyWidth;
  const alpha = width * LAZY_ALPHA_PER_WIDTH;
  if (observable === 'distanceToLinear')
    return 2 * FLOAT32_EPS * Math.sqrt(lazyWidth) + alpha * FLOAT32_EPS * Math.sqrt(plan.settings.steps);
  if (observable === 'lazyNtkChange') return 2 * FLOAT32_EPS * Math.sqrt(lazyWidth);
  if (observable === 'optimalLearningRate') return 0;
  return trainingFloor(observable, width, plan.settings.steps);
}

export const check: TheoremCheck<RegimesSettings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity].armPlans, PLANS[fidelity].settings),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
  floor,
});
