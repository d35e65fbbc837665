/**
 * npm run bench -- --cell THEOREM/ARM/WIDTH [--steps N] [--seed S] [--json] [--no-peer]
 *
 * Times one cell of a theorem in this process on one core (the cell function the sweep's workers run), counts the
 * passes it makes over its weight matrices, and sets the achieved bandwidth against the machine's copy bandwidth
 * measured here (the physical limit of a memory-bound step). When python3 with torch is installed the PyTorch peer of
 * the same cell (bench/torch_cell.py) runs beside it on one thread, so the ratio is measured, not remembered.
 *
 * Passes over the weights are counted from tf.profile's kernel log at a small width with the same steps (the count per
 * step does not depend on the width): every read or write of a tensor at least half the size of the largest one is a
 * pass, and a matrix product that takes a weight-sized tensor as its right operand adds two (XNNPACK packs the weights:
 * one read, one write). A pass is 4 n^2 bytes at width n.
 *
 * The same log gives the multiply-adds of the products that take a weight matrix (m of them per weight for a batch of m
 * rows), so the cell's product rate is set against the ceiling of WebAssembly SIMD arithmetic on this core, measured
 * here too (bench/simd-peak.wat). The copy bandwidth the cell would reach with every product at that ceiling says
 * whether the memory limit is reachable at all with 128-bit SIMD.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BatchMatMul, _FusedMatMul } from '@tensorflow/tfjs-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/engine/runtime/backend.ts';
import { WEIGHT_KERNEL_NAMES } from '../src/engine/runtime/weight-kernels.ts';
import { assembleWat } from '../scripts/build-kernels.ts';
import { requireNonNegativeNumber, requirePositiveInteger, UsageError } from '../src/errors.ts';
import { resolveTheorem } from '../src/cli/theorem-source.ts';
import type { CellBenchRun } from './readme-figures.ts';
import { kernelsLine, nativeKernels, type NativeKernels } from '../src/engine/runtime/native-kernels.ts';
import type { CellResult, CellTaskArgs, SweepPlan, TheoremCheck } from '../src/verify/experiment.ts';

/** One timed cell (the README reads a list of them, docs/cell-bench.json), with the tensor kernels it launched. */
export type CellBench = CellBenchRun & { theorem: string; kernels: number; flopsPerWeight: number };

type CellFunction = (args: CellTaskArgs) => CellResult;

function parseCellArgument(value: string): { theorem: string; arm: string; width: number } {
  const parts = value.split('/');
  if (parts.length < 3) throw new UsageError('--cell', value, 'THEOREM/ARM/WIDTH, e.g. ntk-constancy/tanh/2048');
  return {
    theorem: parts.slice(0, -2).join('/'),
    arm: parts.at(-2)!,
    width: requirePositiveInteger('--cell WIDTH', parts.at(-1)),
  };
}

/** The shortest of 5 runs of `run`, in seconds. */
function bestOfFive(run: () => void): number {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  return best / 1000;
}

/** Copy bandwidth of this process: bytes read + written per second by a 256 MB typed-array copy (best of 5). */
export function copyBandwidth(bytes = 256 * 2 ** 20): number {
  const src = new Float32Array(bytes / 4).fill(1);
  const dst = new Float32Array(bytes / 4);
  return (2 * bytes) / bestOfFive(() => dst.set(src)) / 1e9;
}

/**
 * GFLOP/s of f32x4 multiplies and adds with their operands in registers (bench/simd-peak.wat), best of 5: the ceiling
 * of
 * the weight kernels' arithmetic on this core.
 */
export async function simdPeak(): Promise<number> {
  const bytes = await assembleWat(join(import.meta.dirname, 'simd-peak.wat'));
  const { peak } = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports as {
    peak(n: number): number;
  };
  const iterations = 2e6;
  peak(iterations / 10);
  return (iterations * 256) / bestOfFive(() => peak(iterations)) / 1e9;
}

/** GFLOP/s of 256-bit multiplies and adds with operands in registers (the native kernels' ceiling), best of 5. */
function nativePeak(native: NativeKernels): number {
  const iterations = 2e6;
  native.peak(iterations / 10);
  return (iterations * 512) / bestOfFive(() => native.peak(iterations)) / 1e9;
}

const PRODUCT_KERNELS = new Set([BatchMatMul, _FusedMatMul, ...WEIGHT_KERNEL_NAMES]);

/**
 * Weight passes, multiply-adds per weight (the batch rows of every product with a weight matrix, summed) and kernel
 * launches of a cell, from the kernel log of one run.
 */
async function weightPasses(run: () => unknown): Promise<{ passes: number; macsPerWeight: number; kernels: number }> {
  const info = await tf.profile(() => {
    run();
    return [];
  });
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const largest = Math.max(
    ...info.kernels.flatMap((k) => [...k.inputShapes, ...k.outputShapes].map((s) => size(s ?? []))),
  );
  const big = (shape: number[] | undefined) => shape !== undefined && size(shape) >= largest / 2;
  // tf.customGrad wrappers are logged as "unnamed scope" records beside the kernels they run: not a pass of their own.
  const kernels = info.kernels.filter((k) => k.name !== 'unnamed scope');
  let traffic = 0;
  let macs = 0;
  for (const k of kernels) {
    for (const s of [...k.inputShapes, ...k.outputShapes]) if (big(s)) traffic += size(s!);
    if ((k.name === BatchMatMul || k.name === _FusedMatMul) && big(k.inputShapes[1]))
      traffic += 2 * size(k.inputShapes[1]!);
    const weight = k.inputShapes.find(big);
    const batch = k.inputShapes.find((s) => s !== undefined && !big(s));
    if (PRODUCT_KERNELS.has(k.name) && weight && batch) {
      const shared = size(batch) % weight[0]! === 0 ? weight[0]! : weight[1]!;
      macs += (size(batch) / shared) * size(weight);
    }
  }
  return { passes: traffic / largest, macsPerWeight: macs / largest, kernels: kernels.length };
}

function planFor(check: TheoremCheck, steps: number | null): SweepPlan {
  const plan = check.plan('full');
  if (steps !== null) {
    if (!('steps' in plan.settings))
      throw new UsageError(
        '--steps',
        String(steps),
        `a theorem whose cells take a step count (${check.statement.id} has no steps setting)`,
      );
    plan.settings.steps = steps;
  }
  return plan;
}

/** The first python that imports torch: $TDLV_PYTHON, python3 on the PATH, then Debian's /usr/bin/python3. */
function pythonWithTorch(): { python: string; torch: string } | null {
  for (const python of [process.env.TDLV_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p)) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, torch: probe.stdout.trim() };
  }
  return null;
}

/**
 * The PyTorch peer of an ntk-constancy cell on one thread beside tdlv's `seconds`, or why it cannot run: two cells in
 * one process, like tdlv's first and later cell.
 */
function torchPeer(arm: string, width: number, steps: number, seconds: number): CellBench['peer'] {
  const found = pythonWithTorch();
  if (!found) return { missing: 'no python3 with torch (Debian: apt-get install python3-torch; or set TDLV_PYTHON)' };
  const script = join(import.meta.dirname, 'torch_cell.py');
  const threads = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const { allocator, env: allocatorEnv } = peerAllocator();
  const args = [script, '--arm', arm, '--width', String(width), '--steps', String(steps), '--cells', '2'];
  const env = { ...process.env, ...threads, ...allocatorEnv };
  const out = execFileSync(found.python, args, { encoding: 'utf8', env });
  const peer = JSON.parse(out) as { seconds: number; laterSeconds: number[] };
  return {
    seconds: peer.seconds,
    ratio: seconds / peer.seconds,
    torch: found.torch,
    laterSeconds: peer.laterSeconds[0],
    allocator,
  };
}

const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

/**
 * The peer's memory allocator, tuned as PyTorch's CPU performance guide advises (jemalloc or tcmalloc). Autograd
 * allocates every weight gradient afresh (64 MB at n = 4096, 256 MB at 8192), and glibc maps such blocks anew and
 * returns them on every step, so with its defaults the peer spends most of a large cell in page faults: on a Zen 5 VM
 * `W -= h^T d` took 194 ms at n = 4096 and 788 ms at 8192, against 14.5 and 59 ms with jemalloc keeping its memory
 * (scratch measurement, one thread, 2026-12-07). tdlv's WebAssembly heap is allocated once and reused, so this only
 * lifts the peer to the bar it should be held to. jemalloc from Debian's libjemalloc2; without it, glibc's own knobs
 * (which help up to 4096, not at 8192).
 */
function peerAllocator(): { allocator: string; env: Record<string, string> } {
  if (existsSync(JEMALLOC))
    return {
      allocator: 'jemalloc, memory kept (dirty_decay_ms:-1)',
      env: { LD_PRELOAD: JEMALLOC, MALLOC_CONF: 'dirty_decay_ms:-1,muzzy_decay_ms:-1' },
    };
  return {
    allocator: 'glibc, mmap and trim thresholds 4 GiB (apt-get install libjemalloc2 for the bar at 8192)',
    env: { MALLOC_MMAP_THRESHOLD_: String(2 ** 32), MALLOC_TRIM_THRESHOLD_: String(2 ** 32) },
  };
}

export async function benchCell(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cell: { type: 'string' },
      steps: { type: 'string' },
      seed: { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
      'no-peer': { type: 'boolean', default: false },
    },
  });
  const { theorem, arm, width } = parseCellArgument(values.cell!);
  const steps = values.steps === undefined ? null : requirePositiveInteger('--steps', values.steps);
  const seed = requireNonNegativeNumber('--seed', values.seed);
  if (!Number.isInteger(seed)) throw new UsageError('--seed', values.seed, 'an integer >= 0');
  await initBackend('wasm');
  const check = await resolveTheorem(theorem, '--cell');
  const plan = planFor(check, steps);
  if (!plan.arms.includes(arm))
    throw new UsageError('--cell', values.cell!, `an arm of ${check.statement.id}: ${plan.arms.join(', ')}`);
  // The built-in cells return their full result synchronously.
  const run = check.cell as CellFunction;

  // Warm-up at a small width (backend kernels, caches), then the kernel log at a small width, then the timed cell.
  const small = Math.min(width, 128);
  run({ cell: { arm, width: small, seed }, plan });
  const {
    passes: passesPerCell,
    macsPerWeight,
    kernels,
  } = await weightPasses(() => run({ cell: { arm, width: small, seed }, plan }));
  const start = performance.now();
  const result = run({ cell: { arm, width, seed }, plan });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 'ok') console.error(`note: the cell is ${result.status}: ${result.why ?? ''}`);
  // The next seed's cell in the same process: what each later cell of a sweep's worker costs.
  const laterStart = performance.now();
  run({ cell: { arm, width, seed: seed + 1 }, plan });
  const laterSeconds = (performance.now() - laterStart) / 1000;
  const copy = copyBandwidth();
  const peak = await simdPeak();
  const { family, native } = nativeKernels();
  const gigabytes = (passesPerCell * 4 * width * width) / 1e9;
  const gbPerSecond = gigabytes / seconds;
  const productGflop = (2 * macsPerWeight * width * width) / 1e9;
  const stepCount = steps ?? (typeof plan.settings.steps === 'number' ? plan.settings.steps : null);
  const peer =
    !values['no-peer'] && check.statement.id === 'ntk-constancy' && stepCount !== null
      ? torchPeer(arm, width, stepCount, seconds)
      : null;
  const out: CellBench = {
    theorem: check.statement.id,
    arm,
    width,
    steps: stepCount,
    seconds,
    laterSeconds,
    passesOverWeights: passesPerCell,
    kernels,
    flopsPerWeight: 2 * macsPerWeight,
    gbPerSecond,
    copyGbPerSecond: copy,
    fractionOfCopyBandwidth: gbPerSecond / copy,
    productGflopPerSecond: productGflop / seconds,
    simdPeakGflopPerSecond: peak,
    fractionOfSimdPeak: productGflop / seconds / peak,
    copyFractionAtSimdPeak: gigabytes / (productGflop / peak) / copy,
    weightKernels: family.kernels,
    ...(native ? { nativePeakGflopPerSecond: nativePeak(native) } : {}),
    peer,
  };
  if (values.json) {
    console.log(JSON.stringify(out));
    return;
  }
  console.log(
    `${out.theorem} ${arm} width ` +
      `${width}${stepCount !== null ? `, ${stepCount} steps` : ''}: ${seconds.toFixed(2)} ` +
      `s on one core`,
  );
  console.log(
    `  ${passesPerCell.toFixed(0)} passes over the weights ` +
      `(${(passesPerCell / (stepCount ?? 1)).toFixed(1)} per step), ${kernels} kernels per ` +
      `cell`,
  );
  console.log(
    `  ${gbPerSecond.toFixed(2)} GB/s over the weights = ` +
      `${(100 * out.fractionOfCopyBandwidth).toFixed(0)}% of this machine's copy bandwidth ` +
      `(${copy.toFixed(1)} GB/s read + write)`,
  );
  console.log(
    `  ${out.productGflopPerSecond.toFixed(1)} GFLOP/s in the weight products ` +
      `(${(2 * macsPerWeight).toFixed(0)} flops per weight) = ` +
      `${(100 * out.fractionOfSimdPeak).toFixed(0)}% of the WebAssembly SIMD ceiling ` +
      `(${peak.toFixed(1)} GFLOP/s); at that ceiling the cell would use ` +
      `${(100 * out.copyFractionAtSimdPeak).toFixed(0)}% of the copy bandwidth`,
  );
  console.log(
    `  ${kernelsLine(family)}` +
      (out.nativePeakGflopPerSecond
        ? `; ${((100 * out.productGflopPerSecond) / out.nativePeakGflopPerSecond).toFixed(0)}% of the native ` +
          `AVX2 ceiling (${out.nativePeakGflopPerSecond.toFixed(1)} GFLOP/s)`
        : ''),
  );
  if (peer && 'seconds' in peer)
    console.log(
      `  PyTorch ${peer.torch} peer (bench/torch_cell.py, one thread): ` +
        `${peer.seconds.toFixed(2)} s; tdlv / PyTorch = ${peer.ratio.toFixed(2)}` +
        (peer.laterSeconds !== undefined
          ? `; a later cell in the same process: tdlv ${laterSeconds.toFixed(2)} s, PyTorch ` +
            `${peer.laterSeconds.toFixed(2)} s, ratio ${(laterSeconds / peer.laterSeconds).toFixed(2)}`
          : ''),
    );
  else if (peer) console.log(`  PyTorch peer not run: ${peer.missing}`);
}
