#!/usr/bin/env node
// The `tdlv` command: register the TypeScript loader, then hand over to src/cli.ts.
import { register } from 'tsx/esm/api';

register();
// A reader that closes early (`tdlv judge ... | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
