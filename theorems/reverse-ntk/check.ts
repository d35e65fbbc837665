/**
 * reverse-ntk: plans and the cell. One computed cell (arm `symbolic`) evaluates every identity and each step of its
 * derivation, each line by its own route; the network arms draw shallow networks with the engineered activation in
 * float64 and measure their empirical NTK against the depth-3 relu NTK. Written on the public API only.
 */
import {
  activationFromNtk,
  analyticKernels,
  defineTheorem,
  erfHermite,
  gaussianMean,
  gaussianPairExpectation,
  gaussianPairMean,
  hermiteActivation,
  hermiteByQuadrature,
  hermiteFunctions,
  hermiteSeriesFunction,
  k1Series,
  mehlerCoefficients,
  mehlerNngp,
  NegativeCoefficientError,
  pairMoments,
  parseActivation,
  perArmPlan,
  piLinearValue,
  reluHermite,
  reluHermiteSquaresExact,
  reluKernelSeries,
  seriesTailBound,
  seriesValue,
  stream,
  type Activation,
  type CellOutput,
  type CellTaskArgs,
  type Fidelity,
  type SweepPlan,
  type Settings,
  type TheoremCheck,
} from '../../src/index.ts';
import { DESIGN, statement, type Arm, type Observable } from './statement.ts';

const EXPERIMENT = 'reverse-ntk';
/** The network arms' streams (v2: the redesign after the first quick run draws fresh seeds and fresh inputs). */
const NETWORKS = 'reverse-ntk/v2';
const relu = parseActivation('relu');
const ACTIVATIONS = ['relu', 'erf', 'tanh', 'gelu'].map((name) => parseActivation(name));

/** What a cell computes: the identities (one computed cell), or shallow networks with an engineered activation. */
type ArmSpec = { kind: 'symbolic' } | { kind: 'network'; degree: number; flipLinear: boolean };
const ARMS: Record<Arm, ArmSpec> = {
  symbolic: { kind: 'symbolic' },
  engineered: { kind: 'network', degree: DESIGN.networkDegree, flipLinear: false },
  truncated: { kind: 'network', degree: DESIGN.truncatedDegree, flipLinear: false },
  'high-degree': { kind: 'network', degree: DESIGN.analyticDegree, flipLinear: false },
  'negative-coefficient': { kind: 'network', degree: DESIGN.networkDegree, flipLinear: true },
};

type ArmPlans = NonNullable<SweepPlan<Settings, Arm>['armPlans']>;
const at = (widths: number[], seeds: number) => ({ widths, seeds });
const networks = (widths: number[], seeds: number): ArmPlans => ({
  engineered: at(widths, seeds),
  truncated: at(widths, seeds),
  'high-degree': at(widths, seeds),
  'negative-coefficient': at(widths, seeds),
});
const PLANS: Record<Fidelity, ArmPlans> = {
  smoke: { symbolic: at([1], 1), ...networks([256, 1024, 4096], 4) },
  quick: { symbolic: at([1], 1), ...networks([256, 1024, 4096, 16384], 8) },
  full: { symbolic: at([1], 1), ...networks([256, 1024, 4096, 16384, 65536], 16) },
};

/** The target: the NTK of the depth-3 relu network with sigma_w^2 = 2 on every layer, twice the normalised series. */
const normalised = reluKernelSeries(DESIGN.targetDepth, DESIGN.seriesTerms);
export const TARGET: readonly number[] = Array.from(normalised.ntk, (b) => 2 * b);
export const TARGET_AT_ONE = 2 * normalised.ntkAtOne;
const deepSpec = { activation: relu, depth: DESIGN.targetDepth, sigmaW2: 2, sigmaB2: 0 };
const shallowSpec = (activation: Activation) => ({ activation, depth: 1, sigmaW2: 1, sigmaB2: 0 });

/** Two points of the sphere of radius sqrt(3) in dimension 3 at cosine rho. */
const pair = (rho: number) => {
  const r = Math.sqrt(3);
  return [
    [r, 0, 0],
    [r * rho, r * Math.sqrt(1 - rho * rho), 0],
  ];
};
/** Theta(x, x') of a kernel spec at cosine rho, by the engine's recursion. */
const ntkAt = (spec: Parameters<typeof analyticKernels>[1], rho: number) =>
  analyticKernels(pair(rho), spec).ntk[0]![1]!;

/** `count` cosines uniform in [-r, r] from the symbolic arm's own stream, with -r, 0 and r. */
function cosines(purpose: string, r: number, count: number): number[] {
  const rng = stream({ experiment: EXPERIMENT, arm: 'symbolic', purpose });
  return [-r, 0, r, ...Array.from({ length: count - 3 }, () => r * (2 * rng.uniform() - 1))];
}

const maxOver = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((m, x) => Math.max(m, Math.abs(f(x))), 0);

/** Every identity of the statement and each step of its derivation, at the cosines of its own stream. */
export function symbolicObservation(): Record<string, number> {
  const K = DESIGN.coefficientDegree;
  const reluQuadrature = hermiteByQuadrature(relu.f, K).coefficients;
  const erfQuadrature = hermiteByQuadrature(ACTIVATIONS[1]!.f, K).coefficients;
  const tanhAdaptive = hermiteByQuadrature(Math.tanh, K).coefficients;
  const h = new Float64Array(K + 1);
  const tanhGaussHermite = tanhAdaptive.map((_, k) =>
    gaussianMean((z) => Math.tanh(z) * hermiteFunctions(z, k, h)[k]!, 1, 190),
  );
  const coefficientError = Math.max(
    ...reluHermite(K).map((a, k) => Math.abs(a - reluQuadrature[k]!)),
    ...erfHermite(K).map((a, k) => Math.abs(a - erfQuadrature[k]!)),
    ...tanhAdaptive.map((a, k) => Math.abs(a - tanhGaussHermite[k]!)),
  );

  // relu's squares against the arc-cosine series, exactly; then the chain at cosines in [-0.9, 0.9].
  const squares = reluHermiteSquaresExact(K);
  const k1 = k1Series(K);
  const arccosExactError = Math.max(
    ...squares.map((s, k) =>
      Math.max(Math.abs(s.a.sub(k1[k]!.a.div(2)).valueOf()), Math.abs(s.b.sub(k1[k]!.b.div(2)).valueOf())),
    ),
  );
  const M = DESIGN.mehlerDegree;
  const mehlerRhos = cosines('mehler', 0.9, 20);
  const reluSeries = reluHermite(M);
  const k1Long = k1Series(M).map(piLinearValue);
  const quadraturePair = (phi: Activation, which: 'f' | 'df', rho: number) =>
    gaussianPairExpectation(phi[which], phi[which], 1, 1, rho, 1e-12).value;
  const arccosStepMehler = maxOver(mehlerRhos, (rho) => mehlerNngp(reluSeries, rho) - quadraturePair(relu, 'f', rho));
  const choSaul = (rho: number) => relu.closedForm!.phiPhi(1, 1, rho);
  const arccosStepChoSaul = maxOver(mehlerRhos, (rho) => quadraturePair(relu, 'f', rho) - choSaul(rho));
  const arccosStepTaylor = maxOver(mehlerRhos, (rho) => choSaul(rho) - 0.5 * seriesValue(k1Long, rho));

  // Mehler for the NNGP and the NTK of one hidden layer, four activations, coefficients by quadrature.
  let mehlerNngpError = 0;
  let mehlerNtkError = 0;
  let ntkStepRecursion = 0;
  let ntkStepMehler = 0;
  for (const phi of ACTIVATIONS) {
    const a = hermiteByQuadrature(phi.f, M).coefficients;
    const { ntk } = mehlerCoefficients(a);
    for (const rho of mehlerRhos) {
      mehlerNngpError = Math.max(mehlerNngpError, Math.abs(mehlerNngp(a, rho) - pairMoments(phi, 1, 1, rho).phiPhi));
      const engine = ntkAt(shallowSpec(phi), rho);
      const recursion = phi.closedForm
        ? quadraturePair(phi, 'f', rho) + rho * quadraturePair(phi, 'df', rho)
        : gaussianPairMean(phi.f, phi.f, 1, 1, rho, 150) + rho * gaussianPairMean(phi.df, phi.df, 1, 1, rho, 150);
      const series = seriesValue(ntk, rho);
      mehlerNtkError = Math.max(mehlerNtkError, Math.abs(engine - series));
      ntkStepRecursion = Math.max(ntkStepRecursion, Math.abs(engine - recursion));
      ntkStepMehler = Math.max(ntkStepMehler, Math.abs(recursion - series));
    }
  }

  // The depth-3 relu NTK as a series against the recursion.
  const seriesError = maxOver(cosines('series', 0.95, 50), (rho) => seriesValue(TARGET, rho) - ntkAt(deepSpec, rho));

  // The engineered activation: the engine's one-layer NTK of the polynomial against the target.
  const cut = TARGET.slice(0, DESIGN.analyticDegree + 1);
  const engineered = hermiteActivation(activationFromNtk(cut));
  let engineeredError = 0;
  let engineeredStepMehler = 0;
  let engineeredStepTail = 0;
  for (const rho of cosines('engineered', DESIGN.analyticMaxCosine, 20)) {
    const shallow = ntkAt(shallowSpec(engineered), rho);
    const deep = ntkAt(deepSpec, rho);
    engineeredError = Math.max(engineeredError, Math.abs(shallow - deep));
    engineeredStepMehler = Math.max(engineeredStepMehler, Math.abs(shallow - seriesValue(cut, rho)));
    engineeredStepTail = Math.max(engineeredStepTail, Math.abs(seriesValue(cut, rho) - deep));
  }
  return {
    coefficientError,
    arccosExactError,
    arccosStepMehler,
    arccosStepChoSaul,
    arccosStepTaylor,
    mehlerNngpError,
    mehlerNtkError,
    ntkStepRecursion,
    ntkStepMehler,
    seriesError,
    seriesTail: seriesTailBound(TARGET, TARGET_AT_ONE, 0.95),
    minTargetCoefficient: Math.min(...TARGET),
    engineeredError,
    engineeredStepMehler,
    engineeredStepTail,
    engineeredTail: seriesTailBound(cut, TARGET_AT_ONE, DESIGN.analyticMaxCosine),
  };
}

/**
 * The fixed inputs of the network arms: DESIGN.inputs points on the sphere of radius sqrt(d), drawn from their own
 * stream and redrawn (as a whole) until every pairwise |cosine| is at most DESIGN.networkMaxCosine.
 */
export function networkInputs(): { X: Float64Array; rho: Float64Array; maxCosine: number } {
  const { inputs: m, inputDimension: d } = DESIGN;
  const rng = stream({ experiment: NETWORKS, purpose: 'inputs' });
  for (;;) {
    const X = rng.fillNormal(new Float64Array(m * d));
    for (let i = 0; i < m; i++) {
      let norm = 0;
      for (let k = 0; k < d; k++) norm += X[i * d + k]! ** 2;
      const scale = Math.sqrt(d / norm);
      for (let k = 0; k < d; k++) X[i * d + k]! *= scale;
    }
    const rho = new Float64Array(m * m);
    let maxCosine = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += X[i * d + k]! * X[j * d + k]!;
        rho[i * m + j] = s / d;
        if (i !== j) maxCosine = Math.max(maxCosine, Math.abs(s / d));
      }
    if (maxCosine <= DESIGN.networkMaxCosine) return { X, rho, maxCosine };
  }
}

/** The NTK of the depth-3 relu network between the inputs, by the closed-form recursion. */
function targetGram(X: Float64Array): number[][] {
  const { inputs: m, inputDimension: d } = DESIGN;
  const rows = Array.from({ length: m }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d)));
  return analyticKernels(rows, deepSpec).ntk;
}

/**
 * The empirical NTK of f(x) = n^-1/2 sum_r v_r phi(<w_r, x> / sqrt(d)) between the inputs:
 * Theta_n(x_i, x_j) = (1/n) sum_r [phi(z_ri) phi(z_rj) + v_r^2 phi'(z_ri) phi'(z_rj) rho_ij], phi = sum_k a_k h_k.
 */
export function empiricalNtk(a: readonly number[], n: number, X: Float64Array, rho: Float64Array, seedKey: object) {
  const { inputs: m, inputDimension: d } = DESIGN;
  const series = hermiteSeriesFunction(a);
  const value = new Float64Array(2);
  const rng = stream({ experiment: NETWORKS, ...seedKey });
  const w = new Float64Array(d);
  const phi = new Float64Array(m);
  const dphi = new Float64Array(m);
  const theta = new Float64Array(m * m);
  for (let r = 0; r < n; r++) {
    rng.fillNormal(w);
    const v = rng.normal();
    for (let i = 0; i < m; i++) {
      let z = 0;
      for (let k = 0; k < d; k++) z += w[k]! * X[i * d + k]!;
      series.both(z / Math.sqrt(d), value);
      phi[i] = value[0]!;
      dphi[i] = value[1]!;
    }
    for (let i = 0; i < m; i++)
      for (let j = i; j < m; j++)
        theta[i * m + j]! += phi[i]! * phi[j]! + v * v * dphi[i]! * dphi[j]! * rho[i * m + j]!;
  }
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) theta[j * m + i] = theta[i * m + j]! /= n;
  return theta;
}

let inputsCache: { X: Float64Array; rho: Float64Array; maxCosine: number; gram: number[][] } | null = null;

function networkObservation(arm: Extract<ArmSpec, { kind: 'network' }>, name: string, n: number, seed: number) {
  inputsCache ??= (() => {
    const inputs = networkInputs();
    return { ...inputs, gram: targetGram(inputs.X) };
  })();
  const { X, rho, maxCosine, gram } = inputsCache;
  const { inputs: m } = DESIGN;
  const wanted = TARGET.slice(0, arm.degree + 1);
  // The ablation's target: b_1 -> -b_1, so Theta'(rho) = Theta(rho) - 2 b_1 rho.
  if (arm.flipLinear) wanted[1] = -wanted[1]!;
  let refused = 0;
  let a: number[];
  try {
    a = activationFromNtk(wanted);
  } catch (error) {
    if (!(error instanceof NegativeCoefficientError)) throw error;
    refused = 1;
    a = activationFromNtk(wanted.map((b) => Math.max(0, b)));
  }
  const theta = empiricalNtk(a, n, X, rho, { arm: name, width: n, seed });
  const target = (i: number, j: number) => gram[i]![j]! - (arm.flipLinear ? 2 * TARGET[1]! * rho[i * m + j]! : 0);
  let deviation = 0;
  let diagonalDeviation = 0;
  for (let i = 0; i < m; i++)
    for (let j = i; j < m; j++) {
      const e = Math.abs(theta[i * m + j]! - target(i, j)) / TARGET_AT_ONE;
      if (i === j) diagonalDeviation = Math.max(diagonalDeviation, e);
      else deviation = Math.max(deviation, e);
    }
  const kept = wanted.reduce((s, b) => s + Math.max(0, b), 0);
  return {
    deviation,
    diagonalDeviation,
    diagonalBias: (TARGET_AT_ONE - kept) / TARGET_AT_ONE,
    truncationBound: seriesTailBound(wanted, TARGET_AT_ONE, maxCosine) / TARGET_AT_ONE,
    maxCosine,
    refused,
  };
}

/**
 * Where a cut series is exact and where it is not: |Theta_K(rho) - Theta(rho)| / Theta(1) over [-1, 1] for the
 * degrees the arms use (the series cut at K against the closed-form recursion), for the cell-curves figure.
 */
export function cutErrors() {
  const x = Array.from({ length: 201 }, (_, k) => -1 + k / 100);
  const deep = x.map((rho) => ntkAt(deepSpec, rho));
  const curves = [DESIGN.truncatedDegree, DESIGN.networkDegree, DESIGN.analyticDegree].map((K) => ({
    label: `cut at degree ${K}`,
    y: x.map((rho, k) => Math.abs(seriesValue(TARGET.slice(0, K + 1), rho) - deep[k]!) / TARGET_AT_ONE),
  }));
  return { x, curves };
}

/** One cell: the identities (arm symbolic), or one shallow network's empirical NTK against the target. */
export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellOutput<Observable> {
  const arm = ARMS[cell.arm]!;
  const observation =
    arm.kind === 'symbolic' ? symbolicObservation() : networkObservation(arm, cell.arm, cell.width, cell.seed);
  const bad = Object.entries(observation).find(([, v]) => !Number.isFinite(v));
  return {
    observation,
    ...(arm.kind === 'symbolic' ? { details: { cut: cutErrors() } } : {}),
    ...(bad ? { why: `${bad[0]} is not finite` } : {}),
  };
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '3',
  cellCost: ({ arm, width }) => {
    const spec = ARMS[arm]!;
    // The symbolic cell: about 200 adaptive quadratures of degree-200 integrands and 100 kernel recursions.
    if (spec.kind === 'symbolic') return 5e8;
    return width * DESIGN.inputs * (DESIGN.inputDimension + 3 * spec.degree + DESIGN.inputs);
  },
});
