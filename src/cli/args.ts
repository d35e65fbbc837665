import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking, turning its errors into one-line usage errors. */
export function parseCommand<T extends OptionSpec>(argv: string[], options: T, command: string) {
  try {
    return parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = (error as Error).message;
    const name = /'(-[^']+)'/.exec(message)?.[1] ?? command;
    const known = Object.keys(options).map((k) => `--${k}`).join(', ');
    throw new UsageError(name, message.split('.')[0], `an option of 'tdlv ${command}': ${known}`);
  }
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
