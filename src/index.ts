/**
 * The public API of tdlv: what a theorem module imports, built-in or a user's own (`import { defineTheorem } from
 * 'tdlv'`).
 * A module exports `check = defineTheorem({ statement, plan, cellModule: import.meta.url, cell, cellVersion })`, its
 * `cell` a typed function of one cell; `tdlv verify ./theorem.ts` runs it like a built-in theorem (docs/guide.md,
 * "Your own theorem").
 */
import type { ClaimKind, ClaimOf } from './verify/claims.ts';

export { defineTheorem, contractErrors, TheoremContractError } from './verify/define.ts';
export { armNames, perArmPlan, FIDELITIES, judge } from './verify/experiment.ts';
export type {
  AnyJudge,
  Cell,
  CellOutput,
  CellResult,
  CellTaskArgs,
  Fidelity,
  Judge,
  Observation,
  Settings,
  SweepPlan,
  TheoremCheck,
} from './verify/experiment.ts';
export type {
  Ablation,
  BoundClaim,
  Claim,
  ClaimOf,
  Named,
  Statement,
  ClaimKind,
  ClassificationClaim,
  CellCurvesFigure,
  ComputedClaim,
  CoordinateLawFigure,
  CurvesFigure,
  Derivation,
  FormulaClaim,
  Hypothesis,
  IdentityClaim,
  LimitClaim,
  PeakClaim,
  PhaseDiagramFigure,
  PositivityClaim,
  RateClaim,
  RateMode,
  SizeAxis,
  Source,
  Standing,
  StatementFigure,
  SweepCurveFigure,
  TheoremStatement,
  TrendClaim,
} from './verify/claims.ts';
export type { Verdict } from './verify/verdicts.ts';
export type { LabExercise } from './lab/exercise.ts';

/**
 * Claim constructors: the claim without its `kind`, which they fill in (the compiler checks the rest). Inside a
 * `Statement<Arm, Observable>` they take its arm and observable unions, so a claim naming another arm or observable is
 * a compile error at that field; outside one, give them (`rate<Arm, Observable>({ ... })`) or annotate the constant.
 */
const claimOf =
  <K extends ClaimKind>(kind: K) =>
  <A extends string = string, O extends string = string>(
    claim: Omit<ClaimOf<K, NoInfer<A>, NoInfer<O>>, 'kind'>,
  ): ClaimOf<K, A, O> =>
    ({ ...claim, kind }) as ClaimOf<K, A, O>;
export const rate = claimOf('rate');
export const formula = claimOf('formula');
export const limit = claimOf('limit');
export const bound = claimOf('bound');
export const peak = claimOf('peak');
export const trend = claimOf('trend');
export const identity = claimOf('identity');
export const classification = claimOf('classification');

/** The numerical engine a cell function builds on (networks, kernels, training, data, random streams). */
export { stream, type StreamAddress } from './random/rng.ts';
export { parseActivation, hermiteActivation, type Activation } from './engine/nets/activations.ts';
export {
  initMlp,
  cloneMlp,
  disposeMlp,
  forward,
  preActivations,
  type ForwardPass,
  type Mlp,
  type MlpSpec,
  type Parametrization,
  type KernelParametrization,
} from './engine/nets/mlp.ts';
export { empiricalNtk } from './engine/nets/empirical-ntk.ts';
export {
  analyticKernels,
  analyticKernelsByDepth,
  pairMoments,
  type KernelSpec,
  type Kernels,
} from './engine/kernels/analytic-kernels.ts';
export {
  chi1,
  chiC,
  correlationMap,
  criticalSigmaW2,
  depthScales,
  lengthFixedPoint,
  lengthMap,
  lengthSlope,
  meanFieldPoint,
  NoFixedPointError,
  type DepthScales,
  type MeanFieldPoint,
  type Phase,
} from './engine/kernels/mean-field.ts';
export {
  gradientDescentStep,
  hasDiverged,
  isCheckpoint,
  meanSquaredLoss,
  trainFullBatch,
  type LazyScaling,
  type TrainingHooks,
  type TrainingRun,
} from './engine/nets/train.ts';
export { kernelLearningRate } from './engine/nets/learning-rate.ts';
export { sphereRegression } from './engine/nets/datasets.ts';
export { frobenius, maxEigenvalue, subtract, symmetricEigen, type Dense } from './numeric/linalg.ts';
export { choleskySolve, inverseQuadraticForm } from './numeric/least-squares.ts';
export { gaussianMean, gaussianPairMean } from './numeric/gauss-hermite.ts';
export { normalCdf } from './stats/student-t.ts';
export { gaussianPairExpectation, standardGaussianMean } from './numeric/gaussian-quadrature.ts';
/** Hermite expansions, Mehler's formula, dot-product kernels as power series, and the inverse map. */
export {
  activationFromNtk,
  erfHermite,
  hermiteByQuadrature,
  hermiteFunctions,
  hermiteSeriesFunction,
  mehlerCoefficients,
  mehlerDerivative,
  mehlerNngp,
  monomialHermite,
  NegativeCoefficientError,
  reluHermite,
  reluHermiteSquaresExact,
} from './symbolic/hermite.ts';
export {
  arcCosineCoefficients,
  composeSeries,
  multiplySeries,
  reluKernelSeries,
  seriesTailBound,
  seriesValue,
  type ReluKernelSeries,
} from './symbolic/dot-product-series.ts';
export { k0Series, k1Series, piLinearValue, type PiLinear } from './symbolic/series.ts';
export { hermiteExpansion, type HermiteExpansion } from './engine/kernels/hermite-expansion.ts';
export { tensor2d } from '@tensorflow/tfjs-core';
