/**
 * parity: plans and the cell. A cell trains a two-layer relu network by online SGD on the hinge loss to learn the
 * parity of the first k of n random sign bits, and records the number of steps until its accuracy on a fixed test set
 * first reaches PARITY.accuracy, with the share of the first layer's weight on the k relevant bits along the way (the
 * hidden progress). Plain float64 loops: the networks are small and the loops are the whole cost.
 */
import {
  defineTheorem,
  perArmPlan,
  stream,
  type CellOutput,
  type CellTaskArgs,
  type Fidelity,
  type SweepPlan,
  type Settings,
  type TheoremCheck,
} from '../../src/index.ts';
import { PARITY, statement, type Arm, type Observable } from './statement.ts';

/** The parity's order k, and whether the first layer trains (the random-features ablation freezes it). */
export const ARMS: Record<Arm, { k: number; trainFirst: boolean }> = {
  k2: { k: 2, trainFirst: true },
  k3: { k: 3, trainFirst: true },
  'k3-frozen': { k: 3, trainFirst: false },
};

type ArmPlans = NonNullable<SweepPlan<Settings, Arm>['armPlans']>;
const at = (widths: number[], seeds: number) => ({ widths, seeds });
const PLANS: Record<Fidelity, ArmPlans> = {
  smoke: { k2: at([16, 23], 3), k3: at([16, 23], 3), 'k3-frozen': at([16], 3) },
  quick: { k2: at(PARITY.sizes.k2.slice(0, 4), 6), k3: at(PARITY.sizes.k3.slice(0, 3), 6), 'k3-frozen': at([16], 3) },
  full: { k2: at(PARITY.sizes.k2, PARITY.seeds), k3: at(PARITY.sizes.k3, PARITY.seeds), 'k3-frozen': at([16, 23], 6) },
};

/** n sign bits per row; the label is the product of the first k. */
export function signs(rng: ReturnType<typeof stream>, rows: number, n: number): Float64Array {
  return fillSigns(rng, new Float64Array(rows * n));
}
/** Fills x with independent uniform signs (in place: a cell draws each batch into one buffer). */
export function fillSigns(rng: ReturnType<typeof stream>, x: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform() < 0.5 ? -1 : 1;
  return x;
}
export function parity(x: Float64Array, row: number, n: number, k: number): number {
  let y = 1;
  for (let i = 0; i < k; i++) y *= x[row * n + i]!;
  return y;
}

/** f(x) = sum_j a_j relu(<w_j, x> + b_j): w_j ~ N(0, I / n), b_j ~ N(0, 1 / n), a_j ~ N(0, 1 / m). */
export interface Network {
  m: number;
  n: number;
  W: Float64Array;
  b: Float64Array;
  a: Float64Array;
}

export function initNetwork(m: number, n: number, rng: ReturnType<typeof stream>): Network {
  const net = { m, n, W: new Float64Array(m * n), b: new Float64Array(m), a: new Float64Array(m) };
  rng.fillNormal(net.W, 1 / Math.sqrt(n));
  rng.fillNormal(net.b, 1 / Math.sqrt(n));
  rng.fillNormal(net.a, 1 / Math.sqrt(m));
  return net;
}

export function output(net: Network, x: Float64Array, row: number): number {
  const { m, n, W, a, b } = net;
  const o = row * n;
  let f = 0;
  for (let j = 0; j < m; j++) {
    let z = b[j]!;
    for (let i = 0; i < n; i++) z += W[j * n + i]! * x[o + i]!;
    if (z > 0) f += a[j]! * z;
  }
  return f;
}

/** The mean hinge loss max(0, 1 - y f) and the accuracy of sign f on a data set. */
export function evaluate(net: Network, x: Float64Array, rows: number, k: number): { loss: number; accuracy: number } {
  let loss = 0;
  let right = 0;
  for (let r = 0; r < rows; r++) {
    const yf = parity(x, r, net.n, k) * output(net, x, r);
    loss += Math.max(0, 1 - yf);
    if (yf > 0) right++;
  }
  return { loss: loss / rows, accuracy: right / rows };
}

/**
 * One SGD step on the batch's mean hinge loss plus (PARITY.weightDecay / 2) |theta|^2; the first layer is left as it is
 * when frozen. Returns nothing: the network is updated in place.
 */
export function sgdStep(net: Network, x: Float64Array, B: number, k: number, trainFirst: boolean, pre: Float64Array) {
  const { m, n, W, a, b } = net;
  const { rate, weightDecay } = PARITY;
  const g = new Float64Array(B);
  for (let s = 0; s < B; s++) {
    const o = s * n;
    let f = 0;
    for (let j = 0; j < m; j++) {
      let z = b[j]!;
      for (let i = 0; i < n; i++) z += W[j * n + i]! * x[o + i]!;
      pre[s * m + j] = z;
      if (z > 0) f += a[j]! * z;
    }
    const y = parity(x, s, n, k);
    // d/df of the mean hinge: -y / B where the margin is below 1.
    g[s] = y * f < 1 ? -y / B : 0;
  }
  for (let j = 0; j < m; j++) {
    let ga = 0;
    let gb = 0;
    const aj = a[j]!;
    // Weight decay on the weights before this step (the gradient terms below do not read W).
    if (trainFirst) for (let i = 0; i < n; i++) W[j * n + i]! -= rate * weightDecay * W[j * n + i]!;
    for (let s = 0; s < B; s++) {
      const z = pre[s * m + j]!;
      if (!(z > 0) || g[s] === 0) continue;
      ga += g[s]! * z;
      if (!trainFirst) continue;
      gb += g[s]!;
      const o = s * n;
      for (let i = 0; i < n; i++) W[j * n + i]! -= rate * g[s]! * aj * x[o + i]!;
    }
    if (trainFirst) b[j]! -= rate * (aj * gb + weightDecay * b[j]!);
    a[j]! -= rate * (ga + weightDecay * aj);
  }
}

/** The share of the first layer's squared weight on the k relevant bits, over its share k / n at random. */
export function relevantShare(net: Network, k: number): number {
  let on = 0;
  let all = 0;
  for (let j = 0; j < net.m; j++)
    for (let i = 0; i < net.n; i++) {
      const w2 = net.W[j * net.n + i]! ** 2;
      all += w2;
      if (i < k) on += w2;
    }
  return on / all / (k / net.n);
}

/** The step budget of a cell: PARITY.budget x n^(k - 1) steps, past which it is recorded as not learned. */
export const budget = (n: number, k: number) => Math.round(PARITY.budget * n ** (k - 1));

/** One cell: steps to PARITY.accuracy on the fixed test set, and the hidden progress before it. */
export function runCell({ cell }: CellTaskArgs<Settings, Arm>): CellOutput<Observable> {
  const { k, trainFirst } = ARMS[cell.arm]!;
  const n = cell.width;
  const key = { experiment: 'parity', arm: cell.arm, n, seed: cell.seed };
  const test = signs(stream({ experiment: 'parity', n, k, data: 'test' }), PARITY.testPoints, n);
  const net = initNetwork(PARITY.width, n, stream(key, 'init'));
  const data = stream(key, 'batches');
  const x = new Float64Array(PARITY.batch * n);
  const pre = new Float64Array(PARITY.batch * PARITY.width);
  const limit = budget(n, k);
  const trace: { step: number; share: number; loss: number }[] = [];
  let steps = NaN;
  let next = 0;
  for (let t = 0; t <= limit; t++) {
    if (t === next) {
      // Read every PARITY.evalEvery steps, or every 2% of the steps so far when that is longer (a multiple of it):
      // the resolution stays 2% and a long run does not spend its time on the test set.
      next = t + PARITY.evalEvery * Math.max(1, Math.floor(t / (50 * PARITY.evalEvery)));
      const { loss, accuracy } = evaluate(net, test, PARITY.testPoints, k);
      trace.push({ step: t, share: relevantShare(net, k), loss });
      if (accuracy >= PARITY.accuracy) {
        steps = Math.max(t, 1);
        break;
      }
    }
    if (t === limit) break;
    fillSigns(data, x);
    sgdStep(net, x, PARITY.batch, k, trainFirst, pre);
  }
  if (!Number.isFinite(steps))
    return { observation: { budget: limit }, why: `not learned within the budget of ${limit} steps` };
  // Hidden progress: the relevant share and the test loss half way to the step the accuracy was reached.
  const half = trace.reduce((best, p) => (Math.abs(p.step - steps / 2) < Math.abs(best.step - steps / 2) ? p : best));
  return {
    observation: {
      steps,
      budget: limit,
      shareInit: trace[0]!.share,
      shareHalf: half.share,
      lossInit: trace[0]!.loss,
      lossHalf: half.loss,
    },
  };
}

export const check: TheoremCheck<Settings, Arm, Observable> = defineTheorem({
  statement,
  plan: (fidelity) => perArmPlan(fidelity, PLANS[fidelity]),
  cellModule: import.meta.url,
  cell: runCell,
  cellVersion: '1',
  cellCost: ({ arm, width }) => 3 * budget(width, ARMS[arm]!.k) * PARITY.batch * PARITY.width * width,
});
