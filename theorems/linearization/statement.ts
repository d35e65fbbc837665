/** linearization: wide networks evolve as linear models under gradient descent (Lee et al. 2019). */
import type { ClaimOf, Statement } from '../../src/verify/claims.ts';
import { HUANG_YAU_2019, JACOT_2018, LEE_2019, LEWKOWYCZ_2020 } from '../sources.ts';

/** The arms this theorem runs. */
export type Arm = 'tanh' | 'erf' | 'relu' | 'tanh-lr' | 'tanh-lr-5' | 'tanh-standard' | 'ensemble';
/**
 * What its claims are about: what its cells return, and the ensemble's mean and covariance, which its own judge
 * computes across cells. The compiler holds the statement, the cells and the judges to these names.
 */
export type Observable =
  | 'ensembleMean'
  | 'ensembleCovariance'
  | 'learningRate'
  | 'etaTimesLambdaMax'
  | ReturnType<typeof gapAtCheckpoint>
  | ReturnType<typeof networkLossAtCheckpoint>
  | ReturnType<typeof linearLossAtCheckpoint>
  | `decayObserved:${number}`
  | `decayPredicted:${number}`
  | 'linGapTest'
  | 'linGapTrain'
  | 'eigenDecayError'
  | 'paramDistance'
  | 'weightChangeInput'
  | 'weightChangeHidden'
  | 'weightChangeReadout'
  | 'linearModelGrowthPerStep'
  | `f:${number}`
  | ReturnType<typeof ensembleOutputAt>;

/** The run is compared with its linearization at CHECKPOINTS evenly spaced steps, the last at T. */
export const CHECKPOINTS = 8;
/** Observables of the trajectory at checkpoint k = 1..8: the rms test gap, and the training loss of each model. */
export const gapAtCheckpoint = (k: number) => `linGapTest:${k}` as const;
export const networkLossAtCheckpoint = (k: number) => `trainLoss:${k}` as const;
export const linearLossAtCheckpoint = (k: number) => `linearTrainLoss:${k}` as const;
/**
 * The ensemble's outputs over training (Lee et al. 2019's ensemble against the NTK-GP over time): at checkpoint
 * k = 0..8 (k = 0 before training) on the first TRACKED_POINTS test points, chosen by index before any run.
 */
export const TRACKED_POINTS = 2;
export const ensembleOutputAt = (k: number, point: number) => `ft:${k}:${point}` as const;
const checkpoints = Array.from({ length: CHECKPOINTS }, (_, j) => j + 1);
const TRAJECTORY_ARMS: Arm[] = ['tanh', 'erf', 'relu', 'tanh-lr'];

const rate = (
  c: Omit<ClaimOf<'rate', Arm, Observable>, 'kind' | 'tol'> & { tol?: number },
): ClaimOf<'rate', Arm, Observable> => ({ kind: 'rate', tol: 0.15, ...c });

const GAP =
  String.raw`\Delta_{\mathrm{lin}}(n) = \sup_{t \le T} \mathrm{RMS}_{x \in \mathrm{test}} \big| ` +
  String.raw`f_t(x) - f^{\mathrm{lin}}_t(x) \big|`;

export const statement: Statement<Arm, Observable> = {
  id: 'linearization',
  title: 'Wide networks evolve as linear models under gradient descent',
  summary:
    'Under the NTK parametrization, a network trained by gradient descent stays close to ' +
    'its first-order Taylor expansion at initialization, ' +
    ('uniformly in training time, with a gap O(n^{-1/2}) (Lee et al. 2019, Theorem 2.1) ' +
      'that is O(n^{-1}) for smooth activations ') +
    ('(Huang & Yau 2019). Consequently an ensemble of independently initialised networks ' +
      'trained for t steps is a Gaussian process whose mean ') +
    ('and covariance have closed forms in the NNGP kernel K and the NTK Theta (Lee et al. ' +
      '2019, Section 2.3), and the training residual decays ') +
    'along the eigenvectors of the NTK Gram at rates (1 - eta lambda_i / m)^t (Jacot et al. 2018, Section 5).',
  sources: [
    LEE_2019('Theorem 2.1, Section 2.3 (eqs. 14-16)'),
    HUANG_YAU_2019('Theorem 2.3'),
    LEWKOWYCZ_2020('Section 2 (catapult phase, 2 < eta lambda < 4)'),
    JACOT_2018('Section 5 (convergence along kernel principal components)'),
  ],
  hypotheses: [
    {
      id: 'ntk-param',
      text: 'NTK parametrization (DESIGN.md).',
      tex: String.raw`z^{l} = \tfrac{\sigma_w}{\sqrt{n_{l-1}}} W^{l} h^{l-1} + \sigma_b b^{l}`,
    },
    {
      id: 'smooth',
      text:
        'The activation is Lipschitz with a Lipschitz, bounded derivative (Lee et al.); ' +
        'twice differentiable for Huang & Yau.',
      tex: String.raw`\phi, \phi' \text{ Lipschitz},\ \phi \in C^2`,
    },
    {
      id: 'lr',
      text: 'The learning rate is below 2 / lambda_max(Theta / m) (the linear model is stable).',
      tex: String.raw`\eta < 2 m / \lambda_{\max}(\Theta)`,
    },
    { id: 'bias', text: 'A bias (the NTK Gram is positive-definite on the data).', tex: String.raw`\sigma_b^2 > 0` },
    {
      id: 'data',
      text: 'Inputs on the unit sphere, a fixed finite training set, square loss (1/2m) sum (f - y)^2.',
      tex: String.raw`\lVert x \rVert = 1`,
    },
  ],
  conventions:
    'Two hidden layers of width n (Lee et al. count L hidden layers as we do). f^lin_t ' +
    'is the first-order Taylor expansion at initialization trained by the same discrete ' +
    ('gradient descent, computed in function space with the empirical NTK Theta_0 of each ' +
      'network: r_t = (I - eta Theta_0 / m)^t r_0 on the training set and ') +
    'f^lin_t(x) = f_0(x) - Theta_0(x, X) Theta_0^{-1} (I - E_t) r_0 elsewhere.',
  claims: [
    rate({
      id: 'gap-lee-bound',
      label: 'gap to the linearization, tanh (proven bound)',
      title: 'The network stays within O(n^{-1/2}) of its linearization (the proven bound)',
      tex: `${GAP} = O\\!\\left(n^{-1/2}\\right)`,
      hypotheses: ['ntk-param', 'smooth', 'lr', 'data'],
      source: 'Lee et al. 2019, Theorem 2.1',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'linGapTest',
      mode: 'upper',
      exponent: -0.5,
    }),
    rate({
      id: 'gap-smooth-tanh',
      label: 'gap to the linearization, tanh',
      title: 'tanh: the linearization gap is O(n^{-1})',
      tex: `${GAP} = O\\!\\left(n^{-1}\\right),\\ \\phi = \\tanh`,
      hypotheses: ['ntk-param', 'smooth', 'lr', 'data'],
      source:
        'Dyer & Gur-Ari 2019, Conjecture 1; Huang & Yau 2019, Theorem 2.3 proves O((log n)^c ' +
        '/ n) only on training points of a network without bias, while this gap is measured ' +
        'on test points with a bias',
      theorem: true,
      standing: 'conjecture',
      arm: 'tanh',
      observable: 'linGapTest',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'gap-smooth-erf',
      label: 'gap to the linearization, erf',
      title: 'erf: the linearization gap is O(n^{-1})',
      tex: `${GAP} = O\\!\\left(n^{-1}\\right),\\ \\phi = \\operatorname{erf}`,
      hypotheses: ['ntk-param', 'smooth', 'lr', 'data'],
      source:
        'Dyer & Gur-Ari 2019, Conjecture 1; Huang & Yau 2019, Theorem 2.3 proves O((log n)^c ' +
        '/ n) only on training points of a network without bias, while this gap is measured ' +
        'on test points with a bias',
      theorem: true,
      standing: 'conjecture',
      arm: 'erf',
      observable: 'linGapTest',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'gap-relu-exploratory',
      label: 'gap to the linearization, relu (exploratory)',
      title: 'relu (not smooth): does the gap still decay like n^{-1}?',
      tex: `${GAP} \\overset{?}{=} O\\!\\left(n^{-1}\\right),\\ \\phi = \\mathrm{relu}`,
      hypotheses: ['ntk-param', 'lr', 'data'],
      source: 'not a theorem: relu is outside the smoothness hypothesis; local slopes show any crossover',
      standing: 'conjecture',
      theorem: false,
      arm: 'relu',
      observable: 'linGapTest',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'params-order-one',
      label: 'parameter distance',
      title: 'The parameters move by O(1) in Euclidean norm',
      tex: String.raw`\lVert \theta_T - \theta_0 \rVert_2 = O(1)`,
      hypotheses: ['ntk-param', 'lr', 'data'],
      source:
        'Lee et al. 2019, Theorem G.1 (eq. S86): an upper bound; that the parameters move by ' +
        'a non-vanishing amount is not proven',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'paramDistance',
      mode: 'upper',
      exponent: 0,
    }),
    rate({
      id: 'hidden-relative-change',
      label: 'hidden weights, relative change',
      title: 'while the hidden layer changes by n^{-1} relative to its size',
      tex: String.raw`\frac{\lVert W^2_T - W^2_0 \rVert_F}{\lVert W^2_0 \rVert_F} = O(n^{-1})`,
      hypotheses: ['ntk-param', 'lr', 'data'],
      source: 'Lee et al. 2019, Theorem G.1 (upper bound)',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'weightChangeHidden',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'readout-relative-change',
      label: 'readout weights, relative change',
      title: 'and the input and readout layers by n^{-1/2}',
      tex: String.raw`\frac{\lVert W^3_T - W^3_0 \rVert_F}{\lVert W^3_0 \rVert_F} = O(n^{-1/2})`,
      hypotheses: ['ntk-param', 'lr', 'data'],
      source: 'Lee et al. 2019, Theorem G.1 (upper bound)',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'weightChangeReadout',
      mode: 'upper',
      exponent: -0.5,
    }),
    {
      id: 'gp-mean',
      kind: 'limit',
      exponent: -1,
      tol: 0.05,
      title: 'The ensemble mean converges to the NTK Gaussian-process mean',
      tex: String.raw`\mathbb E[f_t(x)] \to \Theta(x, X)\Theta^{-1}(I - E_t) Y,\quad E_t = (I - \eta\Theta/m)^t`,
      hypotheses: ['ntk-param', 'smooth', 'lr', 'data'],
      source: 'Lee et al. 2019, Section 2.3, eq. (15)',
      theorem: true,
      standing: 'conjecture',
      arm: 'ensemble',
      observable: 'ensembleMean',
    },
    {
      id: 'gp-covariance',
      kind: 'limit',
      exponent: -1,
      // A sample covariance of E networks carries relative noise ~ sqrt(2 / E) ~ 0.09 at E = 256. Judged by a
      // bootstrap-t at the boundary of the tolerance (src/stats/covariance-distance.ts; redesign declared below).
      tol: 0.1,
      title: 'The ensemble covariance converges to the NTK Gaussian-process covariance',
      tex:
        String.raw`\mathrm{Cov}[f_t(x), f_t(x')] \to K(x,x') + A(x) K(X,X) A(x')^{\top} - A(x) K(X,x') ` +
        String.raw`- A(x') K(X,x)`,
      hypotheses: ['ntk-param', 'smooth', 'lr', 'data'],
      source: 'Lee et al. 2019, Section 2.3, eq. (16)',
      theorem: true,
      standing: 'conjecture',
      arm: 'ensemble',
      observable: 'ensembleCovariance',
    },
    {
      id: 'eigen-decay',
      kind: 'limit',
      exponent: -0.5,
      tol: 0.15,
      title: 'The training residual decays along the NTK eigenvectors at rates (1 - eta lambda_i / m)^t',
      tex:
        String.raw`\sup_t \frac{\lVert P_{4}\,(r_t - (I - \eta\Theta_\infty/m)^t r_0) \rVert}{\lVert ` +
        String.raw`r_0 \rVert} \to 0`,
      hypotheses: ['ntk-param', 'smooth', 'lr', 'data'],
      source: 'Jacot, Gabriel & Hongler 2018, Section 5',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'eigenDecayError',
    },
  ],
  ablations: [
    {
      id: 'lr-catapult',
      label: 'rate 2.5 m / λmax',
      title: "Learning rate 2.5 m / lambda_max: above the linear model's stability limit, inside the catapult window",
      violates: ['lr'],
      baseArm: 'tanh',
      arm: 'tanh-lr',
      description:
        'The linear model diverges along the top eigenvector (|1 - eta lambda_max / m| = 1.5 ' +
        '> 1). A wide network need not: for 2 < eta lambda_max / m < ~4 its loss first ' +
        'grows, ' +
        ('the NTK shrinks until the step is stable, and training converges (Lewkowycz et al. ' +
          '2020, the catapult phase). The network leaves its linearization: the gap no longer ' +
          'vanishes.'),
      why:
        "Lee et al.'s theorem needs a step below the linear model's stability limit 2 m / lambda_max; above it " +
        'the linear model diverges along the top eigenvector while the network escapes by shrinking its kernel ' +
        '(the catapult), so the two part ways.',
      shownIn:
        'Network against its linearization during training: rms gap of the test outputs at the checkpoints t = kT/8',
    },
    {
      id: 'lr-divergent',
      label: 'rate 5 m / λmax',
      title: 'Learning rate 5 m / lambda_max, beyond the catapult window',
      violates: ['lr'],
      baseArm: 'tanh',
      arm: 'tanh-lr-5',
      description:
        'The linear model grows by |1 - 5| = 4 per step and the network diverges too: every training claim is invalid.',
      why:
        'At 5 m / lambda_max the step is beyond the catapult window too: the network cannot shrink its kernel ' +
        'enough to become stable, so it diverges with its linearization and no training claim has data.',
    },
    {
      id: 'standard-fixed-lr',
      label: 'SP at a fixed rate',
      title: 'Standard parametrization with a width-independent learning rate',
      violates: ['ntk-param', 'lr'],
      baseArm: 'tanh',
      arm: 'tanh-standard',
      description:
        'W ~ N(0, sigma_w^2 / n) and the learning rate of the smallest width at every width: ' +
        'eta lambda_max / m grows like n, training leaves the linear regime (catapult) or ' +
        'diverges.',
      why:
        'In the standard parametrization lambda_max grows like n, so a rate fixed at the smallest width crosses ' +
        "the linear model's stability limit as the width grows, and the network leaves its linearization.",
    },
  ],
  figures: [
    {
      kind: 'sweep-curves',
      title:
        'Network against its linearization during training: rms gap of the test outputs at the checkpoints t = kT/8',
      arms: TRAJECTORY_ARMS,
      x: { label: 'checkpoint k (step t = kT/8)', values: checkpoints, observables: checkpoints.map(gapAtCheckpoint) },
      yLabel: 'rms gap to the linearized model (test points)',
    },
    {
      kind: 'sweep-curves',
      title: 'Training loss of the network at the checkpoints, with its linearization (mean over every width)',
      arms: TRAJECTORY_ARMS,
      x: {
        label: 'checkpoint k (step t = kT/8)',
        values: checkpoints,
        observables: checkpoints.map(networkLossAtCheckpoint),
      },
      yLabel: 'training loss L(t)',
      extra: [{ label: 'linearization', observables: checkpoints.map(linearLossAtCheckpoint) }],
    },
    {
      kind: 'ensemble-gp',
      title:
        'Trained ensemble against the Gaussian process of the linearized dynamics (Lee et al. 2019, Figure 1 style): ' +
        'over training time, at every test point, and across widths',
      arm: 'ensemble',
      claim: 'gp-mean',
      covarianceClaim: 'gp-covariance',
      prefix: 'f:',
      timePrefix: 'ft:',
    },
  ],
  experiment:
    'As ntk-constancy: two hidden layers, sigma_w^2 = 1.5 (tanh, erf) or 2 (relu), ' +
    'sigma_b^2 = 0.1, 16 training and 16 test points on S^7, target ' +
    ('x_1 + x_2 x_3 - sin(2 x_4)/2, eta = 1 / lambda_max(Theta_0 / m), T steps, network ' +
      'and linear model compared at 8 checkpoints. The ensemble arm trains ') +
    ('independent networks with the fixed rate eta = m / lambda_max(Theta_inf) and ' +
      'compares mean and covariance of f_T on the test points with the closed-form ' +
      'Gaussian process, ') +
    'subtracting the ensemble noise (tr Cov / E for the mean, its Gaussian expectation for the covariance). ' +
    'Design history, declared: gp-covariance was first judged by a percentile bootstrap of the truncated distance ' +
    "(covering 62% in issue 23's calibration) on 256-768 networks, inconclusive. It is now judged by a " +
    'bootstrap-t at the tolerance boundary, calibrated on synthetic Gaussian ensembles before any network was run ' +
    'for it (docs/calibration-gp-covariance.md), with 512 networks per look (up to 1536), and the whole theorem is ' +
    'judged on fresh seeds (verify --first-seed 5000), which no earlier design had seen.',
  armLabels: {
    tanh: 'tanh',
    erf: 'erf',
    relu: 'relu',
    'tanh-lr': 'tanh, rate 2.5 m / λmax',
    'tanh-lr-5': 'tanh, rate 5 m / λmax',
    'tanh-standard': 'tanh, standard parametrization, fixed rate',
    ensemble: 'ensemble of tanh networks',
  },
  observableLabels: {
    linGapTest: 'test gap to the linearized model (rms)',
    paramDistance: 'parameter distance ‖θ_T − θ₀‖',
    weightChangeHidden: 'hidden n×n weights: relative change',
    weightChangeReadout: 'readout weights: relative change',
    ensembleMean: 'ensemble mean: distance to the GP mean',
    ensembleCovariance: 'ensemble covariance: distance to the GP',
    eigenDecayError: 'residual along NTK eigenvectors: error',
  },
};
