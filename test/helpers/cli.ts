/** Test helpers: run the CLI in-process and collect what it prints, or run the `tdlv` command as a process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tdlv.js');

/** Run the CLI in-process and collect what it prints: `{ code, out, err }`. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * Run `tdlv` as its own process (killed with SIGKILL once `killWhen` holds, polled every 50 ms): its exit code or
 * signal, the seconds until it ended, and the end of its stderr without the progress bar's frames. Unlike `runCli`
 * this sees what only a process shows: a handle left open after the command returned keeps it from exiting.
 */
export function runBinary(
  argv: string[],
  killWhen?: () => boolean,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; seconds: number; err: string }> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    const timer = killWhen ? setInterval(() => killWhen() && child.kill('SIGKILL'), 50) : undefined;
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      const lines = err.split(/[\r\n]/).filter((line) => line && !line.includes(' cells  elapsed'));
      resolve({ code, signal, seconds: (performance.now() - start) / 1000, err: lines.join('\n') });
    });
  });
}
