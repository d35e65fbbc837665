/** overparam-convergence: gradient descent provably optimizes over-parameterized networks (Du et al. 2019). */
import type { ClaimOf, Statement } from '../../src/verify/claims.ts';
import { DU_2019 } from '../sources.ts';

/** The arms this theorem runs. */
export type Arm = 'du' | 'du-narrow' | 'du-duplicate';
/** What its cells return: the compiler holds the statement, the cells and the judges to these names. */
export type Observable =
  | `lambda${number}`
  | 'learningRate'
  | 'steps'
  | 'contractionBound'
  | 'initialLoss'
  | 'patternFlips'
  | 'worstContraction'
  | `finalLossLog${number}`
  | `zeroLossLog${number}`
  | 'stepsRun'
  | ReturnType<typeof lossAtFraction>
  | ReturnType<typeof boundAtFraction>;

/** The loss curve is recorded at these fractions of the step budget (0, 1/16, ..., 1). */
export const CURVE_POINTS = 17;
export const lossAtFraction = (j: number) => `lossAtFraction${j}` as const;
export const boundAtFraction = (j: number) => `boundAtFraction${j}` as const;
/** Training-loss threshold of zero-train-loss (Du et al.'s loss, 1/2 sum of squares). */
export const ZERO_LOSS = 1e-6;

const gramPd: ClaimOf<'computed', Arm, Observable> = {
  kind: 'computed',
  id: 'gram-pd',
  title: 'The limit Gram matrix H-infinity of the training points is positive definite (lambda_0 > 0)',
  tex:
    String.raw`\lambda_0 = \lambda_{\min}(H^\infty) > 0,\quad H^\infty_{ij} = \frac{x_i^\top x_j ` +
    String.raw`\,(\pi - \arccos x_i^\top x_j)}{2\pi}`,
  hypotheses: ['non-parallel', 'sphere'],
  source:
    'Du, Zhai, Poczos & Singh 2019, Theorem 3.1 (no two inputs parallel implies lambda_0 ' +
    '> 0); the closed form is their Section 3',
  theorem: true,
  standing: 'computed',
  arm: 'du',
  observable: 'lambda0',
};

const linearRate: ClaimOf<'bound', Arm, Observable> = {
  kind: 'bound',
  id: 'linear-rate',
  title: 'The training loss decays at least like (1 - eta lambda_0 / 2)^k at every step once the network is wide',
  tex: String.raw`\max_{1 \le k \le K} \Big(\frac{L(k)}{L(0)}\Big)^{1/k} \le 1 - \frac{\eta \lambda_0}{2}`,
  hypotheses: ['two-layer', 'non-parallel', 'sphere', 'wide', 'step'],
  source:
    'Du, Zhai, Poczos & Singh 2019, Theorem 4.1 (proven for m = Omega(n^6 / (lambda_0^4 ' +
    'delta^3)) and eta = O(lambda_0 / n^2); here eta = 1 / lambda_max(H-infinity), ' +
    ('the rate of the linearized dynamics, larger than the theorem allows, and widths far ' +
      'below its requirement: the bound is conjectured to hold there)'),
  theorem: true,
  standing: 'conjecture',
  arm: 'du',
  observable: 'worstContraction',
  predicted: 'contractionBound',
  side: 'below',
};

const zeroLoss: ClaimOf<'bound', Arm, Observable> = {
  kind: 'bound',
  id: 'zero-train-loss',
  title: 'Within the budget in which the bound guarantees a 1e-8 loss ratio, the training loss falls below 1e-6',
  tex: String.raw`\log_{10} L(K) \le -6,\quad K = \Big\lceil \frac{2 \ln 10^8}{\eta \lambda_0} \Big\rceil`,
  hypotheses: ['two-layer', 'non-parallel', 'sphere', 'wide', 'step'],
  source:
    'Du, Zhai, Poczos & Singh 2019, Theorem 4.1 (linear convergence to zero training ' +
    'loss), with the step size and widths of linear-rate',
  theorem: true,
  standing: 'conjecture',
  arm: 'du',
  observable: 'finalLossLog10',
  predicted: 'zeroLossLog10',
  side: 'below',
};

const patterns: ClaimOf<'rate', Arm, Observable> = {
  kind: 'rate',
  id: 'patterns-stable',
  label: 'activation patterns flipped',
  title: 'The fraction of activation patterns that flip during training shrinks like n^{-1/2}',
  tex:
    String.raw`\frac{1}{n m} \#\{(r, i) : \mathbb 1\{w_r(K)^\top x_i \ge 0\} \ne \mathbb ` +
    String.raw`1\{w_r(0)^\top x_i \ge 0\}\} = O\!\left(n^{-1/2}\right)`,
  hypotheses: ['two-layer', 'non-parallel', 'sphere', 'step'],
  source:
    'Du, Zhai, Poczos & Singh 2019, Lemmas 3.2 and 4.1 (every w_r stays within R = O(1 / ' +
    'sqrt(n)) of its start, so only O(n R) neurons can flip on an input), proven for width of order ' +
    'samples^6 / lambda_0^4 and a step O(lambda_0 / samples^2); this run (widths 512-8192, step 1/lambda_max) is ' +
    'outside those hypotheses, so here it is a conjecture (issue 23)',
  theorem: true,
  standing: 'conjecture',
  arm: 'du',
  observable: 'patternFlips',
  mode: 'upper',
  exponent: -0.5,
  tol: 0.15,
};

export const statement: Statement<Arm, Observable> = {
  id: 'overparam-convergence',
  title: 'Gradient descent drives a wide two-layer relu network to zero training loss at a linear rate',
  summary:
    'Du, Zhai, Poczos & Singh prove that for a two-layer relu network f(x) = n^{-1/2} ' +
    'sum_r a_r relu(w_r^T x) with fixed signs a_r, trained by gradient descent ' +
    ('on the first layer, the Gram matrix H-infinity of the training points is positive ' +
      'definite when no two inputs are parallel, and once the width n is large ') +
    ('enough the training loss contracts at least by 1 - eta lambda_0 / 2 per step, ' +
      'because the weights move by O(n^{-1/2}) and few activation patterns flip.'),
  sources: [
    DU_2019('Theorem 3.1 (lambda_0 > 0), Theorem 4.1 (gradient descent), Lemmas 3.2 and 4.1 (few patterns flip)'),
  ],
  hypotheses: [
    {
      id: 'two-layer',
      text:
        'f(x) = n^{-1/2} sum_r a_r relu(w_r^T x), a_r uniform in {-1, 1} and fixed, w_r ~ ' +
        'N(0, I_d) trained by full-batch gradient descent on L = 1/2 sum_i (f(x_i) - y_i)^2.',
      tex: String.raw`f(x) = \tfrac{1}{\sqrt n} \sum_r a_r \max(0, w_r^\top x)`,
    },
    { id: 'non-parallel', text: 'No two training inputs are parallel.', tex: String.raw`x_i \ne c\, x_j` },
    {
      id: 'sphere',
      text: '16 training inputs uniform on S^7, labels y = x_1 + x_2 x_3 - sin(2 x_4) / 2 (|y| bounded).',
      tex: String.raw`\lVert x_i \rVert = 1`,
    },
    {
      id: 'wide',
      text:
        'The width is large compared with the number of training points (Theorem 4.1 asks n ' +
        '= Omega(m^6 / lambda_0^4)).',
      tex: String.raw`n \gg m`,
    },
    {
      id: 'step',
      text: 'eta = 1 / lambda_max(H-infinity): the linearized dynamics are stable.',
      tex: String.raw`\eta = 1 / \lambda_{\max}(H^\infty)`,
    },
  ],
  conventions:
    'Du et al. write m for the width and n for the number of samples; here n is the ' +
    'width and m = 16 the number of samples. Their loss is 1/2 the sum of squares ' +
    ('(not the mean) and their Gram H-infinity is the expectation over w of x_i^T x_j ' +
      '1{w^T x_i >= 0, w^T x_j >= 0}. Computed in float64.'),
  claims: [gramPd, linearRate, zeroLoss, patterns],
  ablations: [
    {
      id: 'narrow',
      label: 'narrow networks',
      title: 'Narrow networks (width 8 to 64)',
      violates: ['wide'],
      baseArm: 'du',
      arm: 'du-narrow',
      description:
        'The same training below the width where the kernel stays put: H(k) moves away from ' +
        'H-infinity, and the per-step contraction is no longer guaranteed.',
      why:
        "Du et al.'s proof needs the width large enough (polynomial in n / lambda_0) that H(k) stays within " +
        "lambda_0 / 2 of H-infinity during training; a narrow network's kernel moves by about width^-1/2, so the " +
        'per-step contraction is no longer guaranteed.',
      shownIn: 'Training loss against the fraction of the step budget, with the bound (1 - eta lambda_0 / 2)^k L(0)',
    },
    {
      id: 'duplicate',
      label: 'parallel inputs',
      title: 'Two parallel inputs with different labels',
      violates: ['non-parallel'],
      baseArm: 'du',
      arm: 'du-duplicate',
      description:
        'The last training input is replaced by a copy of the first with another label: ' +
        'H-infinity is singular (lambda_0 = 0) and no network fits both labels.',
      why:
        'The proof needs lambda_0 > 0, which holds when no two inputs are parallel; two parallel inputs with ' +
        'different labels make H-infinity singular, and no function of the inputs fits both labels, so the loss ' +
        'cannot reach 0.',
    },
  ],
  experiment:
    '16 training points on S^7 (the second one of a duplicated pair in du-duplicate); ' +
    'a_r and w_r drawn per network; eta = 1 / lambda_max(H-infinity); full-batch ' +
    'gradient ' +
    ('descent for K = ceil(2 ln(1e8) / (eta lambda_0)) steps (the budget in which the ' +
      'bound guarantees a loss ratio of 1e-8), stopping early once the loss is below ' +
      '1e-20; ') +
    ('the loss at 17 evenly spaced fractions of the budget, the worst per-step ' +
      'contraction max_k (L(k) / L(0))^{1/k}, the final loss and the fraction of flipped ' +
      'patterns.'),
  figures: [
    {
      kind: 'sweep-curves',
      title: 'Training loss against the fraction of the step budget, with the bound (1 - eta lambda_0 / 2)^k L(0)',
      arms: ['du', 'du-narrow'],
      x: {
        label: 'step / K',
        values: Array.from({ length: CURVE_POINTS }, (_, j) => j / (CURVE_POINTS - 1)),
        observables: Array.from({ length: CURVE_POINTS }, (_, j) => lossAtFraction(j)),
      },
      yLabel: 'training loss L(k)',
      ends: 'floor',
      extra: [
        { label: 'bound (mean L(0))', observables: Array.from({ length: CURVE_POINTS }, (_, j) => boundAtFraction(j)) },
      ],
    },
  ],
  armLabels: {
    du: 'wide two-layer relu (Du et al.)',
    'du-narrow': 'narrow, width 8 to 64',
    'du-duplicate': 'two parallel inputs',
  },
  observableLabels: {
    patternFlips: 'activation patterns flipped in training',
  },
};
