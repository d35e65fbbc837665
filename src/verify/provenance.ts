/**
 * Code provenance: the SHA-256 of a theorem module and of every module it imports by a relative path, followed
 * recursively. Checkpoints and certificates record them, so a rerun after an edit of the cell code stops instead of
 * reusing cells the old code computed, and an audit names the module whose source no longer matches.
 *
 * The library itself is not hashed file by file: imports into tdlv's own `src/` (a built-in theorem's) or of the
 * package `tdlv` (a user's, from node_modules) are identified by the tool's version and commit and by ENGINE_VERSION,
 * which is bumped whenever the engine's numbers change; hashing them would make every refactor of the library
 * invalidate every checkpoint, and the audit's replay checks the numbers anyway.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../package-root.ts';

/** Module path (relative to the theorem module's folder, '/'-separated) -> SHA-256 of its bytes. */
export type SourceHashes = Record<string, string>;

const IMPORT = new RegExp(
  // import ... from '...', export ... from '...', import '...'
  String.raw`(?:\bimport|\bexport)\s*(?:type\s+)?(?:[\w*{}\s,$]*?\sfrom\s*)?['"]([^'"]+)['"]` +
    // import('...')
    String.raw`|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)`,
  'g',
);
const LIBRARY = [join(PACKAGE_ROOT, 'src') + sep, join(PACKAGE_ROOT, 'dist', 'src') + sep];

/** The file a relative specifier names: as written, or its .ts twin for a .js specifier (TypeScript's NodeNext style).
 * */
function resolveRelative(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.(c|m)?js$/, '.$1ts'), `${base}.ts`, `${base}.js`, join(base, 'index.ts')];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** Every relative import of a module's text (bare specifiers, node: builtins and packages are not followed). */
export function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec && (spec.startsWith('./') || spec.startsWith('../'))) found.push(spec);
  }
  return found;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The file whose bytes stand for a module: a built-in theorem compiled to dist/ is hashed as its TypeScript source
 * where the checkout has it, so the same code run from the sources (tsx) and from the build has the same hashes (an
 * installed package has only the build, which is hashed as it is).
 */
function sourceOf(file: string): string {
  const dist = join(PACKAGE_ROOT, 'dist') + sep;
  if (!file.startsWith(dist) || !file.endsWith('.js')) return file;
  const ts = join(PACKAGE_ROOT, file.slice(dist.length).replace(/\.js$/, '.ts'));
  return existsSync(ts) ? ts : file;
}

/** The hashes of a module (a file: URL or a path) and of everything it imports by relative paths, outside the library.
 * */
export function sourceHashes(moduleUrlOrPath: string): SourceHashes {
  const entry = sourceOf(
    moduleUrlOrPath.startsWith('file:') ? fileURLToPath(moduleUrlOrPath) : resolve(moduleUrlOrPath),
  );
  const root = dirname(entry);
  const hashes: SourceHashes = {};
  const queue = [entry];
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || LIBRARY.some((l) => file.startsWith(l))) continue;
    seen.add(file);
    const bytes = readFileSync(file);
    hashes[relative(root, file).split(sep).join('/')] = sha256(bytes);
    for (const spec of relativeImports(bytes.toString('utf8'))) {
      const target = resolveRelative(file, spec);
      if (target) queue.push(target);
    }
  }
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b)));
}

/** One hash for a set of module hashes (recorded on every cell). */
export function sourcesDigest(hashes: SourceHashes): string {
  return sha256(JSON.stringify(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b))));
}

/** The modules whose hashes differ between two records (added, removed or edited), by path. */
export function changedSources(recorded: SourceHashes, current: SourceHashes): string[] {
  const paths = new Set([...Object.keys(recorded), ...Object.keys(current)]);
  return [...paths].filter((p) => recorded[p] !== current[p]).sort();
}

/** The absolute path of a recorded module path of the theorem module at `moduleUrl`. */
export function sourcePath(moduleUrl: string, path: string): string {
  return resolve(dirname(sourceOf(fileURLToPath(moduleUrl))), path);
}

/**
 * Whether any recorded module is untracked or modified in its git checkout (or not in one at all): then only its hash,
 * not a commit, says what code ran.
 */
export function sourcesDirty(moduleUrl: string, hashes: SourceHashes): boolean {
  return Object.keys(hashes).some((path) => {
    const file = sourcePath(moduleUrl, path);
    try {
      const cwd = dirname(file);
      const opts = { cwd, encoding: 'utf8' as const, stdio: ['ignore', 'pipe', 'ignore'] as ('ignore' | 'pipe')[] };
      execFileSync('git', ['ls-files', '--error-unmatch', '--', file], opts);
      return execFileSync('git', ['status', '--porcelain', '--', file], opts).trim() !== '';
    } catch {
      return true;
    }
  });
}
