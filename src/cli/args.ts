/** Strict option parsing for every command, the shared --workers/--backend options and the Command shape. */
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_CHOICES, type BackendChoice } from '../engine/runtime/backend.ts';
import { defaultWorkerCount } from '../engine/runtime/pool.ts';
import { requireOneOf, requirePositiveInteger, UsageError } from '../errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking, turning its errors into one-line usage errors. */
export function parseCommand<T extends OptionSpec>(argv: string[], options: T, command: string) {
  try {
    return parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>({
      args: argv,
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message = (error as Error).message;
    const name = /'(-[^']+)'/.exec(message)?.[1] ?? command;
    const known = Object.keys(options)
      .map((k) => `--${k}`)
      .join(', ');
    throw new UsageError(name, message.split('.')[0], `an option of 'tdlv ${command}': ${known}`);
  }
}

/** The --workers and --backend options shared by every command that runs a worker pool. */
export const POOL_OPTIONS = {
  workers: { type: 'string' },
  backend: { type: 'string', default: 'auto' },
} as const;

export function poolSettings(
  values: { workers?: string; backend?: string },
  defaultWorkers = defaultWorkerCount(),
): { workers: number; backend: BackendChoice } {
  return {
    backend: requireOneOf('--backend', values.backend, BACKEND_CHOICES),
    // More threads than twice the cores only costs memory (each worker holds its own backend).
    workers:
      values.workers === undefined
        ? defaultWorkers
        : requirePositiveInteger('--workers', values.workers, Math.max(2, 2 * availableParallelism())),
  };
}

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CommandIo): Promise<number>;
}

type Parsed<T extends OptionSpec> = ReturnType<typeof parseCommand<T>>;

/** A command whose options are parsed strictly, with --help printing its usage. */
export function defineCommand<T extends OptionSpec>(definition: {
  name: string;
  summary: string;
  usage: string;
  options: T;
  run(parsed: Parsed<T>, io: CommandIo): Promise<number>;
}): Command {
  const options = { ...definition.options, help: { type: 'boolean', default: false } } as T;
  return {
    name: definition.name,
    summary: definition.summary,
    usage: definition.usage,
    async run(argv, io) {
      const parsed = parseCommand(argv, options, definition.name);
      if ((parsed.values as { help?: boolean }).help) {
        io.out(definition.usage);
        return 0;
      }
      return definition.run(parsed, io);
    },
  };
}
