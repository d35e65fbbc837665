import type { Command, CommandIo } from './cli/args.ts';
import { auditCommand } from './cli/audit-command.ts';
import { judgeCommand } from './cli/judge-command.ts';
import { kernelCommand } from './cli/kernel-command.ts';
import { listCommand, showCommand } from './cli/list-command.ts';
import { reportCommand } from './cli/report-command.ts';
import { verifyCommand } from './cli/verify-command.ts';
import { UsageError } from './errors.ts';

const commands: Command[] = [listCommand, showCommand, verifyCommand, auditCommand, judgeCommand, reportCommand, kernelCommand];

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
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError('command', name, `one of ${commands.map((c) => c.name).join(', ')}`);
    return await command.run(rest, io);
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
