/**
 * signal-propagation: plans and the cell. A cell is one tanh network at initialization in float64 (two inputs
 * forward, one Gaussian vector backward); the mean-field predictions come from tdlv's public mean-field maps.
 */
import {
  chi1,
  correlationMap,
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
} from '../../src/index.ts';
import { LAYERS, statement } from './statement.ts';

const tanh = parseActivation('tanh');
/** The arms' (sigma_w^2, sigma_b^2) and weight law. */
const ARMS: Record<string, { sigmaW2: number; sigmaB2: number; weights: 'gaussian' | 'cauchy' }> = {
  chaotic: { sigmaW2: 3, sigmaB2: 0.05, weights: 'gaussian' },
  // The same networks at the widths where the gradient claim's tolerance holds (L / n <= 6 / 256).
  'chaotic-wide': { sigmaW2: 3, sigmaB2: 0.05, weights: 'gaussian' },
  ordered: { sigmaW2: 1.5, sigmaB2: 0.5, weights: 'gaussian' },
  cauchy: { sigmaW2: 3, sigmaB2: 0.05, weights: 'cauchy' },
};
const INPUT_DIM = 16;
const INPUT_CORRELATION = 0.5;

type ArmPlans = NonNullable<SweepPlan['armPlans']>;
const widths = (list: number[], seeds: number) => ({ widths: list, seeds });
const PLANS: Record<Fidelity, ArmPlans> = {
  smoke: {
    chaotic: widths([32, 64, 128, 256], 4),
    'chaotic-wide': widths([256], 4),
    ordered: widths([256], 4),
    cauchy: widths([32, 64, 128, 256], 4),
  },
  quick: {
    chaotic: widths([64, 128, 256, 512, 1024], 8),
    'chaotic-wide': widths([256, 1024], 8),
    ordered: widths([256, 1024], 8),
    cauchy: widths([64, 128, 256, 512, 1024], 8),
  },
  full: {
    chaotic: widths([64, 128, 256, 512, 1024, 2048], 16),
    'chaotic-wide': widths([256, 1024, 2048], 16),
    ordered: widths([256, 1024, 2048], 16),
    cauchy: widths([64, 128, 256, 512, 1024, 2048], 16),
  },
};

/** One tanh network, forward on two inputs and backward on a Gaussian vector. */
export function runCell({ cell }: CellTaskArgs): CellOutput {
  const arm = ARMS[cell.arm]!;
  const { sigmaW2, sigmaB2 } = arm;
  const n = cell.width;
  const rng = stream({ experiment: 'signal-propagation', arm: cell.arm, width: n, seed: cell.seed });
  const draw = () =>
    arm.weights === 'gaussian' ? rng.normal() : Math.tan(Math.PI * (rng.uniform() - 0.5)) / Math.sqrt(n);
  // Inputs with correlation 0.5, scaled so that the first layer's length is q*.
  const qStar = lengthFixedPoint(tanh, sigmaW2, sigmaB2);
  const scale = Math.sqrt((qStar - sigmaB2) / sigmaW2);
  const e1 = Array.from({ length: INPUT_DIM }, (_, i) => (i === 0 ? 1 : 0));
  const e2 = Array.from({ length: INPUT_DIM }, (_, i) => (i === 0 ? INPUT_CORRELATION : i === 1 ? Math.sqrt(0.75) : 0));
  const inputs = [e1, e2].map((x) => x.map((v) => v * scale * Math.sqrt(INPUT_DIM)));
  // Forward, layer by layer; keep the pre-activations for the backward pass.
  const layers: { W: Float64Array; h: Float64Array[] }[] = [];
  let activations = inputs.map((x) => Float64Array.from(x));
  let fanIn = INPUT_DIM;
  for (let l = 0; l < LAYERS; l++) {
    const W = Float64Array.from({ length: n * fanIn }, draw);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const c = Math.sqrt(sigmaW2 / fanIn);
    const h = activations.map((a) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < fanIn; j++) s += W[i * fanIn + j]! * a[j]!;
        out[i] = c * s + Math.sqrt(sigmaB2) * b[i]!;
      }
      return out;
    });
    layers.push({ W, h });
    activations = h.map((v) => v.map(Math.tanh));
    fanIn = n;
  }
  // The mean-field prediction from the first layer's exact covariance (the inputs are deterministic).
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
    return s;
  };
  let q = (sigmaW2 * dot(inputs[0]!, inputs[0]!)) / INPUT_DIM + sigmaB2;
  let c = ((sigmaW2 * dot(inputs[0]!, inputs[1]!)) / INPUT_DIM + sigmaB2) / q;
  for (let l = 1; l < LAYERS; l++) {
    const next = lengthMap(tanh, sigmaW2, sigmaB2, q);
    c = (correlationMap(tanh, sigmaW2, sigmaB2, q, c) * q) / next;
    q = next;
  }
  const [hA, hB] = layers[LAYERS - 1]!.h as [Float64Array, Float64Array];
  const empirical = dot(hA, hB) / Math.sqrt(dot(hA, hA) * dot(hB, hB));
  // Backward from a Gaussian vector at the last layer: delta_l = phi'(h_l) * (sigma_w / sqrt(n)) W_{l+1}^T delta_{l+1}.
  let delta = Float64Array.from({ length: n }, () => rng.normal());
  const last = dot(delta, delta);
  for (let l = LAYERS - 1; l >= 1; l--) {
    const { W } = layers[l]!;
    const h = layers[l - 1]!.h[0]!;
    const back = new Float64Array(n);
    const cw = Math.sqrt(sigmaW2 / n);
    for (let i = 0; i < n; i++) {
      const d = delta[i]!;
      for (let j = 0; j < n; j++) back[j]! += W[i * n + j]! * d;
    }
    for (let j = 0; j < n; j++) back[j] = cw * back[j]! * (1 - Math.tanh(h[j]!) ** 2);
    delta = back;
  }
  const growth = (dot(delta, delta) / last) ** (1 / (LAYERS - 1));
  const observation = {
    correlationDeviation: Math.abs(empirical - c),
    gradientGrowth: growth,
    chi1: chi1(tanh, sigmaW2, qStar),
  };
  const finite = Object.values(observation).every(Number.isFinite);
  return { observation, ...(finite ? {} : { why: 'a value is not finite' }) };
}

export const check = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
  cellCost: (cell) => LAYERS * cell.width * cell.width,
});
