/** nngp-correspondence: wide random networks are Gaussian processes with the NNGP kernel. */
import type { Statement } from '../../src/verify/claims.ts';
import { LEE_2019 } from '../sources.ts';

/** The arms this theorem runs. */
export type Arm = `${'relu' | 'erf' | 'tanh'}-L${1 | 2 | 3 | 4}${'' | '-b'}` | 'cauchy' | 'circle';
/** What its cells return: the compiler holds the statement, the cells and the judges to these names. */
export type Observable = 'covariance' | 'excessKurtosis' | 'mmd2' | `G:${number}:${number}` | 'sliceDeviation';

export const statement: Statement<Arm, Observable> = {
  id: 'nngp-correspondence',
  title: 'Wide random networks are Gaussian processes with the NNGP kernel',
  summary:
    'As the hidden widths grow, the outputs of a randomly initialised fully-connected ' +
    'network on any finite set of inputs converge in distribution to a ' +
    ('centred Gaussian with covariance K^{(L)} given by the NNGP recursion (Neal 1996 for ' +
      'one hidden layer; Lee et al. 2018 and Matthews et al. 2018 for ') +
    ('depth). The departure from Gaussianity is of order 1/n: the excess kurtosis of an ' +
      'output falls like n^{-1}. Finite variance of the weights is essential: ') +
    'with Cauchy weights the limit is a stable, non-Gaussian process.',
  sources: [
    { cite: 'Neal 1996', where: 'Chapter 2', title: 'Bayesian Learning for Neural Networks' },
    {
      cite: 'Lee et al. 2018',
      where: 'Section 2.3, eq. (4)',
      title: 'Deep Neural Networks as Gaussian Processes',
      url: 'https://arxiv.org/abs/1711.00165',
    },
    {
      cite: 'Matthews et al. 2018',
      where: 'Theorem 4',
      title: 'Gaussian Process Behaviour in Wide Deep Neural Networks',
      url: 'https://arxiv.org/abs/1804.11271',
    },
    LEE_2019('Appendix C (the NNGP as the distribution at initialization)'),
  ],
  hypotheses: [
    {
      id: 'finite-variance',
      text: 'Weights and biases iid with finite variance (Gaussian here), scaled by 1/sqrt(fan-in).',
      tex: String.raw`W_{ij} \sim \mathcal N(0, \sigma_w^2 / n_{l-1})`,
    },
    {
      id: 'activation',
      text: 'The activation is measurable and polynomially bounded (relu, erf, tanh).',
      tex: String.raw`|\phi(z)| \le C(1 + |z|^k)`,
    },
    { id: 'widths', text: 'All hidden widths grow (here together).', tex: String.raw`\min_l n_l \to \infty` },
  ],
  conventions:
    'Depth counts hidden layers. Networks are sampled through the exact conditional ' +
    'structure (given layer l, the preactivations of layer l+1 on the p inputs are iid ' +
    ('N(0, sigma_w^2/n H^T H + sigma_b^2)), which is distributionally identical to ' +
      'drawing the weight matrices; the output covariance is estimated by the ') +
    'Rao-Blackwellised mean of that conditional covariance.',
  claims: [
    {
      id: 'covariance-limit',
      label: 'output covariance to the NNGP kernel',
      kind: 'limit',
      exponent: -1,
      tol: 0.02,
      title:
        'The output covariance converges to the NNGP kernel K^{(L)} (relu, erf, tanh; depth ' +
        '1 to 4; with and without bias)',
      tex:
        String.raw`\frac{\lVert \mathbb E[f f^{\top}] - K^{(L)} \rVert_F}{\lVert K^{(L)} \rVert_F} \to ` +
        String.raw`0 \quad (\text{Monte Carlo noise subtracted})`,
      hypotheses: ['finite-variance', 'activation', 'widths'],
      source:
        'Matthews et al. 2018, Theorem 4 and Lee et al. 2018, eq. (4): convergence (no rate; ' +
        'the 1/n rate of the Roberts-Yaida-Hanin expansion is not asserted here)',
      theorem: true,
      standing: 'proven',
      arm: 'tanh-L4-b',
      observable: 'covariance',
    },
    {
      id: 'kurtosis-rate',
      label: 'excess kurtosis, tanh, L = 4',
      kind: 'rate',
      mode: 'tight',
      exponent: -1,
      tol: 0.2,
      title: 'The excess kurtosis of an output falls like n^{-1}',
      tex: String.raw`\frac{\mathbb E[f(x)^4]}{\mathbb E[f(x)^2]^2} - 3 = \Theta(n^{-1})`,
      hypotheses: ['finite-variance', 'activation', 'widths'],
      source:
        'Roberts, Yaida & Hanin 2022, section 4.3 (perturbative 1/n expansion, a derivation ' +
        'rather than a theorem; for relu without bias the exact product of Hanin 2018 proves ' +
        'it)',
      theorem: true,
      standing: 'conjecture',
      arm: 'tanh-L4-b',
      observable: 'excessKurtosis',
    },
  ],
  ablations: [
    {
      id: 'cauchy-weights',
      label: 'Cauchy weights',
      title: 'Cauchy weights (infinite variance), one input, two hidden layers of tanh',
      violates: ['finite-variance'],
      baseArm: 'tanh-L4-b',
      arm: 'cauchy',
      description:
        'With W_ij Cauchy of scale 1/n (an alpha = 1 stable law) the output given the last ' +
        'hidden layer is Cauchy with scale sum_j |phi(z_j)| / n: the limit is a stable ' +
        'process, ' +
        'the second moment does not exist, and the sample kurtosis does not fall with width.',
      why:
        "The Gaussian limit is a central limit theorem over a layer's neurons, which needs weights of finite " +
        'variance; with Cauchy weights the sum converges to a stable law without a second moment, so the kurtosis ' +
        'has no Gaussian value to approach.',
    },
  ],
  experiment:
    'p = 3 inputs on S^4 (two at cosine 0.5, one antipodal), relu (sigma_w^2 = 2) or ' +
    'erf/tanh (sigma_w^2 = 1.5), sigma_b^2 = 0 or 0.1, depth 1 to 4, widths 8 to 1024; ' +
    ('each cell is a batch of networks sampled through the conditional structure. MMD^2 ' +
      'with a Gaussian kernel between outputs and N(0, K) is reported with its unbiased ') +
    'U-statistic (expectations under N(0, K) in closed form). ' +
    ('Arm circle draws the kernel itself (no claim is judged on it): tanh, depth 4, sigma_b^2 = 0.1, inputs on the ' +
      'unit circle; per cell the output covariance E[f(x_0) f(x(gamma))] of a batch of networks on 61 points of the ' +
      'circle, at widths 8 and 512, ten batches each, beside the NNGP kernel.'),
  figures: [
    {
      kind: 'kernel-slice',
      title: 'The NNGP kernel along the unit circle, K(x_0, x(gamma)) with x_0 = (1, 0), and the output covariance',
      arm: 'circle',
      detail: 'slice',
      xLabel: 'gamma (x = (cos gamma, sin gamma))',
      yLabel: 'E[f(x_0) f(x(gamma))]',
      line: { one: 'the output covariance of one batch of networks', many: 'batches' },
    },
  ],
  observableLabels: {
    covariance: 'output covariance: distance to K⁽ᴸ⁾',
    excessKurtosis: 'excess kurtosis of an output',
    sliceDeviation: 'largest gap of the output covariance to the NNGP kernel along the circle',
  },
  // relu-L2-b is "relu, L = 2, with bias".
  armLabels: {
    ...Object.fromEntries(
      (['relu', 'erf', 'tanh'] as const).flatMap((activation) =>
        ([1, 2, 3, 4] as const).flatMap((L) => [
          [`${activation}-L${L}`, `${activation}, L = ${L}, no bias`],
          [`${activation}-L${L}-b`, `${activation}, L = ${L}, with bias`],
        ]),
      ),
    ),
    cauchy: 'Cauchy weights, tanh',
    circle: 'tanh, L = 4, on the circle',
  },
};
