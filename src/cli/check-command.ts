/** `tdlv check`: validate a theorem module and type-check it, without running a cell. */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { existing, findUp } from '../io/find-up.ts';
import { UsageError } from '../errors.ts';
import { FIDELITIES, planCells } from '../verify/experiment.ts';
import { defineCommand } from './args.ts';
import { isTheoremPath } from './theorem-path.ts';

/**
 * `tdlv check ./my-claim.ts`: validates the statement, the plans and the check (every problem on its own line) without
 * running a cell, and type-checks the module with the TypeScript installed beside it, where there is one.
 */
export const checkCommand = defineCommand({
  name: 'check',
  summary: 'validate a theorem module (statement, plans, contract) and type-check it, without running a cell',
  usage: `tdlv check <path/to/theorem.ts | theorem id> [--no-typecheck]

Loads the module, validates its statement and its three plans against the schemas and against each other (one line per
problem: theorem <id>: claim <claim>: <field>: got ..., expected ...), and runs the TypeScript compiler on it where
TypeScript is installed beside it (npx tsc --noEmit with the nearest tsconfig.json, or tdlv's defaults). Exit 0 when
everything holds, 2 otherwise. No cell runs.`,
  options: { 'no-typecheck': { type: 'boolean', default: false } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('check', positionals[1], 'one theorem module path or id');
    const argument = positionals[0]!;
    const { resolveTheorem } = await import('./theorem-source.ts');
    const problems: string[] = [];
    let check;
    try {
      check = await resolveTheorem(argument);
    } catch (error) {
      const e = error as Error & { problems?: string[]; theorem?: string };
      if (e.name !== 'UsageError') throw error;
      if (e.problems) problems.push(...e.problems.map((p) => `theorem ${e.theorem}: ${p}`));
      else problems.push(e.message);
    }
    if (isTheoremPath(argument) && !values['no-typecheck']) {
      const file = resolve(argument);
      const tsc = /\.(c|m)?ts$/.test(file)
        ? findUp(dirname(file), existing('node_modules/typescript/bin/tsc'))
        : undefined;
      if (tsc) {
        const tsconfig = findUp(dirname(file), existing('tsconfig.json'));
        const args = tsconfig
          ? ['-p', tsconfig, '--noEmit']
          : [
              file,
              '--noEmit',
              '--strict',
              '--target',
              'ES2022',
              '--module',
              'ESNext',
              '--moduleResolution',
              'Bundler',
              '--skipLibCheck',
              '--allowImportingTsExtensions',
            ];
        try {
          execFileSync(process.execPath, [tsc, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
          io.err(`tdlv: type-checked ${argument} (${tsconfig ?? 'default options'})`);
        } catch (error) {
          const out = String((error as { stdout?: string }).stdout ?? '');
          problems.push(...out.split('\n').filter((l) => /error TS\d+/.test(l)));
          if (!out.trim()) problems.push(`tsc failed: ${(error as Error).message.split('\n')[0]}`);
        }
      } else if (/\.(c|m)?ts$/.test(file))
        io.err('tdlv: TypeScript is not installed beside the module: not type-checked');
    }
    if (problems.length || !check) {
      for (const p of problems) io.err(`tdlv: ${p}`);
      return 2;
    }
    const counts = FIDELITIES.map((f) => `${f} ${planCells(check.plan(f)).length} cells`).join(', ');
    io.out(
      `${check.statement.id}: ${check.statement.claims.length} claim(s), ${check.statement.ablations.length} ` +
        `ablation(s); ${counts}: ok`,
    );
    return 0;
  },
});
