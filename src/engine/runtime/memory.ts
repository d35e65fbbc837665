/** Memory estimates of a network before it is allocated, and the one-line error when it will not fit. */
import { freemem } from 'node:os';
import { UsageError } from '../../errors.ts';
import { parameterCount, type MlpSpec } from '../nets/mlp.ts';

/** WebAssembly32 linear memory ends at 4 GiB; keep headroom for the allocator. */
const WASM_HEAP_BYTES = 3.6 * 2 ** 30;

/**
 * Bytes a training run of this network needs, float32: parameters, their gradients and one
 * temporary per parameter tensor, the float32 buffer the initial draw is staged in, and the
 * activations and deltas of m inputs (times the number of outputs for the NTK).
 */
export function estimateBytes(spec: MlpSpec, inputs: number): number {
  const params = parameterCount(spec);
  const largest = Math.max(
    ...[spec.inputDim, ...spec.widths, spec.outputDim].map((n, i, a) => (i + 1 < a.length ? n * a[i + 1]! : 0)),
  );
  const activations = inputs * spec.outputDim * [spec.inputDim, ...spec.widths].reduce((s, n) => s + n, 0) * 4;
  return 4 * (3 * params + largest + activations);
}

/** Throw a clear error before allocating a width that does not fit. */
export function assertFits(spec: MlpSpec, inputs: number, backend: string, workers = 1): void {
  const need = estimateBytes(spec, inputs);
  const perWorker = freemem() / Math.max(1, workers);
  const limit = backend === 'wasm' ? Math.min(WASM_HEAP_BYTES, perWorker) : perWorker;
  if (need > limit) {
    const gib = (b: number) => (b / 2 ** 30).toFixed(2);
    throw new UsageError(
      '--width',
      Math.max(...spec.widths),
      `a width whose network fits in memory: it needs ${gib(need)} GiB per worker, the ` +
        `limit is ${gib(limit)} GiB (${backend} backend, ${workers} worker(s))`,
    );
  }
}
