/** Test helper: run the CLI in-process and collect what it prints. */
import { main } from '../../src/cli.ts';

/** Run the CLI in-process and collect what it prints: `{ code, out, err }`. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
