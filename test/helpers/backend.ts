/** Test helper: run the suite on the embedded WebAssembly backend, as CI does. */
import { beforeAll } from 'vitest';
import { initBackend } from '../../src/engine/runtime/backend.ts';

/** Tests run on the embedded wasm backend, as CI does. */
export function useWasmBackend(): void {
  beforeAll(async () => {
    await initBackend('wasm');
  });
}
