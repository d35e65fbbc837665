/**
 * `npm run build` (before the lab): compile the native AVX2 weight kernels (native/tdlv_kernels.c) into dist/native/
 * with the system C compiler. Never fails the build: without a compiler tdlv runs the WebAssembly kernels (the same
 * bits) and says why.
 */
import { buildNativeKernels } from '../src/engine/runtime/native-kernels.ts';

const built = buildNativeKernels();
console.log('path' in built ? `native kernels: ${built.path}` : `native kernels not built: ${built.why}`);
