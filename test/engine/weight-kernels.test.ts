/** Tests: WebAssembly weight kernels. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/runtime/backend.ts';
import { RandomStream } from '../../src/random/rng.ts';
import { denseForward, rankUpdate } from '../../src/engine/runtime/weight-kernels.ts';
import { assembleKernels, kernelsModuleText } from '../../scripts/build-kernels.ts';

beforeAll(async () => {
  await initBackend('wasm');
});

function draw(label: string, rows: number, cols: number, scale = 1): Float32Array {
  return new RandomStream({ test: 'weight-kernels', label, rows, cols }, 'x').fillNormal(
    new Float32Array(rows * cols),
    scale,
  );
}

/** Float64 h W and the sum of |terms| of each entry (the float32 error scale). */
function reference(h: Float32Array, W: Float32Array, m: number, rows: number, cols: number) {
  const z = new Float64Array(m * cols);
  const abs = new Float64Array(m * cols);
  for (let k = 0; k < m; k++)
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const t = h[k * rows + i]! * W[i * cols + j]!;
        z[k * cols + j]! += t;
        abs[k * cols + j]! += Math.abs(t);
      }
  return { z, abs };
}

// Shapes the kernels tile (rows % 4, cols % 16) at and above their size threshold, batches 1 to 32, and input
// scales from 1e-3 to 1e3 (large-norm inputs).
const CASES = [
  { rows: 128, cols: 128, m: 16, scale: 1 },
  { rows: 256, cols: 512, m: 32, scale: 1e3 },
  { rows: 8, cols: 2048, m: 1, scale: 1 },
  { rows: 512, cols: 64, m: 3, scale: 1e-3 },
];

describe('WebAssembly weight kernels', () => {
  it('the committed bytes are what kernels.wat assembles to', async () => {
    const committed = readFileSync(join(import.meta.dirname, '../../src/engine/runtime/kernels-wasm.ts'), 'utf8');
    expect(committed).toBe(kernelsModuleText(await assembleKernels()));
  });

  it.each(CASES)('h W agrees with a float64 reference and with tfjs (%o)', ({ rows, cols, m, scale }) => {
    const h = draw('h', m, rows, scale);
    const W = draw('W', rows, cols);
    const { z, abs } = reference(h, W, m, rows, cols);
    const ht = tf.tensor2d(h, [m, rows]);
    const Wt = tf.tensor2d(W, [rows, cols]);
    const mine = denseForward(ht, Wt).dataSync();
    const theirs = tf.matMul(ht, Wt).dataSync();
    const eps = 2 ** -23;
    for (let e = 0; e < z.length; e++) {
      expect(Math.abs(mine[e]! - z[e]!)).toBeLessThanOrEqual(rows * eps * abs[e]! + 1e-30);
      expect(Math.abs(mine[e]! - theirs[e]!)).toBeLessThanOrEqual(2 * rows * eps * abs[e]! + 1e-30);
    }
    tf.dispose([ht, Wt]);
  });

  it.each(CASES)('W - h^T d agrees with a float64 reference and with tfjs (%o)', ({ rows, cols, m, scale }) => {
    const h = draw('h', m, rows, scale);
    const d = draw('d', m, cols);
    const W = draw('W', rows, cols);
    const [ht, dt, Wt] = [tf.tensor2d(h, [m, rows]), tf.tensor2d(d, [m, cols]), tf.tensor2d(W, [rows, cols])];
    const mine = rankUpdate(Wt, ht, dt).dataSync();
    const theirs = tf.sub(Wt, tf.matMul(tf.transpose(ht), dt)).dataSync();
    const eps = 2 ** -23;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        let exact = W[i * cols + j]!;
        let size = Math.abs(exact);
        for (let k = 0; k < m; k++) {
          exact -= h[k * rows + i]! * d[k * cols + j]!;
          size += Math.abs(h[k * rows + i]! * d[k * cols + j]!);
        }
        const e = i * cols + j;
        expect(Math.abs(mine[e]! - exact)).toBeLessThanOrEqual((m + 1) * eps * size + 1e-30);
        expect(Math.abs(mine[e]! - theirs[e]!)).toBeLessThanOrEqual(2 * (m + 1) * eps * size + 1e-30);
      }
    // The input is not modified (tensors stay immutable).
    expect(Array.from(Wt.dataSync())).toEqual(Array.from(W));
    tf.dispose([ht, dt, Wt]);
  });

  it('h W has the gradients of a matrix product under tf.grads', () => {
    const [rows, cols, m] = [128, 128, 4];
    const h = tf.tensor2d(draw('h', m, rows), [m, rows]);
    const W = tf.tensor2d(draw('W', rows, cols), [rows, cols]);
    const c = tf.tensor2d(draw('c', m, cols), [m, cols]);
    const loss = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D) => (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D), c)) as tf.Scalar;
    const mine = tf
      .grads(loss(denseForward))([h, W])
      .map((g) => g.dataSync());
    const theirs = tf
      .grads(loss((a, b) => tf.matMul(a, b)))([h, W])
      .map((g) => g.dataSync());
    mine.forEach((g, i) => g.forEach((v, e) => expect(v).toBeCloseTo(theirs[i]![e]!, 3)));
  });

  it('shapes the kernels do not tile fall back to tfjs with the same result', () => {
    const [rows, cols, m] = [130, 129, 5];
    const h = tf.tensor2d(draw('h', m, rows), [m, rows]);
    const W = tf.tensor2d(draw('W', rows, cols), [rows, cols]);
    const d = tf.tensor2d(draw('d', m, cols), [m, cols]);
    expect(Array.from(denseForward(h, W).dataSync())).toEqual(Array.from(tf.matMul(h, W).dataSync()));
    expect(rankUpdate(W, h, d).shape).toEqual([rows, cols]);
  });

  it('the scratch buffers of the packed operands are freed: the heap holds the same data after 500 calls', () => {
    const [rows, cols, m] = [256, 256, 16];
    const h = tf.tensor2d(draw('h', m, rows), [m, rows]);
    const W = tf.tensor2d(draw('W', rows, cols), [rows, cols]);
    const d = tf.tensor2d(draw('d', m, cols), [m, cols]);
    const backend = tf.backend() as unknown as { dataIdMap: { numDataIds(): number } };
    const before = { ...tf.memory(), ids: backend.dataIdMap.numDataIds() };
    for (let r = 0; r < 500; r++) {
      denseForward(h, W).dispose();
      rankUpdate(W, h, d).dispose();
    }
    expect({ ...tf.memory(), ids: backend.dataIdMap.numDataIds() }).toEqual(before);
    tf.dispose([h, W, d]);
  });
});

describe('activation derivatives from the forward values', () => {
  it.each(['tanh', 'erf', 'relu', 'gelu'])(
    "phi'(z) given phi(z) is bit-identical to phi'(z) alone (%s)",
    async (name) => {
      const { parseActivation } = await import('../../src/engine/nets/activations.ts');
      const phi = parseActivation(name);
      const z = tf.tensor2d(draw('z', 16, 256, 3), [16, 256]);
      const alone = phi.tfDerivative(z).dataSync();
      const given = phi.tfDerivative(z, phi.tf(z)).dataSync();
      expect(Array.from(given)).toEqual(Array.from(alone));
    },
  );
});
