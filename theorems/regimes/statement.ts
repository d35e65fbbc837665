/** regimes: lazy, NTK, mean-field and muP, where the kernel regime ends (Yang & Hu; Chizat, Oyallon & Bach). */
import type { ClaimOf, Statement } from '../../src/verify/claims.ts';
import {
  BARATIN_2021,
  CHIZAT_BACH_2018,
  CHIZAT_OYALLON_BACH_2019,
  LEE_2019,
  MEI_MONTANARI_NGUYEN_2018,
  YANG_2022,
  YANG_HU_2021,
} from '../sources.ts';

const TOL = 0.15;

/** The arms: parametrizations, the lazy-alpha sweep and the learning-rate sweeps (check.ts, ARMS). */
export type Arm =
  'ntk' | 'mup' | 'mup-sp-readout' | 'sp' | 'sp-stable' | 'mean-field' | 'lazy' | 'mup-lr' | 'sp-lr' | 'abc';
/** What a cell returns (the compiler holds the statement, the cells and the judges to these names). */
export type Observable =
  | 'learningRate'
  | 'initialTrainLoss'
  | 'finalTrainLoss'
  | 'alignmentInit'
  | 'alignmentFinal'
  | 'alignmentGain'
  | 'alignmentChange'
  | 'ntkChange'
  | ReturnType<typeof coordObservable>
  | 'distanceToLinear'
  | 'lazyNtkChange'
  | ReturnType<typeof lossAtRate>
  | 'divergedRates'
  | 'optimalLog2Rate'
  | 'optimalLearningRate'
  | 'baseLearningRate';

type Rate = ClaimOf<'rate', Arm, Observable>;
const rate = (c: Omit<Rate, 'kind' | 'tol'> & { tol?: number }): Rate => ({ kind: 'rate', tol: TOL, ...c });

/** The coordinate-check observables: mean |z_t - z_0| of a layer's pre-activations after t steps. */
export const COORD_LAYERS = ['z1', 'z2', 'f'] as const;
export type CoordLayer = (typeof COORD_LAYERS)[number];
export const COORD_STEPS = [1, 2, 3, 4] as const;
export const coordObservable = (layer: CoordLayer, step: number) => `d${layer}_t${step}` as const;

/**
 * log2(eta / eta_0) of the learning-rate sweep: -7, -6.5, ..., 3. It brackets the catapult bound eta < 4 / lambda_max
 * (log2 = 2, Lewkowycz et al. 2020) by a doubling above, and the standard parametrization's stable rate eta_0 n0 / n at
 * the largest width (log2 = -5 at n = 2048) by two below.
 */
export const LR_GRID = Array.from({ length: 21 }, (_, k) => -7 + k / 2);

/** The lazy arm's cells store 8 alpha as their width (alpha = 1/8, ..., 8). */
export const LAZY_ALPHA_PER_WIDTH = 1 / 8;

export const lossAtRate = (log2Rate: number) => `lossAtLog2Rate${log2Rate >= 0 ? '+' : ''}${log2Rate}` as const;

const DZ = (l: string, t: number | string) =>
  String.raw`\overline{|\Delta z^{${l}}_{${t}}|} = \operatorname{mean}_{i,x} \big| ` +
  String.raw`z^{${l}}_{t,i}(x) - z^{${l}}_{0,i}(x) \big|`;
const DF = (t: number | string) =>
  String.raw`\overline{|\Delta f_{${t}}|} = \operatorname{mean}_x \big| f_{${t}}(x) - f_0(x) \big|`;
const NTK_CHANGE =
  String.raw`\Delta\Theta = \sup_{t \le T} \lVert \Theta_t - \Theta_0 \rVert_F / \lVert \Theta_0 ` +
  String.raw`\rVert_F`;
const ALIGN = String.raw`A(\Theta) = \frac{y^\top \Theta y}{\lVert \Theta \rVert_F \lVert y \rVert^2}`;

/** What legends and panel titles call each arm. */
const ARM_LABELS: Record<Arm, string> = {
  abc: 'abc exponents',
  ntk: 'NTK',
  mup: 'μP',
  'mup-sp-readout': 'μP, SP readout',
  sp: 'SP, fixed rate',
  'sp-stable': 'SP, rate ∝ 1/n',
  'mean-field': 'mean field',
  lazy: 'lazy scaling α',
  'mup-lr': 'μP, rate sweep',
  'sp-lr': 'SP, rate sweep',
};

const dichotomy: ClaimOf<'classification', Arm, Observable> = {
  kind: 'classification',
  id: 'dichotomy',
  title: 'Every stable parametrization in the sweep either learns features or keeps its kernel fixed, never both',
  tex:
    String.raw`\forall\,\text{arm}:\ \Delta\Theta = \Theta(1)\ \text{(feature ` +
    String.raw`learning)}\ \ \veebar\ \ \Delta\Theta = o(1)\ \text{(kernel regime)}`,
  hypotheses: ['abc', 'smooth', 'fixed-steps', 'stable'],
  source:
    'Yang & Hu 2021, the Dynamical Dichotomy theorem (Section 3): a stable, nontrivial ' +
    'abc-parametrization either admits feature learning or has a kernel limit, not both',
  theorem: true,
  standing: 'proven',
  arm: 'ntk',
  arms: ['ntk', 'mup', 'mean-field', 'sp-stable'],
  observable: 'ntkChange',
  classes: [
    { id: 'feature-learning', title: 'feature learning Theta(1)', mode: 'tight', exponent: 0, tol: TOL },
    { id: 'kernel', title: 'kernel regime o(1)', mode: 'vanishes', exponent: 0, tol: TOL },
  ],
};

export const statement: Statement<Arm, Observable> = {
  id: 'regimes',
  title: 'Lazy, NTK, mean-field and muP: where the kernel regime ends',
  summary:
    'Scaling rules decide what an infinitely wide network learns. Under the NTK ' +
    'parametrization (and the standard one with its stable rate eta ~ 1/n) ' +
    ('the features move by O(n^{-1/2}) per coordinate and the tangent kernel stays fixed; ' +
      'under muP (Yang & Hu 2021) and the two-layer mean-field ') +
    ('parametrization every layer moves by Theta(1) and the kernel moves with it, ' +
      'aligning with the target. The standard parametrization at a ') +
    ('width-independent rate is unstable, its first update growing like n. Yang & Hu ' +
      'prove that no stable parametrization does both: it learns ') +
    ('features or stays a kernel method (the Dynamical Dichotomy). Chizat, Oyallon & Bach ' +
      'show that lazy training is a matter of scale: fitting ') +
    ('alpha (f - f_0) with rate eta / alpha^2 keeps any model within O(1/alpha) of its ' +
      'linearization. Under muP the best learning rate found at ') +
    'one width stays best at others (Tensor Programs V); under the standard parametrization it drifts.',
  sources: [
    YANG_HU_2021(
      'the abc-parametrizations, the stability and feature-learning conditions, the ' +
        'Dynamical Dichotomy theorem, muP (Sections 3 and 5)',
    ),
    YANG_2022('Table 3 (muP for SGD), the coordinate check (Appendix D), learning-rate transfer in MLPs'),
    CHIZAT_OYALLON_BACH_2019('Section 2, the finite-horizon bounds between the lazy and the linearized trajectories'),
    MEI_MONTANARI_NGUYEN_2018('the two-layer mean-field parametrization and its gradient-descent time scale'),
    CHIZAT_BACH_2018('the two-layer mean-field limit'),
    LEE_2019('Theorem 2.1 (the NTK regime as a linear model)'),
    BARATIN_2021('kernel-target alignment grows during feature learning (empirical)'),
  ],
  hypotheses: [
    {
      id: 'abc',
      text:
        'A multilayer perceptron whose layers are scaled by an abc-parametrization ' +
        '(multiplier n^-a, initial standard deviation n^-b, learning rate eta n^-c), trained ' +
        'by full-batch gradient descent with a width-independent base rate eta.',
      tex:
        String.raw`W^l = n^{-a_l} w^l,\ w^l_{ij} \sim \mathcal N(0, n^{-2 b_l}),\ \Delta w^l = -\eta\, ` +
        String.raw`n^{-c_l} \nabla_{w^l} L`,
    },
    {
      id: 'smooth',
      text: 'A smooth activation (tanh): the Tensor Programs master theorem needs pseudo-Lipschitz nonlinearities.',
      tex: String.raw`\phi = \tanh`,
    },
    {
      id: 'fixed-steps',
      text: 'A fixed number of steps t while the width n grows (the limits are at fixed t).',
      tex: String.raw`t \text{ fixed},\ n \to \infty`,
    },
    {
      id: 'stable',
      text:
        'A stable parametrization: no pre-activation or output grows with width during ' +
        'training (muP, NTK, standard with eta ~ 1/n, mean-field).',
      tex: String.raw`\Delta z^l_t,\ \Delta f_t = O(1)`,
    },
    {
      id: 'mup-readout',
      text:
        'muP scales the readout by 1/n (multiplier 1/w with weights of standard deviation ' +
        'sigma_w / sqrt(n0)), its learning rate by w.',
      tex: String.raw`f = \tfrac{1}{w} v^\top h^L,\ w = n / n_0`,
    },
    {
      id: 'one-hidden',
      text: 'The mean-field parametrization is for two-layer networks (one hidden layer).',
      tex: String.raw`L = 1`,
    },
    {
      id: 'lazy-scale',
      text:
        'Lazy scaling: the model alpha (f(theta) - f(theta_0)) is fitted with learning rate ' +
        'eta / alpha^2, at a fixed width.',
      tex: String.raw`h_\alpha = \alpha (f_\theta - f_{\theta_0}),\ \eta_\alpha = \eta / \alpha^2`,
    },
    {
      id: 'data',
      text: '16 training and 16 test points uniform on the unit sphere S^7, square loss (1/2m) sum (f - y)^2.',
      tex: String.raw`\lVert x \rVert = 1`,
    },
  ],
  conventions:
    'Widths n of the hidden layers; muP and mean-field are anchored at the base width n0 ' +
    '= 64 (w = n / n0), where muP is the standard parametrization exactly, ' +
    ('as in microsoft/mup. Yang & Hu and Tensor Programs V analyse SGD; full-batch ' +
      'gradient descent is the special case of one batch. The tangent kernel of a ') +
    ('parametrization with per-layer learning rates is the one gradient descent follows, ' +
      'Theta = sum_l c_l J_l J_l^T (c_l the layer rate multipliers), ') +
    ('so that df = -eta Theta (f - y) / m in every parametrization. Depth counts hidden ' +
      'layers (two, except the mean-field and lazy arms: one).'),
  claims: [
    // The theorem the others illustrate (Yang & Hu's Dynamical Dichotomy) leads.
    dichotomy,
    rate({
      id: 'coord-ntk',
      label: 'z2 change per coordinate, NTK',
      title: 'NTK parametrization: the hidden n x n layer pre-activations move by Theta(n^{-1/2}) per coordinate',
      tex: `${DZ('2', 4)} = \\Theta\\!\\left(n^{-1/2}\\right)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'data'],
      source:
        'Yang & Hu 2021, Section 3 (NTK parametrization: Delta z = Theta(n^{-1/2}), the ' +
        'kernel regime); Lee et al. 2019, Theorem 2.1',
      theorem: true,
      standing: 'proven',
      arm: 'ntk',
      observable: coordObservable('z2', 4),
      mode: 'tight',
      exponent: -0.5,
    }),
    rate({
      id: 'coord-ntk-z1',
      label: 'z1 change per coordinate, NTK',
      title: 'NTK parametrization: the first layer pre-activations move by Theta(n^{-1/2}) per coordinate',
      tex: `${DZ('1', 4)} = \\Theta\\!\\left(n^{-1/2}\\right)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'data'],
      source: 'Yang & Hu 2021, Section 3',
      theorem: true,
      standing: 'proven',
      arm: 'ntk',
      observable: coordObservable('z1', 4),
      mode: 'tight',
      exponent: -0.5,
    }),
    rate({
      id: 'coord-mup',
      label: 'z2 change per coordinate, μP',
      title: 'muP: the hidden n x n layer pre-activations move by Theta(1) per coordinate (width-independent)',
      tex: `${DZ('2', 4)} = \\Theta(1)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'mup-readout', 'data'],
      source:
        'Yang & Hu 2021, muP is the unique stable parametrization in which every layer ' +
        'learns features maximally (Section 5); Tensor Programs V, the coordinate check ' +
        '(Appendix D)',
      theorem: true,
      standing: 'proven',
      arm: 'mup',
      observable: coordObservable('z2', 4),
      mode: 'tight',
      exponent: 0,
    }),
    rate({
      id: 'coord-mup-z1',
      label: 'z1 change per coordinate, μP',
      title: 'muP: the first layer pre-activations move by Theta(1) per coordinate',
      tex: `${DZ('1', 4)} = \\Theta(1)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'mup-readout', 'data'],
      source: 'Yang & Hu 2021, Section 5 (muP)',
      theorem: true,
      standing: 'proven',
      arm: 'mup',
      observable: coordObservable('z1', 4),
      mode: 'tight',
      exponent: 0,
    }),
    rate({
      id: 'coord-mup-output',
      label: 'output change, μP',
      title: 'muP: the output moves by Theta(1)',
      tex: `${DF(4)} = \\Theta(1)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'mup-readout', 'data'],
      source: 'Yang & Hu 2021, Section 5 (muP is stable and nontrivial: the function changes by Theta(1))',
      theorem: true,
      standing: 'proven',
      arm: 'mup',
      observable: coordObservable('f', 4),
      mode: 'tight',
      exponent: 0,
    }),
    rate({
      id: 'coord-sp',
      label: 'first output update, SP fixed rate',
      title:
        'Standard parametrization at a width-independent rate: the first update of the output grows like n (unstable)',
      tex: `${DF(1)} = \\Theta(n)`,
      hypotheses: ['abc', 'smooth', 'data'],
      source:
        'Yang & Hu 2021, Section 3 (the standard parametrization is unstable at a learning ' +
        'rate Theta(1)); the exponent is their first-step computation: ' +
        'the readout gradient has Theta(1) coordinates, so Delta v . h = -eta r |h|^2 / m = Theta(n)',
      theorem: true,
      standing: 'proven',
      arm: 'sp',
      observable: coordObservable('f', 1),
      mode: 'tight',
      exponent: 1,
    }),
    rate({
      id: 'coord-sp-hidden',
      label: 'first z2 update, SP fixed rate',
      title:
        'Standard parametrization at a width-independent rate: the first update of the ' +
        'hidden n x n pre-activations grows like n^{1/2}',
      tex: `${DZ('2', 1)} = \\Theta\\!\\left(n^{1/2}\\right)`,
      hypotheses: ['abc', 'smooth', 'data'],
      source:
        "Yang & Hu 2021, Section 3; first-step computation: Delta W^2 = -eta (v o phi') h^T " +
        '/ m has Theta(n^{-1/2}) coordinates, times |h|^2 = Theta(n)',
      theorem: true,
      standing: 'proven',
      arm: 'sp',
      observable: coordObservable('z2', 1),
      mode: 'tight',
      exponent: 0.5,
    }),
    rate({
      id: 'coord-sp-stable',
      label: 'z2 change per coordinate, SP rate ∝ 1/n',
      title:
        'Standard parametrization with eta ~ 1/n: the hidden pre-activations move by Theta(n^{-1/2}) (kernel regime)',
      tex: `${DZ('2', 4)} = \\Theta\\!\\left(n^{-1/2}\\right),\\ \\eta = \\eta_0 n_0 / n`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'stable', 'data'],
      source:
        'Yang & Hu 2021, Section 3 (the standard parametrization with its maximal stable ' +
        'rate Theta(1/n) is in the kernel regime)',
      theorem: true,
      standing: 'proven',
      arm: 'sp-stable',
      observable: coordObservable('z2', 4),
      mode: 'tight',
      exponent: -0.5,
    }),
    rate({
      id: 'kernel-moves-mup',
      label: 'NTK change, μP',
      title: 'muP: the tangent kernel moves by Theta(1) during training',
      tex: `${NTK_CHANGE} = \\Theta(1)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'stable', 'mup-readout', 'data'],
      source: 'Yang & Hu 2021, feature learning implies a kernel that evolves (Section 3, the Dynamical Dichotomy)',
      theorem: true,
      standing: 'proven',
      arm: 'mup',
      observable: 'ntkChange',
      mode: 'tight',
      exponent: 0,
    }),
    rate({
      id: 'kernel-moves-mean-field',
      label: 'NTK change, mean field',
      title: 'Mean-field (two layers): the tangent kernel moves by Theta(1) during training',
      tex: `${NTK_CHANGE} = \\Theta(1),\\ L = 1`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'stable', 'one-hidden', 'data'],
      source:
        'Mei, Montanari & Nguyen 2018; Chizat & Bach 2018 (the mean-field limit moves every ' +
        'neuron by Theta(1)); Yang & Hu 2021 (it is muP for one hidden layer)',
      theorem: true,
      standing: 'proven',
      arm: 'mean-field',
      observable: 'ntkChange',
      mode: 'tight',
      exponent: 0,
    }),
    rate({
      id: 'kernel-fixed-ntk',
      label: 'NTK change, NTK',
      title: 'NTK parametrization: the tangent kernel change vanishes',
      tex: `${NTK_CHANGE} = o(1)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'stable', 'data'],
      source:
        'Jacot et al. 2018, Theorem 2; Lee et al. 2019, Theorem 2.1 (the same observable as ' +
        'ntk-constancy, on this arm)',
      theorem: true,
      standing: 'proven',
      arm: 'ntk',
      observable: 'ntkChange',
      mode: 'vanishes',
      exponent: 0,
    }),
    rate({
      id: 'kernel-fixed-sp-stable',
      label: 'NTK change, SP rate ∝ 1/n',
      title: 'Standard parametrization with eta ~ 1/n: the tangent kernel change vanishes',
      tex: `${NTK_CHANGE} = o(1),\\ \\eta = \\eta_0 n_0 / n`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'stable', 'data'],
      source: 'Yang & Hu 2021, Section 3 (kernel regime)',
      theorem: true,
      standing: 'proven',
      arm: 'sp-stable',
      observable: 'ntkChange',
      mode: 'vanishes',
      exponent: 0,
    }),
    rate({
      id: 'alignment-mup',
      label: 'alignment gain, μP',
      title: 'muP: the kernel aligns with the target during training (the alignment gain stays Omega(1))',
      tex: `A(\\Theta_T) - A(\\Theta_0) = \\Omega(1),\\quad ${ALIGN}`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'stable', 'mup-readout', 'data'],
      source:
        'Baratin et al. 2021 (kernel-target alignment grows when features are learned; an ' +
        'empirical finding, no theorem)',
      theorem: true,
      standing: 'conjecture',
      arm: 'mup',
      observable: 'alignmentGain',
      mode: 'lower',
      exponent: 0,
    }),
    rate({
      id: 'alignment-ntk',
      label: 'alignment change, NTK',
      title: 'NTK parametrization: the alignment of the kernel with the target does not change in the limit',
      tex: `\\big|A(\\Theta_T) - A(\\Theta_0)\\big| = o(1)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'stable', 'data'],
      source:
        'a consequence of the constant kernel (Jacot et al. 2018, Theorem 2): A(Theta_T) - ' +
        'A(Theta_0) is bounded by a multiple of the kernel change',
      theorem: true,
      standing: 'proven',
      arm: 'ntk',
      observable: 'alignmentChange',
      mode: 'vanishes',
      exponent: 0,
    }),
    rate({
      id: 'lazy-alpha',
      label: 'NTK change, lazy',
      title: 'Lazy scaling: the tangent kernel changes by O(1/alpha)',
      tex:
        String.raw`\sup_{t \le T} \lVert \Theta_t - \Theta_0 \rVert_F / \lVert \Theta_0 \rVert_F = ` +
        String.raw`O\!\left(\alpha^{-1}\right)`,
      hypotheses: ['lazy-scale', 'smooth', 'fixed-steps', 'data'],
      source:
        'Chizat, Oyallon & Bach 2019, Section 2 (parameters move O(1/alpha) over a finite ' +
        'horizon, so does the Jacobian of a smooth model)',
      theorem: true,
      standing: 'proven-bound',
      arm: 'lazy',
      observable: 'lazyNtkChange',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'lazy-linear',
      label: 'distance to the linearized model, lazy',
      title: 'Lazy scaling: the trained model is within O(1/alpha) of the linearized one',
      tex: String.raw`\lVert h_\alpha(T) - h^{\mathrm{lin}}(T) \rVert / \lVert y \rVert = O\!\left(\alpha^{-1}\right)`,
      hypotheses: ['lazy-scale', 'smooth', 'fixed-steps', 'data'],
      source:
        'Chizat, Oyallon & Bach 2019, Section 2 (finite-horizon bound on the distance ' +
        'between the lazy and linearized trajectories)',
      theorem: true,
      standing: 'proven-bound',
      arm: 'lazy',
      observable: 'distanceToLinear',
      mode: 'upper',
      exponent: -1,
    }),
    rate({
      id: 'lr-transfer-mup',
      label: 'best learning rate, μP',
      title: 'muP: the learning rate that minimises the training loss after a fixed budget does not move with width',
      tex: String.raw`\eta^*(n) = \arg\min_\eta L_S(\eta; n) = \Theta(1)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'mup-readout', 'data'],
      source:
        'Yang et al. 2022 (Tensor Programs V), learning-rate transfer across widths in MLPs; ' +
        'an empirical finding motivated by the muP limit, not a theorem. ' +
        ('Tolerance 0.125: a drift of at most one grid step (half a doubling) over the full ' +
          "plan's 16-fold width range, the criterion of the issue that asked for the claim"),
      theorem: true,
      standing: 'conjecture',
      arm: 'mup-lr',
      observable: 'optimalLearningRate',
      mode: 'tight',
      exponent: 0,
      tol: 0.125,
    }),
    rate({
      id: 'lr-drift-sp',
      label: 'best learning rate, SP',
      title: 'Standard parametrization: the best learning rate shrinks at least like 1/n',
      tex: String.raw`\eta^*(n) = O\!\left(n^{-1}\right)`,
      hypotheses: ['abc', 'smooth', 'fixed-steps', 'data'],
      source:
        'Yang & Hu 2021, Section 3: the standard parametrization is stable only for eta = ' +
        'O(1/n), and a diverging rate cannot be the best one',
      theorem: true,
      standing: 'proven-bound',
      arm: 'sp-lr',
      observable: 'optimalLearningRate',
      mode: 'upper',
      exponent: -1,
    }),
  ],
  ablations: [
    {
      id: 'mup-without-readout-scaling',
      label: 'μP without readout scaling',
      title: 'muP without its readout scaling',
      violates: ['mup-readout', 'stable'],
      baseArm: 'mup',
      arm: 'mup-sp-readout',
      description:
        'Every layer as in muP except the readout, which is scaled as in the standard ' +
        'parametrization (multiplier 1, weights N(0, sigma_w^2 / n), rate eta). ' +
        ('The hidden layers then receive backpropagated signals of size n^{-1/2} with muP ' +
          'rates sized for n^{-1}: the first update of the hidden pre-activations ') +
        'grows like n^{1/2} and the output like n, and training diverges at the larger widths.',
      why:
        "muP's stability rests on the readout scaled by 1/n; without it the signal sent back to the hidden layers " +
        'is n^(1/2) times what their muP rates are sized for, so their first update grows with width and training ' +
        'blows up.',
      shownIn: 'Coordinate check (microsoft/mup style)',
    },
    {
      id: 'sp-width-independent-rate',
      label: 'SP at the base rate',
      title: 'Standard parametrization at the base rate (eta not scaled by 1/n)',
      violates: ['stable'],
      baseArm: 'sp-stable',
      arm: 'sp',
      description:
        'The rate that is stable at the base width n0 = 64, kept at every width: the ' +
        'standard-parametrization kernel grows like n, so eta lambda_max grows like n / n0.',
      why:
        "In the standard parametrization the kernel's top eigenvalue grows like n, so a rate stable at the base " +
        'width gives eta lambda_max / m growing like n / n0, past the stability limit 2 at the larger widths.',
      shownIn: 'Coordinate check (microsoft/mup style)',
    },
  ],
  experiment:
    'tanh networks without bias, sigma_w^2 = 1, 16 training and 16 test points uniform ' +
    'on S^7, target y = x_1 + x_2 x_3 - sin(2 x_4) / 2. ' +
    ('Arms: ntk (two hidden layers, NTK parametrization, eta = 1 / lambda_max of the ' +
      'analytic NTK Gram / m), mup and mup-sp-readout (two hidden layers, base rate ') +
    ('eta_0 = 1 / lambda_max of the analytic standard-parametrization Gram at n0 = 64, ' +
      'divided by m), sp (standard, eta_0 at every width), sp-stable (standard, ') +
    ('eta_0 n0 / n), mean-field (one hidden layer, eta_0 of the one-layer kernel), lazy ' +
      '(one hidden layer of width 512 (quick) or 1024 (full) in the ') +
    ('mean-field parametrization, model alpha (f - f_0), rate eta_0 / alpha^2, alpha on ' +
      'the horizontal axis), mup-lr and sp-lr (the final training loss after S ') +
    ('steps on a grid of 21 rates eta_0 2^k, k = -7, -6.5, ..., 3; the best rate by a ' +
      'parabola in log2 eta through the grid minimum and its neighbours). ') +
    ('Each network is trained by full-batch gradient descent for T steps; the coordinate ' +
      'sizes are recorded after steps 1-4, the tangent kernel on all 32 points ') +
    'at initialization and at 8 evenly spaced steps.',
  sizeAxes: { lazy: { text: 'scale alpha', symbol: 'alpha', tex: String.raw`\alpha`, factor: LAZY_ALPHA_PER_WIDTH } },
  // The coordinate-check observables, named as the figure names them (mean |change| of a layer's coordinates).
  observableLabels: {
    ntkChange: 'NTK change in training: ‖Θₜ − Θ₀‖ / ‖Θ₀‖',
    alignmentGain: 'kernel-target alignment: gain',
    alignmentChange: 'kernel-target alignment: change',
    lazyNtkChange: 'NTK change in training (lazy)',
    distanceToLinear: 'distance to the linearized model',
    optimalLearningRate: 'best learning rate η*',
    optimalLog2Rate: 'the best rate log₂(η* / η₀)',
    ...Object.fromEntries(
      COORD_LAYERS.flatMap((layer) =>
        COORD_STEPS.map((t) => [
          coordObservable(layer, t),
          `${layer === 'f' ? 'output f' : `pre-activation ${layer}`}: mean |change| after step ${t}`,
        ]),
      ),
    ),
  },
  figures: [
    {
      kind: 'cell-table',
      title: 'The abc exponents of each arm (Yang & Hu 2021)',
      arm: 'abc',
      detail: 'abc',
      caption:
        'Per layer, the multiplier is n^-a, the initial standard deviation n^-b and the learning-rate multiplier ' +
        'n^-c, read off the code that scales the layers at widths n and 2n; the last column is the exponent of the ' +
        'global learning rate eta itself. muP is written as microsoft/mup implements it (per-layer rates); Yang & ' +
        "Hu's Table 3 writes it with one global rate, the same parametrization by their abc-symmetry (a, b, c) -> " +
        '(a + theta, b - theta, c - 2 theta). The lazy and learning-rate-sweep arms reuse the mean-field, muP and ' +
        'standard rows.',
    },
    {
      // The page's key figure, first: the Dynamical Dichotomy (the claim is judged on the same cells).
      kind: 'curves',
      title:
        'The Dynamical Dichotomy: the tangent kernel moves by Theta(1) under μP and mean field and vanishes ' +
        'under NTK and SP with η ∝ 1/n',
      xLabel: 'width n',
      yLabel: 'NTK change in training',
      logX: true,
      logY: true,
      series: (['mup', 'mean-field', 'ntk', 'sp-stable'] as const).map((arm) => ({
        label: ARM_LABELS[arm],
        arm,
        observable: 'ntkChange' as const,
        factor: 1,
      })),
    },
    {
      kind: 'coord-check',
      title: 'Coordinate check (microsoft/mup style)',
      arms: ['ntk', 'mup', 'mean-field', 'sp-stable', 'sp', 'mup-sp-readout'],
      steps: [...COORD_STEPS],
      layers: COORD_LAYERS.map((layer) => ({
        label: layer === 'f' ? 'output f' : `pre-activation ${layer}`,
        observables: COORD_STEPS.map((t) => coordObservable(layer, t)),
      })),
    },
    {
      kind: 'sweep-curves',
      title: 'Training loss against learning rate (Tensor Programs V, Figure 1 style)',
      arms: ['mup-lr', 'sp-lr'],
      x: { label: 'log2(eta / eta_0)', values: [...LR_GRID], observables: LR_GRID.map(lossAtRate) },
      yLabel: 'training loss after S steps',
      optimum: 'optimalLog2Rate',
    },
  ],
  armLabels: ARM_LABELS,
};
