/** deep-linear-rank: implicit rank minimisation in deep linear networks (Arora et al.; Razin & Cohen). */
import type { ClaimOf, Statement } from '../../src/verify/claims.ts';
import { ARORA_COHEN_HU_LUO_2019, RAZIN_COHEN_2020, ROY_VETTERLI_2007 } from '../sources.ts';

/** The arms this theorem runs. */
export type Arm =
  | 'completion'
  | 'completion-large-init'
  | 'recovery'
  | 'recovery-shallow'
  | 'counterexample'
  | 'counterexample-shallow';
/** What its cells return: the compiler holds the statement, the cells and the judges to these names. */
export type Observable =
  | 'nuclearErank'
  | 'nuclearRelativeError'
  | 'nuclearDualityGap'
  | 'targetErank'
  | 'steps'
  | 'finalLoss'
  | 'erank'
  | 'relativeError'
  | 'zero'
  | ReturnType<typeof deepErrorAt>
  | ReturnType<typeof nuclearErrorAt>
  | 'deepObservations'
  | 'nuclearObservations'
  | `observationRatioLog${number}`
  | 'unfittedRuns'
  | 'erankMidpoint'
  | ReturnType<typeof nuclearAtLevel>
  | ReturnType<typeof erankAtLevel>
  | `minNuclearAtLoss1e-${number}`
  | 'nuclearNorm'
  | 'minNuclearNorm'
  | 'unobservedEntry'
  | 'reachedStop';

/** The completion problems: a rank-2 16 x 16 matrix with ||M||_F = 16 (entries of size 1, as in Arora et al.'s
 * generator). */
export const SIZE = 16;
export const RANK = 2;
/** Observed entries of the rank-against-depth experiment: a quarter of the matrix, just above the 60 degrees of freedom
 * r (2d - r). */
export const COMPLETION_OBSERVATIONS = 64;
/** Observation counts of the recovery experiment (nested: the first m entries of one random order per seed). */
export const RECOVERY_GRID = [48, 64, 80, 96, 112, 128, 160, 192, 224, 256];
/** Recovered: ||W - M||_F <= RECOVERED ||M||_F (ten times the fit tolerance on the observed entries). */
export const RECOVERED = 1e-2;
/** Loss levels at which the counterexample's trajectory is recorded: 10^-1 ... 10^-4 (the last is Razin & Cohen's
 * stop). */
export const LOSS_LEVELS = [1, 2, 3, 4];
export const deepErrorAt = (m: number) => `deepErrorAt${m}` as const;
export const nuclearErrorAt = (m: number) => `nuclearErrorAt${m}` as const;
export const nuclearAtLevel = (k: number) => `nuclearNormAtLoss1e-${k}` as const;
export const erankAtLevel = (k: number) => `erankAtLoss1e-${k}` as const;

const rankDecreases: ClaimOf<'trend', Arm, Observable> = {
  kind: 'trend',
  id: 'rank-decreases-with-depth',
  title:
    'The effective rank of the matrix gradient descent finds falls with every added ' +
    'layer (depth 1 to 4, same observations)',
  tex:
    String.raw`\operatorname{erank}\big(W^{(L+1)}_\infty\big) < ` +
    String.raw`\operatorname{erank}\big(W^{(L)}_\infty\big),\quad \operatorname{erank}(W) = ` +
    String.raw`\exp\Big(-\sum_i p_i \ln p_i\Big),\ p_i = \frac{\sigma_i(W)}{\lVert W \rVert_*}`,
  hypotheses: ['low-rank', 'observations', 'small-init', 'step'],
  source:
    'Arora, Cohen, Hu & Luo 2019, Section 5 and Figures 2-3 (an empirical finding; their ' +
    'Theorem 3 shows that depth speeds the growth of large singular values relative to ' +
    'small ones); effective rank of Roy & Vetterli 2007',
  theorem: true,
  standing: 'conjecture',
  arm: 'completion',
  observable: 'erank',
  direction: 'decreasing',
};

const depthRecovers: ClaimOf<'bound', Arm, Observable> = {
  kind: 'bound',
  id: 'depth-recovers',
  title:
    'A depth-3 factorization recovers the matrix (to 1% relative error) from fewer ' +
    'observations than nuclear-norm minimisation',
  tex:
    String.raw`\log_2 \frac{m^\star_{L=3}}{m^\star_{\lVert\cdot\rVert_*}} < 0,\quad m^\star = ` +
    String.raw`\min\{m : \lVert \hat W_m - M \rVert_F \le 10^{-2} \lVert M \rVert_F\}`,
  hypotheses: ['low-rank', 'observations', 'small-init', 'step', 'deep'],
  source:
    'Arora, Cohen, Hu & Luo 2019, Section 3 and Figure 1 (matrix completion: depth 3 and ' +
    '4 reconstruct with fewer observations than nuclear-norm minimisation; empirical)',
  theorem: true,
  standing: 'conjecture',
  arm: 'recovery',
  observable: 'observationRatioLog2',
  predicted: 'zero',
  side: 'below',
};

const normsNotMinimised: ClaimOf<'bound', Arm, Observable> = {
  kind: 'bound',
  id: 'norms-not-minimised',
  title:
    "On Razin & Cohen's 2 x 2 completion, the matrix found at loss 1e-4 has a nuclear " +
    'norm far from the least any equally good fit has',
  tex:
    String.raw`\lVert W(t_\star) \rVert_* > \min\{\lVert W \rVert_* : \mathcal L(W) \le \mathcal ` +
    String.raw`L(W(t_\star))\} = 2\big(1 - \sqrt{\mathcal L(W(t_\star))}\big)`,
  hypotheses: ['counterexample', 'deep'],
  source:
    'Razin & Cohen 2020, Section 3 (proven for gradient flow under conditions on the ' +
    'initialisation: every norm grows to infinity as the loss goes to 0); here gradient ' +
    'descent with their step size, initialisation and stopping loss, so conjectured. ' +
    ('The least nuclear norm among matrices with loss at most L is 2 (1 - sqrt(L)) (the ' +
      'dual certificate [[0, 1], [1, 0]])'),
  theorem: true,
  standing: 'conjecture',
  arm: 'counterexample',
  observable: 'nuclearNorm',
  predicted: 'minNuclearNorm',
  side: 'above',
};

const rankGoesDown: ClaimOf<'bound', Arm, Observable> = {
  kind: 'bound',
  id: 'rank-goes-down',
  title:
    'On the same problem the effective rank falls below 1.5: nearer rank one than the ' +
    'least-nuclear-norm completion (effective rank 2)',
  tex:
    String.raw`\operatorname{erank}\big(W(t_\star)\big) < 1.5 = \tfrac12\big(1 + ` +
    String.raw`\operatorname{erank}\big(\begin{smallmatrix}0 & 1\\ 1 & 0\end{smallmatrix}\big)\big)`,
  hypotheses: ['counterexample', 'deep'],
  source:
    'Razin & Cohen 2020, Section 3 (the effective rank tends to its infimum 1 while the ' +
    'norms diverge; proven for gradient flow, conjectured for gradient descent as above)',
  theorem: true,
  standing: 'conjecture',
  arm: 'counterexample',
  observable: 'erank',
  predicted: 'erankMidpoint',
  side: 'below',
};

const depthAxis = { text: 'depth L', symbol: 'L', tex: 'L', factor: 1 };

export const statement: Statement<Arm, Observable> = {
  id: 'deep-linear-rank',
  title: 'Gradient descent on deep matrix factorizations finds low-rank solutions, and norms do not explain it',
  summary:
    'Fitting observed entries of a matrix with a product W = W_L ... W_1 by gradient ' +
    'descent from a small initialisation, Arora, Cohen, Hu & Luo find that ' +
    ('deeper products converge to matrices of lower effective rank and recover a low-rank ' +
      'matrix from fewer entries than nuclear-norm minimisation. ') +
    ('Razin & Cohen exhibit a 2 x 2 completion problem on which this bias drives every ' +
      'norm to infinity while the rank falls: the implicit regularisation ') +
    'is towards low rank, not small norm.',
  sources: [
    ARORA_COHEN_HU_LUO_2019(
      'Section 3 (matrix completion, Figure 1), Section 5 (singular value dynamics, ' +
        'Theorem 3; effective rank, Figures 2-3)',
    ),
    RAZIN_COHEN_2020(
      'Section 3 (the 2 x 2 completion problem; norms diverge as the loss vanishes) and ' +
        'their code (step size 3e-3, initialisation 8e-3, positive determinant, stop at loss ' +
        '1e-4)',
    ),
    ROY_VETTERLI_2007('the effective rank'),
  ],
  hypotheses: [
    {
      id: 'low-rank',
      text:
        'The target M is 16 x 16 of rank 2, M = U V^T with Gaussian U, V, scaled to ||M||_F ' +
        "= 16 (Arora et al.'s generator).",
      tex: String.raw`\operatorname{rank} M = 2,\ \lVert M \rVert_F = 16`,
    },
    {
      id: 'observations',
      text:
        'Observed entries drawn uniformly without replacement (nested: the first m of one ' +
        'random order per seed); 64 of 256 for the rank against depth.',
      tex: String.raw`\Omega \subset [16]^2,\ |\Omega| = m`,
    },
    {
      id: 'small-init',
      text:
        'Factors i.i.d. N(0, alpha^{2/L} / d) with alpha = 1e-3, so ||W(0)||_F is about ' +
        "alpha sqrt(d) (Arora et al.'s Gaussian initialisation and scale).",
      tex: String.raw`(W_j)_{ab} \sim \mathcal N(0, \alpha^{2/L}/d),\ \alpha = 10^{-3}`,
    },
    {
      id: 'step',
      text:
        'Full-batch gradient descent on L = 1/2 sum over observed entries of squared errors, ' +
        'eta = 1 / (L sigma_1(M)^{2 - 2/L}) (half the stable step at a balanced solution), ' +
        'until the loss is below 1e-6 of its value at W = 0 (observed entries fitted to ' +
        '0.1%) or 400,000 steps (50,000 per observation count in recovery); a completion run ' +
        'that has not fitted by then records no effective rank (its cell is invalid).',
      tex: String.raw`\eta = 1 / (L\, \sigma_1(M)^{2 - 2/L})`,
    },
    {
      id: 'deep',
      text:
        'Depth L >= 3 (depth 2 is the matrix-factorization case of Gunasekar et al.; Razin & ' +
        "Cohen's depth-2 runs stop growing).",
      tex: String.raw`L \ge 3`,
    },
    {
      id: 'counterexample',
      text:
        "Razin & Cohen's problem: observed W_12 = W_21 = 1, W_22 = 0, W_11 unobserved; " +
        'factors i.i.d. N(0, 8e-3^2) redrawn until det W(0) > 0; eta = 3e-3; stop once the ' +
        'loss is at most 1e-4 (or after 5,000,000 steps).',
      tex: String.raw`W = \begin{pmatrix} ? & 1 \\ 1 & 0 \end{pmatrix}`,
    },
  ],
  conventions:
    'Depth L counts the factors (L = 1 is gradient descent on W itself, which only ' +
    'changes the observed entries). Losses are 1/2 the sum of squares over observed ' +
    'entries. ' +
    ('Computed in float64. The effective rank is exp of the entropy of the singular ' +
      'values normalised to sum 1 (Roy & Vetterli): 1 for rank one, k for k equal singular ' +
      'values.'),
  claims: [rankDecreases, depthRecovers, normsNotMinimised, rankGoesDown],
  ablations: [
    {
      id: 'large-init',
      label: 'large initialization',
      title: 'Initialisation of order one (alpha = 1)',
      violates: ['small-init'],
      baseArm: 'completion',
      arm: 'completion-large-init',
      description:
        'The same completions from factors with alpha = 1: the solution keeps much of its ' +
        'random start, and depth no longer has room to select low rank.',
      why:
        'The implicit bias towards low rank is a property of near-zero starts, from which depth grows the ' +
        'singular values one after another; from a start of order one the unobserved entries keep much of their ' +
        'random values, so depth has little to select.',
      shownIn:
        'Effective rank of the completed matrix against depth (64 of 256 entries observed), beside the ' +
        'nuclear-norm completion and the target',
    },
    {
      id: 'recovery-depth-2',
      label: 'depth 2',
      title: 'Depth 2 instead of 3',
      violates: ['deep'],
      baseArm: 'recovery',
      arm: 'recovery-shallow',
      description:
        'The recovery experiment with a depth-2 factorization, whose implicit bias is close ' +
        'to the nuclear norm (Gunasekar et al. 2017).',
      why:
        'Depth sharpens the bias towards low rank beyond the nuclear norm (Arora et al.); a depth-2 factorization ' +
        'is close to nuclear-norm minimisation (Gunasekar et al.), so its advantage over it should shrink.',
      shownIn:
        'Relative reconstruction error against the number of observed entries (Arora et al. Figure 1), ' +
        'with nuclear-norm minimisation',
    },
    {
      id: 'counterexample-shallow',
      label: 'depths 1 and 2',
      title: 'Depth 1 and 2 on the counterexample',
      violates: ['deep'],
      baseArm: 'counterexample',
      arm: 'counterexample-shallow',
      description:
        'Depth 1 only moves the observed entries (the unobserved one stays at its initial ' +
        "value: the least-norm fit); depth 2 stops growing in Razin & Cohen's own runs.",
      why:
        "Razin & Cohen's norms grow without bound only through a product of factors that lowers the rank; at " +
        'depth 1 the gradient never reaches the unobserved entry, which stays where it started.',
      shownIn:
        "Razin & Cohen's 2 x 2 problem: nuclear norm as the loss falls (log10 of the loss on the x " +
        'axis), with the least nuclear norm of an equally good fit',
    },
  ],
  experiment:
    'Per seed one target and one random order of its 256 entries, shared by every depth ' +
    '(paired designs). completion: 64 observed entries, depths 1-4, the effective rank ' +
    'and relative error of the product at the stop, ' +
    ('beside the minimum-nuclear-norm completion (ADMM, stopped at a duality gap of ' +
      '1e-7). recovery: for m = 48 ... 256 the depth-3 product and the nuclear-norm ' +
      'completion from the first m entries; ') +
    ('m* is the first m at which the relative error is at most 1e-2 (m = 256 observes ' +
      'everything, so m* exists). counterexample: depths 3 and 4 trained until the loss is ' +
      '1e-4, recording the nuclear norm and effective rank as the loss passes 1e-1, ..., ' +
      '1e-4.'),
  sizeAxes: {
    completion: depthAxis,
    'completion-large-init': depthAxis,
    recovery: depthAxis,
    'recovery-shallow': depthAxis,
    counterexample: depthAxis,
    'counterexample-shallow': depthAxis,
  },
  figures: [
    {
      kind: 'curves',
      title:
        'Effective rank of the completed matrix against depth (64 of 256 entries observed), ' +
        'beside the nuclear-norm completion and the target',
      xLabel: 'depth L',
      yLabel: 'effective rank',
      logX: false,
      logY: false,
      series: [
        { label: 'gradient descent, alpha = 1e-3', arm: 'completion', observable: 'erank', factor: 1 },
        { label: 'gradient descent, alpha = 1', arm: 'completion-large-init', observable: 'erank', factor: 1 },
        { label: 'min nuclear norm', arm: 'completion', observable: 'nuclearErank', factor: 1 },
        { label: 'target', arm: 'completion', observable: 'targetErank', factor: 1 },
      ],
    },
    {
      kind: 'sweep-curves',
      title:
        'Relative reconstruction error against the number of observed entries (Arora et al. ' +
        'Figure 1), with nuclear-norm minimisation',
      arms: ['recovery', 'recovery-shallow'],
      x: { label: 'observed entries m', values: RECOVERY_GRID, observables: RECOVERY_GRID.map(deepErrorAt) },
      yLabel: 'relative reconstruction error (Frobenius)',
      extra: [{ label: 'min nuclear norm', observables: RECOVERY_GRID.map(nuclearErrorAt) }],
      titles: ['depth-3 factorization', 'depth-2 factorization (ablation)'],
      levels: [{ label: 'recovered: 1% error', y: RECOVERED }],
      // A decade below the fit tolerance on the observed entries (1e-3): below it, errors are exact recovery.
      yFloor: 1e-4,
    },
    {
      kind: 'sweep-curves',
      title:
        "Razin & Cohen's 2 x 2 problem: nuclear norm as the loss falls (log10 of the loss on " +
        'the x axis), with the least nuclear norm of an equally good fit',
      arms: ['counterexample', 'counterexample-shallow'],
      x: { label: '-log10 loss', values: LOSS_LEVELS, observables: LOSS_LEVELS.map(nuclearAtLevel) },
      yLabel: 'nuclear norm',
      titles: ['depths 3 and 4', 'depths 1 and 2 (ablation)'],
      extra: [
        {
          label: 'least nuclear norm at that loss',
          observables: LOSS_LEVELS.map((k) => `minNuclearAtLoss1e-${k}` as const),
        },
      ],
    },
    {
      kind: 'sweep-curves',
      title: "Razin & Cohen's 2 x 2 problem: effective rank as the loss falls",
      arms: ['counterexample', 'counterexample-shallow'],
      x: { label: '-log10 loss', values: LOSS_LEVELS, observables: LOSS_LEVELS.map(erankAtLevel) },
      yLabel: 'effective rank',
      titles: ['depths 3 and 4', 'depths 1 and 2 (ablation)'],
    },
  ],
  armLabels: {
    completion: 'completion, depth sweep',
    'completion-large-init': 'completion, large initialization',
    recovery: 'recovery, depth 3',
    'recovery-shallow': 'recovery, depth 2',
    counterexample: 'counterexample, depths 3 and 4',
    'counterexample-shallow': 'counterexample, depths 1 and 2',
  },
};
