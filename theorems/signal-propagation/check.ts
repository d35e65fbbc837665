/**
 * signal-propagation: plans and the cell. Every cell is a real network at initialization in float64 whose weights are
 * drawn layer by layer from the cell's own streams; the mean-field predictions come from tdlv's public mean-field maps.
 * Four kinds of arm: fixed depth across widths (correlations, contraction, gradients), depth sweeps at one width (the
 * approach to c = 1 on the critical line), residual and plain depth sweeps (length and gradient against depth), and
 * batches of relu and tanh networks for the excess kurtosis against L / n.
 */
import {
  chi1,
  chiC,
  correlationMap,
  criticalSigmaW2,
  depthScales,
  disposeMlp,
  empiricalNtk,
  initMlp,
  kernelLearningRate,
  lengthSlope,
  sphereRegression,
  tensor2d,
  trainFullBatch,
  defineTheorem,
  lengthFixedPoint,
  lengthMap,
  parseActivation,
  perArmPlan,
  stream,
  type CellOutput,
  type CellTaskArgs,
  type Fidelity,
  type SweepPlan,
  type Settings,
  type TheoremCheck,
  type Cell,
  type Observation,
} from '../../src/index.ts';
import {
  DEPTH_WIDTH,
  KURTOSIS_BATCH,
  LAYERS,
  RESIDUAL,
  statement,
  TRAINABLE,
  type Arm,
  type Observable,
} from './statement.ts';

const tanh = parseActivation('tanh');
const relu = parseActivation('relu');
type Act = typeof tanh;

/** Every draw of this module's streams is keyed by this (v2: fresh seeds for the redesigned correlation claim). */
const EXPERIMENT = 'signal-propagation/v2';

/** An arm: what network a cell builds and what `cell.width` means for it. */
type ArmSpec =
  /** Depth LAYERS, width cell.width: correlation of two inputs, contraction of a near-parallel pair, gradients. */
  | { kind: 'fixed-depth'; sigmaW2: number; sigmaB2: number; weights: 'gaussian' | 'cauchy' }
  /** Width DEPTH_WIDTH, depth cell.width: 1 - c of two orthogonal inputs at the last layer. */
  | { kind: 'depth'; phi: Act; sigmaW2: number; sigmaB2: number }
  /** Width DEPTH_WIDTH, depth cell.width, one input: length and backpropagated gradient, with or without skips. */
  | { kind: 'residual'; residual: boolean; sigmaW2: number; sigmaB2: number }
  /** KURTOSIS_BATCH relu networks at the edge of chaos, depth cell.width and this width. */
  | { kind: 'kurtosis'; n: number }
  /**
   * TANH_BATCH tanh networks at width n, depth cell.width, at (sigma_w^2, sigma_b^2): the excess kurtosis from the
   * batch's spread of conditional variances, against Roberts, Yaida & Hanin's leading-order recursion.
   */
  | { kind: 'tanh-kurtosis'; n: number; sigmaW2: number; sigmaB2: number }
  /** Tanh networks of width TRAINABLE.width in the chaotic phase with depth scale xi_c = cell.width, trained. */
  | { kind: 'trainable' };

const tanhCritical = criticalSigmaW2(tanh, 0.05);
const ARMS: Record<Arm, ArmSpec> = {
  chaotic: { kind: 'fixed-depth', sigmaW2: 3, sigmaB2: 0.05, weights: 'gaussian' },
  // The same networks at the widths where the gradient claim's tolerance holds (L / n <= 6 / 256).
  'chaotic-wide': { kind: 'fixed-depth', sigmaW2: 3, sigmaB2: 0.05, weights: 'gaussian' },
  ordered: { kind: 'fixed-depth', sigmaW2: 1.5, sigmaB2: 0.5, weights: 'gaussian' },
  cauchy: { kind: 'fixed-depth', sigmaW2: 3, sigmaB2: 0.05, weights: 'cauchy' },
  'critical-tanh': { kind: 'depth', phi: tanh, sigmaW2: tanhCritical, sigmaB2: 0.05 },
  'critical-relu': { kind: 'depth', phi: relu, sigmaW2: 2, sigmaB2: 0 },
  'chaotic-depth': { kind: 'depth', phi: tanh, sigmaW2: 3, sigmaB2: 0.05 },
  residual: { kind: 'residual', residual: true, ...RESIDUAL },
  plain: { kind: 'residual', residual: false, ...RESIDUAL },
  'relu-kurtosis': { kind: 'kurtosis', n: 256 },
  'deep-narrow': { kind: 'kurtosis', n: 32 },
  // The K* = 0 class (chi_par = chi_perp = 1 as K -> 0), and tanh on its critical line with a bias (chi_par < 1).
  'tanh-kurtosis': { kind: 'tanh-kurtosis', n: 256, sigmaW2: 1, sigmaB2: 0 },
  'tanh-biased-kurtosis': { kind: 'tanh-kurtosis', n: 256, sigmaW2: tanhCritical, sigmaB2: 0.05 },
  trainable: { kind: 'trainable' },
};
/** Tanh networks per cell of the tanh kurtosis arms (the batch's variance needs more than the relu shortcut). */
const TANH_BATCH = 64;
const INPUT_DIM = 16;
const INPUT_CORRELATION = 0.5;
/** The near-parallel pair of the contraction claim starts at this first-layer correlation. */
const NEAR_PARALLEL = 0.98;

type ArmPlans = NonNullable<SweepPlan<Settings, Arm>['armPlans']>;
const at = (list: number[], seeds: number) => ({ widths: list, seeds });
const DEPTHS = [32, 64, 128, 256];
const PLANS: Record<Fidelity, ArmPlans> = {
  smoke: {
    chaotic: at([32, 64, 128, 256], 4),
    'chaotic-wide': at([256], 4),
    ordered: at([256], 4),
    cauchy: at([32, 64, 128, 256], 4),
    'critical-tanh': at([4, 8, 16], 3),
    'critical-relu': at([4, 8, 16], 3),
    'chaotic-depth': at([4, 8, 16], 3),
    // From depth 16: below it a plain network's log gradient can be negative (chi_1 < 1 until q reaches q*).
    residual: at([16, 32, 64], 3),
    plain: at([16, 32, 64], 3),
    'relu-kurtosis': at([2, 4, 8], 3),
    'deep-narrow': at([8, 16, 32], 3),
    'tanh-kurtosis': at([4, 8, 16], 3),
    'tanh-biased-kurtosis': at([4, 8, 16], 3),
    trainable: at([4, 6], 1),
  },
  quick: {
    chaotic: at([64, 128, 256, 512, 1024], 32),
    'chaotic-wide': at([256, 1024], 16),
    ordered: at([256, 1024], 16),
    cauchy: at([64, 128, 256, 512, 1024], 8),
    // Five seeds: a verdict needs 15 independent networks.
    'critical-tanh': at(DEPTHS.slice(0, 3), 5),
    'critical-relu': at(DEPTHS.slice(0, 3), 5),
    'chaotic-depth': at(DEPTHS.slice(0, 3), 5),
    residual: at(DEPTHS.slice(0, 3), 5),
    plain: at(DEPTHS.slice(0, 3), 5),
    'relu-kurtosis': at([2, 4, 8], 8),
    'deep-narrow': at([8, 16, 32], 8),
    'tanh-kurtosis': at([4, 8, 16, 32], 8),
    'tanh-biased-kurtosis': at([4, 8, 16, 32], 8),
    trainable: at([4, 8], 2),
  },
  full: {
    chaotic: at([64, 128, 256, 512, 1024, 2048], 32),
    'chaotic-wide': at([256, 1024, 2048], 16),
    ordered: at([256, 1024, 2048], 16),
    cauchy: at([64, 128, 256, 512, 1024, 2048], 16),
    'critical-tanh': at(DEPTHS, 8),
    'critical-relu': at(DEPTHS, 8),
    'chaotic-depth': at(DEPTHS, 8),
    residual: at(DEPTHS, 8),
    plain: at(DEPTHS, 8),
    'relu-kurtosis': at([2, 4, 8], 32),
    'deep-narrow': at([4, 8, 16, 32], 32),
    'tanh-kurtosis': at([4, 8, 16, 32], 32),
    'tanh-biased-kurtosis': at([4, 8, 16, 32], 32),
    trainable: at([4, 6, 8, 12], 6),
  },
};

const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return s;
};
const correlation = (u: Float64Array, v: Float64Array) => dot(u, v) / Math.sqrt(dot(u, u) * dot(v, v));

/** out = c W a + sb b, W row-major (rows x cols). */
function affine(W: Float64Array, a: Float64Array, c: number, b: Float64Array, sb: number, out: Float64Array): void {
  const cols = a.length;
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) s += W[o + j]! * a[j]!;
    out[i] = c * s + sb * b[i]!;
  }
}

/** out = c W^T d, W row-major (d.length x out.length). */
function affineTransposed(W: Float64Array, d: Float64Array, c: number, out: Float64Array): void {
  const cols = out.length;
  out.fill(0);
  for (let i = 0; i < d.length; i++) {
    const di = d[i]!;
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j]! += W[o + j]! * di;
  }
  for (let j = 0; j < cols; j++) out[j]! *= c;
}

/** Layer l's weights (rows x cols) and bias, drawn from the layer's own stream: regenerated bit for bit on demand. */
function layerWeights(cell: CellTaskArgs['cell'], l: number, rows: number, cols: number, W: Float64Array) {
  const rng = stream({ experiment: EXPERIMENT, arm: cell.arm, width: cell.width, seed: cell.seed, layer: l });
  rng.fillNormal(W.subarray(0, rows * cols));
  return { W, b: rng.fillNormal(new Float64Array(rows)) };
}

/** Inputs of unit-free size d, scaled so that the first layer's length is q1: x . x / d = (q1 - sb2) / sw2. */
function scaledInputs(directions: number[][], q1: number, sigmaW2: number, sigmaB2: number): Float64Array[] {
  const scale = Math.sqrt(((q1 - sigmaB2) / sigmaW2) * INPUT_DIM);
  return directions.map((x) => Float64Array.from(x, (v) => v * scale));
}
const basis = (i: number) => Array.from({ length: INPUT_DIM }, (_, k) => (k === i ? 1 : 0));
/** A unit vector at correlation rho with e_0. */
const atCorrelation = (rho: number) => basis(0).map((v, k) => (k === 0 ? rho : k === 1 ? Math.sqrt(1 - rho * rho) : v));

/** The iterated mean-field maps from the first layer's exact (q, c), over `layers - 1` further layers. */
function mapPath(phi: Act, sigmaW2: number, sigmaB2: number, q1: number, c1: number, layers: number) {
  let q = q1;
  let c = c1;
  for (let l = 1; l < layers; l++) {
    const next = lengthMap(phi, sigmaW2, sigmaB2, q);
    c = (correlationMap(phi, sigmaW2, sigmaB2, q, c) * q) / next;
    q = next;
  }
  return { q, c };
}

/** Depth LAYERS at width n: three inputs forward, one Gaussian vector backward. */
function fixedDepthCell({ cell }: CellTaskArgs<Settings, Arm>, arm: Extract<ArmSpec, { kind: 'fixed-depth' }>) {
  const { sigmaW2, sigmaB2 } = arm;
  const n = cell.width;
  const rng = stream({ experiment: EXPERIMENT, arm: cell.arm, width: n, seed: cell.seed });
  const draw = () =>
    arm.weights === 'gaussian' ? rng.normal() : Math.tan(Math.PI * (rng.uniform() - 0.5)) / Math.sqrt(n);
  const qStar = lengthFixedPoint(tanh, sigmaW2, sigmaB2);
  // Input correlations: 0.5 for the correlation map; the third input starts the first layer at NEAR_PARALLEL.
  const scale2 = (qStar - sigmaB2) / sigmaW2;
  const rhoNear = (NEAR_PARALLEL * qStar - sigmaB2) / (sigmaW2 * scale2);
  const inputs = scaledInputs(
    [basis(0), atCorrelation(INPUT_CORRELATION), atCorrelation(rhoNear)],
    qStar,
    sigmaW2,
    sigmaB2,
  );
  const layers: { W: Float64Array; h: Float64Array[] }[] = [];
  let activations = inputs;
  let fanIn = INPUT_DIM;
  for (let l = 0; l < LAYERS; l++) {
    const W = Float64Array.from({ length: n * fanIn }, draw);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const h = activations.map((a) => {
      const out = new Float64Array(n);
      affine(W, a, Math.sqrt(sigmaW2 / fanIn), b, Math.sqrt(sigmaB2), out);
      return out;
    });
    layers.push({ W, h });
    activations = h.map((v) => v.map(Math.tanh));
    fanIn = n;
  }
  // The mean-field prediction from the first layer's exact covariance (the inputs are deterministic).
  const q1 = (sigmaW2 * dot(inputs[0]!, inputs[0]!)) / INPUT_DIM + sigmaB2;
  const c1 = ((sigmaW2 * dot(inputs[0]!, inputs[1]!)) / INPUT_DIM + sigmaB2) / q1;
  const { c } = mapPath(tanh, sigmaW2, sigmaB2, q1, c1, LAYERS);
  const [hA, hB, hC] = layers[LAYERS - 1]!.h as [Float64Array, Float64Array, Float64Array];
  const deviation = correlation(hA, hB) - c;
  // The near-parallel pair: (1 - c) per layer, from the first layer's empirical correlation to the last's.
  const first = layers[0]!.h as [Float64Array, Float64Array, Float64Array];
  const contraction = ((1 - correlation(hA, hC)) / (1 - correlation(first[0], first[2]))) ** (1 / (LAYERS - 1));
  // Backward from a Gaussian vector at the last layer: delta_l = phi'(h_l) * (sigma_w / sqrt(n)) W_{l+1}^T delta_{l+1}.
  let delta = Float64Array.from({ length: n }, () => rng.normal());
  const last = dot(delta, delta);
  for (let l = LAYERS - 1; l >= 1; l--) {
    const back = new Float64Array(n);
    affineTransposed(layers[l]!.W, delta, Math.sqrt(sigmaW2 / n), back);
    const h = layers[l - 1]!.h[0]!;
    for (let j = 0; j < n; j++) back[j] = back[j]! * (1 - Math.tanh(h[j]!) ** 2);
    delta = back;
  }
  return {
    correlationDeviation: Math.abs(deviation),
    correlationDeviation2: deviation * deviation,
    correlationContraction: contraction,
    chiC: chiC(tanh, sigmaW2, qStar, 1),
    gradientGrowth: (dot(delta, delta) / last) ** (1 / (LAYERS - 1)),
    chi1: chi1(tanh, sigmaW2, qStar),
  };
}

/** Width DEPTH_WIDTH, depth L = cell.width, two orthogonal inputs at the length fixed point (q = 1 for relu). */
function depthCell({ cell }: CellTaskArgs<Settings, Arm>, arm: Extract<ArmSpec, { kind: 'depth' }>) {
  const { phi, sigmaW2, sigmaB2 } = arm;
  const n = DEPTH_WIDTH;
  const L = cell.width;
  const q1 = phi === relu ? 1 : lengthFixedPoint(phi, sigmaW2, sigmaB2);
  let [a, b] = scaledInputs([basis(0), basis(1)], q1, sigmaW2, sigmaB2) as [Float64Array, Float64Array];
  const W = new Float64Array(n * n);
  const hA = new Float64Array(n);
  const hB = new Float64Array(n);
  for (let l = 0; l < L; l++) {
    const fanIn = l === 0 ? INPUT_DIM : n;
    const layer = layerWeights(cell, l, n, fanIn, W);
    const c = Math.sqrt(sigmaW2 / fanIn);
    affine(layer.W, a, c, layer.b, Math.sqrt(sigmaB2), hA);
    affine(layer.W, b, c, layer.b, Math.sqrt(sigmaB2), hB);
    if (l < L - 1) [a, b] = [hA.map(phi.f), hB.map(phi.f)];
  }
  const { c } = mapPath(phi, sigmaW2, sigmaB2, q1, sigmaB2 / q1, L);
  return { oneMinusC: 1 - correlation(hA, hB), mapOneMinusC: 1 - c };
}

/**
 * Width DEPTH_WIDTH, depth L = cell.width, one input with first-layer length 1: x_{l+1} = x_l + h_{l+1} (residual) or
 * h_{l+1} (plain), h_{l+1} = sigma_w W phi(x_l) / sqrt(n) + sigma_b b. A Gaussian vector at layer L is backpropagated
 * to layer 1 through the same weights, regenerated from their streams.
 */
function residualCell({ cell }: CellTaskArgs<Settings, Arm>, arm: Extract<ArmSpec, { kind: 'residual' }>) {
  const { sigmaW2, sigmaB2, residual } = arm;
  const n = DEPTH_WIDTH;
  const L = cell.width;
  const [input] = scaledInputs([basis(0)], 1, sigmaW2, sigmaB2) as [Float64Array];
  const W = new Float64Array(n * n);
  const xs: Float64Array[] = [];
  const first = layerWeights(cell, 0, n, INPUT_DIM, W);
  xs.push(new Float64Array(n));
  affine(first.W, input, Math.sqrt(sigmaW2 / INPUT_DIM), first.b, Math.sqrt(sigmaB2), xs[0]!);
  const h = new Float64Array(n);
  for (let l = 1; l < L; l++) {
    const layer = layerWeights(cell, l, n, n, W);
    affine(layer.W, xs[l - 1]!.map(tanh.f), Math.sqrt(sigmaW2 / n), layer.b, Math.sqrt(sigmaB2), h);
    xs.push(residual ? xs[l - 1]!.map((v, i) => v + h[i]!) : Float64Array.from(h));
  }
  let delta = stream({ experiment: EXPERIMENT, arm: cell.arm, width: L, seed: cell.seed }, 'delta').fillNormal(
    new Float64Array(n),
  );
  const last = dot(delta, delta);
  const back = new Float64Array(n);
  for (let l = L - 1; l >= 1; l--) {
    affineTransposed(layerWeights(cell, l, n, n, W).W, delta, Math.sqrt(sigmaW2 / n), back);
    const x = xs[l - 1]!;
    delta = delta.map((d, j) => (residual ? d : 0) + back[j]! * tanh.df(x[j]!));
  }
  // Mean field: q_{l+1} = [q_l] + sigma_w^2 E[phi^2] + sigma_b^2; E|delta_l|^2 = ([1] + chi_1(q_l)) E|delta_{l+1}|^2.
  let q = 1;
  let mapLogGradient = 0;
  for (let l = 1; l < L; l++) {
    mapLogGradient += Math.log((residual ? 1 : 0) + chi1(tanh, sigmaW2, q));
    q = (residual ? q : 0) + lengthMap(tanh, sigmaW2, sigmaB2, q);
  }
  const xL = xs[L - 1]!;
  return {
    length: dot(xL, xL) / n,
    mapLength: q,
    logGradient: Math.log(dot(delta, delta) / last),
    mapLogGradient,
  };
}

/**
 * KURTOSIS_BATCH relu networks (sigma_w^2 = 2, no bias), width n, depth L = cell.width. Given layer l - 1, the units of
 * z_l are i.i.d. N(0, G_{l-1}) with G = (2 / n) sum_j relu(z_j)^2, so the excess kurtosis of a unit of z_L is
 * 3 E[(G_{L-1} / K - 1)^2] (E[G] = K, the first layer's variance, exactly). The batch mean of 3 (G / K - 1)^2 is one
 * observation: an unbiased estimate, with no sampling over units.
 */
function kurtosisCell({ cell }: CellTaskArgs<Settings, Arm>, arm: Extract<ArmSpec, { kind: 'kurtosis' }>) {
  const { n } = arm;
  const L = cell.width;
  const [input] = scaledInputs([basis(0)], 1, 2, 0) as [Float64Array];
  const W = new Float64Array(n * n);
  const z = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < KURTOSIS_BATCH; k++) {
    const net = { ...cell, arm: `${cell.arm}/${k}` };
    // Layer 1 (exact variance K = 1), then layers 2 .. L - 1; z_L is never formed: G_{L-1} is its variance.
    let a = input;
    let G = 1;
    for (let l = 0; l < L - 1; l++) {
      const fanIn = l === 0 ? INPUT_DIM : n;
      const layer = layerWeights(net, l, n, fanIn, W);
      affine(layer.W, a, Math.sqrt(2 / fanIn), layer.b, 0, z);
      a = z.map((v) => (v > 0 ? v : 0));
      G = (2 * dot(a, a)) / n;
    }
    sum += 3 * (G - 1) ** 2;
  }
  return {
    excessKurtosis: sum / KURTOSIS_BATCH,
    // Roberts, Yaida & Hanin's leading order, 3 x 5 (L - 1) / n, and the exact law (1 + 5 / n)^(L - 1) - 1, times 3.
    kurtosisLeading: (15 * (L - 1)) / n,
    kurtosisExact: 3 * ((1 + 5 / n) ** (L - 1) - 1),
    depthOverWidth: L / n,
  };
}

/** E[f(sqrt(K) z)], z ~ N(0, 1), by the trapezoid rule on [-12, 12] (spectrally accurate for smooth f). */
function gaussian(f: (x: number) => number, K: number): number {
  const h = 24 / 4000;
  let s = 0;
  for (let k = 0; k <= 4000; k++) {
    const z = -12 + k * h;
    s += (k === 0 || k === 4000 ? 0.5 : 1) * f(Math.sqrt(K) * z) * Math.exp((-z * z) / 2);
  }
  return (s * h) / Math.sqrt(2 * Math.PI);
}

/**
 * Roberts, Yaida & Hanin's leading order for one input (docs/signal-propagation.md): K_{l+1} = sigma_w^2 <phi^2>_{K_l}
 * + sigma_b^2 and V_{l+1} = chi_par(K_l)^2 V_l + sigma_w^4 (<phi^4> - <phi^2>^2)_{K_l}, V_1 = 0, with chi_par = dK'/dK
 * (Stein's identity, lengthSlope). The excess kurtosis of a unit of z_L is 3 V_L / (n K_L^2) + O(1 / n^2).
 */
export function leadingKurtosis(phi: Act, sigmaW2: number, sigmaB2: number, K1: number, L: number, n: number) {
  let K = K1;
  let V = 0;
  for (let l = 1; l < L; l++) {
    const m2 = gaussian((x) => phi.f(x) ** 2, K);
    const m4 = gaussian((x) => phi.f(x) ** 4, K);
    V = lengthSlope(phi, sigmaW2, K) ** 2 * V + sigmaW2 ** 2 * (m4 - m2 * m2);
    K = sigmaW2 * m2 + sigmaB2;
  }
  return (3 * V) / (n * K * K);
}

/**
 * TANH_BATCH tanh networks at width n, depth L: G = sigma_w^2 / n sum_j tanh(z_j)^2 + sigma_b^2 is the conditional
 * variance of every unit of z_L, so the excess kurtosis is 3 Var(G) / E[G]^2, estimated by the batch's unbiased
 * variance over its mean squared (relative bias O(Var(G) / (E[G]^2 TANH_BATCH)), below 0.1% here).
 */
function tanhKurtosisCell({ cell }: CellTaskArgs<Settings, Arm>, arm: Extract<ArmSpec, { kind: 'tanh-kurtosis' }>) {
  const { n, sigmaW2, sigmaB2 } = arm;
  const L = cell.width;
  const [input] = scaledInputs([basis(0)], 1, sigmaW2, sigmaB2) as [Float64Array];
  const W = new Float64Array(n * n);
  const z = new Float64Array(n);
  const Gs: number[] = [];
  for (let k = 0; k < TANH_BATCH; k++) {
    const net = { ...cell, arm: `${cell.arm}/${k}` };
    let a = input;
    let G = 1;
    for (let l = 0; l < L - 1; l++) {
      const fanIn = l === 0 ? INPUT_DIM : n;
      const layer = layerWeights(net, l, n, fanIn, W);
      affine(layer.W, a, Math.sqrt(sigmaW2 / fanIn), layer.b, Math.sqrt(sigmaB2), z);
      a = z.map(Math.tanh);
      G = (sigmaW2 * dot(a, a)) / n + sigmaB2;
    }
    Gs.push(G);
  }
  const mean = Gs.reduce((s, g) => s + g, 0) / Gs.length;
  const variance = Gs.reduce((s, g) => s + (g - mean) ** 2, 0) / (Gs.length - 1);
  return {
    excessKurtosis: (3 * variance) / (mean * mean),
    kurtosisLeading: leadingKurtosis(tanh, sigmaW2, sigmaB2, 1, L, n),
    depthOverWidth: L / n,
  };
}

/** chaoticSigmaW2's answers in this process: each bisection costs seconds of quadrature, and every seed of a size
 * asks again. */
const chaoticCache = new Map<number, number>();

/**
 * xi_c of tanh as sigma_w^2 -> infinity, -1 / ln(2 / pi) = 2.214: q* grows like sigma_w^2, tanh(sqrt(q*) z) tends to
 * sign(z), whose correlation map (2 / pi) arcsin(c) has slope 2 / pi at its fixed point 0 (sigma_b^2 / q* -> 0).
 * xi_c falls towards it from above (4.03, 2.67, 2.34 at sigma_w^2 = 12, 100, 1000), so no depth scale at or below it
 * is reachable.
 */
export const TANH_XI_LIMIT = -1 / Math.log(2 / Math.PI);

/** The chaotic sigma_w^2 (at TRAINABLE.sigmaB2) whose correlation depth scale is xi: xi_c falls from infinity at the
 * critical line towards TANH_XI_LIMIT as sigma_w^2 grows; bisection in log sigma_w^2 up to 1e4 (memoized per process:
 * a pure function of xi). */
export function chaoticSigmaW2(xi: number): number {
  let sigmaW2 = chaoticCache.get(xi);
  if (sigmaW2 === undefined) chaoticCache.set(xi, (sigmaW2 = bisectSigmaW2(xi)));
  return sigmaW2;
}

function bisectSigmaW2(xi: number): number {
  const xiAt = (s: number) => depthScales(tanh, s, TRAINABLE.sigmaB2).xiC;
  let lo = Math.log(criticalSigmaW2(tanh, TRAINABLE.sigmaB2) * (1 + 1e-9));
  let hi = Math.log(1e4);
  // Whether the range holds a root, cheaply where it can be told: the maps at sigma_w^2 = 1e4 take about a minute.
  const none = () => new Error(`no chaotic sigma_w^2 has depth scale ${xi}`);
  if (!(xi > TANH_XI_LIMIT)) throw none();
  if (!(xiAt(100) < xi) && !(xiAt(Math.exp(hi)) < xi)) throw none();
  for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (xiAt(Math.exp(mid)) > xi) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/** The training set of the trainability arm: TRAINABLE.points on the sphere of radius sqrt(d), the usual targets. */
let trainingSet: { X: ReturnType<typeof tensor2d>; Y: ReturnType<typeof tensor2d>; secondMoment: number } | null = null;
function trainableData() {
  if (!trainingSet) {
    const d = TRAINABLE.inputDim;
    const { X } = sphereRegression(`${EXPERIMENT}/trainable`, TRAINABLE.points, 0, d);
    const Xs = X.map((x) => x.map((v) => v * Math.sqrt(d)));
    const Y = Xs.map((x) => [x[0]! + x[1]! * x[2]! - 0.5 * Math.sin(2 * x[3]!)]);
    trainingSet = {
      X: tensor2d(Xs),
      Y: tensor2d(Y),
      // The loss of predicting 0, (1 / 2m) sum y^2: a fit explains 1 - loss / this of the targets.
      secondMoment: Y.reduce((s, [y]) => s + y! * y!, 0) / (2 * TRAINABLE.points),
    };
  }
  return trainingSet;
}

/** The fraction of the targets a network of depth L leaves unexplained after training (capped at 1e6 for a run that
 * diverged, which the trainable depth reads as a failure like any fraction above 1 - TRAINABLE.explained). */
function unexplainedAt(L: number, sigmaW2: number, xi: number, seed: number): number {
  const { X, Y, secondMoment } = trainableData();
  const net = initMlp(
    {
      inputDim: TRAINABLE.inputDim,
      widths: Array.from({ length: L }, () => TRAINABLE.width),
      outputDim: 1,
      activation: tanh,
      parametrization: 'ntk',
      sigmaW2,
      sigmaB2: TRAINABLE.sigmaB2,
    },
    { experiment: `${EXPERIMENT}/trainable`, xi, depth: L, seed },
  );
  try {
    const eta = kernelLearningRate(empiricalNtk(net, X));
    const run = trainFullBatch(net, X, Y, eta, TRAINABLE.steps);
    const fraction = run.loss / secondMoment;
    return run.divergedAt !== null || !Number.isFinite(fraction) ? 1e6 : Math.min(fraction, 1e6);
  } finally {
    disposeMlp(net);
  }
}

/**
 * Trainability at xi_c = cell.width: the unexplained fraction at each depth xi_c x TRAINABLE.multiples, and the
 * trainable depth L*, interpolated in log L where the fraction first rises above 1 - TRAINABLE.explained.
 */
function trainableCell({ cell }: CellTaskArgs<Settings, Arm>): CellOutput<Observable> {
  const xi = cell.width;
  const sigmaW2 = chaoticSigmaW2(xi);
  const depths = TRAINABLE.multiples.map((k) => Math.max(1, Math.round(k * xi)));
  const unexplained = depths.map((L) => unexplainedAt(L, sigmaW2, xi, cell.seed));
  const observation: Observation<Observable> = { sigmaW2 };
  unexplained.forEach((u, k) => (observation[`unexplained:${k}`] = u));
  const bar = 1 - TRAINABLE.explained;
  const k = unexplained.findIndex((u) => u > bar);
  if (k === 0) return { observation, why: `no fit at the shallowest depth, ${depths[0]} layers` };
  if (k < 0) return { observation, why: `every depth up to ${depths.at(-1)} layers trains: the grid is too short` };
  const [l0, l1] = [Math.log(depths[k - 1]!), Math.log(depths[k]!)];
  const t = (bar - unexplained[k - 1]!) / (Math.min(unexplained[k]!, 1) - unexplained[k - 1]!);
  const trainableDepth = Math.exp(l0 + Math.min(1, Math.max(0, t)) * (l1 - l0));
  // Schoenholz et al.'s boundary L = 6 xi_c over the sizes the arm sweeps, for the figure.
  const line = [3, 16];
  return {
    observation: { ...observation, trainableDepth, trainableRatio: trainableDepth / xi },
    details: { schoenholz: { x: line, y: line.map((x) => TRAINABLE.schoenholz * x) } },
  };
}

/** One cell: the arm's network, its observables beside their mean-field predictions. */
export function runCell(args: CellTaskArgs<Settings, Arm>): CellOutput<Observable> {
  const arm = ARMS[args.cell.arm]!;
  let observation: Observation<Observable>;
  switch (arm.kind) {
    case 'fixed-depth':
      observation = fixedDepthCell(args, arm);
      break;
    case 'depth':
      observation = depthCell(args, arm);
      break;
    case 'residual':
      observation = residualCell(args, arm);
      break;
    case 'kurtosis':
      observation = kurtosisCell(args, arm);
      break;
    case 'tanh-kurtosis':
      observation = tanhKurtosisCell(args, arm);
      break;
    case 'trainable':
      // Its own verdict on the cell: invalid when the depth grid does not bracket the boundary.
      return trainableCell(args);
  }
  const finite = Object.values(observation).every(Number.isFinite);
  return { observation, ...(finite ? {} : { why: 'a value is not finite' }) };
}

/** Multiply-adds of one cell, for the scheduler and the audit's cost model. */
function cellCost({ arm: name, width }: Cell<Arm>): number {
  const arm = ARMS[name]!;
  switch (arm.kind) {
    case 'fixed-depth':
      return LAYERS * width * width;
    case 'depth':
      return width * DEPTH_WIDTH * DEPTH_WIDTH;
    case 'residual':
      return 2 * width * DEPTH_WIDTH * DEPTH_WIDTH;
    case 'kurtosis':
      return KURTOSIS_BATCH * width * arm.n * arm.n;
    case 'tanh-kurtosis':
      return TANH_BATCH * width * arm.n * arm.n;
    case 'trainable':
      return TRAINABLE.multiples.reduce((s, k) => s + k * width, 0) * TRAINABLE.steps * TRAINABLE.width ** 2;
  }
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '2',
  cellCost,
});
