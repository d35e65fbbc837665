/**
 * The `tdlv` command: its table of subcommands (each loaded when called) and the one place errors become exit
 * codes.
 */
import type { Command, CommandIo } from './cli/args.ts';
import { UsageError } from './errors.ts';

/**
 * The commands, loaded when called: `tdlv list` does not pay for tfjs, mathjs and vega. Each summary is repeated in
 * its command's definition; test/cli/commands.test.ts checks that they agree.
 */
interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  {
    name: 'list',
    summary: 'list the theorem modules',
    load: async () => (await import('./cli/list-command.ts')).listCommand,
  },
  {
    name: 'show',
    summary: 'print a theorem statement: sources, hypotheses, claims, ablations',
    load: async () => (await import('./cli/list-command.ts')).showCommand,
  },
  {
    name: 'new',
    summary: 'write a runnable theorem module to start from (my-claim.ts), and a tsconfig.json where none exists',
    load: async () => (await import('./cli/new-command.ts')).newCommand,
  },
  {
    name: 'check',
    summary: 'validate a theorem module (statement, plans, contract) and type-check it, without running a cell',
    load: async () => (await import('./cli/check-command.ts')).checkCommand,
  },
  {
    name: 'verify',
    summary: 'run a theorem check across widths and judge each claim',
    load: async () => (await import('./cli/verify-command.ts')).verifyCommand,
  },
  {
    name: 'audit',
    summary: 'recompute and replay a certificate; fails if it does not reproduce',
    load: async () => (await import('./cli/audit-command.ts')).auditCommand,
  },
  {
    name: 'merge',
    summary: 'assemble a certificate from the checkpoints of a sharded sweep (verify --shard i/N)',
    load: async () => (await import('./cli/merge-command.ts')).mergeCommand,
  },
  {
    name: 'judge',
    summary: 'judge a claimed rate on measurements made anywhere (CSV of width, seed, value), with the rules of verify',
    load: async () => (await import('./cli/judge-command.ts')).judgeCommand,
  },
  {
    name: 'report',
    summary:
      'render reports/index.html, one KaTeX page per theorem and the lab (reports/lab.html) from the ' + 'certificates',
    load: async () => (await import('./cli/report-command.ts')).reportCommand,
  },
  {
    name: 'kernel',
    summary: 'print analytic (and empirical) NNGP and NTK kernels as JSON',
    load: async () => (await import('./cli/kernel-command.ts')).kernelCommand,
  },
  {
    name: 'criticality',
    summary:
      'the mean-field phase (ordered, critical, chaotic) and depth scales of an activation, or its edge of chaos',
    load: async () => (await import('./cli/criticality-command.ts')).criticalityCommand,
  },
  {
    name: 'hermite',
    summary: "an activation's Hermite coefficients and the Taylor series of its NNGP and NTK on the sphere (Mehler)",
    load: async () => (await import('./cli/hermite-command.ts')).hermiteCommand,
  },
];
const commands = COMMANDS;

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'tdlv — verify the claims of deep-learning theory by Monte Carlo across widths',
    '',
    'usage: tdlv <command> [options]     (tdlv <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

const stdio: CommandIo = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
};

/** Run the CLI; returns the exit code (2 for usage errors, 1 for failures). */
export async function main(argv: string[], io: CommandIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const entry = commands.find((c) => c.name === name);
  try {
    if (!entry) throw new UsageError('command', name, `one of ${commands.map((c) => c.name).join(', ')}`);
    return await (await entry.load()).run(rest, io);
  } catch (error) {
    const e = error as Error;
    if (e instanceof UsageError || e.name === 'UsageError') {
      io.err(`tdlv: ${e.message}`);
      return 2;
    }
    io.err(`tdlv: internal error: ${e.message}`);
    if (process.env.TDLV_DEBUG) io.err(e.stack ?? '');
    return 1;
  }
}
