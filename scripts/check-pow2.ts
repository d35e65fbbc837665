/**
 * powTwo (src/engine/runtime/weight-kernels.ts: the native square where it provably agrees, tfjs's Pow elsewhere)
 * against tfjs-wasm's `tf.pow(x, tf.scalar(2, 'int32'))` on every float32 input, all 2^32 bit patterns, in chunks:
 * prints how many results differ in their bits (NaN results compare as NaN) and how many inputs went to tfjs's Pow.
 * `npm run check:pow2 [-- --chunks K]` (K of the 1024 chunks of 2^22 inputs, spread over the range; all by default,
 * about two minutes on one core). Exit 1 on any difference.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/engine/runtime/backend.ts';
import { nativeKernels } from '../src/engine/runtime/native-kernels.ts';
import { powTwo } from '../src/engine/runtime/weight-kernels.ts';

const CHUNK = 1 << 22;
const TOTAL = 1024;
const at = process.argv.indexOf('--chunks');
const chunks = at > 0 ? Number(process.argv[at + 1]) : TOTAL;
if (!Number.isInteger(chunks) || chunks < 1 || chunks > TOTAL) {
  console.error(`check-pow2: --chunks must be an integer from 1 to ${TOTAL} (got ${process.argv[at + 1]})`);
  process.exit(2);
}
const { native, family } = nativeKernels();
if (!native) {
  console.error(`check-pow2: the native kernels do not run here (${'why' in family ? family.why : ''})`);
  process.exit(2);
}
await initBackend('wasm');
const input = new Uint32Array(CHUNK);
const inputFloats = new Float32Array(input.buffer);
let differ = 0;
let checked = 0;
let deferred = 0;
const scratch = new ArrayBuffer(12 * CHUNK);
const start = performance.now();
for (let s = 0; s < chunks; s++) {
  const c = Math.floor((s * TOTAL) / chunks);
  for (let i = 0; i < CHUNK; i++) input[i] = (c * CHUNK + i) >>> 0;
  // Not inside tf.tidy: tidy walks every key of a typed array its function returns.
  const x = tf.tensor1d(inputFloats);
  const two = tf.scalar(2, 'int32');
  const want = tf.pow(x, two);
  const got = powTwo(x);
  const wantBits = new Uint32Array((want.dataSync() as Float32Array).slice().buffer);
  const gotFloats = (got.dataSync() as Float32Array).slice();
  const gotBits = new Uint32Array(gotFloats.buffer);
  const wantFloats = new Float32Array(wantBits.buffer);
  tf.dispose([x, two, want, got]);
  for (let i = 0; i < CHUNK; i++) {
    if (gotBits[i] === wantBits[i]) continue;
    if (Number.isNaN(gotFloats[i]) && Number.isNaN(wantFloats[i])) continue;
    if (differ < 10) console.log(`differ at input 0x${input[i]!.toString(16)}: tfjs ${wantFloats[i]}, ${gotFloats[i]}`);
    differ++;
  }
  // How many inputs the native pass defers to tfjs's Pow (on a heap of our own: input | out | indices).
  new Uint32Array(scratch, 0, CHUNK).set(input);
  deferred += native.squareOrDefer(scratch, 0, 4 * CHUNK, CHUNK, 8 * CHUNK);
  checked += CHUNK;
}
const seconds = ((performance.now() - start) / 1000).toFixed(0);
console.log(
  `pow(x, 2): ${checked} inputs checked, ${differ} differ in their bits; ` +
    `${deferred} (${((100 * deferred) / checked).toFixed(2)}%) went to tfjs's Pow (${seconds} s)`,
);
process.exit(differ === 0 ? 0 : 1);
