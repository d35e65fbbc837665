#!/usr/bin/env node
// The `tdlv` command. It runs the compiled JavaScript in dist/ (built by `npm run build`, which `npm ci` runs through
// `prepare`); in a development checkout whose sources are newer than the build it falls back to the TypeScript
// sources through tsx (a dev dependency), so that an edit is never hidden behind a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function compiledIsCurrent() {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return newestSource(join(root, 'src')) <= built && newestSource(join(root, 'theorems')) <= built;
}

// A reader that closes early (`tdlv judge ... | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let main;
if (compiledIsCurrent()) {
  ({ main } = await import(join(root, 'dist', 'src', 'cli.js')));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
