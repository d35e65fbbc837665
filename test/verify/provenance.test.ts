/** Tests: code provenance: the modules a theorem is made of, hashed. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { changedSources, relativeImports, sourceHashes, sourcesDigest } from '../../src/verify/provenance.ts';

const root = join(import.meta.dirname, '..', '..');

describe('code provenance: the modules a theorem is made of, hashed', () => {
  it('follows every form of relative import, and no package or builtin', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.js';",
      "export { c } from './c.ts';",
      "export * from './d.ts';",
      "import './e.ts';",
      "const f = await import('./f.ts');",
      "import { z } from 'zod';",
      "import { readFileSync } from 'node:fs';",
      "import { x } from 'tdlv';",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['./a.ts', '../b.js', './c.ts', './d.ts', './e.ts', './f.ts']);
  });

  it('hashes a module and what it imports, names changed files, and is blind to nothing but the library', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdlv-prov-'));
    writeFileSync(join(dir, 'helper.ts'), 'export const k = 1;\n');
    writeFileSync(
      join(dir, 'main.ts'),
      "import { k } from './helper.js';\nimport { z } from 'zod';\nexport const m = k;\n",
    );
    const before = sourceHashes(pathToFileURL(join(dir, 'main.ts')).href);
    expect(Object.keys(before)).toEqual(['helper.ts', 'main.ts']);
    writeFileSync(join(dir, 'helper.ts'), 'export const k = 1; // a comment\n');
    const after = sourceHashes(join(dir, 'main.ts'));
    expect(changedSources(before, after)).toEqual(['helper.ts']);
    expect(sourcesDigest(before)).not.toBe(sourcesDigest(after));
  });

  it('a built-in theorem has the same hashes run from the sources and from dist/ (where the build exists)', () => {
    const built = join(root, 'dist', 'theorems', 'ntk-constancy', 'check.js');
    const fromSource = sourceHashes(pathToFileURL(join(root, 'theorems', 'ntk-constancy', 'check.ts')).href);
    expect(Object.keys(fromSource)).toEqual(['../sources.ts', 'check.ts', 'statement.ts']);
    if (existsSync(built)) expect(sourceHashes(pathToFileURL(built).href)).toEqual(fromSource);
  });
});
