/** ntk-constancy: the NTK is deterministic at initialization and constant during training (Jacot et al. 2018). */
import type { ClaimOf, Statement } from '../../src/verify/claims.ts';
import { DYER_GUR_ARI_2019, HUANG_YAU_2019, JACOT_2018, LEE_2019 } from '../sources.ts';

/** The arms this theorem runs. */
export type Arm = 'tanh' | 'erf' | 'relu' | 'tanh-standard' | 'circle';
/** What its cells return: the compiler holds the statement, the cells and the judges to these names. */
export type Observable =
  | 'ntkInitDeviation'
  | 'lambdaMax'
  | 'learningRate'
  | 'etaTimesLambdaMax'
  | ReturnType<typeof lossAtCheckpoint>
  | ReturnType<typeof ntkChangeAtCheckpoint>
  | 'initialTrainLoss'
  | 'finalTrainLoss'
  | 'ntkChange'
  | 'weightChangeInput'
  | 'weightChangeHidden'
  | 'weightChangeReadout'
  | 'sliceInitDeviation'
  | 'sliceChange';

const TOL = 0.15;

/** The training run is inspected at CHECKPOINTS evenly spaced steps, the last at T. */
export const CHECKPOINTS = 8;
/** Observables of the trajectory: the training loss at checkpoint k (k = 0 is initialization) and the NTK change at it.
 * */
export const lossAtCheckpoint = (k: number) => `trainLoss:${k}` as const;
export const ntkChangeAtCheckpoint = (k: number) => `ntkChange:${k}` as const;
const checkpoints = (from: number) => Array.from({ length: CHECKPOINTS + 1 - from }, (_, j) => j + from);

const rate = (
  c: Omit<ClaimOf<'rate', Arm, Observable>, 'kind' | 'tol'> & { tol?: number },
): ClaimOf<'rate', Arm, Observable> => ({ kind: 'rate', tol: TOL, ...c });

const NTK_CHANGE =
  String.raw`\Delta\Theta(n) = \sup_{t \le T} \frac{\lVert \Theta_t - \Theta_0 \rVert_F}{\lVert ` +
  String.raw`\Theta_0 \rVert_F}`;

export const statement: Statement<Arm, Observable> = {
  id: 'ntk-constancy',
  title: 'The neural tangent kernel is deterministic at initialization and constant during training',
  summary:
    'In the infinite-width limit under the NTK parametrization, the empirical NTK ' +
    'converges to a deterministic kernel at initialization ' +
    ('(Jacot et al. Theorem 1) and stays equal to it during gradient descent (Theorem 2). ' +
      'At finite width the fluctuation at initialization ') +
    ('is of order n^{-1/2}; the change during training is proven O(n^{-1/2}) (Lee et al. ' +
      '2019) and O(n^{-1}) up to logarithms for smooth ') +
    'activations (Huang & Yau 2019, conjectured by Dyer & Gur-Ari 2019).',
  sources: [
    JACOT_2018('Theorems 1 and 2'),
    LEE_2019('Theorem 2.1 and Appendix G'),
    DYER_GUR_ARI_2019('Conjecture 1 and Section 3'),
    HUANG_YAU_2019('Theorem 2.3 (NTH truncation)'),
  ],
  hypotheses: [
    {
      id: 'ntk-param',
      text: 'NTK parametrization: z = (sigma_w / sqrt(n)) W h + sigma_b b with W, b ~ N(0, 1).',
      tex:
        String.raw`z^{l} = \tfrac{\sigma_w}{\sqrt{n_{l-1}}} W^{l} h^{l-1} + \sigma_b b^{l},\ W, b \sim ` +
        String.raw`\mathcal N(0, 1)`,
    },
    { id: 'lipschitz', text: 'The activation is Lipschitz.', tex: String.raw`|\phi(x) - \phi(y)| \le C |x - y|` },
    {
      id: 'smooth',
      text:
        'The activation is twice differentiable with bounded second derivative (Jacot ' +
        'Theorem 2; Lee et al.; Huang & Yau need smoothness).',
      tex: String.raw`\phi \in C^2,\ \sup |\phi''| < \infty`,
    },
    {
      id: 'bias',
      text: 'A bias is present (beta > 0 in Jacot et al.), so the limiting kernel is positive-definite on the data.',
      tex: String.raw`\sigma_b^2 > 0`,
    },
    {
      id: 'lr',
      text: 'The learning rate is below 2 / lambda_max of the Gram matrix Theta / m, so gradient descent is stable.',
      tex: String.raw`\eta < 2 / \lambda_{\max}(\Theta / m)`,
    },
    {
      id: 'sphere',
      text: 'Inputs on the unit sphere, a fixed finite training set, square loss.',
      tex: String.raw`\lVert x \rVert = 1,\ L = \tfrac{1}{2m}\sum_i (f(x_i) - y_i)^2`,
    },
  ],
  conventions:
    'Jacot et al. count layers 0..L with L >= 2 meaning at least one hidden layer; our ' +
    'depth counts hidden layers, and the experiment uses 2 hidden ' +
    ('layers (Jacot L = 3). Lee et al. and Huang & Yau use the NTK parametrization as in ' +
      'DESIGN.md. The NTK is the full Gram over 16 training and 16 test points.'),
  claims: [
    rate({
      id: 'init-concentration',
      label: 'NTK at initialization, tanh',
      title: 'At initialization the empirical NTK concentrates at rate n^{-1/2}',
      tex:
        String.raw`\frac{\lVert \Theta_0 - \Theta_\infty \rVert_F}{\lVert \Theta_\infty \rVert_F} = ` +
        String.raw`\Theta\!\left(n^{-1/2}\right)`,
      hypotheses: ['ntk-param', 'lipschitz'],
      source:
        'Jacot, Gabriel & Hongler 2018, Theorem 1 proves the convergence without a rate; the ' +
        'rate n^{-1/2} is Dyer & Gur-Ari 2019, Conjecture 1 (correlation functions O(1/n)); ' +
        'Hanin & Nica 2019 prove it for the relu NTK diagonal only',
      theorem: true,
      standing: 'conjecture',
      arm: 'tanh',
      observable: 'ntkInitDeviation',
      mode: 'tight',
      exponent: -0.5,
    }),
    rate({
      id: 'change-vanishes',
      label: 'NTK change, tanh',
      title: 'During training the NTK change vanishes as the width grows',
      tex: `${NTK_CHANGE} = o(1)`,
      hypotheses: ['ntk-param', 'lipschitz', 'smooth', 'bias', 'lr', 'sphere'],
      source:
        'Jacot, Gabriel & Hongler 2018, Theorem 2 (constant kernel in the infinite-width ' +
        'limit, for a fixed training time)',
      theorem: true,
      standing: 'proven',
      arm: 'tanh',
      observable: 'ntkChange',
      mode: 'vanishes',
      exponent: 0,
    }),
    rate({
      id: 'change-lee-bound',
      label: 'NTK change, tanh (proven bound)',
      title: 'The NTK change is O(n^{-1/2}) (the proven bound)',
      tex: String.raw`${NTK_CHANGE} = O\!\left(n^{-1/2}\right)`,
      hypotheses: ['ntk-param', 'lipschitz', 'smooth', 'lr', 'sphere'],
      source: 'Lee et al. 2019, Theorem 2.1',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'ntkChange',
      mode: 'upper',
      exponent: -0.5,
    }),
    rate({
      id: 'change-smooth-tanh',
      label: 'NTK change, tanh',
      title: 'For a smooth activation (tanh) the NTK change is O(n^{-1})',
      tex: String.raw`${NTK_CHANGE} = O\!\left(n^{-1}\right),\ \phi = \tanh`,
      hypotheses: ['ntk-param', 'lipschitz', 'smooth', 'lr', 'sphere'],
      source:
        'Dyer & Gur-Ari 2019, Conjecture 1 (any inputs); Huang & Yau 2019, Theorem 2.3 ' +
        'proves O((log n)^c / n) on the training points of a network without bias, narrower ' +
        'than this experiment (test points in the Gram, sigma_b^2 = 0.1)',
      theorem: true,
      standing: 'conjecture',
      arm: 'tanh',
      observable: 'ntkChange',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'change-smooth-erf',
      label: 'NTK change, erf',
      title: 'For a smooth activation (erf) the NTK change is O(n^{-1})',
      tex: String.raw`${NTK_CHANGE} = O\!\left(n^{-1}\right),\ \phi = \operatorname{erf}`,
      hypotheses: ['ntk-param', 'lipschitz', 'smooth', 'lr', 'sphere'],
      source:
        'Dyer & Gur-Ari 2019, Conjecture 1 (any inputs); Huang & Yau 2019, Theorem 2.3 ' +
        'proves O((log n)^c / n) on the training points of a network without bias, narrower ' +
        'than this experiment (test points in the Gram, sigma_b^2 = 0.1)',
      theorem: true,
      standing: 'conjecture',
      arm: 'erf',
      observable: 'ntkChange',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'change-relu-exploratory',
      label: 'NTK change, relu (exploratory)',
      title: 'relu (outside the smoothness hypothesis): does the NTK change still decay like n^{-1}?',
      tex: String.raw`${NTK_CHANGE} \overset{?}{=} O\!\left(n^{-1}\right),\ \phi = \mathrm{relu}`,
      hypotheses: ['ntk-param', 'lipschitz', 'lr', 'sphere'],
      source:
        'not a theorem: Dyer & Gur-Ari 2019 fit slopes near -1 empirically; non-smooth ' +
        'activations flip neurons near zero',
      standing: 'conjecture',
      theorem: false,
      arm: 'relu',
      observable: 'ntkChange',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'weights-hidden',
      label: 'hidden weights, relative change',
      title: 'Hidden n x n layer: relative weight change n^{-1}',
      tex: String.raw`\frac{\lVert W^{2}_T - W^{2}_0 \rVert_F}{\lVert W^{2}_0 \rVert_F} = O\!\left(n^{-1}\right)`,
      hypotheses: ['ntk-param', 'lr', 'sphere'],
      source:
        'Lee et al. 2019, Theorem G.1 (an upper bound: parameters move O(1) in total; that ' +
        'the bound is attained is not proven)',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'weightChangeHidden',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'weights-input',
      label: 'input weights, relative change',
      title: 'Input layer: relative weight change n^{-1/2}',
      tex: String.raw`\frac{\lVert W^{1}_T - W^{1}_0 \rVert_F}{\lVert W^{1}_0 \rVert_F} = O\!\left(n^{-1/2}\right)`,
      hypotheses: ['ntk-param', 'lr', 'sphere'],
      source:
        'Lee et al. 2019, Theorem G.1 (an upper bound: parameters move O(1) in total; that ' +
        'the bound is attained is not proven)',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'weightChangeInput',
      mode: 'upper',
      exponent: -0.5,
    }),
    rate({
      id: 'weights-readout',
      label: 'readout weights, relative change',
      title: 'Readout layer: relative weight change n^{-1/2}',
      tex: String.raw`\frac{\lVert W^{3}_T - W^{3}_0 \rVert_F}{\lVert W^{3}_0 \rVert_F} = O\!\left(n^{-1/2}\right)`,
      hypotheses: ['ntk-param', 'lr', 'sphere'],
      source:
        'Lee et al. 2019, Theorem G.1 (an upper bound: parameters move O(1) in total; that ' +
        'the bound is attained is not proven)',
      theorem: true,
      standing: 'proven-bound',
      arm: 'tanh',
      observable: 'weightChangeReadout',
      mode: 'upper',
      exponent: -0.5,
    }),
  ],
  ablations: [
    {
      id: 'relu',
      label: 'relu',
      title: 'relu instead of tanh (non-smooth: outside Theorem 2 and Huang & Yau)',
      violates: ['smooth'],
      baseArm: 'tanh',
      arm: 'relu',
      description:
        'Same experiment with relu (sigma_w^2 = 2). Lipschitz but not differentiable at 0: ' +
        'neurons whose pre-activation crosses zero during training change the kernel ' +
        'discontinuously.',
      why:
        "Jacot et al. bound the kernel's motion through the activation's second derivative; relu has none, and " +
        'every neuron whose pre-activation changes sign moves the kernel by a jump, so the change can fall more ' +
        'slowly than n^-1 (between n^-1 and n^-1/2).',
      shownIn: 'ntkChange',
    },
    {
      id: 'standard-fixed-lr',
      label: 'SP at a fixed rate',
      title: 'Standard parametrization with a width-independent learning rate',
      violates: ['ntk-param', 'lr'],
      baseArm: 'tanh',
      arm: 'tanh-standard',
      description:
        'W ~ N(0, sigma_w^2 / n), the learning rate fixed at 1 / lambda_max(Theta / m) of ' +
        'the smallest width. The standard-parametrization NTK grows like n, ' +
        'so eta lambda_max / m grows like n / n_min and passes 2: gradient descent diverges at the larger widths.',
      why:
        'The proof needs a step eta lambda_max / m below 2 at every width; in the standard parametrization ' +
        'lambda_max grows like n, so a rate fixed at the smallest width crosses 2 as the width grows and gradient ' +
        'descent diverges.',
      shownIn: 'Training loss L(t) at the checkpoints t = kT/8',
    },
  ],
  figures: [
    {
      kind: 'kernel-slice',
      title: 'The NTK along the unit circle, Theta(x_0, x(gamma)) with x_0 = (1, 0), at two widths and two times',
      arm: 'circle',
      detail: 'slice',
      xLabel: 'gamma (x = (cos gamma, sin gamma))',
      yLabel: 'Theta(x_0, x(gamma))',
      line: { one: 'one network', many: 'networks' },
      after: 'Jacot et al. 2018, Figure 1',
    },
    {
      kind: 'sweep-curves',
      title: String.raw`Training loss L(t) at the checkpoints t = kT/8`,
      arms: ['tanh', 'erf', 'relu', 'tanh-standard'],
      x: {
        label: 'checkpoint k (step t = kT/8)',
        values: checkpoints(0),
        observables: checkpoints(0).map(lossAtCheckpoint),
      },
      yLabel: 'training loss L(t)',
    },
    {
      kind: 'sweep-curves',
      title:
        'Relative NTK change (the Frobenius norm of Theta_t - Theta_0 over that of Theta_0) ' +
        'at the checkpoints t = kT/8',
      arms: ['tanh', 'erf', 'relu', 'tanh-standard'],
      x: {
        label: 'checkpoint k (step t = kT/8)',
        values: checkpoints(1),
        observables: checkpoints(1).map(ntkChangeAtCheckpoint),
      },
      yLabel: 'relative NTK change',
    },
  ],
  experiment:
    'Two hidden layers of width n, NTK parametrization, sigma_w^2 = 1.5 (tanh, erf) or 2 ' +
    '(relu), sigma_b^2 = 0.1; 16 training and 16 test points uniform on S^7; ' +
    ('targets y = x_1 + x_2 x_3 - sin(2 x_4) / 2; full-batch gradient descent on (1/2m) ' +
      'sum (f - y)^2 with eta = 1 / lambda_max(Theta_0 / m) of each network, ') +
    ('T steps; the empirical NTK on all 32 points is recomputed at 8 evenly spaced steps ' +
      'and the supremum of its relative change is recorded. ') +
    ("Arm circle draws Jacot et al.'s Figure 1 in this setting (no claim is judged on it): three hidden relu " +
      'layers (their L = 4) of width 512 and 8192 (theirs: 500 and 10,000), ten networks each, trained the same way ' +
      'for T steps on 4 points of the unit circle (targets y = x_1 + x_1 x_2); Theta(x_0, x(gamma)) on 61 points ' +
      'of the circle at initialization and after training, beside the limiting NTK.'),
  observableLabels: {
    ntkInitDeviation: 'NTK at initialization: ‖Θ₀ − Θ‖ / ‖Θ‖',
    ntkChange: 'NTK change in training: ‖Θₜ − Θ₀‖ / ‖Θ₀‖',
    weightChangeHidden: 'hidden n×n weights: relative change',
    weightChangeInput: 'input weights: relative change',
    weightChangeReadout: 'readout weights: relative change',
    sliceInitDeviation: 'largest gap to the limiting NTK along the circle at initialization',
    sliceChange: 'largest change of the NTK along the circle in training',
  },
  armLabels: {
    tanh: 'tanh',
    erf: 'erf',
    relu: 'relu',
    'tanh-standard': 'tanh, standard parametrization, fixed rate',
    circle: 'relu on the circle (Jacot et al. Fig. 1)',
  },
};
