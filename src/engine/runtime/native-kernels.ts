/**
 * The native 256-bit (AVX2) weight kernels (native/tdlv_kernels.c): found or built, loaded, and selected at run time,
 * with the reason whenever the WebAssembly kernels run instead. Both families compute the same bits (issue 29).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.ts';

/** The addon's functions: byte offsets into one heap (the tfjs WebAssembly memory's buffer). */
export interface NativeKernels {
  denseForward(
    heap: ArrayBuffer,
    z: number,
    w: number,
    h: number,
    scratch: number,
    rows: number,
    cols: number,
    m: number,
  ): void;
  rankUpdate(
    heap: ArrayBuffer,
    out: number,
    w: number,
    h: number,
    d: number,
    scratch: number,
    rows: number,
    cols: number,
    m: number,
  ): void;
  backwardProduct(
    heap: ArrayBuffer,
    out: number,
    w: number,
    a: number,
    scratch: number,
    rows: number,
    cols: number,
    m: number,
  ): void;
  /** out[i] = tanh(x[i]) for `count` floats, with the bits of tfjs-wasm's Tanh (musl's tanhf; out may be x). */
  tanh(heap: ArrayBuffer, x: number, out: number, count: number): void;
  /**
   * out[i] = x[i]^2 rounded, and at `deferred` (uint32) the indices where tfjs-wasm's pow(x, 2) may round otherwise
   * (near a rounding midpoint, and the edge cases): returns how many (see square_or_defer).
   */
  squareOrDefer(heap: ArrayBuffer, x: number, out: number, count: number, deferred: number): number;
  supported(): boolean;
  /** The arithmetic ceiling loop (512 flops per iteration; bench/cell.ts). */
  peak(iterations: number): number;
}

/** Which weight kernels run, and why the native ones do not when they do not. */
export type KernelFamily = { kernels: 'native-avx2' } | { kernels: 'wasm-simd'; why: string };

export const NATIVE_SOURCE = join(PACKAGE_ROOT, 'native', 'tdlv_kernels.c');
/** Set TDLV_NATIVE=0 to run the WebAssembly kernels (CI runs the suite once so). */
export const NATIVE_SWITCH = 'TDLV_NATIVE';

/** The compiler flags: AVX2 only inside the kernels (target attribute), never fused multiply-adds. */
const CFLAGS = [
  '-O3',
  '-shared',
  '-fPIC',
  '-ffp-contract=off',
  '-fno-fast-math',
  '-DNODE_GYP_MODULE_NAME=tdlv_kernels',
];

/** Where a build of this source goes: dist/native/ in the package (or, read-only, a folder in the temp directory). */
function addonPath(source: string): string {
  const tag = createHash('sha256').update(source).update(CFLAGS.join(' ')).digest('hex').slice(0, 12);
  const name = `tdlv_kernels-${tag}.node`;
  const own = join(PACKAGE_ROOT, 'dist', 'native', name);
  if (existsSync(own)) return own;
  try {
    mkdirSync(dirname(own), { recursive: true });
    return own;
  } catch {
    return join(tmpdir(), 'tdlv-native', name);
  }
}

/** Node's own headers (node_api.h), shipped with every Node install. */
function nodeInclude(): string | undefined {
  const dir = join(dirname(dirname(process.execPath)), 'include', 'node');
  return existsSync(join(dir, 'node_api.h')) ? dir : undefined;
}

/**
 * Compile the addon for this source unless a build exists: the path, or why not. Written to a temporary name and
 * renamed, so two processes building at once never load a half-written file.
 */
export function buildNativeKernels(): { path: string } | { why: string } {
  if (!existsSync(NATIVE_SOURCE)) return { why: `its source ${NATIVE_SOURCE} is not installed` };
  const source = readFileSync(NATIVE_SOURCE, 'utf8');
  const path = addonPath(source);
  if (existsSync(path)) return { path };
  const include = nodeInclude();
  if (!include) return { why: "Node's headers (include/node/node_api.h) are not installed" };
  const compiler = process.env.CC ?? 'cc';
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const run = spawnSync(compiler, [...CFLAGS, `-I${include}`, '-o', partial, NATIVE_SOURCE], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    rmSync(partial, { force: true });
    const detail = run.error ? run.error.message : (run.stderr.trim().split('\n')[0] ?? `exit ${run.status}`);
    return { why: `no C compiler built it (${compiler}: ${detail})` };
  }
  renameSync(partial, path);
  return { path };
}

let chosen: { family: KernelFamily; native: NativeKernels | null } | undefined;

/** The native kernels where they can run here, else null and the reason (memoised per thread). */
export function nativeKernels(): { family: KernelFamily; native: NativeKernels | null } {
  chosen ??= choose();
  return chosen;
}

function choose(): { family: KernelFamily; native: NativeKernels | null } {
  const off = (why: string) => ({ family: { kernels: 'wasm-simd', why } as const, native: null });
  if (process.env[NATIVE_SWITCH] === '0') return off(`${NATIVE_SWITCH}=0`);
  if (process.arch !== 'x64') return off(`the native kernels are x86-64 (this is ${process.arch})`);
  const built = buildNativeKernels();
  if ('why' in built) return off(built.why);
  let native: NativeKernels;
  try {
    native = createRequire(import.meta.url)(built.path) as NativeKernels;
  } catch (error) {
    return off(`the addon did not load (${(error as Error).message.split('\n')[0]})`);
  }
  if (!native.supported()) return off('this CPU lacks AVX2');
  return { family: { kernels: 'native-avx2' }, native };
}

/** For a person: which weight kernels run, and why not the native ones (one clause, no line break). */
export function kernelsLine(family: KernelFamily): string {
  return family.kernels === 'native-avx2'
    ? 'native AVX2 weight kernels'
    : `WebAssembly SIMD weight kernels (native AVX2 not used: ${family.why}; the same bits)`;
}
