/**
 * The lab's two bundles (the page script and its worker), made by esbuild from src/lab/page.ts and src/lab/worker.ts.
 * A development checkout bundles the sources as they are (so a report never shows a stale engine); an installed
 * package, which has no esbuild, reads the bundles `npm run build` wrote to dist/lab/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';

export interface LabBundles {
  page: string;
  worker: string;
}

const ENTRIES = { page: 'page.ts', worker: 'worker.ts' } as const;
const DIST = join(PACKAGE_ROOT, 'dist', 'lab');

/** Bundle both entries with esbuild (a dev dependency); null where esbuild or the sources are absent. */
export async function bundleLab(): Promise<LabBundles | null> {
  const sources = join(PACKAGE_ROOT, 'src', 'lab');
  if (!existsSync(join(sources, ENTRIES.worker))) return null;
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  const one = async (entry: string) => {
    const out = await esbuild.build({
      entryPoints: [join(sources, entry)],
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
      // The native AVX2 kernels are a Node addon: the browser build takes the stub that selects the WebAssembly ones.
      plugins: [
        {
          name: 'no-native-kernels',
          setup(build) {
            build.onResolve({ filter: /\/native-kernels\.ts$/ }, () => ({
              path: join(sources, 'native-kernels.browser.ts'),
            }));
          },
        },
      ],
    });
    return out.outputFiles[0]!.text;
  };
  return { page: await one(ENTRIES.page), worker: await one(ENTRIES.worker) };
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
  if (!b) throw new Error('cannot bundle the lab: esbuild (a dev dependency) or src/lab/ is missing');
  mkdirSync(DIST, { recursive: true });
  writeFileSync(join(DIST, 'page.js'), b.page);
  writeFileSync(join(DIST, 'worker.js'), b.worker);
}
