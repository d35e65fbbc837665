/**
 * `npm run readme [-- --check]`: regenerate the measured blocks of README.md and docs/results.md from proofs-numeric/
 * and docs/*.json, and the README's picture (docs/summary.svg) from its certificate.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/io/json.ts';
import { join } from 'node:path';
import { GENERATED_FILES, PICTURE, readmeBlocks, readmePicture, renderReadme } from './readme-figures.ts';
import { theorems } from '../theorems/index.ts';

const root = join(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const blocks = readmeBlocks(theorems, root);
const pictureCheck = theorems.find((t) => t.statement.id === PICTURE.theorem)!;
const outputs: [string, string][] = [
  ...GENERATED_FILES.map((f): [string, string] => [f, renderReadme(readFileSync(join(root, f), 'utf8'), blocks)]),
  [PICTURE.path, await readmePicture(pictureCheck, root)],
];
let drifted = 0;
for (const [file, after] of outputs) {
  const path = join(root, file);
  let before = '';
  try {
    before = readFileSync(path, 'utf8');
  } catch {
    before = '';
  }
  if (before === after) continue;
  drifted++;
  if (check) console.error(`${file} has drifted from the certificates: run npm run readme`);
  else writeFileAtomic(path, after);
}
console.log(check ? (drifted ? '' : 'generated files match the certificates') : `${drifted} file(s) regenerated`);
if (check && drifted) process.exit(1);
