/** `npm run readme [-- --check]`: regenerate the README's measured blocks from proofs-numeric/ and
 * docs/calibration.json. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeBlocks, renderReadme } from '../src/report/readme-figures.ts';
import { theorems } from '../theorems/index.ts';

const root = join(import.meta.dirname, '..');
const path = join(root, 'README.md');
const before = readFileSync(path, 'utf8');
const after = renderReadme(before, readmeBlocks(theorems, root));
if (process.argv.includes('--check')) {
  if (before !== after) {
    console.error('README.md has drifted from the certificates: run npm run readme');
    process.exit(1);
  }
  console.log('README.md matches the certificates');
} else {
  writeFileSync(path, after);
  console.log(before === after ? 'README.md unchanged' : 'README.md regenerated');
}
