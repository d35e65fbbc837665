/** Monte Carlo means and standard errors of empirical kernels over many networks, on the worker pool. */
import * as tf from '@tensorflow/tfjs-core';
import { parseActivation } from '../nets/activations.ts';
import { empiricalNtkTensor, outputGram } from '../nets/empirical-ntk.ts';
import { disposeMlp, forward, initMlp, type MlpSpec } from '../nets/mlp.ts';
import type { WorkerPool } from '../runtime/pool.ts';

/** A network spec in structured-clone form (the activation by name), as sent to workers. */
export interface PlainMlpSpec extends Omit<MlpSpec, 'activation'> {
  activation: string;
}

export function toMlpSpec(plain: PlainMlpSpec): MlpSpec {
  return { ...plain, activation: parseActivation(plain.activation) };
}

export interface KernelSampleArgs {
  spec: PlainMlpSpec;
  X: number[][];
  experiment: string;
  seed: number;
  samples: number[];
}

/** Per-sample flattened [m, m] kernels, in the order of `samples`. */
export interface KernelSamples {
  nngp: Float64Array[];
  ntk: Float64Array[];
}

/** Worker task: draw one network per sample index and return its empirical kernels. */
export function sampleKernels(args: KernelSampleArgs): KernelSamples {
  const spec = toMlpSpec(args.spec);
  const m = args.X.length;
  const out: KernelSamples = { nngp: [], ntk: [] };
  const X = tf.tensor2d(args.X);
  for (const sample of args.samples) {
    const net = initMlp(spec, {
      experiment: args.experiment,
      width: Math.max(...spec.widths),
      seed: args.seed,
      sample,
    });
    // Tensors out of tidy, read after it (tidy walks every key of a typed array it returns).
    const [kTensor, tTensor] = tf.tidy(() => [outputGram(forward(net, X).out), empiricalNtkTensor(net, X)] as const);
    const [k, t] = [kTensor.dataSync(), tTensor.dataSync()];
    tf.dispose([kTensor, tTensor]);
    disposeMlp(net);
    // With k outputs the NTK is [k m, k m]; the analytic one is diagonal in outputs, so keep block (0, 0).
    const km = Math.sqrt(t.length);
    const theta = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) theta[i * m + j] = t[i * km + j]!;
    out.nngp.push(Float64Array.from(k));
    out.ntk.push(theta);
  }
  X.dispose();
  return out;
}

export interface KernelEstimate {
  mean: number[][];
  stderr: number[][];
}

export interface EmpiricalKernelStats {
  nngp: KernelEstimate;
  ntk: KernelEstimate;
  samples: number;
}

/** Mean and standard error of the mean, entrywise, accumulated in sample order (float64). */
export function kernelEstimate(samples: Float64Array[], m: number): KernelEstimate {
  const n = samples.length;
  const sum = new Float64Array(m * m);
  const sum2 = new Float64Array(m * m);
  for (const s of samples)
    for (let i = 0; i < m * m; i++) {
      sum[i]! += s[i]!;
      sum2[i]! += s[i]! * s[i]!;
    }
  const rows = (f: (i: number) => number) =>
    Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => f(i * m + j)));
  const mean = rows((i) => sum[i]! / n);
  const stderr = rows((i) => {
    const mu = sum[i]! / n;
    return n > 1 ? Math.sqrt(Math.max(0, (sum2[i]! - n * mu * mu) / (n - 1)) / n) : NaN;
  });
  return { mean, stderr };
}

const MODULE = import.meta.url;

/** Monte Carlo mean and standard error of the empirical NNGP and NTK over `samples` networks. */
export async function empiricalKernelStats(
  pool: WorkerPool,
  options: { spec: PlainMlpSpec; X: number[][]; samples: number; seed: number; experiment?: string },
): Promise<EmpiricalKernelStats> {
  const chunks = Math.max(1, Math.min(options.samples, Math.max(1, pool.size) * 4));
  const indices = Array.from({ length: options.samples }, (_, s) => s);
  const tasks = Array.from({ length: chunks }, (_, c) => ({
    module: MODULE,
    fn: 'sampleKernels',
    args: {
      spec: options.spec,
      X: options.X,
      experiment: options.experiment ?? 'tdlv-kernel',
      seed: options.seed,
      samples: indices.filter((s) => s % chunks === c),
    } satisfies KernelSampleArgs,
  }));
  const parts = await pool.map<KernelSamples>(tasks);
  // Reassemble in sample order so that the estimate does not depend on the number of workers.
  const nngp: Float64Array[] = new Array(options.samples);
  const ntk: Float64Array[] = new Array(options.samples);
  parts.forEach((part, c) =>
    tasks[c]!.args.samples.forEach((s, k) => {
      nngp[s] = part.nngp[k]!;
      ntk[s] = part.ntk[k]!;
    }),
  );
  const m = options.X.length;
  return { nngp: kernelEstimate(nngp, m), ntk: kernelEstimate(ntk, m), samples: options.samples };
}
