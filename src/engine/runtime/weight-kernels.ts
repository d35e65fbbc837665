/** The WebAssembly SIMD products over a weight matrix (forward h W, update W - h^T d) as tfjs kernels. */
import * as tf from '@tensorflow/tfjs-core';
import { KERNELS_WASM_BASE64 } from './kernels-wasm.ts';
import { matMulTransposeA, matMulTransposeB } from './matmul.ts';
import { nativeKernels } from './native-kernels.ts';

/*
 * The two products that read a weight matrix W [rows, cols] with a small batch of m rows, where the wasm backend of
 * tfjs is far from the memory limit:
 *  - z = h W: tfjs hands W to XNNPACK as the "weights" operand, which packs (transposes) all of W on every call
 *    because W is a new tensor after every step: the pack alone cost 9x the product at width 2048;
 *  - W - h^T d (the gradient step): tfjs writes the rank-m product h^T d to a new [rows, cols] tensor and then runs an
 *    elementwise subtraction over three [rows, cols] buffers at under 1 GB/s.
 * Both become one pass over W in src/engine/runtime/kernels.wat (WebAssembly SIMD), run on the tfjs heap as tfjs
 * kernels, so
 * the results are ordinary immutable tensors (tidy, dispose and gradients work). Each kernel packs its small operands
 * into a scratch buffer and unpacks its output itself, one kernel launch per product. The backward product d W^T stays
 * in tfjs: there W is XNNPACK's streamed operand, which is already one pass.
 * Other backends, and matrices too small or of shapes the kernels do not tile (rows % 4, cols % 16), use tfjs ops.
 */

const DENSE_FORWARD = 'TdlvDenseForward';
const RANK_UPDATE = 'TdlvRankUpdate';
const BACKWARD_PRODUCT = 'TdlvBackwardProduct';
/** The names under which the kernels appear in tfjs's kernel log (the cell benchmark counts their products). */
export const WEIGHT_KERNEL_NAMES: readonly string[] = [DENSE_FORWARD, RANK_UPDATE, BACKWARD_PRODUCT];
/** Below this many weights the tfjs ops are as fast and the kernels are not worth a dispatch. */
const MIN_ELEMENTS = 128 * 128;

interface KernelExports {
  dense_forward(z: number, w: number, h: number, rows: number, cols: number, m: number, scratch: number): void;
  rank_update(
    out: number,
    w: number,
    h: number,
    d: number,
    rows: number,
    cols: number,
    m: number,
    scratch: number,
  ): void;
  /** a W^T (out [m, rows]): the native family only (the WebAssembly one leaves it to tfjs). */
  backward_product?(out: number, w: number, a: number, rows: number, cols: number, m: number, scratch: number): void;
}

interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

let exportsFor: { memory: WebAssembly.Memory; kernels: KernelExports } | null = null;

/**
 * The kernels on this heap: the native AVX2 ones where they run (src/engine/runtime/native-kernels.ts; the same bits),
 * else the WebAssembly SIMD ones instantiated on the heap's memory. Both take byte offsets into the heap.
 */
function kernels(backend: WasmBackend): KernelExports {
  const memory = backend.wasm.asm.memory;
  if (exportsFor?.memory !== memory) {
    const native = nativeKernels().native;
    exportsFor = {
      memory,
      kernels: native
        ? {
            // The buffer is read at every call: it is replaced whenever the heap grows.
            dense_forward: (z, w, h, rows, cols, m, scratch) =>
              native.denseForward(memory.buffer, z, w, h, scratch, rows, cols, m),
            rank_update: (out, w, h, d, rows, cols, m, scratch) =>
              native.rankUpdate(memory.buffer, out, w, h, d, scratch, rows, cols, m),
            backward_product: (out, w, a, rows, cols, m, scratch) =>
              native.backwardProduct(memory.buffer, out, w, a, scratch, rows, cols, m),
          }
        : // atob, not Buffer: the same module runs in a browser's worker (the lab, src/lab/worker.ts).
          (new WebAssembly.Instance(
            new WebAssembly.Module(Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0))),
            { env: { memory } },
          ).exports as unknown as KernelExports),
    };
  }
  return exportsFor.kernels;
}

const offset = (backend: WasmBackend, t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;

interface Dims {
  rows: number;
  cols: number;
  m: number;
}

/**
 * Run one of the kernels on the heap for a weight matrix W [rows, cols] and a batch h [m, rows]: the output tensor of
 * `outShape`, and a scratch buffer for the packed small operands (m (rows + cols) floats, the layout kernels.wat packs
 * into), freed after the call. `call` gets the kernels, the heap offset of any input, the output's and the scratch's.
 */
function runOnHeap(
  backend: unknown,
  W: tf.TensorInfo,
  h: tf.TensorInfo,
  outShape: (dims: Dims) => number[],
  call: (k: KernelExports, at: (t: tf.TensorInfo) => number, dims: Dims, out: number, scratch: number) => void,
): tf.TensorInfo {
  const b = backend as WasmBackend;
  const [rows, cols] = W.shape as [number, number];
  const dims = { rows, cols, m: h.shape[0]! };
  const out = b.makeOutput(outShape(dims), 'float32');
  const scratch = b.makeOutput([dims.m * (rows + cols)], 'float32');
  try {
    call(kernels(b), (t) => offset(b, t), dims, offset(b, out), offset(b, scratch));
  } finally {
    b.disposeData(scratch.dataId);
  }
  return out;
}

let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: DENSE_FORWARD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { h, W } = inputs as { h: tf.TensorInfo; W: tf.TensorInfo };
      return runOnHeap(
        backend,
        W,
        h,
        ({ m, cols }) => [m, cols],
        (k, at, { rows, cols, m }, out, scratch) => k.dense_forward(out, at(W), at(h), rows, cols, m, scratch),
      );
    },
  });
  tf.registerKernel({
    kernelName: RANK_UPDATE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { W, h, d } = inputs as { W: tf.TensorInfo; h: tf.TensorInfo; d: tf.TensorInfo };
      return runOnHeap(
        backend,
        W,
        h,
        ({ rows, cols }) => [rows, cols],
        (k, at, { rows, cols, m }, out, scratch) => k.rank_update(out, at(W), at(h), at(d), rows, cols, m, scratch),
      );
    },
  });
}

/**
 * a W^T, natively: the backward product through a weight matrix, in the summation order of XNNPACK's GEMM that tfjs
 * runs for it otherwise (native/tdlv_kernels.c, backward_product), so the same bits. Registered only where the native
 * kernels run; the WebAssembly family leaves this product to tfjs.
 */
function registerBackward(): void {
  if (backwardRegistered) return;
  backwardRegistered = true;
  tf.registerKernel({
    kernelName: BACKWARD_PRODUCT,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const { a, W } = inputs as { a: tf.TensorInfo; W: tf.TensorInfo };
      return runOnHeap(
        backend,
        W,
        a,
        ({ m, rows }) => [m, rows],
        (k, at, { rows, cols, m }, out, scratch) => k.backward_product!(out, at(W), at(a), rows, cols, m, scratch),
      );
    },
  });
}
let backwardRegistered = false;

/**
 * a W^T for a small a [m, cols] and W [rows, cols]: [m, rows] (the backward product of a layer). The native kernel
 * where it runs; elsewhere tfjs (matMulTransposeB), with the same bits.
 */
export function backwardProduct(a: tf.Tensor2D, W: tf.Tensor2D): tf.Tensor2D {
  if (!nativeKernels().native || !useKernels(W, a) || W.shape[0] % 8 !== 0) return matMulTransposeB(a, W);
  registerBackward();
  return tf.engine().runKernel(BACKWARD_PRODUCT, { a, W }) as tf.Tensor2D;
}

/** Whether the kernels take W and its small operands: wasm, float32 throughout, a tiled shape above the size threshold.
 * */
function useKernels(W: tf.Tensor2D, ...small: tf.Tensor[]): boolean {
  const [rows, cols] = W.shape;
  return (
    tf.getBackend() === 'wasm' &&
    [W, ...small].every((t) => t.dtype === 'float32') &&
    rows % 4 === 0 &&
    cols % 16 === 0 &&
    rows * cols >= MIN_ELEMENTS
  );
}

/**
 * tfjs-wasm's Tanh, replaced where the native kernels run by native/tdlv_kernels.c's tanh: the same float operations
 * as the musl tanhf that tfjs's WebAssembly build applies per element, so the same bits (`npm run check:tanh` compares
 * all 2^32 inputs), about six times faster. Other dtypes keep tfjs's kernel. Once per thread, after the wasm backend
 * is set (src/engine/runtime/backend.ts); a no-op where the native kernels do not run.
 */
export function installNativeTanh(): void {
  const native = nativeKernels().native;
  if (tanhInstalled || !native) return;
  tanhInstalled = true;
  const tfjs = tf.getKernel(tf.Tanh, 'wasm');
  if (!tfjs) return;
  tf.unregisterKernel(tf.Tanh, 'wasm');
  // tfjs's own kernel stays reachable under another name, for the tests and `npm run check:tanh` (tfjsTanh).
  tf.registerKernel({ kernelName: TFJS_TANH, backendName: 'wasm', kernelFunc: tfjs.kernelFunc });
  tf.registerKernel({
    kernelName: tf.Tanh,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if (x.dtype !== 'float32') return tfjs.kernelFunc(args);
      const b = args.backend as WasmBackend;
      const out = b.makeOutput(x.shape, 'float32');
      const count = tf.util.sizeFromShape(x.shape);
      if (count > 0) native.tanh(b.wasm.asm.memory.buffer, offset(b, x), offset(b, out), count);
      return out;
    },
  });
}
let tanhInstalled = false;
const TFJS_TANH = 'TdlvTfjsTanh';

/** tanh by tfjs's own WebAssembly kernel, whether or not the native one replaced it (the reference to check it by). */
export function tfjsTanh(x: tf.Tensor): tf.Tensor {
  return tanhInstalled ? (tf.engine().runKernel(TFJS_TANH, { x }) as tf.Tensor) : tf.tanh(x);
}

const POW_TWO = 'TdlvPowTwo';
let powTwoRegistered = false;

/**
 * pow(x, 2) elementwise, bit for bit what tfjs-wasm's Pow kernel gives for `tf.pow(x, tf.scalar(2, 'int32'))` (the
 * square inside tf.norm): natively x^2 rounded wherever that provably agrees with tfjs's powf, tfjs's own Pow for the
 * inputs near a rounding midpoint (1.6% of Gaussian weights, 5-7% of a training run's parameter changes, many of which
 * square exactly onto a midpoint; `npm run check:pow2` compares all 2^32 inputs). No gradient (a measurement, not a
 * layer). Where the native kernels do not run, tfjs's Pow itself.
 */
export function powTwo(x: tf.Tensor): tf.Tensor {
  const native = nativeKernels().native;
  if (!native || tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return tf.pow(x, tf.scalar(2, 'int32'));
  if (!powTwoRegistered) {
    powTwoRegistered = true;
    const pow = tf.getKernel(tf.Pow, 'wasm')!;
    tf.registerKernel({
      kernelName: POW_TWO,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const input = (args.inputs as { x: tf.TensorInfo }).x;
        const b = args.backend as WasmBackend;
        const count = tf.util.sizeFromShape(input.shape);
        const out = b.makeOutput(input.shape, 'float32');
        if (count === 0) return out;
        const deferred = b.makeOutput([count], 'int32');
        // Views are made after the last allocation: an allocation may grow the heap and detach older views.
        const heap = () => b.wasm.asm.memory.buffer;
        const k = native.squareOrDefer(heap(), offset(b, input), offset(b, out), count, offset(b, deferred));
        if (k > 0) {
          const values = b.makeOutput([k], 'float32');
          const two = b.makeOutput([], 'float32');
          const at = new Uint32Array(heap(), offset(b, deferred), k);
          const xs = new Float32Array(heap(), offset(b, input), count);
          const gathered = new Float32Array(heap(), offset(b, values), k);
          for (let j = 0; j < k; j++) gathered[j] = xs[at[j]!]!;
          new Float32Array(heap(), offset(b, two), 1)[0] = 2;
          const powered = pow.kernelFunc({ inputs: { a: values, b: two }, backend: b, attrs: {} }) as tf.TensorInfo;
          const results = new Float32Array(heap(), offset(b, powered), k);
          const outs = new Float32Array(heap(), offset(b, out), count);
          const where = new Uint32Array(heap(), offset(b, deferred), k);
          for (let j = 0; j < k; j++) outs[where[j]!] = results[j]!;
          for (const t of [values, two, powered]) b.disposeData(t.dataId);
        }
        b.disposeData(deferred.dataId);
        return out;
      },
    });
  }
  return tf.engine().runKernel(POW_TWO, { x }) as tf.Tensor;
}

/** h W through the kernel (it packs h and unpacks its output itself). */
function packedForward(h: tf.Tensor2D, W: tf.Tensor2D): tf.Tensor2D {
  register();
  return tf.engine().runKernel(DENSE_FORWARD, { h, W }) as tf.Tensor2D;
}

const forwardWithGradient = tf.customGrad((h, W, save) => {
  (save as tf.GradSaveFunc)([h as tf.Tensor2D, W as tf.Tensor2D]);
  return {
    value: packedForward(h as tf.Tensor2D, W as tf.Tensor2D),
    gradFunc: (dy, saved) => {
      const [hs, Ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [backwardProduct(dy as tf.Tensor2D, Ws), matMulTransposeA(hs, dy as tf.Tensor2D)];
    },
  };
});

/** h W for a small batch h [m, rows] and a weight matrix W [rows, cols]: [m, cols]. */
export function denseForward(h: tf.Tensor2D, W: tf.Tensor2D): tf.Tensor2D {
  if (!useKernels(W, h)) return tf.matMul(h, W);
  return forwardWithGradient(h, W) as tf.Tensor2D;
}

/** W - h^T d for h [m, rows], d [m, cols]: one gradient step of a layer (the step's scalars already in d). */
export function rankUpdate(W: tf.Tensor2D, h: tf.Tensor2D, d: tf.Tensor2D): tf.Tensor2D {
  if (!useKernels(W, h, d)) return tf.tidy(() => tf.sub(W, matMulTransposeA(h, d)));
  register();
  return tf.engine().runKernel(RANK_UPDATE, { W, h, d }) as tf.Tensor2D;
}
