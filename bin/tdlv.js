#!/usr/bin/env node
// The `tdlv` command: register the TypeScript loader, then hand over to src/cli.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
