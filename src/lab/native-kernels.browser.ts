/**
 * What the lab's bundle gets in place of src/engine/runtime/native-kernels.ts (src/lab/bundle.ts swaps it in): a
 * browser has no native addon, so the WebAssembly SIMD kernels run (the same bits).
 */
import type { KernelFamily, NativeKernels } from '../engine/runtime/native-kernels.ts';

export function nativeKernels(): { family: KernelFamily; native: NativeKernels | null } {
  return { family: { kernels: 'wasm-simd', why: 'a browser runs no native code' }, native: null };
}
