/** Tests: parametrizations against a hand-written table (float64, central differences). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { empiricalNtk } from '../../src/engine/nets/empirical-ntk.ts';
import {
  abcExponents,
  disposeMlp,
  forward,
  initMlp,
  layerShapes,
  type MlpSpec,
  type Parametrization,
} from '../../src/engine/nets/mlp.ts';
import { RandomStream, spherePoints, stream } from '../../src/random/rng.ts';
import { gradientDescentStep } from '../../src/engine/nets/train.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();

/**
 * The parametrizations pinned by hand: a table written out here from the sources (Tensor Programs V Table 3 as
 * microsoft/mup implements it; Mei, Montanari & Nguyen 2018 for mean-field), not read from layerShapes, and a float64
 * forward pass and one gradient-descent step computed from it by central differences.
 * Tiny sizes: d = 2 inputs, width n = 3, base width n0 = 2 (w = n / n0 = 3/2), one output.
 */
const d = 2;
const n = 3;
const n0 = 2;
const w = n / n0;
const sigmaW2 = 1.3;
const sigmaB2 = 0.2;
const sW = Math.sqrt(sigmaW2);
const sB = Math.sqrt(sigmaB2);

interface HandLayer {
  mult: number;
  init: number;
  lr: number;
  biasMult: number;
  biasInit: number;
  biasLr: number;
}

/** [input, hidden..., readout] for depth 1 (one hidden layer) or 2. */
function table(p: Parametrization, depth: number): HandLayer[] {
  const fanIn = [d, ...new Array(depth).fill(n)];
  switch (p) {
    case 'ntk':
      return fanIn.map((f) => ({ mult: sW / Math.sqrt(f), init: 1, lr: 1, biasMult: sB, biasInit: 1, biasLr: 1 }));
    case 'standard':
      return fanIn.map((f) => ({ mult: 1, init: sW / Math.sqrt(f), lr: 1, biasMult: 1, biasInit: sB, biasLr: 1 }));
    case 'mup':
      return [
        { mult: 1, init: sW / Math.sqrt(d), lr: w, biasMult: 1, biasInit: sB, biasLr: w },
        ...new Array(depth - 1).fill({ mult: 1, init: sW / Math.sqrt(n), lr: 1, biasMult: 1, biasInit: sB, biasLr: w }),
        { mult: 1 / w, init: sW / Math.sqrt(n0), lr: w, biasMult: 1, biasInit: sB, biasLr: 1 },
      ];
    case 'mean-field':
      return [
        { mult: 1, init: sW / Math.sqrt(d), lr: w, biasMult: 1, biasInit: sB, biasLr: w },
        { mult: (sW * Math.sqrt(n0)) / n, init: 1, lr: n / sigmaW2, biasMult: 1, biasInit: sB, biasLr: 1 },
      ];
  }
}

const activation = parseActivation('tanh');
const X = spherePoints(stream({ test: 'parametrizations-x' }), 4, d);
const Y = X.map((x) => [Math.sin(3 * x[0]!) + x[1]!]);

interface Params {
  W: number[][][];
  b: number[][];
}

function handForward(hand: HandLayer[], p: Params, x: number[]): number {
  let h = x;
  hand.forEach((layer, l) => {
    const W = p.W[l]!;
    const z = W[0]!.map(
      (_, j) => layer.mult * h.reduce((s, hi, i) => s + hi * W[i]![j]!, 0) + layer.biasMult * p.b[l]![j]!,
    );
    h = l < hand.length - 1 ? z.map(Math.tanh) : z;
  });
  return h[0]!;
}

const handLoss = (hand: HandLayer[], p: Params) =>
  X.reduce((s, x, i) => s + (handForward(hand, p, x) - Y[i]![0]!) ** 2, 0) / (2 * X.length);

/** One step theta <- theta - eta lr_theta dL/dtheta, gradients by float64 central differences. */
function handStep(hand: HandLayer[], p: Params, eta: number): Params {
  const next: Params = structuredClone(p);
  const h = 1e-6;
  const bump = (get: (q: Params) => number[], j: number, lr: number, into: number[]) => {
    const plus = structuredClone(p);
    const minus = structuredClone(p);
    get(plus)[j]! += h;
    get(minus)[j]! -= h;
    into[j] = get(p)[j]! - (eta * lr * (handLoss(hand, plus) - handLoss(hand, minus))) / (2 * h);
  };
  hand.forEach((layer, l) => {
    p.W[l]!.forEach((row, i) => row.forEach((_, j) => bump((q) => q.W[l]![i]!, j, layer.lr, next.W[l]![i]!)));
    p.b[l]!.forEach((_, j) => bump((q) => q.b[l]!, j, layer.biasLr, next.b[l]!));
  });
  return next;
}

const spec = (parametrization: Parametrization, depth: number): MlpSpec => ({
  inputDim: d,
  widths: new Array(depth).fill(n),
  outputDim: 1,
  activation,
  parametrization,
  sigmaW2,
  sigmaB2,
  baseWidth: n0,
});

const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('parametrizations against a hand-written table (float64, central differences)', () => {
  const cases: [Parametrization, number][] = [
    ['ntk', 1],
    ['ntk', 2],
    ['standard', 1],
    ['standard', 2],
    ['mup', 1],
    ['mup', 2],
    ['mean-field', 1],
  ];
  it.each(cases)(
    '%s, %i hidden layer(s): initial draws, forward pass and one gradient step',
    (parametrization, depth) => {
      const hand = table(parametrization, depth);
      const address = { test: 'parametrizations', parametrization, depth };
      const net = initMlp(spec(parametrization, depth), address);
      // Initial draws: the same stream with the table's standard deviation, bit for bit (float32).
      const dims = [d, ...new Array(depth).fill(n), 1];
      const p: Params = { W: [], b: [] };
      hand.forEach((layer, l) => {
        const W = new RandomStream(address, `W${l + 1}`).fillNormal(
          new Float32Array(dims[l]! * dims[l + 1]!),
          layer.init,
        );
        const b = new RandomStream(address, `b${l + 1}`).fillNormal(new Float32Array(dims[l + 1]!), layer.biasInit);
        expect(read(net.layers[l]!.W), `W${l + 1} draws`).toEqual(Array.from(W));
        expect(read(net.layers[l]!.b!), `b${l + 1} draws`).toEqual(Array.from(b));
        p.W.push(
          Array.from({ length: dims[l]! }, (_, i) => Array.from(W.subarray(i * dims[l + 1]!, (i + 1) * dims[l + 1]!))),
        );
        p.b.push(Array.from(b));
      });
      const Xt = tf.tensor2d(X);
      const Yt = tf.tensor2d(Y);
      const out = tf.tidy(() => read(forward(net, Xt).out));
      X.forEach((x, i) => expect(close(out[i]!, handForward(hand, p, x), 1e-5), `f(x_${i})`).toBe(true));
      // One step: the updated parameters, layer by layer (this is what pins each learning-rate multiplier).
      const eta = 0.3;
      gradientDescentStep(net, Xt, Yt, eta);
      const next = handStep(hand, p, eta);
      hand.forEach((_, l) => {
        read(net.layers[l]!.W).forEach((v, k) =>
          expect(close(v, next.W[l]!.flat()[k]!, 2e-5), `W${l + 1}[${k}] after one step`).toBe(true),
        );
        read(net.layers[l]!.b!).forEach((v, k) =>
          expect(close(v, next.b[l]![k]!, 2e-5), `b${l + 1}[${k}] after one step`).toBe(true),
        );
      });
      disposeMlp(net);
      Xt.dispose();
      Yt.dispose();
    },
  );

  it('at the base width muP is the standard parametrization exactly (same draws, multipliers and rates)', () => {
    const at = (p: Parametrization) =>
      layerShapes({ ...spec(p, 2), widths: [n0, n0] }).map(({ role: _role, ...rest }) => rest);
    expect(at('mup')).toEqual(at('standard'));
  });

  it('mean-field is muP with the readout rewritten (abc-symmetry): the same function over 5 steps at width 64', () => {
    const s = (p: Parametrization): MlpSpec => ({ ...spec(p, 1), widths: [64], baseWidth: 16, sigmaB2: 0 });
    const Xt = tf.tensor2d(X);
    const Yt = tf.tensor2d(Y);
    const nets = (['mup', 'mean-field'] as const).map((p) => initMlp(s(p), { test: 'abc-symmetry' }));
    for (let t = 0; t < 5; t++) nets.forEach((net) => gradientDescentStep(net, Xt, Yt, 0.5));
    const [a, b] = nets.map((net) => tf.tidy(() => read(forward(net, Xt).out)));
    a!.forEach((v, i) => expect(Math.abs(v - b![i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
    // And the learning-rate-weighted NTK (the kernel gradient descent follows) is the same.
    const [ka, kb] = nets.map((net) => empiricalNtk(net, Xt));
    ka!.forEach((row, i) =>
      row.forEach((v, j) => expect(Math.abs(v - kb![i]![j]!)).toBeLessThan(1e-4 * Math.abs(ka![i]![i]!))),
    );
    nets.forEach(disposeMlp);
    Xt.dispose();
    Yt.dispose();
  });

  it('abc exponents: each parametrization is Yang & Hu Table 3 up to their abc-symmetry', () => {
    // Yang & Hu 2021, Table 3 (SGD, one global rate, c = 0): (a, b) per layer input / hidden / readout. Here muP
    // uses per-layer rates (microsoft/mup); the symmetry (a, b, c) -> (a + theta, b - theta, c - 2 theta) of each
    // layer maps one onto the other and keeps a + b (the scale of the layer's initial output) and c + 2a (the rate
    // of the effective weights n^-a w: a step moves them by eta n^-(c + 2a) times their gradient).
    const table: Record<string, [number, number][]> = {
      standard: [
        [0, 0],
        [0, 1 / 2],
        [0, 1 / 2],
      ],
      ntk: [
        [0, 0],
        [1 / 2, 0],
        [1 / 2, 0],
      ],
      mup: [
        [-1 / 2, 1 / 2],
        [0, 1 / 2],
        [1 / 2, 1 / 2],
      ],
    };
    for (const [p, rows] of Object.entries(table)) {
      const layers = abcExponents(spec(p as Parametrization, 2), 64);
      expect(layers.map((l) => l.role)).toEqual(['input', 'hidden', 'readout']);
      layers.forEach((l, k) => {
        const [a, b] = rows[k]!;
        expect(l.a + l.b, `${p} ${l.role} a + b`).toBeCloseTo(a + b, 12);
        expect(l.c + 2 * l.a, `${p} ${l.role} c + 2a`).toBeCloseTo(0 + 2 * a, 12);
      });
    }
    // Mean-field is muP for one hidden layer: the same exponents as muP's input and readout layers.
    const mf = abcExponents(spec('mean-field', 1), 64);
    const mup = abcExponents(spec('mup', 1), 64);
    expect(mf).toEqual(mup);
  });
  it('mean-field beyond one hidden layer, and muP without a base width, are errors', () => {
    expect(() => layerShapes(spec('mean-field', 2))).toThrow(/one hidden layer/);
    expect(() => layerShapes({ ...spec('mup', 2), baseWidth: undefined })).toThrow(/baseWidth/);
  });
});
