/**
 * The native elementwise kernels against tfjs-wasm's own kernels on every float32 input, all 2^32 bit patterns, in
 * chunks of 2^22: `npm run check:tanh` (tanh against tfjs's Tanh) and `npm run check:pow2` (powTwo against
 * `tf.pow(x, tf.scalar(2, 'int32'))`, with how many inputs went to tfjs's Pow). Prints how many results differ in
 * their bits (NaN results compare as NaN: WebAssembly does not fix NaN payloads); exit 1 on any difference.
 * `-- --chunks K` checks K of the 1024 chunks, spread over the range (all by default: about one minute for tanh and
 * four for pow2 on one core).
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/runtime/backend.ts';
import { nativeKernels, type NativeKernels } from '../src/engine/runtime/native-kernels.ts';
import { powTwo, tfjsTanh } from '../src/engine/runtime/weight-kernels.ts';

const CHUNK = 1 << 22;
const TOTAL = 1024;

/** One kernel under check: tfjs's result and ours on the same input tensor, and a count of its own to report. */
interface Op {
  tfjs(x: tf.Tensor): tf.Tensor;
  native(x: tf.Tensor): tf.Tensor;
  /** Extra counting on the chunk's input bits (a heap of three chunks is at hand), reported at the end. */
  count?(native: NativeKernels, heap: ArrayBuffer, input: Uint32Array): number;
  countLabel?: string;
}

const OPS = {
  tanh: { tfjs: tfjsTanh, native: (x) => tf.tanh(x) },
  pow2: {
    tfjs: (x) => tf.tidy(() => tf.pow(x, tf.scalar(2, 'int32'))),
    native: powTwo,
    count: (native, heap, input) => {
      new Uint32Array(heap, 0, CHUNK).set(input);
      return native.squareOrDefer(heap, 0, 4 * CHUNK, CHUNK, 8 * CHUNK);
    },
    countLabel: "went to tfjs's Pow",
  },
} satisfies Record<string, Op>;
type OpName = keyof typeof OPS;

const fail = (message: string): never => {
  console.error(`check-bits: ${message}`);
  process.exit(2);
};
const name = process.argv[2];
if (!name || !(name in OPS)) fail(`the kernel to check must be one of ${Object.keys(OPS).join(', ')} (got ${name})`);
const op: Op = OPS[name as OpName];
const at = process.argv.indexOf('--chunks');
const chunks = at > 0 ? Number(process.argv[at + 1]) : TOTAL;
if (!Number.isInteger(chunks) || chunks < 1 || chunks > TOTAL)
  fail(`--chunks must be an integer from 1 to ${TOTAL} (got ${process.argv[at + 1]})`);
const { native, family } = nativeKernels();
if (!native) fail(`the native kernels do not run here (${'why' in family ? family.why : ''})`);
await initBackend('wasm');

const input = new Uint32Array(CHUNK);
const inputFloats = new Float32Array(input.buffer);
const heap = new ArrayBuffer(12 * CHUNK);
let differ = 0;
let checked = 0;
let counted = 0;
const start = performance.now();
for (let s = 0; s < chunks; s++) {
  const c = Math.floor((s * TOTAL) / chunks);
  for (let i = 0; i < CHUNK; i++) input[i] = (c * CHUNK + i) >>> 0;
  // Not inside tf.tidy: tidy walks every key of a typed array its function returns (seconds per chunk).
  const x = tf.tensor1d(inputFloats);
  const want = op.tfjs(x);
  const got = op.native(x);
  const wantFloats = (want.dataSync() as Float32Array).slice();
  const gotFloats = (got.dataSync() as Float32Array).slice();
  tf.dispose([x, want, got]);
  const wantBits = new Uint32Array(wantFloats.buffer);
  const gotBits = new Uint32Array(gotFloats.buffer);
  for (let i = 0; i < CHUNK; i++) {
    if (gotBits[i] === wantBits[i]) continue;
    if (Number.isNaN(gotFloats[i]) && Number.isNaN(wantFloats[i])) continue;
    if (differ < 10)
      console.log(`differ at input 0x${input[i]!.toString(16)}: tfjs ${wantFloats[i]}, native ${gotFloats[i]}`);
    differ++;
  }
  if (op.count) counted += op.count(native!, heap, input);
  checked += CHUNK;
}
const seconds = ((performance.now() - start) / 1000).toFixed(0);
const extra = op.count ? `; ${counted} (${((100 * counted) / checked).toFixed(2)}%) ${op.countLabel}` : '';
console.log(`${name}: ${checked} inputs checked, ${differ} differ in their bits${extra} (${seconds} s)`);
process.exit(differ === 0 ? 0 : 1);
