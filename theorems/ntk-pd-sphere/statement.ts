/** ntk-pd-sphere: the limiting NTK is positive-definite on the sphere (Jacot et al. 2018, Proposition 2). */
import type { Statement } from '../../src/verify/claims.ts';
import { JACOT_2018 } from '../sources.ts';

/** The arms this theorem runs. */
export type Arm = 'gram' | 'search' | 'search-poly' | 'search-nobias' | 'taylor' | 'taylor-nobias' | 'empirical';
/** What its cells return: the compiler holds the statement, the cells and the judges to these names. */
export type Observable =
  | 'minMargin'
  | 'minRelativeLambdaMin'
  | `lambdaMin:${string}:L${number}:d${number}`
  | 'trials'
  | 'counterexamples'
  | 'shrinks'
  | 'exactVsCauchy'
  | 'exactVsDerivatives'
  | `k${number}DerivativeError`
  | `k${number}DerivativeSimplifiesToZero`
  | 'recursionError'
  | `${'min' | 'positiveOdd' | 'positiveEven'}:${string}`
  | 'minCoefficient'
  | 'ntkPositiveOddBeyondLinear'
  | 'ntkPositiveEven'
  | 'lambdaMin'
  | 'lambdaMax'
  | 'margin'
  | 'positive'
  | 'relativeError'
  | 'parameters';

export const statement: Statement<Arm, Observable> = {
  id: 'ntk-pd-sphere',
  title: 'The limiting NTK is positive-definite on the sphere',
  summary:
    'For a non-polynomial Lipschitz activation, at least one hidden layer and a bias, ' +
    'the limiting NTK restricted to the unit sphere is ' +
    ('strictly positive-definite: the Gram matrix of any finite set of distinct points ' +
      'has a positive smallest eigenvalue (Jacot et al. ') +
    ('Proposition 2). The route: on the sphere the NTK is a dot-product kernel ' +
      "kappa(x.x') whose Taylor coefficients are non-negative with ") +
    ('infinitely many positive even and odd ones, which makes it strictly ' +
      'positive-definite on S^{d-1} (Schoenberg 1942; Chen, Menegatto & Sun 2003).'),
  sources: [
    JACOT_2018('Proposition 2'),
    {
      cite: 'Schoenberg 1942',
      where: 'Theorem 2',
      title: 'Positive definite functions on spheres',
      url: 'https://doi.org/10.1215/S0012-7094-42-00908-6',
    },
    {
      cite: 'Chen, Menegatto & Sun 2003',
      where: 'Theorem 1',
      title: 'A necessary and sufficient condition for strictly positive definite functions on spheres',
      url: 'https://doi.org/10.1090/S0002-9939-03-06730-3',
    },
    { cite: 'Cho & Saul 2009', where: 'eq. (6)', title: 'Kernel Methods for Deep Learning (arc-cosine kernels)' },
  ],
  hypotheses: [
    { id: 'non-polynomial', text: 'The activation is not a polynomial.', tex: String.raw`\phi \notin \mathbb R[z]` },
    { id: 'lipschitz', text: 'The activation is Lipschitz.', tex: String.raw`|\phi(x) - \phi(y)| \le C|x - y|` },
    {
      id: 'depth',
      text: 'At least one hidden layer (Jacot: L >= 2 counting the input as layer 0).',
      tex: String.raw`L_{\text{hidden}} \ge 1`,
    },
    { id: 'bias', text: 'A bias: beta > 0 in Jacot et al., sigma_b^2 > 0 here.', tex: String.raw`\sigma_b^2 > 0` },
    {
      id: 'sphere',
      text: 'Distinct points on the unit sphere S^{d-1}, d >= 3 for the Chen-Menegatto-Sun criterion.',
      tex: String.raw`x_i \in S^{d-1},\ x_i \ne x_j,\ d \ge 3`,
    },
  ],
  conventions:
    'Jacot et al. count layers 0..L (input included), so their L >= 2 is our depth >= 1 ' +
    'hidden layer. sigma_w^2 = 2 for relu and 1.5 for erf and tanh, sigma_b^2 = 0.1. ' +
    ('k0, k1 are the normalised arc-cosine kernels of degree 0 and 1; for relu with ' +
      "sigma_w^2 = 2 on the sphere, E[relu(u) relu(v)] = (q/2) k1(rho) and E[relu'(u) " +
      "relu'(v)] = k0(rho)/2."),
  claims: [
    {
      id: 'pd-random',
      kind: 'positivity',
      title: 'lambda_min of the analytic NTK Gram is positive for random point sets',
      tex:
        String.raw`\lambda_{\min}\big(\Theta_\infty(x_i, x_j)\big)_{i,j \le m} > 0 \quad (x_i \sim ` +
        String.raw`\mathrm{Unif}(S^{d-1}),\ d \in \{3,5,10\},\ L = 1..4,\ \phi \in \{\mathrm{relu}, ` +
        String.raw`\mathrm{erf}, \tanh\})`,
      hypotheses: ['non-polynomial', 'lipschitz', 'depth', 'bias', 'sphere'],
      source: 'Jacot, Gabriel & Hongler 2018, Proposition 2',
      theorem: true,
      standing: 'proven',
      arm: 'gram',
      observable: 'minMargin',
    },
    {
      id: 'pd-search',
      kind: 'positivity',
      title: 'fast-check finds no point set, depth or activation with a singular Gram',
      tex:
        String.raw`\forall\, d \in [3, 8],\ m \le 40,\ L \le 4,\ \phi,\ \{x_i\} \text{ (incl. ` +
        String.raw`antipodal pairs, near-duplicates)}:\ \lambda_{\min} > ` +
        String.raw`m\,\varepsilon_{64}\,\lambda_{\max}`,
      hypotheses: ['non-polynomial', 'lipschitz', 'depth', 'bias', 'sphere'],
      source: 'Jacot, Gabriel & Hongler 2018, Proposition 2',
      theorem: true,
      standing: 'proven',
      arm: 'search',
      observable: 'counterexamples',
    },
    {
      id: 'k1-derivative',
      kind: 'identity',
      tol: 1e-12,
      title: 'd k1 / du = k0 for the normalised arc-cosine kernels',
      tex: String.raw`\frac{d}{du}\,\frac{u(\pi - \arccos u) + \sqrt{1 - u^2}}{\pi} = \frac{\pi - \arccos u}{\pi}`,
      hypotheses: [],
      source: 'Cho & Saul 2009; Bietti & Mairal 2019, eq. (9)',
      theorem: true,
      standing: 'computed',
      arm: 'taylor',
      observable: 'k1DerivativeError',
    },
    {
      id: 'ntk-from-arccos',
      kind: 'identity',
      // sqrt(1 - rho^2) near |rho| = 1 turns a roundoff of 1e-16 in rho into 1.5e-8 / pi in the kernel.
      tol: 1e-8,
      title: 'The relu NTK on the sphere is built from k0 and k1 by the DESIGN.md recursion',
      tex:
        String.raw`\Theta^{(2)}(u) = \tfrac{2}{d}\big(k_1(u) + u\,k_0(u)\big) \quad (\sigma_w^2 = ` +
        String.raw`2,\ \sigma_b^2 = 0,\ \text{one hidden layer})`,
      hypotheses: ['sphere'],
      source: 'Jacot et al. 2018 Theorem 1 with Cho & Saul 2009',
      theorem: true,
      standing: 'computed',
      arm: 'taylor',
      observable: 'recursionError',
    },
    {
      id: 'taylor-nonnegative',
      kind: 'positivity',
      title:
        'Taylor coefficients of k0, k1 and of the relu NTK are non-negative, with positive ' +
        'even and odd ones (to order 24)',
      tex:
        String.raw`\kappa(u) = \sum_k a_k u^k,\ a_k \ge 0,\ \#\{k \text{ even}: a_k > 0\} = \#\{k \ge ` +
        String.raw`3 \text{ odd}: a_k > 0\} = \infty`,
      hypotheses: ['depth', 'bias'],
      source: 'Schoenberg 1942; Chen, Menegatto & Sun 2003',
      theorem: true,
      standing: 'computed',
      arm: 'taylor',
      observable: 'minCoefficient',
    },
    {
      id: 'empirical-pd',
      kind: 'positivity',
      title: 'At large width the empirical NTK Gram is positive-definite for every seed',
      tex: String.raw`\Pr\big[\lambda_{\min}(\hat\Theta_n) > m\,\varepsilon_{32}\,\lambda_{\max}\big] \to 1`,
      hypotheses: ['non-polynomial', 'lipschitz', 'depth', 'bias', 'sphere'],
      source: 'Jacot et al. 2018 Theorem 1 with Proposition 2',
      theorem: true,
      standing: 'proven',
      arm: 'empirical',
      observable: 'positive',
    },
    {
      id: 'empirical-converges',
      label: 'empirical NTK Gram, relative error',
      kind: 'limit',
      exponent: -0.5,
      tol: 0.15,
      title: 'The empirical NTK Gram approaches the analytic one at rate n^{-1/2}',
      tex:
        String.raw`\frac{\lVert \hat\Theta_n - \Theta_\infty \rVert_F}{\lVert \Theta_\infty \rVert_F} ` +
        String.raw`= O(n^{-1/2}) \to 0`,
      hypotheses: ['lipschitz', 'depth'],
      source:
        'Jacot et al. 2018, Theorem 1 proves the convergence without a rate; the n^{-1/2} ' +
        'rate is the central-limit heuristic (Dyer & Gur-Ari 2019, Conjecture 1)',
      theorem: true,
      standing: 'conjecture',
      arm: 'empirical',
      observable: 'relativeError',
    },
  ],
  ablations: [
    {
      id: 'polynomial',
      label: 'polynomial activation',
      title: 'Polynomial activation x^2 or x^3',
      violates: ['non-polynomial'],
      baseArm: 'search',
      arm: 'search-poly',
      description:
        'The kernel is a polynomial in u of bounded degree, so its Gram has rank at most the ' +
        'dimension of the spherical harmonics its degrees reach ' +
        ('(9 for x^2, one layer, d = 3): any larger point set is singular. fast-check finds ' +
          'such a set and shrinks it to the smallest size above the rank bound.'),
      why:
        "Jacot et al.'s positive definiteness needs a non-polynomial activation: a polynomial one gives a kernel " +
        'that is a polynomial in the cosine, whose Gram matrix has bounded rank, so enough points make it ' +
        'singular.',
    },
    {
      id: 'no-bias',
      label: 'no bias',
      title: 'No bias, one hidden layer, relu, antipodal pairs',
      violates: ['bias'],
      baseArm: 'search',
      arm: 'search-nobias',
      description:
        'Without bias the one-hidden-layer relu NTK is kappa(u) = (2/d)(k1 + u k0) whose ' +
        'only odd Taylor term is u: on antipodal pairs {x, -x} the odd part has rank d, ' +
        ('so d + 1 pairs give a singular Gram (lambda_min ~ 1e-16). A bias, or a second ' +
          'hidden layer, restores lambda_min of order 1e-2.'),
      why:
        'Without a bias the one-hidden-layer relu kernel has one odd Taylor term (the linear one), which has rank ' +
        'd on antipodal pairs, so d + 1 pairs make the Gram matrix singular.',
    },
    {
      id: 'no-bias-taylor',
      label: 'no bias, Taylor',
      title: 'No bias, one hidden layer: the Taylor coefficients',
      violates: ['bias'],
      baseArm: 'taylor',
      arm: 'taylor-nobias',
      description:
        'The exact series of (2/d)(k1 + u k0): every odd coefficient beyond u vanishes, so ' +
        'the Chen-Menegatto-Sun condition fails.',
      why:
        'The Chen-Menegatto-Sun condition needs infinitely many positive even and odd Taylor coefficients; ' +
        'without a bias every odd coefficient beyond the linear one is zero.',
    },
  ],
  experiment:
    'gram: m random points on S^{d-1} (m = 16, 64, 128 in full; d = 3, 5, 10), analytic ' +
    'NTK in float64, lambda_min by symmetric eigendecomposition; the float64 floor is m ' +
    'eps lambda_max. ' +
    ('search: fast-check over d, m, depth, activation and point sets (random, antipodal ' +
      'pairs, near-duplicates), shrinking any counterexample. ') +
    ('taylor: exact series of k0, k1 (coefficients a + b/pi, rational a, b) and ' +
      'Cauchy-integral coefficients of the relu NTK with bias at depth 1-3, cross-checked ' +
      'against mathjs derivatives at low order. ') +
    ('empirical: relu, two hidden layers, 24 points on S^2, empirical NTK of width n in ' +
      'float32, lambda_min against the float32 floor m eps_32 lambda_max.'),
  armLabels: {
    gram: 'Gram matrices',
    search: 'counterexample search',
    'search-poly': 'search, polynomial activation',
    'search-nobias': 'search, no bias',
    taylor: 'Taylor coefficients',
    'taylor-nobias': 'Taylor coefficients, no bias',
    empirical: 'empirical NTK, relu',
  },
  observableLabels: {
    relativeError: 'empirical NTK Gram: relative error',
  },
};
