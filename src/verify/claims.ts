/**
 * Theorem statements: hypotheses, typed claims and ablations (DESIGN.md, "Claims and verdicts").
 * A statement is pure data; the checker evaluates the claims and the report renders the same objects,
 * so the formula a reader sees is the formula that was tested.
 */

export interface Source {
  /** Short citation, e.g. "Jacot, Gabriel & Hongler 2018". */
  cite: string;
  /** Theorem, proposition or equation referred to. */
  where: string;
  title: string;
  url?: string;
}

/**
 * What the cited source establishes for a claim:
 *   proven        the source proves the statement as claimed (both sides of a two-sided rate);
 *   proven-bound  the source proves an upper (or lower) bound; that the bound is attained is not proven;
 *   conjecture    stated or conjectured by the source (or a heuristic derivation) without proof;
 *   computed      a deterministic computation (no Monte Carlo): shown as a computed series, never as a sampled verdict.
 */
export type Standing = 'proven' | 'proven-bound' | 'conjecture' | 'computed';
export const STANDINGS: readonly Standing[] = ['proven', 'proven-bound', 'conjecture', 'computed'];

export interface Hypothesis {
  id: string;
  text: string;
  tex?: string;
}

interface ClaimBase {
  id: string;
  title: string;
  /** The claim as TeX, rendered by the report. */
  tex: string;
  /** Ids of the hypotheses the claim depends on. */
  hypotheses: string[];
  /** Citation of the source that proves (or conjectures) it. */
  source: string;
  /** false for an exploratory claim outside every theorem's hypotheses (reported, counted apart, not asserted). */
  theorem: boolean;
  /** What the source establishes (see Standing): a claim is never stated stronger than its source. */
  standing: Standing;
  /** The experiment arm whose observations test the claim. */
  arm: string;
  /** The observable (a key of each cell's observation) the claim is about. */
  observable: string;
}

/** Q(n) ~ C n^p: `upper` is O(n^p), `lower` is Omega(n^p), `tight` is Theta(n^p), `vanishes` is o(1) (judged as
 * O(n^-tol)). */
export type RateMode = 'upper' | 'lower' | 'tight' | 'vanishes';
export interface RateClaim extends ClaimBase {
  kind: 'rate';
  mode: RateMode;
  exponent: number;
  /** Tolerance on the slope. */
  tol: number;
}

/** A measured statistic equals a predicted expression at each setting. */
export interface FormulaClaim extends ClaimBase {
  kind: 'formula';
  /** Observable holding the prediction, computed per cell. */
  predicted: string;
  /**
   * Relative margin. For an approximation: the error the source allows (equivalence margin). For an exact
   * identity (`exact`): the resolution the Monte Carlo must reach (every interval inside g (1 +- relTol))
   * before agreement counts, while any statistically significant deviation refutes.
   */
  relTol: number;
  exact: boolean;
  /** Why relTol has this value (from the source or the design, fixed before the data). */
  relTolReason: string;
}

/** An empirical object converges to an analytic one: distance shrinks at `exponent` to 0. */
export interface LimitClaim extends ClaimBase {
  kind: 'limit';
  exponent: number;
  tol: number;
}

/** A quantity is > 0 over a family (no counterexample in the budget). */
export interface PositivityClaim extends ClaimBase {
  kind: 'positivity';
}

/** A symbolic identity, checked symbolically and at sampled points. */
export interface IdentityClaim extends ClaimBase {
  kind: 'identity';
  tol: number;
}

/**
 * A deterministic computation (standing `computed`): a computed series and the asymptotic expansion it must follow;
 * the theorem's evaluator decides it without sampling error, and it is never counted with the Monte Carlo claims.
 */
export interface ComputedClaim extends ClaimBase {
  kind: 'computed';
}

/** One class of a classification: a rate test of the claim's observable (e.g. Theta(1) "feature learning"). */
export interface RateClass {
  id: string;
  title: string;
  mode: RateMode;
  exponent: number;
  tol: number;
}

/**
 * Every arm in `arms` falls in exactly one of mutually exclusive `classes` (rate tests of `observable`), e.g. the
 * Dynamical Dichotomy: each stable parametrization either learns features or keeps its kernel fixed. Supported when
 * every arm's class is supported (an intersection-union test: its p-value is the largest of the arms'); refuted when an
 * arm is significantly in two classes or significantly in none. `arm` is the first of `arms`.
 */
export interface ClassificationClaim extends ClaimBase {
  kind: 'classification';
  arms: string[];
  classes: RateClass[];
}

/**
 * The observable (judged on its log, as rates are) rises with the width up to `at` and falls after it: the
 * double-descent peak at the interpolation threshold. Adjacent widths are compared.
 */
export interface PeakClaim extends ClaimBase {
  kind: 'peak';
  at: number;
}

/**
 * The observable (judged on its log) falls (`decreasing`) or rises at every step between adjacent settings of the
 * sweep, e.g. the effective rank of a deep factorization's solution against its depth. Adjacent settings are compared.
 */
export interface TrendClaim extends ClaimBase {
  kind: 'trend';
  direction: 'increasing' | 'decreasing';
}

/**
 * A measured mean is at most (`below`) or at least (`above`) a predicted value at every setting: a proven bound checked
 * where it applies (the bound's own slack is not an error).
 */
export interface BoundClaim extends ClaimBase {
  kind: 'bound';
  /** Observable holding the bound, computed per cell. */
  predicted: string;
  side: 'below' | 'above';
}

export type Claim =
  | RateClaim
  | FormulaClaim
  | LimitClaim
  | PositivityClaim
  | IdentityClaim
  | ComputedClaim
  | ClassificationClaim
  | PeakClaim
  | TrendClaim
  | BoundClaim;
export type ClaimKind = Claim['kind'];

/** The same experiment with one hypothesis violated: claims on `baseArm` are re-evaluated on `arm`. */
export interface Ablation {
  id: string;
  title: string;
  /** Hypothesis ids the ablation violates. */
  violates: string[];
  baseArm: string;
  arm: string;
  description: string;
}

export interface TheoremStatement {
  id: string;
  title: string;
  summary: string;
  sources: Source[];
  hypotheses: Hypothesis[];
  /** How the source's layer counting maps onto ours (DESIGN.md conventions). */
  conventions: string;
  claims: Claim[];
  ablations: Ablation[];
  /** Plain-text description of the experiment. */
  experiment: string;
  /**
   * Arms whose sweep variable is not the width (stored as a cell's `width`): what it is instead, e.g. the lazy-training
   * scale alpha. Reports label their axes with it.
   */
  sizeAxes?: Record<string, SizeAxis>;
  /** Figures beyond the per-claim plots, drawn from the cells' observations. */
  figures?: StatementFigure[];
}

/**
 * The coordinate check of microsoft/mup: for each arm a row of panels, one per training step, each showing the size of
 * every layer's coordinate change against width on log-log axes (flat lines: width-independent updates).
 */
export interface CoordCheckFigure {
  kind: 'coord-check';
  title: string;
  arms: string[];
  steps: number[];
  /** For each layer its label and its observable at each of `steps`. */
  layers: { label: string; observables: string[] }[];
}

/** A loss against a swept parameter (e.g. log2 of the learning rate), one curve per width, a panel per arm. */
export interface SweepCurveFigure {
  kind: 'sweep-curves';
  title: string;
  arms: string[];
  /** The swept values (x axis) and the observable holding the y value at each. */
  x: { label: string; values: number[]; observables: string[] };
  yLabel: string;
  /** Further curves averaged over every cell of the arm (e.g. a proven bound stored per cell). */
  extra?: { label: string; observables: string[] }[];
}

/**
 * The mean (with a 95% interval) of observables against x = factor x width, one line per series: measurements beside
 * predictions (a prediction stored per cell plots as itself), e.g. the risk against gamma = p / n with its asymptotic
 * curve.
 */
export interface CurvesFigure {
  kind: 'curves';
  title: string;
  xLabel: string;
  yLabel: string;
  logX: boolean;
  logY: boolean;
  series: { label: string; arm: string; observable: string; factor: number }[];
}

/**
 * An ensemble of trained networks against the Gaussian process it should converge to (Lee et al. 2019, Figure 1 style):
 * per test point, the ensemble mean +- 2 sd at the arm's largest width beside the GP mean +- 2 sd that `claim`'s
 * verdict evidence holds (`gp: { mean, cov }`). Cells store the outputs as `${prefix}${i}`.
 */
export interface EnsembleGpFigure {
  kind: 'ensemble-gp';
  title: string;
  arm: string;
  claim: string;
  prefix: string;
}

export type StatementFigure = CoordCheckFigure | SweepCurveFigure | CurvesFigure | EnsembleGpFigure;

/** What a cell's `width` means for an arm: the statement's size axis, or the width n itself. */
export function sizeAxis(statement: TheoremStatement, arm: string): SizeAxis {
  return statement.sizeAxes?.[arm] ?? WIDTH_AXIS;
}

export const WIDTH_AXIS: SizeAxis = { text: 'width n', symbol: 'n', tex: 'n', factor: 1 };

export interface SizeAxis {
  /** Plain text, e.g. "scale alpha". */
  text: string;
  /** The variable in plain text, e.g. "alpha" (rates read O(alpha^-1)). */
  symbol: string;
  /** Symbol for formulas, e.g. \alpha. */
  tex: string;
  /**
   * The variable is factor x the cell's `width` (cells store integers: alpha = 1/8 is width 1 with factor 1/8). A power
   * law's slope is the same in either (log alpha = log width + log factor).
   */
  factor: number;
}
