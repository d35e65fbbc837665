/**
 * A theorem of your own, checked by tdlv exactly like the built-in ones:
 *
 *   npx tdlv verify ./examples/custom-theorem/theorem.ts --fidelity smoke
 *   npx tdlv audit proofs-numeric/gelu-depth4-ntk-change.smoke.json
 *   npx tdlv report --theorem ./examples/custom-theorem/theorem.ts --out my-reports
 *
 * The report writes the theorem's page and its lab (my-reports/lab.html: this module's cells run in a browser, with
 * the exercises below).
 *
 * The claim (Dyer & Gur-Ari 2019; Huang & Yau 2019 for the rate of the kernel's time derivative): in the NTK
 * parametrization the relative change of the empirical NTK of a depth-4 gelu network over a fixed number of full-batch
 * gradient-descent steps shrinks like n^-1 with the width n.
 */
import {
  defineTheorem,
  disposeMlp,
  empiricalNtk,
  frobenius,
  gradientDescentStep,
  initMlp,
  maxEigenvalue,
  parseActivation,
  perArmPlan,
  rate,
  sphereRegression,
  subtract,
  tensor2d,
  type CellResult,
  type CellTaskArgs,
  type Fidelity,
  type LabExercise,
  type SweepPlan,
  type TheoremStatement,
} from 'tdlv';

const DIM = 8;
const POINTS = 16;
const STEPS = 32;

const statement: TheoremStatement = {
  id: 'gelu-depth4-ntk-change',
  title: 'The NTK of a depth-4 gelu network moves by O(1/n) during gradient descent',
  summary:
    'Train a depth-4 gelu network in the NTK parametrization for 32 full-batch steps; ' +
    'the relative Frobenius change of its empirical NTK on the training points shrinks ' +
    'like 1/n.',
  sources: [
    {
      cite: 'Dyer & Gur-Ari 2019',
      where: 'Section 3 (the NTK changes at order 1/n during training)',
      title: 'Asymptotics of Wide Networks from Feynman Diagrams',
      url: 'https://arxiv.org/abs/1909.11304',
    },
  ],
  hypotheses: [
    {
      id: 'ntk-param',
      text: 'NTK parametrization, sigma_w^2 = 2, sigma_b^2 = 0.1, four hidden layers of width n, gelu.',
    },
    { id: 'gd', text: '32 full-batch gradient-descent steps on 16 points of S^7, eta = 1 / lambda_max(Theta_0 / 16).' },
  ],
  conventions:
    'Depth counts hidden layers. The change is ||Theta_T - Theta_0||_F / ||Theta_0||_F on the training points.',
  claims: [
    rate({
      id: 'ntk-change',
      title: 'The relative NTK change after 32 steps is O(n^-1)',
      tex: String.raw`\frac{\lVert \Theta_T - \Theta_0 \rVert_F}{\lVert \Theta_0 \rVert_F} = O(n^{-1})`,
      hypotheses: ['ntk-param', 'gd'],
      source: 'Dyer & Gur-Ari 2019, Section 3',
      theorem: true,
      standing: 'conjecture',
      arm: 'gelu',
      observable: 'ntkChange',
      mode: 'upper',
      exponent: -1,
      tol: 0.15,
    }),
  ],
  ablations: [],
  experiment: 'Per width and seed: one network, its NTK on the 16 training points before and after 32 steps.',
};

const PLANS: Record<Fidelity, NonNullable<SweepPlan['armPlans']>> = {
  smoke: { gelu: { widths: [32, 64, 128], seeds: 3 } },
  quick: { gelu: { widths: [64, 128, 256, 512], seeds: 4 } },
  full: { gelu: { widths: [128, 256, 512, 1024, 2048], seeds: 8 } },
};

/** One network: runs in a worker thread, so it only uses what it is given and what it imports. */
export function runCell({ cell }: CellTaskArgs): CellResult {
  const start = performance.now();
  const { X, Y } = sphereRegression('gelu-depth4-ntk-change', POINTS, 0, DIM);
  const net = initMlp(
    {
      inputDim: DIM,
      widths: [cell.width, cell.width, cell.width, cell.width],
      outputDim: 1,
      activation: parseActivation('gelu'),
      parametrization: 'ntk',
      sigmaW2: 2,
      sigmaB2: 0.1,
    },
    { experiment: 'gelu-depth4-ntk-change', width: cell.width, seed: cell.seed },
  );
  const theta0 = empiricalNtk(net, X);
  const eta = POINTS / maxEigenvalue(theta0);
  const Xt = tensor2d(X);
  const Yt = tensor2d(Y);
  let loss = NaN;
  for (let t = 0; t < STEPS; t++) loss = gradientDescentStep(net, Xt, Yt, eta);
  const change = frobenius(subtract(empiricalNtk(net, X), theta0)) / frobenius(theta0);
  Xt.dispose();
  Yt.dispose();
  disposeMlp(net);
  const ok = Number.isFinite(change) && Number.isFinite(loss);
  return {
    ...cell,
    status: ok ? 'ok' : 'invalid',
    ...(ok ? {} : { why: 'training diverged' }),
    observation: { ntkChange: change, finalLoss: loss },
    seconds: (performance.now() - start) / 1000,
  };
}

export const check = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
});

/** Exercises for the lab (optional): each is checked against the statement when the report is written. */
export const exercises: LabExercise[] = [
  {
    id: 'too-few-networks',
    question: 'Run widths 32, 64 and 128 with 3 seeds each. Can 9 networks decide whether the change is O(n^-1)?',
    run: { arm: 'gelu', widths: [32, 64, 128], seeds: 3 },
    expect: { 'ntk-change': 'inconclusive' },
    answer:
      'No: a rate verdict needs at least 15 independent networks, whatever the slope looks like. Run 5 seeds per ' +
      'width and read the interval: is it narrower than the claim tolerance of 0.15?',
  },
];
