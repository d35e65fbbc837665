/**
 * reverse-ntk: the statement. On the sphere a dot-product kernel is a power series in the cosine, and a
 * one-hidden-layer network's kernels are the series of its activation's squared Hermite coefficients (Mehler's
 * formula), so any target NTK with non-negative coefficients can be turned into an activation whose shallow network
 * has it (Simon, Anand & DeWeese 2022). The symbolic claims carry their derivations, each step checked by its own
 * numerical route. Written on the public API.
 */
// Types only: `tdlv list` reads this statement without loading the numerical engine (the public index does).
import type { ClaimOf, Statement } from '../../src/index.ts';

/** The arms this theorem runs. */
export type Arm = 'symbolic' | 'engineered' | 'truncated' | 'high-degree' | 'negative-coefficient';
/** What its cells return: the compiler holds the statement, the cells and the judges to these names. */
export type Observable =
  | 'coefficientError'
  | 'arccosExactError'
  | 'arccosStepMehler'
  | 'arccosStepChoSaul'
  | 'arccosStepTaylor'
  | 'mehlerNngpError'
  | 'mehlerNtkError'
  | 'ntkStepRecursion'
  | 'ntkStepMehler'
  | 'seriesError'
  | 'seriesTail'
  | 'minTargetCoefficient'
  | 'engineeredError'
  | 'engineeredStepMehler'
  | 'engineeredStepTail'
  | 'engineeredTail'
  | 'deviation'
  | 'diagonalDeviation'
  | 'diagonalBias'
  | 'truncationBound'
  | 'maxCosine'
  | 'refused';

const identity = (claim: Omit<ClaimOf<'identity', Arm, Observable>, 'kind'>): ClaimOf<'identity', Arm, Observable> => ({
  ...claim,
  kind: 'identity',
});
const rate = (claim: Omit<ClaimOf<'rate', Arm, Observable>, 'kind'>): ClaimOf<'rate', Arm, Observable> => ({
  ...claim,
  kind: 'rate',
});

/**
 * The design, fixed from the series before any network ran (numbers from `tdlv hermite` and src/symbolic), and changed
 * once after the first quick run (declared in `experiment`; the networks of the new design draw fresh seeds).
 */
export const DESIGN = {
  /** Hidden layers of the relu network whose NTK is the target. */
  targetDepth: 3,
  /** Terms of the target's series (its tail at |rho| <= 0.95 is below 5e-13). */
  seriesTerms: 500,
  /** Degree of the activation of the analytic identity: the series' tail at |rho| <= 0.8 is below 2e-7. */
  analyticDegree: 64,
  analyticMaxCosine: 0.8,
  /**
   * Degree of the networks' activation: the smallest whose tail at |rho| <= networkMaxCosine is below 1e-4 of Theta(1)
   * (3.1e-5; degree 6 leaves 1.9e-4), about 1/150 of the Monte Carlo noise at the largest width. Its fourth moments
   * are E phi^4 = 9.8e3 and E phi'^4 = 4.1e4; at degree 64 they are about 1e51 and 1e54.
   */
  networkDegree: 8,
  /** Inputs of the empirical kernels: points on the sphere of radius sqrt(d), every pairwise |cosine| <= this. */
  networkMaxCosine: 0.5,
  /** Degree of the truncated ablation: its bias at rho = 0.5 is 0.11 (1.4% of Theta(1) = 8), far above the noise. */
  truncatedDegree: 2,
  inputDimension: 10,
  inputs: 8,
  /** Hermite degree of the Mehler checks (tails at |rho| <= 0.9 below 1e-10 for relu, erf, tanh, gelu). */
  mehlerDegree: 200,
  /** Degree of the closed-form-vs-quadrature check of the coefficients. */
  coefficientDegree: 60,
};

export const statement: Statement<Arm, Observable> = {
  id: 'reverse-ntk',
  title: "A deep network's tangent kernel reverse-engineered into a shallow network's activation",
  summary:
    'On the sphere every kernel of a fully-connected network is a function of the cosine rho and a power series in ' +
    'it. For one hidden layer the series are given by the Hermite coefficients a_k of the activation (Mehler): the ' +
    'NNGP is sum a_k^2 rho^k and the NTK sum (k + 1) a_k^2 rho^k. Read backwards (Simon, Anand & DeWeese 2022): a ' +
    'target NTK sum b_k rho^k with every b_k >= 0, here the NTK of a depth-3 relu network, is the NTK of the shallow ' +
    'network whose activation has a_k = sqrt(b_k / (k + 1)). This module checks the algebra step by step against ' +
    'independent numerical routes, builds the activation, and measures how fast the empirical NTK of the shallow ' +
    'network approaches the deep target as its width grows.',
  sources: [
    {
      cite: 'Simon, Anand & DeWeese 2022',
      where:
        'the main result (constructive: any positive-semidefinite dot-product kernel is the NNGP or the NTK of a ' +
        'fully-connected network with one hidden layer, through the Hermite coefficients of its activation) and the ' +
        'experiment in which a shallow network with an engineered activation mimics a deep relu network. The formula ' +
        'a_k = sqrt(b_k / (k + 1)) for this parametrization (no bias, sigma_w^2 = 1) is derived here the same way ' +
        'and checked numerically (claims mehler-ntk and engineered-analytic)',
      title: 'Reverse Engineering the Neural Tangent Kernel (ICML 2022)',
      url: 'https://arxiv.org/abs/2106.03186',
    },
    {
      cite: 'Daniely, Frostig & Singer 2016',
      where: "Section 4 (the dual activation of phi = sum a_k h_k is sum a_k^2 rho^k: Mehler's formula)",
      title:
        'Toward Deeper Understanding of Neural Networks: The Power of Initialization and a Dual View on Expressivity',
      url: 'https://arxiv.org/abs/1602.05897',
    },
    {
      cite: 'Jacot, Gabriel & Hongler 2018',
      where: 'Theorem 1 (at initialization the empirical NTK converges to the limit given by the recursion)',
      title: 'Neural Tangent Kernel: Convergence and Generalization in Neural Networks',
      url: 'https://arxiv.org/abs/1806.07572',
    },
    {
      cite: 'Cho & Saul 2009',
      where: 'the arc-cosine kernels of degree 0 and 1',
      title: 'Kernel Methods for Deep Learning',
      url: 'https://papers.nips.cc/paper/2009/hash/5751ec3e9a4feab575962e78e006250d-Abstract.html',
    },
  ],
  hypotheses: [
    {
      id: 'sphere',
      text:
        'Inputs on the sphere of radius sqrt(d): every pre-activation of the first layer has variance 1 and the ' +
        "kernels depend on the cosine rho = <x, x'> / d alone.",
    },
    {
      id: 'l2-activation',
      text: "phi and phi' square-integrable under N(0, 1): the Hermite series converge and Mehler's formula holds.",
      tex: String.raw`\phi = \sum_k a_k h_k,\quad h_k = \mathrm{He}_k/\sqrt{k!},\quad \sum_k (k+1)\,a_k^2 < \infty`,
    },
    {
      id: 'nonnegative-coefficients',
      text: 'Every Taylor coefficient b_k of the target kernel is >= 0 (the NTK coefficients (k + 1) a_k^2 are).',
    },
    {
      id: 'enough-terms',
      text:
        `The activation's series is cut where the target's tail at the inputs' cosines is negligible: degree ` +
        `${DESIGN.analyticDegree} at |rho| <= ${DESIGN.analyticMaxCosine} (tail below 2e-7) for the analytic ` +
        `identity, degree ${DESIGN.networkDegree} at |rho| <= ${DESIGN.networkMaxCosine} (tail 3.1e-5 of Theta(1)) ` +
        'for the networks.',
    },
    {
      id: 'moderate-degree',
      text:
        `The networks' polynomial activation has a low degree (${DESIGN.networkDegree}): its fourth moments ` +
        "(E phi^4 = 9.8e3, E phi'^4 = 4.1e4) set the fluctuations of the empirical NTK. The central limit theorem " +
        'gives n^-1/2 for any polynomial, but at degree 64 these moments are about 1e51 and 1e54: the fluctuations ' +
        'are ruled by rare large pre-activations, and the rate is not seen at the widths a computer reaches.',
    },
    {
      id: 'ntk-parametrization',
      text:
        'The shallow network f(x) = n^-1/2 sum_i v_i phi(<w_i, x> / sqrt(d)), w_i ~ N(0, I), v_i ~ N(0, 1): NTK ' +
        'parametrization, sigma_w^2 = 1, no bias. The target is the NTK of a relu network with 3 hidden layers, ' +
        'sigma_w^2 = 2 on every layer and no bias.',
    },
  ],
  conventions:
    "Layers are counted as in docs/design.md: Sigma^1 = sigma_w^2 <x, x'> / d, Theta^(l+1) = Sigma^(l+1) + " +
    "sigma_w^2 Theta^l E[phi'(u) phi'(v)]; the target is Theta^(4) of the depth-3 relu network, Theta^(4)(1) = 8. " +
    "h_k = He_k / sqrt(k!) are the orthonormal (probabilists') Hermite polynomials. The empirical kernels are " +
    'measured between distinct inputs: on the diagonal (rho = 1) the series cut at degree 8 leaves out 1.155 of 8 ' +
    '(degree 64: 0.384), a ' +
    'bias the certificate records (`diagonalBias`) and no claim hides.',
  claims: [
    identity({
      id: 'hermite-closed-forms',
      title:
        `Closed-form Hermite coefficients of relu and erf, and tanh's by two quadratures, agree to 1e-10 (degree ` +
        `${DESIGN.coefficientDegree})`,
      tex:
        String.raw`a_{2m}^{\mathrm{relu}} = \frac{(-1)^{m-1}(2m-3)!!}{\sqrt{2\pi\,(2m)!}},\ ` +
        String.raw`a_{2m+1}^{\mathrm{erf}} = \frac{2}{\sqrt{3\pi}}\,\frac{(2m-1)!!\,(-2/3)^m}{\sqrt{(2m+1)!}},\ ` +
        String.raw`a_k = \mathbb{E}[\phi(Z)\,h_k(Z)]`,
      hypotheses: ['l2-activation'],
      source:
        'Derived here (src/symbolic/hermite.ts): relu by He_k phi = (-1)^k phi^(k) and two integrations by parts, ' +
        "erf by Stein's identity; checked against adaptive Gauss-Kronrod quadrature, tanh's adaptive quadrature " +
        'against a 190-node Gauss-Hermite rule',
      theorem: true,
      standing: 'computed',
      arm: 'symbolic',
      observable: 'coefficientError',
      tol: 1e-10,
    }),
    identity({
      id: 'hermite-arccos',
      title: "relu's squared Hermite coefficients are the Taylor coefficients of the arc-cosine kernel, exactly",
      tex: String.raw`a_k^2 = \tfrac12\,[\rho^k]\,k_1(\rho)\quad \text{for every } k \le 60 \text{ (exact rationals)}`,
      hypotheses: ['l2-activation'],
      source:
        'Mehler with Cho & Saul 2009: both sides in exact rational arithmetic (a + b / pi), the left from the ' +
        'Hermite integrals, the right from the series of arcsin and sqrt(1 - rho^2); the error is exactly 0 when ' +
        'they agree. Each step of the derivation is checked at cosines in [-0.9, 0.9]',
      theorem: true,
      standing: 'computed',
      arm: 'symbolic',
      observable: 'arccosExactError',
      tol: 1e-10,
      derivation: {
        start: String.raw`\sum_k a_k^2\,\rho^k`,
        steps: [
          {
            tex:
              String.raw`\mathbb{E}[\mathrm{relu}(u)\,\mathrm{relu}(v)],\ (u, v) \sim ` +
              String.raw`\mathcal N\big(0, \big[\begin{smallmatrix}1 & \rho\\ \rho & 1\end{smallmatrix}\big]\big)`,
            why:
              "Mehler's formula; the series to degree 200 from the closed-form coefficients, the expectation by " +
              'two-dimensional adaptive quadrature',
            observable: 'arccosStepMehler',
          },
          {
            tex: String.raw`\frac{\sqrt{1-\rho^2} + (\pi - \arccos\rho)\,\rho}{2\pi}`,
            why: 'Cho & Saul 2009, the arc-cosine kernel of degree 1, in closed form',
            observable: 'arccosStepChoSaul',
          },
          {
            tex: String.raw`\tfrac12\sum_k [\rho^k]\,k_1(\rho)\,\rho^k`,
            why: 'the Taylor series of arcsin and of sqrt(1 - rho^2), in exact rationals to degree 200',
            observable: 'arccosStepTaylor',
          },
        ],
      },
    }),
    identity({
      id: 'mehler-nngp',
      title: 'The one-hidden-layer NNGP is the series of the squared Hermite coefficients (relu, erf, tanh, gelu)',
      tex: String.raw`\mathbb{E}[\phi(u)\,\phi(v)] = \sum_k a_k^2\,\rho^k,\quad |\rho| \le 0.9`,
      hypotheses: ['l2-activation', 'sphere'],
      source:
        'Daniely, Frostig & Singer 2016, Section 4; coefficients by adaptive quadrature to degree 200, the ' +
        'expectation by the kernel recursion (closed forms for relu and erf, adaptive quadrature for tanh and gelu)',
      theorem: true,
      standing: 'computed',
      arm: 'symbolic',
      observable: 'mehlerNngpError',
      tol: 1e-9,
    }),
    identity({
      id: 'mehler-ntk',
      title: 'The one-hidden-layer NTK is sum (k + 1) a_k^2 rho^k (relu, erf, tanh, gelu)',
      tex: String.raw`\Theta^{(2)}(\rho) = \sum_k (k+1)\,a_k^2\,\rho^k,\quad |\rho| \le 0.9`,
      hypotheses: ['l2-activation', 'sphere', 'ntk-parametrization'],
      source: "Jacot et al. 2018, Theorem 1, with Mehler (Daniely et al. 2016) for phi and for phi'",
      theorem: true,
      standing: 'computed',
      arm: 'symbolic',
      observable: 'mehlerNtkError',
      tol: 1e-9,
      derivation: {
        start: String.raw`\Theta^{(2)}(\rho)`,
        steps: [
          {
            tex: String.raw`\mathbb{E}[\phi(u)\phi(v)] + \rho\,\mathbb{E}[\phi'(u)\phi'(v)]`,
            why:
              'the NTK recursion with sigma_w^2 = 1 and no bias; left by the kernel recursion of the engine, right ' +
              'by another rule (adaptive two-dimensional quadrature where the engine has a closed form, relu and ' +
              'erf; a 150-node product Gauss-Hermite rule for the smooth tanh and gelu)',
            observable: 'ntkStepRecursion',
          },
          {
            tex: String.raw`\sum_k (k+1)\,a_k^2\,\rho^k`,
            why:
              "Mehler's formula for phi and for phi' = sum_k sqrt(k) a_k h_(k-1), collecting powers of rho; the " +
              'coefficients by one-dimensional adaptive quadrature, to degree 200',
            observable: 'ntkStepMehler',
          },
        ],
      },
    }),
    identity({
      id: 'ntk-series',
      title: `The depth-3 relu NTK as a power series (${DESIGN.seriesTerms} terms) equals the kernel recursion`,
      tex:
        String.raw`\Theta^{(4)}_{\mathrm{relu}}(\rho) = \sum_{k \le 500} b_k\,\rho^k \text{ to } 10^{-10},\ ` +
        String.raw`|\rho| \le 0.95,\ b_k \ge 0`,
      hypotheses: ['sphere'],
      source:
        'Jacot et al. 2018, Theorem 1, with the arc-cosine kernels of Cho & Saul 2009 composed as power series ' +
        '(src/symbolic/dot-product-series.ts: every term non-negative, so no cancellation) and checked against ' +
        'the closed-form recursion at 50 cosines; the tail beyond degree 500 at |rho| <= 0.95 is below 5e-13',
      theorem: true,
      standing: 'computed',
      arm: 'symbolic',
      observable: 'seriesError',
      tol: 1e-10,
    }),
    identity({
      id: 'engineered-analytic',
      title:
        `The activation engineered from the depth-3 relu NTK (degree ${DESIGN.analyticDegree}) has that NTK in ` +
        'one hidden layer',
      tex:
        String.raw`\Theta^{(2)}_{\phi_*}(\rho) = \Theta^{(4)}_{\mathrm{relu}}(\rho),\ |\rho| \le 0.8,\ ` +
        String.raw`\phi_* = \sum_{k \le 64} \sqrt{b_k/(k+1)}\,h_k`,
      hypotheses: ['sphere', 'nonnegative-coefficients', 'enough-terms', 'ntk-parametrization'],
      source:
        'Simon, Anand & DeWeese 2022 (main result); the signs of a_k all +. The tolerance 1e-6 is the tail bound ' +
        '1.9e-7 at |rho| <= 0.8 with room for the quadrature (1e-10 relative), fixed from the series',
      theorem: true,
      standing: 'computed',
      arm: 'symbolic',
      observable: 'engineeredError',
      tol: 1e-6,
      derivation: {
        start: String.raw`\Theta^{(2)}_{\phi_*}(\rho)`,
        steps: [
          {
            tex: String.raw`\sum_{k \le 64} (k+1)\,a_k^2\,\rho^k = \sum_{k \le 64} b_k\,\rho^k`,
            why:
              "Mehler's formula (the previous claim) with (k + 1) a_k^2 = b_k; left by the engine's kernel " +
              'recursion on the polynomial activation (adaptive quadrature), right the series',
            observable: 'engineeredStepMehler',
          },
          {
            tex: String.raw`\Theta^{(4)}_{\mathrm{relu}}(\rho) - \sum_{k > 64} b_k\,\rho^k`,
            why: 'the target series, cut at 64; the tail is below 1.9e-7 at |rho| <= 0.8 (non-negative b_k)',
            observable: 'engineeredStepTail',
          },
        ],
      },
    }),
    rate({
      id: 'engineered-kernel',
      label: 'empirical NTK to the target',
      title:
        `The shallow network's empirical NTK (activation of degree ${DESIGN.networkDegree}) approaches the deep ` +
        'relu target at rate n^-1/2',
      tex:
        String.raw`\max_{i \ne j} \big|\hat\Theta_n(x_i, x_j) - \Theta^{(4)}_{\mathrm{relu}}(x_i, x_j)\big| / ` +
        String.raw`\Theta^{(4)}(1) = \Theta(n^{-1/2})`,
      hypotheses: [
        'sphere',
        'l2-activation',
        'nonnegative-coefficients',
        'enough-terms',
        'moderate-degree',
        'ntk-parametrization',
      ],
      source:
        'Jacot et al. 2018, Theorem 1, with Simon et al. 2022: with one hidden layer the empirical NTK is a mean ' +
        'of n i.i.d. terms with finite variance (phi is a polynomial), so its deviation from the limit is exactly ' +
        'of order n^-1/2 by the central limit theorem; the limit is the target up to the tail (3.1e-5 relative). ' +
        'Tolerance 0.1 on the exponent, fixed before the data, for the skew of the largest of 28 |deviations| ' +
        'at the smaller widths.',
      theorem: true,
      standing: 'proven',
      arm: 'engineered',
      observable: 'deviation',
      mode: 'tight',
      exponent: -0.5,
      tol: 0.1,
    }),
  ],
  ablations: [
    {
      id: 'truncated',
      label: 'cut at degree 2',
      title: `The activation cut at degree ${DESIGN.truncatedDegree}`,
      violates: ['enough-terms'],
      baseArm: 'engineered',
      arm: 'truncated',
      description:
        `phi = a_0 h_0 + a_1 h_1 + a_2 h_2 with the same coefficients: its NTK misses the target's terms beyond ` +
        `rho^2 (0.11 at rho = 0.5), so the deviation stops falling at that bias.`,
      why:
        'The activation has the target kernel only through all of its Hermite terms; cut at degree 2 its kernel ' +
        'misses every term of the target beyond rho^2, a bias that no width removes.',
    },
    {
      id: 'high-degree',
      label: 'degree 64',
      title: `The activation of degree ${DESIGN.analyticDegree} (the first design)`,
      violates: ['moderate-degree'],
      baseArm: 'engineered',
      arm: 'high-degree',
      description:
        'The same construction cut at degree 64: its kernel is closer to the target (tail below 1e-12 at |rho| <= ' +
        '0.5), but its fourth moments are about 1e51, so a cell with one neuron of large pre-activation lands far ' +
        'out; this was the first design, whose quick run was inconclusive (declared in the experiment).',
      why:
        "The claim's rate assumes that one network's kernel estimate has a variance of order 1/n with a moderate " +
        "constant; a degree-64 activation's fourth moments are about 1e51, so rare neurons dominate the estimate " +
        'and the rate need not be seen at these widths.',
    },
    {
      id: 'negative-coefficient',
      label: 'negative coefficient',
      title: 'A target with a negative coefficient: b_1 replaced by -b_1',
      violates: ['nonnegative-coefficients'],
      baseArm: 'engineered',
      arm: 'negative-coefficient',
      description:
        'No real activation has this NTK: the construction refuses it (each cell records refused = 1). The nearest ' +
        'admissible activation (a_1 = 0) is measured against the altered target instead; its NTK differs from it by ' +
        '|b_1 rho| = 1.83 |rho|, which no width removes.',
      why:
        "By Mehler's formula every coefficient of a one-hidden-layer kernel is a square, so a target with a " +
        'negative coefficient is the kernel of no real activation, and the nearest admissible one differs from it ' +
        'by a term no width removes.',
    },
  ],
  experiment:
    'One computed cell (arm symbolic) evaluates every identity at cosines drawn from its own stream: uniform in ' +
    '[-0.9, 0.9] for Mehler (20 of them, with -0.9, 0 and 0.9), in [-0.95, 0.95] for the series (50, with the ends), ' +
    'in [-0.8, 0.8] for the engineered activation (20). The arms engineered, truncated, high-degree and ' +
    'negative-coefficient draw shallow networks of width n = 256 to 65536 in float64 (16 seeds per width at full ' +
    'fidelity) on 8 fixed inputs in dimension 10, every pairwise |cosine| <= 0.5, and compare the empirical NTK ' +
    "Theta_n(x_i, x_j) = (1/n) sum_r [phi(z_ri) phi(z_rj) + v_r^2 phi'(z_ri) phi'(z_rj) rho_ij] with the target from " +
    'the closed-form recursion. Design history, declared: the first design used the degree-64 activation and inputs ' +
    'with |cosine| <= 0.8; its quick run (8 seeds, widths 256-16384) gave the slope -0.347 [-0.609, -0.084], ' +
    'inconclusive, with cells at width 16384 ten times above their neighbours. Its fourth moments (about 1e51) ' +
    'explained it, so the degree was chosen again by the rule in the hypotheses (the smallest degree whose tail at ' +
    'the inputs is below 1e-4 of Theta(1)), the inputs tightened to |cosine| <= 0.5 for that, the first design kept ' +
    'as the ablation high-degree, and every network arm runs on fresh streams (reverse-ntk/v2). The identities are ' +
    "deterministic and were not changed; the first run of the Mehler check found the engine's nested quadrature " +
    'off by up to 7e-3 for kinked and jumping activations at negative correlations, fixed in ' +
    'src/numeric/gaussian-quadrature.ts before any verdict was recorded.',
  figures: [
    {
      kind: 'cell-curves',
      title: 'Where the cut series is exact: the engineered kernel against the depth-3 relu NTK over every cosine',
      arm: 'symbolic',
      detail: 'cut',
      xLabel: 'cosine rho',
      yLabel: '|Theta_K - Theta_deep| / Theta_deep(1)',
    },
    {
      kind: 'curves',
      title: "Deviation of the shallow network's empirical NTK from the depth-3 relu NTK (distinct inputs)",
      xLabel: 'width n',
      yLabel: 'max |Theta_n - Theta_deep| / Theta_deep(1)',
      logX: true,
      logY: true,
      series: [
        { label: 'engineered (degree 8)', arm: 'engineered', observable: 'deviation', factor: 1 },
        { label: 'degree 64 (heavy tails)', arm: 'high-degree', observable: 'deviation', factor: 1 },
        { label: 'cut at degree 2', arm: 'truncated', observable: 'deviation', factor: 1 },
        {
          label: 'target with b_1 < 0 (nearest admissible)',
          arm: 'negative-coefficient',
          observable: 'deviation',
          factor: 1,
        },
      ],
    },
  ],
  armLabels: {
    symbolic: 'symbolic checks',
    engineered: 'engineered activation, degree 8',
    truncated: 'cut at degree 2',
    'high-degree': 'degree 64',
    'negative-coefficient': 'a negative coefficient',
  },
  observableLabels: {
    deviation: 'empirical NTK: distance to the target',
  },
};
