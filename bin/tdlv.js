#!/usr/bin/env node
// The `tdlv` command. It runs the compiled JavaScript in dist/ (built by `npm run build`, which `npm ci` runs through
// `prepare`); in a development checkout whose sources are newer than the build it falls back to the TypeScript
// sources through tsx (a dev dependency), so that an edit is never hidden behind a stale build.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledIsCurrent } from './compiled.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// A reader that closes early (`tdlv judge ... | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let main;
if (compiledIsCurrent(root)) {
  ({ main } = await import(join(root, 'dist', 'src', 'cli.js')));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
