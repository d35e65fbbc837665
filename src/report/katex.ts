import katex from 'katex';
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** TeX to HTML, server-side; a TeX error is shown in place rather than thrown. */
export function tex(source: string, display = false): string {
  return katex.renderToString(source, { displayMode: display, throwOnError: false, output: 'htmlAndMathml', strict: 'ignore' });
}

/** Copy KaTeX's stylesheet and fonts beside the report so that it renders offline. */
export function copyKatexAssets(outDir: string): void {
  const dist = dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));
  const target = join(outDir, 'katex');
  mkdirSync(target, { recursive: true });
  cpSync(join(dist, 'katex.min.css'), join(target, 'katex.min.css'));
  cpSync(join(dist, 'fonts'), join(target, 'fonts'), { recursive: true });
}
