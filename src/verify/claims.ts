/**
 * Theorem statements: hypotheses, typed claims, ablations and figures, as schemas (zod) from which the types are
 * inferred, so the checks a statement passes at run time and the types the compiler checks are one text.
 * A statement is pure data; the checker evaluates the claims and the report renders the same objects, so the formula a
 * reader sees is the formula that was tested. `validateStatement` (src/verify/validate.ts) runs these schemas on every
 * module, .ts or .js, before any cell runs.
 */
import { z } from 'zod';
import { ESTIMANDS } from '../stats/rate-fit.ts';

/** Ids of theorems, claims, hypotheses and ablations: lowercase letters, digits and dashes. */
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
/** Arm names: letters, digits and dashes (arms such as tanh-L4-b carry capitals). */
const armName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'letters, digits and dashes');
const text = z.string().min(1, 'a non-empty string');
const finite = z.number().finite();
const positive = z.number().finite().positive();

export const SourceSchema = z.strictObject({
  /** Short citation, e.g. "Jacot, Gabriel & Hongler 2018". */
  cite: text,
  /** Theorem, proposition or equation referred to. */
  where: z.string(),
  title: z.string(),
  url: z.string().optional(),
});
/** @interface */
export type Source = z.infer<typeof SourceSchema>;

/**
 * What the cited source establishes for a claim:
 *   proven        the source proves the statement as claimed (both sides of a two-sided rate);
 *   proven-bound  the source proves an upper (or lower) bound; that the bound is attained is not proven;
 *   conjecture    stated or conjectured by the source (or a heuristic derivation) without proof;
 *   computed      a deterministic computation (no Monte Carlo): shown as a computed series, never as a sampled verdict.
 */
export const STANDINGS = ['proven', 'proven-bound', 'conjecture', 'computed'] as const;
export type Standing = (typeof STANDINGS)[number];

export const HypothesisSchema = z.strictObject({ id, text, tex: z.string().optional() });
/** @interface */
export type Hypothesis = z.infer<typeof HypothesisSchema>;

const claimBase = {
  /** The claim's id, unique in its statement: lowercase letters, digits and dashes. */
  id,
  /** One line, shown in tables and pages. */
  title: text,
  /** The claim as TeX, rendered by the report. */
  tex: text,
  /** Ids of the hypotheses the claim depends on. */
  hypotheses: z.array(id),
  /** Citation of the source that proves (or conjectures) it. */
  source: text,
  /** false for an exploratory claim outside every theorem's hypotheses (reported, counted apart, not asserted). */
  theorem: z.boolean(),
  /** What the source establishes (see Standing): a claim is never stated stronger than its source. */
  standing: z.enum(STANDINGS),
  /** The experiment arm whose observations test the claim. */
  arm: armName,
  /** The observable (a key of each cell's observation) the claim is about. */
  observable: text,
  /**
   * A few words naming the claim where a line is short (a forest plot's row, which appends the claimed rate), in words
   * and Unicode math, no TeX: e.g. "NTK change, tanh". Without one the claim is named by its title.
   */
  label: text.optional(),
};

/** Q(n) ~ C n^p: `upper` is O(n^p), `lower` is Omega(n^p), `tight` is Theta(n^p), `vanishes` is o(1) (judged as
 * O(n^-tol)). */
export const RATE_MODES = ['upper', 'lower', 'tight', 'vanishes'] as const;
export type RateMode = (typeof RATE_MODES)[number];
const rateFields = {
  /** upper: O(n^p); lower: Omega(n^p); tight: Theta(n^p), only where the source proves both sides; vanishes: o(1). */
  mode: z.enum(RATE_MODES),
  /** The exponent p of n^p (ignored by `vanishes`, which is judged as O(n^-tol)). */
  exponent: finite,
  /** Tolerance on the slope, fixed from the source before the data (> 0). */
  tol: positive,
  /**
   * What the rate is about: `geometric` (the typical value, exp E[log Q]; the default) or `mean` (E[Q]: a claim stated
   * about an expectation, such as a moment or a mean kernel change). They differ when the spread of log Q changes with
   * width.
   */
  estimand: z.enum(ESTIMANDS).optional(),
};

/** Q(n) ~ C n^p, judged on the log-log slope over widths (docs/verdicts.md, "rate"). */
export const RateClaimSchema = z.strictObject({ ...claimBase, kind: z.literal('rate'), ...rateFields });
/** @interface */
export type RateClaim = z.infer<typeof RateClaimSchema>;

/** A measured statistic equals a predicted expression at each setting. */
export const FormulaClaimSchema = z.strictObject({
  ...claimBase,
  kind: z.literal('formula'),
  /** Observable holding the prediction, computed per cell. */
  predicted: text,
  /**
   * Relative margin (> 0). For an approximation: the error the source allows (equivalence margin). For an exact
   * identity (`exact`): the resolution the Monte Carlo must reach (every interval inside g (1 +- relTol)) before
   * agreement counts, while any statistically significant deviation refutes.
   */
  relTol: positive,
  exact: z.boolean(),
  /** Why relTol has this value (from the source or the design, fixed before the data). */
  relTolReason: text,
});
/** @interface */
export type FormulaClaim = z.infer<typeof FormulaClaimSchema>;

/** An empirical object converges to an analytic one: distance shrinks at `exponent` to 0. */
export const LimitClaimSchema = z.strictObject({
  ...claimBase,
  kind: z.literal('limit'),
  exponent: finite,
  tol: positive,
});
/** @interface */
export type LimitClaim = z.infer<typeof LimitClaimSchema>;

/** A quantity is > 0 over a family (no counterexample in the budget); judged by the theorem's own judge. */
export const PositivityClaimSchema = z.strictObject({ ...claimBase, kind: z.literal('positivity') });
/** @interface */
export type PositivityClaim = z.infer<typeof PositivityClaimSchema>;

/**
 * The algebra behind an identity, one rewriting per line: `start`, then each step `= tex` with why it holds and the
 * observable holding the largest |this line - the previous line| over the points the cell sampled, each line computed
 * by its own route (quadrature, a closed form, a series, the kernel recursion), so every step is checked, not only the
 * two ends. Reports typeset the chain with each step's reason and error.
 */
export const DerivationSchema = z.strictObject({
  /** The expression the chain starts from (TeX). */
  start: text,
  steps: z.array(z.strictObject({ tex: text, why: text, observable: text })).min(1),
});
/** @interface */
export type Derivation = z.infer<typeof DerivationSchema>;

/**
 * A symbolic identity checked at sampled points: `observable` holds the largest |lhs - rhs| a cell found, and every
 * step of its `derivation` (if given) holds its own. Supported when every one of them is at most `tol` in every cell
 * of the arm, refuted when one is above. A theorem may judge it itself instead (a symbolic simplification beside the
 * points).
 */
export const IdentityClaimSchema = z.strictObject({
  ...claimBase,
  kind: z.literal('identity'),
  tol: positive,
  derivation: DerivationSchema.optional(),
});
/** @interface */
export type IdentityClaim = z.infer<typeof IdentityClaimSchema>;

/**
 * A deterministic computation (standing `computed`): a computed series and the asymptotic expansion it must follow;
 * the theorem's own judge decides it without sampling error, and it is never counted with the Monte Carlo claims.
 */
export const ComputedClaimSchema = z.strictObject({ ...claimBase, kind: z.literal('computed') });
/** @interface */
export type ComputedClaim = z.infer<typeof ComputedClaimSchema>;

/** One class of a classification: a rate test of the claim's observable (e.g. Theta(1) "feature learning"). */
export const RateClassSchema = z.strictObject({ id, title: text, ...rateFields });
/** @interface */
export type RateClass = z.infer<typeof RateClassSchema>;

/**
 * Every arm in `arms` falls in exactly one of mutually exclusive `classes` (rate tests of `observable`), e.g. the
 * Dynamical Dichotomy: each stable parametrization either learns features or keeps its kernel fixed. Supported when
 * every arm's class is supported (an intersection-union test: its p-value is the largest of the arms'); refuted when an
 * arm is significantly in two classes or significantly in none. `arm` is the first of `arms`.
 */
export const ClassificationClaimSchema = z.strictObject({
  ...claimBase,
  kind: z.literal('classification'),
  arms: z.array(armName).min(1),
  classes: z.array(RateClassSchema).min(2, 'at least two classes'),
});
/** @interface */
export type ClassificationClaim = z.infer<typeof ClassificationClaimSchema>;

/**
 * The observable (judged on its log, as rates are) rises with the width up to `at` and falls after it: the
 * double-descent peak at the interpolation threshold. Adjacent widths are compared.
 */
export const PeakClaimSchema = z.strictObject({
  ...claimBase,
  kind: z.literal('peak'),
  at: z.number().int().positive(),
});
/** @interface */
export type PeakClaim = z.infer<typeof PeakClaimSchema>;

/**
 * The observable (judged on its log) falls (`decreasing`) or rises at every step between adjacent settings of the
 * sweep, e.g. the effective rank of a deep factorization's solution against its depth. Adjacent settings are compared.
 */
export const TrendClaimSchema = z.strictObject({
  ...claimBase,
  kind: z.literal('trend'),
  direction: z.enum(['increasing', 'decreasing']),
});
/** @interface */
export type TrendClaim = z.infer<typeof TrendClaimSchema>;

/**
 * A measured mean is at most (`below`) or at least (`above`) a predicted value at every setting: a proven bound checked
 * where it applies (the bound's own slack is not an error).
 */
export const BoundClaimSchema = z.strictObject({
  ...claimBase,
  kind: z.literal('bound'),
  /** Observable holding the bound, computed per cell. */
  predicted: text,
  side: z.enum(['below', 'above']),
});
/** @interface */
export type BoundClaim = z.infer<typeof BoundClaimSchema>;

/** Every claim kind, discriminated by `kind`: an unknown kind, field or value is refused before any cell runs. */
export const ClaimSchema = z.discriminatedUnion('kind', [
  RateClaimSchema,
  FormulaClaimSchema,
  LimitClaimSchema,
  PositivityClaimSchema,
  IdentityClaimSchema,
  ComputedClaimSchema,
  ClassificationClaimSchema,
  PeakClaimSchema,
  TrendClaimSchema,
  BoundClaimSchema,
]);
export type Claim = z.infer<typeof ClaimSchema>;
export type ClaimKind = Claim['kind'];

/** The same experiment with one hypothesis violated: claims on `baseArm` are re-evaluated on `arm`. */
export const AblationSchema = z.strictObject({
  id,
  title: text,
  /** Hypothesis ids the ablation violates. */
  violates: z.array(id).min(1),
  baseArm: armName,
  arm: armName,
  /** What changes: the arm's setting and what it does to the network. */
  description: z.string(),
  /** A few words naming the ablation where a line is short (a forest plot's row), e.g. "relu". Default: its id. */
  label: text.optional(),
  /**
   * Why dropping the hypothesis should break the claim, in one sentence: the step of the proof that needs it and what
   * happens without it (shown beside the ablation's verdicts, under "Why it should break").
   */
  why: text.optional(),
  /**
   * Where a reader sees it: the title of a statement figure that draws the ablation's arm, or the observable of a rate
   * or limit claim on that arm (the page draws one measurement plot per such observable). The page links to it.
   */
  shownIn: text.optional(),
});
/** @interface */
export type Ablation = z.infer<typeof AblationSchema>;

export const SizeAxisSchema = z.strictObject({
  /** Plain text, e.g. "scale alpha". */
  text,
  /** The variable in plain text, e.g. "alpha" (rates read O(alpha^-1)). */
  symbol: text,
  /** Symbol for formulas, e.g. \alpha. */
  tex: text,
  /**
   * The variable is factor x the cell's `width` (cells store integers: alpha = 1/8 is width 1 with factor 1/8). A power
   * law's slope is the same in either (log alpha = log width + log factor).
   */
  factor: positive,
});
/** @interface */
export type SizeAxis = z.infer<typeof SizeAxisSchema>;

/**
 * The coordinate check of microsoft/mup: for each arm a row of panels, one per training step, each showing the size of
 * every layer's coordinate change against width on log-log axes (flat lines: width-independent updates).
 */
export const CoordCheckFigureSchema = z.strictObject({
  kind: z.literal('coord-check'),
  title: text,
  arms: z.array(armName).min(1),
  steps: z.array(z.number().int().nonnegative()).min(1),
  /** For each layer its label and its observable at each of `steps`. */
  layers: z.array(z.strictObject({ label: text, observables: z.array(text) })).min(1),
});
/** @interface */
export type CoordCheckFigure = z.infer<typeof CoordCheckFigureSchema>;

/** A loss against a swept parameter (e.g. log2 of the learning rate), one curve per width, a panel per arm. */
export const SweepCurveFigureSchema = z.strictObject({
  kind: z.literal('sweep-curves'),
  title: text,
  arms: z.array(armName).min(1),
  /** The swept values (x axis) and the observable holding the y value at each. */
  x: z.strictObject({ label: text, values: z.array(finite), observables: z.array(text) }),
  yLabel: text,
  /** Further curves averaged over every cell of the arm (e.g. a proven bound stored per cell). */
  extra: z.array(z.strictObject({ label: text, observables: z.array(text) })).optional(),
  /**
   * An observable holding each cell's optimal x, in the axis's units (e.g. the best log2 rate of a Tensor Programs V
   * sweep): each curve is marked at the mean over its seeds.
   */
  optimum: text.optional(),
  /**
   * Why a seed's value is missing, ending its width's curve there: its run diverged (the default; a cross marks it), or
   * its loss fell below the floor at which the run stops (`floor`: the curve just ends).
   */
  ends: z.enum(['diverged', 'floor']).optional(),
  /** A title per panel (one per arm, in order) where the figure names its panels otherwise; the arm's label else. */
  titles: z.array(text).optional(),
  /** Constants drawn as dashed horizontal lines (a threshold a claim uses, e.g. 1% error). */
  levels: z.array(z.strictObject({ label: text, y: positive })).optional(),
  /**
   * The lower end of the (log) y axis: a mean below it is drawn at it, and the caption says so (an error of 1e-16 is
   * not 1e10 times better than one of 1e-6 for a claim about a 1% threshold).
   */
  yFloor: positive.optional(),
});
/** @interface */
export type SweepCurveFigure = z.infer<typeof SweepCurveFigureSchema>;

/**
 * The mean (with a 95% interval) of observables against x = factor x width, one line per series: measurements beside
 * predictions (a prediction stored per cell plots as itself), e.g. the risk against gamma = p / n with its asymptotic
 * curve.
 */
export const CurvesFigureSchema = z.strictObject({
  kind: z.literal('curves'),
  title: text,
  xLabel: text,
  yLabel: text,
  logX: z.boolean(),
  logY: z.boolean(),
  series: z.array(z.strictObject({ label: text, arm: armName, observable: text, factor: positive })).min(1),
  /** The series are levels of one size in increasing order (d = 8, 16, 23): a sequential palette, not categories. */
  ordered: z.boolean().optional(),
  /**
   * An exact curve drawn as a line without points (a formula evaluated densely, where the measured series sit at a
   * few sizes): the first finished cell of `arm` stores `details[detail] = { x: number[], y: number[] }`, x in the
   * figure's own units. Values far above the measurements (a divergence) are cut at the plot's top.
   */
  reference: z.strictObject({ label: text, arm: armName, detail: text }).optional(),
  /** Constants drawn as dashed horizontal lines across the measured range (e.g. the risk of predicting 0). */
  levels: z.array(z.strictObject({ label: text, y: finite })).optional(),
});
/** @interface */
export type CurvesFigure = z.infer<typeof CurvesFigureSchema>;

/**
 * An ensemble of trained networks against the Gaussian process it should converge to (Lee et al. 2019, Figure 1 style):
 * per test point, the ensemble mean +- 2 sd at the arm's smallest and largest widths beside the GP mean +- 2 sd that
 * `claim`'s verdict evidence holds (`gp: { mean, cov }`); cells store the outputs as `${prefix}${i}`. With
 * `timePrefix`, a panel per tracked test point over training time: cells store `${timePrefix}${k}:${j}` (checkpoint k,
 * tracked point j) and the evidence `gp.overTime: { steps, mean, sd, checkpoints }` (the GP at steps[s]: mean[s][j],
 * sd[s][j]; checkpoints[k] the step of checkpoint k). With
 * `covarianceClaim`, a panel across widths: the distance of the ensemble's mean and covariance from the GP's at every
 * width with their bounds (each verdict's `evidence.points`: width, estimate, ci) and tolerances.
 */
export const EnsembleGpFigureSchema = z.strictObject({
  kind: z.literal('ensemble-gp'),
  title: text,
  arm: armName,
  claim: id,
  prefix: text,
  timePrefix: text.optional(),
  covarianceClaim: id.optional(),
});
/** @interface */
export type EnsembleGpFigure = z.infer<typeof EnsembleGpFigureSchema>;

/**
 * The phase diagram of a signal-propagation theorem (Schoenholz et al. 2017, Fig. 1 style): the correlation depth scale
 * xi_c of `activation` over a rectangle of the (sigma_w^2, sigma_b^2) plane, the critical line chi_1 = 1, and the
 * points the experiment ran at (drawn when some of their `arms` ran). Computed from the mean-field maps when the page
 * is built.
 */
export const PhaseDiagramFigureSchema = z.strictObject({
  kind: z.literal('phase-diagram'),
  title: text,
  /** An activation name `parseActivation` accepts. */
  activation: text,
  sigmaW2: z.tuple([positive, positive]),
  sigmaB2: z.tuple([z.number().nonnegative(), positive]),
  points: z.array(
    z.strictObject({
      label: text,
      /** A value, or 'critical': the edge of chaos at this sigma_b^2, computed when the page is built. */
      sigmaW2: z.union([positive, z.literal('critical')]),
      sigmaB2: z.number().nonnegative(),
      arms: z.array(armName).min(1),
    }),
  ),
});
/** @interface */
export type PhaseDiagramFigure = z.infer<typeof PhaseDiagramFigureSchema>;

/**
 * The law of a vector's coordinates against its limit (Tensor Programs): for each arm, the histogram of one network's n
 * coordinates as a density (averaged over the seeds of a width), a curve per width on a log density axis, beside the
 * limiting density. Each cell of the arms stores `details[detail] = { centres, density, limit }`: the bin centres, its
 * coordinates' density there, and the limit's density there (computed by the cell from the recursion).
 */
export const CoordinateLawFigureSchema = z.strictObject({
  kind: z.literal('coordinate-law'),
  title: text,
  arms: z.array(armName).min(1),
  detail: text,
  xLabel: text,
});
/** @interface */
export type CoordinateLawFigure = z.infer<typeof CoordinateLawFigureSchema>;

/**
 * Curves a deterministic cell computed (a kernel against the cosine, a series' error against its argument): the first
 * cell of `arm` stores `details[detail] = { x: number[], curves: { label, y: number[] }[] }`, drawn on a log y axis
 * (values <= 0 are left out), a colour per curve in order.
 */
export const CellCurvesFigureSchema = z.strictObject({
  kind: z.literal('cell-curves'),
  title: text,
  arm: armName,
  detail: text,
  xLabel: text,
  yLabel: text,
});
/** @interface */
export type CellCurvesFigure = z.infer<typeof CellCurvesFigureSchema>;

/**
 * A kernel along a slice of input space, as Jacot et al. 2018 draw it in their Figure 1: Theta(x_0, x(gamma))
 * against gamma, one thin line per cell at initialization (solid) and, where the cell trained, after training
 * (dashed), a colour per width, beside the limiting kernel (black). Each cell of `arm` stores `details[detail] = { x,
 * init, trained?, limit }` (equal lengths).
 */
export const KernelSliceFigureSchema = z.strictObject({
  kind: z.literal('kernel-slice'),
  title: text,
  arm: armName,
  detail: text,
  xLabel: text,
  yLabel: text,
  /** What one thin line is, and many of them: { one: 'one network', many: 'networks' }. */
  line: z.strictObject({ one: text, many: text }),
  /** The paper's figure this one redraws in the theorem's setting, for the caption. */
  after: text.optional(),
});
/** @interface */
export type KernelSliceFigure = z.infer<typeof KernelSliceFigureSchema>;

/**
 * A table a deterministic cell computed (e.g. the abc exponents of each arm, read off the code that scales the
 * layers): the first finished cell of `arm` stores `details[detail] = { columns: string[], rows: (string | number)[][]
 * }`, drawn as it is, with `caption` below it.
 */
export const CellTableFigureSchema = z.strictObject({
  kind: z.literal('cell-table'),
  title: text,
  arm: armName,
  detail: text,
  caption: text,
});
/** @interface */
export type CellTableFigure = z.infer<typeof CellTableFigureSchema>;

/**
 * Where a swept setting succeeds, as a map (Schoenholz et al. 2017, Figure 5 style: the trainable region over
 * (sigma_w^2, depth)): a column per size of `arm`, placed at the mean over its seeds of `x.observable` (e.g. the
 * sigma_w^2 whose depth scale xi_c is the size); in it a row per entry of `y.multiples`, at y = multiple x size (e.g.
 * depth L = multiple x xi_c; a cell may round it), coloured by the fraction of its seeds whose value of that row's
 * observable is at most `success.atMost`. `boundaries` draw y = factor x size through the columns (a conjectured
 * boundary, e.g. L = 6 xi_c) and `measured` the mean over seeds of a boundary each cell located (e.g. L*).
 */
export const SweepMapFigureSchema = z.strictObject({
  kind: z.literal('sweep-map'),
  title: text,
  arm: armName,
  x: z.strictObject({ label: text, observable: text, log: z.boolean() }),
  y: z.strictObject({ label: text, multiples: z.array(positive).min(1), observables: z.array(text).min(1) }),
  success: z.strictObject({ label: text, atMost: finite }),
  boundaries: z.array(z.strictObject({ label: text, factor: positive })).optional(),
  measured: z.strictObject({ label: text, observable: text }).optional(),
});
/** @interface */
export type SweepMapFigure = z.infer<typeof SweepMapFigureSchema>;

export const StatementFigureSchema = z.discriminatedUnion('kind', [
  SweepMapFigureSchema,
  CellTableFigureSchema,
  CellCurvesFigureSchema,
  KernelSliceFigureSchema,
  CoordinateLawFigureSchema,
  CoordCheckFigureSchema,
  SweepCurveFigureSchema,
  CurvesFigureSchema,
  EnsembleGpFigureSchema,
  PhaseDiagramFigureSchema,
]);
export type StatementFigure = z.infer<typeof StatementFigureSchema>;

/** Every observable a claim's generic rule reads from a cell (what a cell on its arm owes it). */
export function claimObservables(claim: Claim): string[] {
  switch (claim.kind) {
    case 'formula':
    case 'bound':
      return [claim.observable, claim.predicted];
    case 'identity':
      return [claim.observable, ...(claim.derivation?.steps.map((s) => s.observable) ?? [])];
    case 'rate':
    case 'limit':
    case 'positivity':
    case 'computed':
    case 'classification':
    case 'peak':
    case 'trend':
      return [claim.observable];
  }
}

/** The arms a figure draws from (each must be in every fidelity's plan). */
export function figureArms(figure: StatementFigure): string[] {
  switch (figure.kind) {
    case 'curves':
      return [...figure.series.map((s) => s.arm), ...(figure.reference ? [figure.reference.arm] : [])];
    case 'ensemble-gp':
    case 'cell-curves':
    case 'kernel-slice':
    case 'cell-table':
    case 'sweep-map':
      return [figure.arm];
    case 'coord-check':
    case 'sweep-curves':
    case 'coordinate-law':
      return figure.arms;
    case 'phase-diagram':
      return figure.points.flatMap((p) => p.arms);
  }
}

export const TheoremStatementSchema = z.strictObject({
  id,
  title: text,
  summary: z.string(),
  sources: z.array(SourceSchema),
  hypotheses: z.array(HypothesisSchema),
  /** How the source's layer counting maps onto ours (docs/design.md, "Conventions"). */
  conventions: z.string(),
  claims: z.array(ClaimSchema).min(1, 'at least one claim'),
  ablations: z.array(AblationSchema),
  /** Plain-text description of the experiment. */
  experiment: z.string(),
  /**
   * Arms whose sweep variable is not the width (stored as a cell's `width`): what it is instead, e.g. the lazy-training
   * scale alpha. Reports label their axes with it.
   */
  sizeAxes: z.partialRecord(armName, SizeAxisSchema).optional(),
  /** Figures beyond the per-claim plots, drawn from the cells' observations. */
  figures: z.array(StatementFigureSchema).optional(),
  /**
   * What plots and captions call an observable, in words (Unicode math, no TeX): e.g. `dz2_t4` is "change of
   * pre-activation z2 after step 4". An observable without one is named by its identifier split into words.
   */
  observableLabels: z.partialRecord(text, text).optional(),
  /**
   * What legends and panel titles call an arm, in words (Unicode math, no TeX): e.g. `tanh-standard` is "tanh, standard
   * parametrization". An arm without one is named by its id.
   */
  armLabels: z.partialRecord(armName, text).optional(),
});
/** @interface */
export type TheoremStatement = z.infer<typeof TheoremStatementSchema>;

/**
 * A statement part whose arm and observable names are narrowed to a theorem's own unions A and O, checked by the
 * compiler (the schemas and `defineTheorem` check the same names at run time, for `.js` theorems too). By field name:
 * `arm`, `baseArm` and `arms` hold arms; `observable`, `predicted` and `observables` hold observables; `sizeAxes` and
 * `armLabels` are keyed by arm and `observableLabels` by observable. Indexed observables are template literal types,
 * e.g. `` `d${'z1' | 'z2' | 'f'}_t${number}` ``.
 */
export type Named<T, A extends string, O extends string> = T extends object
  ? {
      [K in keyof T]: K extends 'arm' | 'baseArm'
        ? A
        : K extends 'arms'
          ? A[]
          : K extends 'observable' | 'predicted'
            ? O
            : K extends 'observables'
              ? O[]
              : K extends 'sizeAxes'
                ? Partial<Record<A, SizeAxis>>
                : K extends 'armLabels'
                  ? Partial<Record<A, string>>
                  : K extends 'observableLabels'
                    ? Partial<Record<O, string>>
                    : Named<T[K], A, O>;
    }
  : T;

/**
 * A theorem statement with its arms A and observables O as unions (`TheoremStatement` is `Statement<string,
 * string>`): a claim on an arm the theorem does not run, or about an observable its cells do not return, is a compile
 * error.
 */
export type Statement<A extends string = string, O extends string = string> = Named<TheoremStatement, A, O>;

/** A claim of kind K with the theorem's arm and observable unions (see Statement). */
export type ClaimOf<K extends ClaimKind, A extends string = string, O extends string = string> = Named<
  Extract<Claim, { kind: K }>,
  A,
  O
>;

/**
 * The plots a page draws with an ablation's arm, where its `shownIn` may point: the statement figures that draw the arm
 * (by title), and the measurement plots of the arm's rate and limit claims (by observable).
 */
export function ablationPlaces(
  statement: TheoremStatement,
  ablation: Ablation,
): { figures: string[]; observables: string[] } {
  return {
    figures: (statement.figures ?? []).filter((f) => figureArms(f).includes(ablation.arm)).map((f) => f.title),
    observables: statement.claims.flatMap((c) =>
      (c.kind === 'rate' || c.kind === 'limit') && c.arm === ablation.arm ? [c.observable] : [],
    ),
  };
}

/** What legends and panel titles call an arm: the statement's label, else its id. */
export function armLabel(statement: Pick<TheoremStatement, 'armLabels'>, arm: string): string {
  return statement.armLabels?.[arm] ?? arm;
}

/** What a cell's `width` means for an arm: the statement's size axis, or the width n itself. */
export function sizeAxis(statement: TheoremStatement, arm: string): SizeAxis {
  return statement.sizeAxes?.[arm] ?? WIDTH_AXIS;
}

export const WIDTH_AXIS: SizeAxis = { text: 'width n', symbol: 'n', tex: 'n', factor: 1 };

/** The claim a verdict (or anything naming a claim) is about; an id the statement lacks is a bug, and throws. */
export function claimOf(statement: Pick<TheoremStatement, 'id' | 'claims'>, id: string): Claim {
  const claim = statement.claims.find((c) => c.id === id);
  if (!claim) throw new Error(`theorem ${statement.id} has no claim ${id}`);
  return claim;
}
