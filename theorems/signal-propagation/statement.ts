/**
 * signal-propagation: the statement. Deep tanh networks at initialization follow the mean-field maps of Poole et al.
 * 2016 and Schoenholz et al. 2017 (src/engine/kernels/mean-field.ts): correlations converge to the iterated map at the
 * CLT rate, and squared gradients grow by chi_1 per layer. Written on the public API only, as a user would.
 */
// Types only: `tdlv list` reads this statement without loading the numerical engine (the public index does).
import type { FormulaClaim, RateClaim, TheoremStatement } from '../../src/index.ts';

const rate = (claim: Omit<RateClaim, 'kind'>): RateClaim => ({ ...claim, kind: 'rate' });
const formula = (claim: Omit<FormulaClaim, 'kind'>): FormulaClaim => ({ ...claim, kind: 'formula' });

export const LAYERS = 6;

export const statement: TheoremStatement = {
  id: 'signal-propagation',
  title: 'Signal propagation: wide deep networks follow the mean-field length, correlation and gradient maps',
  summary:
    'At initialization, a deep tanh network of width n maps the length and correlation of two inputs layer by ' +
    'layer as the mean-field maps predict (Poole et al. 2016), with fluctuations of order n^-1/2; a backpropagated ' +
    'signal grows or shrinks by chi_1 per layer, the slope that separates the ordered from the chaotic phase ' +
    '(Schoenholz et al. 2017). The maps, their fixed points and chi_1 come from tdlv criticality.',
  sources: [
    {
      cite: 'Poole, Lahiri, Raghu, Sohl-Dickstein & Ganguli 2016',
      where: 'Section 2 (length and correlation maps) and Section 3 (the order-to-chaos transition)',
      title: 'Exponential expressivity in deep neural networks through transient chaos',
      url: 'https://arxiv.org/abs/1606.05340',
    },
    {
      cite: 'Schoenholz, Gilmer, Ganguli & Sohl-Dickstein 2017',
      where: 'Section 4 (backpropagated gradients grow like chi_1 per layer), Fig. 1 (the critical line)',
      title: 'Deep Information Propagation',
      url: 'https://arxiv.org/abs/1611.01232',
    },
    {
      cite: 'Basteri & Trevisan 2022',
      where: 'main theorem (Wasserstein distance to the Gaussian limit at fixed depth, O(n^-1/2))',
      title: 'Quantitative Gaussian approximation of randomly initialized deep neural networks',
      url: 'https://arxiv.org/abs/2203.07379',
    },
    {
      cite: 'Yang 2019',
      where: 'the gradient independence assumption justified in the wide limit (for backpropagation through an MLP)',
      title:
        'Scaling Limits of Wide Neural Networks with Weight Sharing: Gaussian Process Behavior, Gradient ' +
        'Independence, and Neural Tangent Kernel Derivation',
      url: 'https://arxiv.org/abs/1902.04760',
    },
  ],
  hypotheses: [
    {
      id: 'gaussian-weights',
      text: 'Weights i.i.d. N(0, sigma_w^2 / n) and biases N(0, sigma_b^2): finite variance.',
      tex: String.raw`W_{ij} \sim \mathcal N(0, \sigma_w^2/n),\ b_i \sim \mathcal N(0, \sigma_b^2)`,
    },
    { id: 'fixed-depth', text: `Depth fixed (${LAYERS} layers) while the width n grows.` },
    { id: 'tanh', text: 'tanh activation: bounded, odd, smooth.' },
    {
      id: 'at-fixed-point',
      text:
        'Inputs scaled so that the first layer starts at the length fixed point q*: chi_1 is the same at every ' +
        'layer.',
    },
  ],
  conventions:
    'Layer 1 is the first pre-activation, sigma_w W x / sqrt(d) + sigma_b b; layer l + 1 is sigma_w W phi(h_l) / ' +
    'sqrt(n) + sigma_b b. Correlations are of the two inputs pre-activations; gradients are backpropagated from a ' +
    'Gaussian vector at the last layer to the first.',
  claims: [
    rate({
      id: 'correlation-map',
      title: `The correlation of two inputs at layer ${LAYERS} is within O(n^-1/2) of the iterated mean-field map`,
      tex:
        String.raw`\left|\hat c^{(L)}_n - c^{(L)}\right| = O(n^{-1/2}),\quad ` +
        String.raw`c^{(l+1)} = \frac{\sigma_w^2 \mathbb E[\phi(u)\phi(v)] + \sigma_b^2}{q^{(l+1)}}`,
      hypotheses: ['gaussian-weights', 'fixed-depth', 'tanh'],
      source:
        'Poole et al. 2016 (the map, in the limit); Basteri & Trevisan 2022 (an O(n^-1/2) bound at fixed ' +
        'depth, so a faster rate would not contradict it)',
      theorem: true,
      standing: 'proven-bound',
      arm: 'chaotic',
      observable: 'correlationDeviation',
      mode: 'upper',
      exponent: -0.5,
      tol: 0.15,
    }),
    formula({
      id: 'gradient-growth-chaotic',
      title: 'In the chaotic phase a backpropagated signal grows by chi_1 > 1 per layer',
      tex:
        String.raw`\left(\lVert\delta^{(1)}\rVert^2 / \lVert\delta^{(L)}\rVert^2\right)^{1/(L-1)} = \chi_1 = ` +
        String.raw`\sigma_w^2\,\mathbb E\big[\phi'(\sqrt{q^*} z)^2\big]`,
      hypotheses: ['gaussian-weights', 'fixed-depth', 'tanh', 'at-fixed-point'],
      source:
        'Schoenholz et al. 2017, Section 4 (under the gradient independence assumption); Yang 2019 (the assumption ' +
        'holds in the wide limit)',
      theorem: true,
      standing: 'proven',
      arm: 'chaotic-wide',
      observable: 'gradientGrowth',
      predicted: 'chi1',
      relTol: 0.05,
      relTolReason:
        'the leading finite-width corrections to a per-layer factor are O(L / n), at most 6 / 256 ~ 2.3% at the ' +
        'smallest width used, plus the O(1 / n) bias of a ratio of norms; 5% leaves room for both, fixed before ' +
        'the data',
      exact: false,
    }),
    formula({
      id: 'gradient-growth-ordered',
      title: 'In the ordered phase it shrinks by chi_1 < 1 per layer',
      tex: String.raw`\left(\lVert\delta^{(1)}\rVert^2 / \lVert\delta^{(L)}\rVert^2\right)^{1/(L-1)} = \chi_1 < 1`,
      hypotheses: ['gaussian-weights', 'fixed-depth', 'tanh', 'at-fixed-point'],
      source: 'Schoenholz et al. 2017, Section 4; Yang 2019',
      theorem: true,
      standing: 'proven',
      arm: 'ordered',
      observable: 'gradientGrowth',
      predicted: 'chi1',
      relTol: 0.05,
      relTolReason: 'as for gradient-growth-chaotic',
      exact: false,
    }),
  ],
  ablations: [
    {
      id: 'cauchy',
      arm: 'cauchy',
      baseArm: 'chaotic',
      violates: ['gaussian-weights'],
      title: 'Cauchy weights (infinite variance) scaled by 1/n, the stable-law scaling',
      description:
        'with infinite-variance weights a pre-activation is dominated by a few large weights: it is not Gaussian in ' +
        'the limit and the mean-field maps do not describe it, so the deviation need not shrink like n^-1/2',
    },
  ],
  experiment:
    `Per width n and seed: one tanh network of ${LAYERS} layers at initialization (float64), two inputs with ` +
    'correlation 0.5 scaled to start at q*; the empirical correlation at the last layer against the iterated map ' +
    'from the first layer, and a Gaussian vector backpropagated from the last layer to the first. Arms: chaotic ' +
    '(sigma_w^2 = 3, sigma_b^2 = 0.05; widths from 64 for the rate, from 256 as chaotic-wide for the gradient ' +
    'factor, whose tolerance needs L / n <= 6 / 256), ordered (sigma_w^2 = 1.5, sigma_b^2 = 0.5), and the Cauchy ' +
    'ablation of the correlation claim.',
};
