/**
 * The lab's two bundles (the page script and its worker), made by esbuild from src/lab/page.ts and src/lab/worker.ts.
 * A development checkout bundles the sources as they are (so a report never shows a stale engine); an installed
 * package reads the bundles `npm run build` wrote to dist/lab/. A user's theorem gets a worker of its own, bundled at
 * report time from its module and tdlv's (src/ in a checkout, dist/src/ in a package).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';
import { PACKAGE_ROOT } from '../package-root.ts';

export interface LabBundles {
  page: string;
  worker: string;
}

const ENTRIES = { page: 'page.ts', worker: 'worker.ts' } as const;
const DIST = join(PACKAGE_ROOT, 'dist', 'lab');

/** tdlv's own modules as a bundle reads them: the sources in a checkout, the compiled package otherwise. */
function ownModules(): { dir: string; ext: 'ts' | 'js' } {
  const sources = join(PACKAGE_ROOT, 'src');
  return existsSync(join(sources, 'lab', 'serve.ts'))
    ? { dir: sources, ext: 'ts' }
    : { dir: join(PACKAGE_ROOT, 'dist', 'src'), ext: 'js' };
}

/**
 * The bundler's options every lab bundle shares: a browser script (one IIFE), `import.meta.url` defined, the native
 * kernels swapped for the browser's stub, and `tdlv` (a user's module imports it) resolved to the very modules the
 * worker runs, so that the engine is one copy.
 */
function bundleOptions(): BuildOptions & { write: false } {
  const own = ownModules();
  const plugin: Plugin = {
    name: 'tdlv-lab',
    setup(build) {
      // The native AVX2 kernels are a Node addon: the browser build takes the stub that selects the WebAssembly ones.
      build.onResolve({ filter: /\/native-kernels\.(ts|js)$/ }, () => ({
        path: join(own.dir, 'lab', `native-kernels.browser.${own.ext}`),
      }));
      build.onResolve({ filter: /^tdlv$/ }, () => ({ path: join(own.dir, `index.${own.ext}`) }));
    },
  };
  return {
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    // A check's cellModule is its import.meta.url (a file: URL, which the contract checks); in the bundle it only
    // has to pass that check, since the worker calls each check's cell directly.
    define: { 'import.meta.url': '"file:///tdlv-lab/bundle.js"' },
    // x ** y becomes Math.pow(x, y), which the worker replaces with Node's pow (src/numeric/libm.ts): the operator
    // itself cannot be replaced, and a browser's V8 may compute it with the C library's pow (Chromium 156 does).
    supported: { 'exponent-operator': false },
    plugins: [plugin],
  };
}

/**
 * A worker's first statements: Math's elementary functions and pow replaced by Node's (src/lab/portable-math.ts), as
 * an esbuild banner so that they run before anything else in the bundle, the runtime helpers included (esbuild's
 * `var __pow = Math.pow` for a lowered ** would otherwise keep the browser's pow).
 */
async function workerBanner(esbuild: typeof import('esbuild')): Promise<{ js: string }> {
  const own = ownModules();
  const out = await esbuild.build({
    ...bundleOptions(),
    entryPoints: [join(own.dir, 'lab', `portable-math.${own.ext}`)],
  });
  return { js: out.outputFiles[0]!.text };
}

async function loadEsbuild(): Promise<typeof import('esbuild') | null> {
  try {
    return await import('esbuild');
  } catch {
    return null;
  }
}

/** Bundle both entries with esbuild; null where esbuild or the sources are absent (an installed package). */
export async function bundleLab(): Promise<LabBundles | null> {
  const own = ownModules();
  if (own.ext === 'js') return null;
  const sources = join(own.dir, 'lab');
  const esbuild = await loadEsbuild();
  if (!esbuild) return null;
  const one = async (entry: string, banner?: { js: string }) => {
    const out = await esbuild.build({ ...bundleOptions(), entryPoints: [join(sources, entry)], banner });
    return out.outputFiles[0]!.text;
  };
  return { page: await one(ENTRIES.page), worker: await one(ENTRIES.worker, await workerBanner(esbuild)) };
}

/**
 * The worker for a user's theorem module (an absolute path): tdlv's serveLab with that module's check. The module
 * exports `check` (or a default export), as `tdlv verify` asks. Throws with esbuild's first message when it does not
 * bundle for a browser (a module that imports node:fs, say).
 */
export async function bundleUserLabWorker(modulePath: string): Promise<string> {
  const esbuild = await loadEsbuild();
  if (!esbuild) throw new Error('esbuild is not installed (npm install esbuild)');
  const own = ownModules();
  const serve = join(own.dir, 'lab', `serve.${own.ext}`);
  const entry =
    `import { serveLab } from ${JSON.stringify(serve)};\n` +
    `import * as m from ${JSON.stringify(modulePath)};\n` +
    'const d = m.default;\n' +
    'serveLab([m.check ?? (d && d.check) ?? d]);\n';
  try {
    const out = await esbuild.build({
      ...bundleOptions(),
      stdin: { contents: entry, resolveDir: PACKAGE_ROOT, sourcefile: 'tdlv-user-lab.js', loader: 'js' },
      banner: await workerBanner(esbuild),
    });
    return out.outputFiles[0]!.text;
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors?.[0];
    if (!first) throw error;
    const where = first.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new Error(`${first.text}${where}`);
  }
}

/** The bundles: fresh from the sources where esbuild is installed, else dist/lab/ (an installed package). */
export async function labBundles(): Promise<LabBundles> {
  const fresh = await bundleLab();
  if (fresh) return fresh;
  const paths = { page: join(DIST, 'page.js'), worker: join(DIST, 'worker.js') };
  if (!existsSync(paths.page) || !existsSync(paths.worker))
    throw new Error(`the lab's bundles are missing (${DIST}): run npm run build`);
  return { page: readFileSync(paths.page, 'utf8'), worker: readFileSync(paths.worker, 'utf8') };
}

/** `npm run build`: write dist/lab/ for the package. */
export async function writeLabBundles(): Promise<void> {
  const b = await bundleLab();
  if (!b) throw new Error('cannot bundle the lab: esbuild or src/lab/ is missing');
  mkdirSync(DIST, { recursive: true });
  writeFileSync(join(DIST, 'page.js'), b.page);
  writeFileSync(join(DIST, 'worker.js'), b.worker);
}
