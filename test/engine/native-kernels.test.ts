/**
 * Tests: the native AVX2 weight kernels (native/tdlv_kernels.c) are bit-identical to the WebAssembly SIMD kernels
 * (src/engine/runtime/kernels.wat) on the shapes the cells use: batches m = 1-32, sides 8-8192, input scales 1e-2 to
 * 1e3, both run on one WebAssembly memory as in tfjs; and the native backward product a W^T is bit-identical to what
 * tfjs computes for it (XNNPACK); the native tanh is bit-identical to tfjs-wasm's Tanh (musl's tanhf) at every branch
 * boundary, on special values and on floats of every exponent (`npm run check:tanh` covers all 2^32), and so is the
 * native pow(x, 2) with its deferrals to tfjs's Pow (`npm run check:pow2` covers all 2^32). Skips, saying why,
 * where the native kernels cannot run here.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/runtime/backend.ts';
import { matMulTransposeB } from '../../src/engine/runtime/matmul.ts';
import { backwardProduct, powTwo, tfjsTanh } from '../../src/engine/runtime/weight-kernels.ts';
import { KERNELS_WASM_BASE64 } from '../../src/engine/runtime/kernels-wasm.ts';
import { nativeKernels } from '../../src/engine/runtime/native-kernels.ts';
import { RandomStream } from '../../src/random/rng.ts';

interface WasmKernels {
  dense_forward(z: number, w: number, h: number, rows: number, cols: number, m: number, scratch: number): void;
  rank_update(o: number, w: number, h: number, d: number, rows: number, cols: number, m: number, s: number): void;
}

const CASES = [
  { rows: 64, cols: 64, m: 1, scale: 1 },
  { rows: 128, cols: 128, m: 16, scale: 1e-3 },
  { rows: 512, cols: 512, m: 32, scale: 1e3 },
  { rows: 2048, cols: 2048, m: 16, scale: 1 },
  { rows: 2048, cols: 2048, m: 17, scale: 0.1 },
  { rows: 4096, cols: 4096, m: 16, scale: 1 },
  { rows: 8192, cols: 1024, m: 8, scale: 10 },
  { rows: 1024, cols: 8192, m: 3, scale: 1 },
  { rows: 8, cols: 8192, m: 32, scale: 1 },
  { rows: 8192, cols: 16, m: 2, scale: 1e-2 },
] as const;

const { native, family } = nativeKernels();

describe.skipIf(!native)(
  `native AVX2 weight kernels${native ? '' : ` (skipped: ${'why' in family && family.why})`}`,
  () => {
    it.each(CASES)('rows $rows, cols $cols, m $m, scale $scale: forward and update bit-identical', (c) => {
      const { rows, cols, m, scale } = c;
      // Heap layout: W | h | d | z (wasm) | z (native) | out (wasm) | out (native) | scratch, float32, 64-byte aligned.
      const sizes = [rows * cols, m * rows, m * cols, m * cols, m * cols, rows * cols, rows * cols, m * (rows + cols)];
      const at: number[] = [];
      let bytes = 64;
      for (const s of sizes) {
        at.push(bytes);
        bytes += Math.ceil((4 * s) / 64) * 64;
      }
      const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
      const wasm = new WebAssembly.Instance(
        new WebAssembly.Module(Uint8Array.from(atob(KERNELS_WASM_BASE64), (ch) => ch.charCodeAt(0))),
        { env: { memory } },
      ).exports as unknown as WasmKernels;
      const view = (k: number) => new Float32Array(memory.buffer, at[k]!, sizes[k]!);
      const stream = new RandomStream({ test: 'native-kernels', rows, cols, m }, 'x');
      stream.fillNormal(view(0), scale);
      stream.fillNormal(view(1), 1);
      stream.fillNormal(view(2), scale);
      wasm.dense_forward(at[3]!, at[0]!, at[1]!, rows, cols, m, at[7]!);
      native!.denseForward(memory.buffer, at[4]!, at[0]!, at[1]!, at[7]!, rows, cols, m);
      wasm.rank_update(at[5]!, at[0]!, at[1]!, at[2]!, rows, cols, m, at[7]!);
      native!.rankUpdate(memory.buffer, at[6]!, at[0]!, at[1]!, at[2]!, at[7]!, rows, cols, m);
      const first = (a: Float32Array, b: Float32Array) => a.findIndex((x, i) => !Object.is(x, b[i]));
      expect(first(view(3), view(4)), 'forward: first differing output').toBe(-1);
      expect(first(view(5), view(6)), 'update: first differing output').toBe(-1);
      expect(view(3).some((x) => x !== 0)).toBe(true);
    });

    // The backward product a W^T: the native kernel against what tfjs computes for it (XNNPACK's GEMM), on the heap.
    it.each(CASES.filter((c) => c.rows % 8 === 0 && c.rows * c.cols <= 2048 * 2048))(
      'backward product a W^T, rows $rows, cols $cols, m $m: bit-identical to tfjs',
      async (c) => {
        await initBackend('wasm');
        const stream = new RandomStream({ test: 'native-backward', ...c }, 'x');
        const W = tf.tensor2d(stream.fillNormal(new Float32Array(c.rows * c.cols), c.scale), [c.rows, c.cols]);
        const a = tf.tensor2d(stream.fillNormal(new Float32Array(c.m * c.cols), 1), [c.m, c.cols]);
        const want = matMulTransposeB(a, W).dataSync();
        const got = backwardProduct(a, W).dataSync();
        expect(got.length).toBe(c.m * c.rows);
        expect(
          got.findIndex((x, i) => !Object.is(x, want[i])),
          'first differing output',
        ).toBe(-1);
        tf.dispose([W, a]);
      },
    );

    it('tanh: bit-identical to tfjs-wasm Tanh at branch edges, special values and every exponent', async () => {
      await initBackend('wasm');
      // Each edge of tanhf's and expm1f's branches (on |x| and on 2|x|), one and two ulps either side, both signs.
      const edges = [0x00800000, 0x33000000, 0x3e82c578, 0x3eb17218, 0x3f0c9f54, 0x3f851592, 0x41200000, 0x4195b844];
      const bits: number[] = [0, 1, 2, 0x007fffff, 0x7f7fffff, 0x7f800000, 0x7fc00000, 0x7fc00001, 0x7f800001];
      for (const e of edges) for (let d = -2; d <= 2; d++) bits.push(e + d, (e >>> 1) + d);
      const stream = new RandomStream({ test: 'native-tanh' }, 'bits');
      // Random mantissas at every exponent, and random bit patterns.
      for (let k = 0; k < 1 << 16; k++) {
        const u = stream.uniform();
        bits.push(k % 2 ? Math.floor(u * 2 ** 31) : (((k >> 1) % 256) << 23) | Math.floor(u * 2 ** 23));
      }
      const signed = Uint32Array.from([...bits, ...bits.map((b) => (b | 0x80000000) >>> 0)]);
      const count = signed.length;
      const heap = new ArrayBuffer(8 * count);
      new Uint32Array(heap, 0, count).set(signed);
      native!.tanh(heap, 0, 4 * count, count);
      const x = tf.tensor1d(new Float32Array(heap, 0, count));
      const y = tfjsTanh(x);
      const want = y.dataSync() as Float32Array;
      const got = new Float32Array(heap, 4 * count, count);
      const differs = (a: number, b: number) => !Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b));
      const first = got.findIndex((v, i) => differs(v, want[i]!));
      expect(first, `first differing input: 0x${signed[first]?.toString(16)}`).toBe(-1);
      // And the engine's tf.tanh is the native one now, with the same bits.
      const engine = tf.tanh(x).dataSync() as Float32Array;
      expect(engine.findIndex((v, i) => differs(v, want[i]!))).toBe(-1);
      tf.dispose([x, y]);
    });

    it("pow(x, 2): bit-identical to tfjs-wasm's Pow, also where its powf is not the rounded square", async () => {
      await initBackend('wasm');
      // Inputs where tfjs's pow(x, 2) differs from x * x (found by the exhaustive comparison), the edges of the native
      // range (squares at 2^-126 and 2^127), special values, and random floats of every exponent.
      const bits: number[] = [0x20000800, 0x1f801000, 0x1ac00000, 0x5f7fc313, 0x20000000, 0x1fffffff, 0x5f800000];
      bits.push(0x5f7fffff, 0, 1, 0x7f800000, 0x7fc00000, 0x3f800000, 0x3f800001);
      const stream = new RandomStream({ test: 'native-pow2' }, 'bits');
      for (let k = 0; k < 1 << 16; k++) {
        const u = stream.uniform();
        bits.push(k % 2 ? Math.floor(u * 2 ** 31) : (((k >> 1) % 256) << 23) | Math.floor(u * 2 ** 23));
      }
      const inputs = Uint32Array.from([...bits, ...bits.map((b) => (b | 0x80000000) >>> 0)]);
      const floats = new Float32Array(inputs.buffer);
      const x = tf.tensor1d(floats);
      const two = tf.scalar(2, 'int32');
      const want = tf.pow(x, two).dataSync() as Float32Array;
      const got = powTwo(x).dataSync() as Float32Array;
      const differs = (a: number, b: number) => !Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b));
      const first = got.findIndex((v, i) => differs(v, want[i]!));
      expect(first, `first differing input: 0x${inputs[first]?.toString(16)}`).toBe(-1);
      // The deferral path is exercised: at the first input tfjs's powf is not the rounded square.
      expect(want[0]).not.toBe(Math.fround(floats[0]! * floats[0]!));
      tf.dispose([x, two]);
    });

    it('refuses operands outside the heap and shapes off the tiling, with an error instead of a crash', () => {
      const heap = new ArrayBuffer(4096);
      expect(() => native!.denseForward(heap, 0, 0, 0, 0, 64, 64, 4)).toThrow(/outside the heap/);
      expect(() => native!.rankUpdate(heap, 0, 0, 0, 0, 0, 6, 16, 1)).toThrow(/tiling/);
      expect(() => native!.backwardProduct(heap, 0, 0, 0, 0, 12, 16, 1)).toThrow(/tiling/);
      expect(() => native!.tanh(heap, 0, 2048, 1000)).toThrow(/outside the heap/);
      expect(() => native!.squareOrDefer(heap, 0, 1024, 700, 2048)).toThrow(/outside the heap/);
    });
  },
);
