/**
 * npm run bench -- --cell THEOREM/ARM/WIDTH [--steps N] [--json]: one cell of a theorem (bench/cell.ts).
 * npm run bench [-- --widths 512,1024 --backend wasm]
 * Times network initialisation, the layer-wise empirical NTK (depth 3, 64 inputs) and one
 * full-batch gradient-descent step, across widths; then the worker pool's throughput with one
 * and two workers on a fixed batch of kernel samples.
 */
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import { parseActivation } from '../src/engine/nets/activations.ts';
import { BACKEND_CHOICES, initBackend, type BackendChoice } from '../src/engine/runtime/backend.ts';
import { empiricalNtkTensor } from '../src/engine/nets/empirical-ntk.ts';
import { empiricalKernelStats } from '../src/engine/kernels/kernel-monte-carlo.ts';
import { disposeMlp, initMlp, type MlpSpec } from '../src/engine/nets/mlp.ts';
import { WorkerPool } from '../src/engine/runtime/pool.ts';
import { spherePoints, stream } from '../src/random/rng.ts';
import { gradientDescentStep } from '../src/engine/nets/train.ts';

if (process.argv.includes('--cell')) {
  const { benchCell } = await import('./cell.ts');
  const { UsageError } = await import('../src/errors.ts');
  try {
    await benchCell(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError) && (error as Error).name !== 'UsageError') throw error;
    console.error(`bench: ${(error as Error).message}`);
    process.exit(2);
  }
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    widths: { type: 'string', default: '512,1024,2048,4096,8192' },
    backend: { type: 'string', default: 'wasm' },
    reps: { type: 'string', default: '3' },
  },
});
const backend = await initBackend(values.backend as BackendChoice);
if (!BACKEND_CHOICES.includes(values.backend as BackendChoice)) throw new Error('--backend');
const widths = values.widths!.split(',').map(Number);
const reps = Number(values.reps);
const m = 64;
const d = 16;
const depth = 3;
const X = tf.tensor2d(spherePoints(stream({ bench: 'inputs' }), m, d));
const Y = tf.randomNormal([m, 1], 0, 1, 'float32', 7) as tf.Tensor2D;

function timeIt(fn: () => void): number {
  fn(); // warm-up (kernel compilation, allocator)
  const start = performance.now();
  for (let r = 0; r < reps; r++) fn();
  return (performance.now() - start) / reps / 1000;
}

/** Multiply-adds of one forward pass, times 2. */
function forwardFlops(n: number): number {
  return 2 * m * (d * n + (depth - 1) * n * n + n);
}

console.log(`backend ${backend}, depth ${depth}, ${m} inputs of dimension ${d}, ${reps} repetitions`);
console.log('width    init (s)   NTK (s)   NTK GFLOP/s   GD step (s)   GD GFLOP/s');
for (const n of widths) {
  const spec: MlpSpec = {
    inputDim: d,
    widths: new Array(depth).fill(n),
    outputDim: 1,
    activation: parseActivation('relu'),
    parametrization: 'ntk',
    sigmaW2: 2,
    sigmaB2: 0.1,
  };
  const t0 = performance.now();
  const net = initMlp(spec, { bench: 'engine', width: n, seed: 0 });
  const init = (performance.now() - t0) / 1000;
  // NTK: forward + backward (same matmuls as forward) + one m x m x n Gram product per layer for D and for H.
  const ntkFlops = 2 * forwardFlops(n) + (depth + 1) * 2 * 2 * m * m * n;
  const ntk = timeIt(() => empiricalNtkTensor(net, X).dispose());
  // GD step: forward + backward + weight gradients (each about one forward).
  const gdFlops = 3 * forwardFlops(n);
  const gd = timeIt(() => gradientDescentStep(net, X, Y, 1e-6));
  disposeMlp(net);
  console.log(
    `${String(n).padEnd(8)} ${init.toFixed(3).padStart(8)} ${ntk.toFixed(4).padStart(9)} ` +
      `${(ntkFlops / ntk / 1e9).toFixed(2).padStart(13)} ${gd.toFixed(4).padStart(13)} ` +
      `${(gdFlops / gd / 1e9).toFixed(2).padStart(12)}`,
  );
}

console.log('\nworker pool: 48 empirical-kernel samples, width 1024, depth 3, 16 inputs');
const poolSpec = {
  inputDim: d,
  widths: [1024, 1024, 1024],
  outputDim: 1,
  activation: 'relu',
  parametrization: 'ntk' as const,
  sigmaW2: 2,
  sigmaB2: 0.1,
};
const poolX = spherePoints(stream({ bench: 'pool' }), 16, d);
const throughput: number[] = [];
for (const size of [1, 2]) {
  const pool = new WorkerPool({ size, backend: values.backend as BackendChoice });
  await empiricalKernelStats(pool, { spec: poolSpec, X: poolX, samples: size * 2, seed: 99 }); // start-up and warm-up
  const start = performance.now();
  await empiricalKernelStats(pool, { spec: poolSpec, X: poolX, samples: 48, seed: 1 });
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  throughput.push(48 / seconds);
  console.log(`${size} worker(s): ${seconds.toFixed(2)} s, ${(48 / seconds).toFixed(1)} samples/s`);
}
console.log(`speed-up of two workers over one: ${(throughput[1]! / throughput[0]!).toFixed(2)}x`);
