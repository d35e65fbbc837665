/**
 * Code hygiene the formatter cannot enforce: no line of code over 120 characters (Prettier leaves long strings, regular
 * expressions and comments alone), the generated WebAssembly module excepted.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const GENERATED = new Set(['src/engine/runtime/kernels-wasm.ts']);

describe('hygiene', () => {
  it('no line of TypeScript or JavaScript is longer than 120 characters', () => {
    const files = execFileSync(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.js', '*.mjs'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter((f) => f && !GENERATED.has(f));
    const long = files.flatMap((f) =>
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.length > 120 ? [`${f}:${i + 1} (${line.length})`] : [])),
    );
    expect(long).toEqual([]);
  });

  it('every source file opens with a comment that says what it holds', () => {
    const files = execFileSync('git', ['ls-files', 'src', 'theorems', 'bench', 'scripts', 'bin', 'test'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|js)$/.test(f));
    const bare = files.filter((f) => {
      const first = readFileSync(join(root, f), 'utf8')
        .split('\n')
        .find((l) => l.trim() !== '' && !l.startsWith('#!'));
      return !first || !/^\s*(\/\*|\/\/)/.test(first);
    });
    expect(bare).toEqual([]);
  });
});
