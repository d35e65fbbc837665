/**
 * The native tanh (native/tdlv_kernels.c) against tfjs-wasm's Tanh on every float32 input, all 2^32 bit patterns, in
 * chunks: prints how many results differ in their bits (NaN results compare as NaN: WebAssembly does not fix NaN
 * payloads). `npm run check:tanh [-- --chunks K]` (K of the 1024 chunks of 2^22 inputs, spread over the range; all by
 * default, about three minutes on one core). Exit 1 on any difference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/runtime/backend.ts';
import { nativeKernels } from '../src/engine/runtime/native-kernels.ts';
import { tfjsTanh } from '../src/engine/runtime/weight-kernels.ts';

const CHUNK = 1 << 22;
const TOTAL = 1024;
const at = process.argv.indexOf('--chunks');
const chunks = at > 0 ? Number(process.argv[at + 1]) : TOTAL;
if (!Number.isInteger(chunks) || chunks < 1 || chunks > TOTAL) {
  console.error(`check-tanh: --chunks must be an integer from 1 to ${TOTAL} (got ${process.argv[at + 1]})`);
  process.exit(2);
}
const { native, family } = nativeKernels();
if (!native) {
  console.error(`check-tanh: the native kernels do not run here (${'why' in family ? family.why : ''})`);
  process.exit(2);
}
await initBackend('wasm');
const heap = new ArrayBuffer(8 * CHUNK);
const input = new Uint32Array(heap, 0, CHUNK);
const output = new Uint32Array(heap, 4 * CHUNK, CHUNK);
const inputFloats = new Float32Array(heap, 0, CHUNK);
let differ = 0;
let checked = 0;
const start = performance.now();
for (let s = 0; s < chunks; s++) {
  const c = Math.floor((s * TOTAL) / chunks);
  for (let i = 0; i < CHUNK; i++) input[i] = (c * CHUNK + i) >>> 0;
  // Not inside tf.tidy: tidy walks every key of a typed array its function returns (seconds per chunk).
  const x = tf.tensor1d(inputFloats);
  const y = tfjsTanh(x);
  const reference = y.dataSync() as Float32Array;
  tf.dispose([x, y]);
  const referenceBits = new Uint32Array(reference.buffer, reference.byteOffset, CHUNK);
  native.tanh(heap, 0, 4 * CHUNK, CHUNK);
  const outputFloats = new Float32Array(heap, 4 * CHUNK, CHUNK);
  for (let i = 0; i < CHUNK; i++) {
    if (output[i] === referenceBits[i]) continue;
    if (Number.isNaN(outputFloats[i]) && Number.isNaN(reference[i])) continue;
    if (differ < 10)
      console.log(`differ at input 0x${input[i]!.toString(16)}: tfjs ${reference[i]}, native ${outputFloats[i]}`);
    differ++;
  }
  checked += CHUNK;
}
const seconds = ((performance.now() - start) / 1000).toFixed(0);
console.log(`tanh: ${checked} inputs checked, ${differ} differ in their bits (${seconds} s)`);
process.exit(differ === 0 ? 0 : 1);
