/** What `tdlv new` writes: a theorem module a user starts from (test/cli/new-check.test.ts runs it end to end). */

export const USER_TSCONFIG =
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        // ES modules whatever the folder's package.json says (`npm init` leaves out "type"): NodeNext would check a
        // theorem in a folder without "type": "module" as CommonJS and refuse its import.meta.url, which tdlv loads
        // through tsx either way.
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
      },
    },
    null,
    2,
  ) + '\n';

export function theoremSkeleton(id: string): string {
  return (
    `/**
 * ${id}: a theorem module for tdlv (written by \`tdlv new\`; edit everything).
 *
 *   npx tdlv check ./${id}.ts                    validate the statement and plans (and type-check it)
 *   npx tdlv verify ./${id}.ts --fidelity smoke  run the sweep, judge the claim, write the certificate
 *   npx tdlv audit proofs-numeric/${id}.smoke.json
 *   npx tdlv report --theorem ./${id}.ts --certificates proofs-numeric --out reports
 *
 * The claim: at initialization the empirical NTK of a one-hidden-layer relu network in the NTK parametrization differs
 * from its infinite-width limit by O(n^-1/2) in relative Frobenius norm (the fluctuations of a sum of n independent
 * terms; Jacot et al. 2018 prove the convergence, the rate is the central limit theorem's).
 */
import {
  analyticKernels,
  defineTheorem,
  disposeMlp,
  empiricalNtk,
  frobenius,
  initMlp,
  parseActivation,
  perArmPlan,
  rate,
  sphereRegression,
  subtract,
  type CellOutput,
  type CellTaskArgs,
  type Fidelity,
  type Settings,
  type Statement,
  type SweepPlan,
  type TheoremCheck,
} from 'tdlv';

/** The arms the sweep runs and what a cell returns: the compiler holds the claims, plans and cells to these names. */
type Arm = 'relu';
type Observable = 'deviation';

const DIM = 4;
const POINTS = 6;
const NET = { sigmaW2: 2, sigmaB2: 0.1 };

const statement: Statement<Arm, Observable> = {
  id: '${id}',
  title: 'The empirical NTK at initialization is within O(n^-1/2) of its limit',
  summary: 'One hidden relu layer of width n, NTK parametrization: the relative distance between the ` +
    `empirical and the analytic NTK on six points of the sphere shrinks like n^-1/2.',
  sources: [
    {
      cite: 'Jacot, Gabriel & Hongler 2018',
      where: 'Theorem 1 (convergence of the NTK at initialization)',
      title: 'Neural Tangent Kernel: Convergence and Generalization in Neural Networks',
      url: 'https://arxiv.org/abs/1806.07572',
    },
  ],
  hypotheses: [
    { id: 'ntk-param', text: 'NTK parametrization, sigma_w^2 = 2, sigma_b^2 = 0.1, one hidden relu layer of width n.' },
    { id: 'init', text: 'Gaussian initialization, no training.' },
  ],
  conventions: 'Depth counts hidden layers (Jacot et al. count layers 0..L: their L = 2 is our depth 1).',
  claims: [
    rate({
      id: 'ntk-deviation',
      title: 'The relative distance to the analytic NTK is O(n^-1/2)',
      tex: String.raw\`\\frac{\\lVert \\hat\\Theta_n - \\Theta \\rVert_F}{\\lVert \\Theta \\rVert_F} = O(n^{-1/2})\`,
      hypotheses: ['ntk-param', 'init'],
      source: 'Jacot, Gabriel & Hongler 2018, Theorem 1 (the rate: central limit theorem)',
      theorem: true,
      standing: 'conjecture',
      arm: 'relu',
      observable: 'deviation',
      mode: 'upper',
      exponent: -0.5,
      tol: 0.15,
    }),
  ],
  ablations: [],
  experiment: 'Per width and seed: one network at initialization, its NTK on six points against the analytic NTK.',
};

const PLANS: Record<Fidelity, NonNullable<SweepPlan<Settings, Arm>['armPlans']>> = {
  smoke: { relu: { widths: [32, 64, 128, 256], seeds: 4 } },
  quick: { relu: { widths: [64, 128, 256, 512, 1024], seeds: 8 } },
  full: { relu: { widths: [128, 256, 512, 1024, 2048, 4096], seeds: 16 } },
};

/**
 * One network: runs in a worker thread, so it uses only what it is given and what it imports. It returns its
 * observations (and \`why\` when the cell is invalid); the envelope adds the cell's address, status and seconds.
 */
export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellOutput<Observable> {
  const { X } = sphereRegression('${id}', POINTS, 0, DIM);
  const activation = parseActivation('relu');
  const net = initMlp(
    { inputDim: DIM, widths: [cell.width], outputDim: 1, activation, parametrization: 'ntk', ...NET },
    { experiment: '${id}', width: cell.width, seed: cell.seed },
  );
  const limit = analyticKernels(X, { activation, depth: 1, ...NET }).ntk;
  const deviation = frobenius(subtract(empiricalNtk(net, X), limit)) / frobenius(limit);
  disposeMlp(net);
  return { observation: { deviation }, ...(Number.isFinite(deviation) ? {} : { why: 'the deviation is not finite' }) };
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
});
`
  );
}
