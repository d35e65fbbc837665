/** Choosing and initialising the tensor backend (tfjs-node, WebAssembly or CPU) once per thread. */
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../../errors.ts';
import { installNativeTanh } from './weight-kernels.ts';

export const BACKEND_CHOICES = ['auto', 'wasm', 'node', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

let pending: Promise<string> | null = null;

async function tryNode(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-node' as string);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function useWasm(): Promise<boolean> {
  await import('@tensorflow/tfjs-backend-wasm');
  const ok = await tf.setBackend('wasm');
  if (ok) installNativeTanh();
  return ok;
}

async function useCpu(): Promise<boolean> {
  await import('@tensorflow/tfjs-backend-cpu');
  return tf.setBackend('cpu');
}

/**
 * Select the tensor backend once per process (or worker thread). `auto` picks tfjs-node when the
 * optional dependency installed, and the embedded WebAssembly backend otherwise.
 */
export function initBackend(choice: BackendChoice = 'auto'): Promise<string> {
  // Memoised: concurrent callers must share one initialisation (tfjs cannot initialise twice at once).
  pending ??= selectBackend(choice).catch((error) => {
    pending = null;
    throw error;
  });
  return pending;
}

async function selectBackend(choice: BackendChoice): Promise<string> {
  let ok = false;
  if (choice === 'node') {
    ok = await tryNode();
    if (!ok)
      throw new UsageError(
        '--backend',
        choice,
        "a backend that is installed: '@tensorflow/tfjs-node' did not load (use wasm)",
      );
  } else if (choice === 'cpu') ok = await useCpu();
  else if (choice === 'wasm') ok = await useWasm();
  else ok = (await tryNode()) || (await useWasm()) || (await useCpu());
  if (!ok)
    throw new Error(
      `could not initialise the ${choice} tensor backend (registered: ` +
        `${Object.keys(tf.engine().registryFactory).join(', ') || 'none'})`,
    );
  await tf.ready();
  return tf.getBackend();
}
