/**
 * `npm run bench:scale-out [-- THEOREM]`: time one full sweep on this machine as 1 process (one worker), 2 processes
 * side by side (two shards of one worker each, then merge), and 1 process of 2 workers; writes docs/scale-out.json,
 * which the README's scale-out block reads. Run on an idle machine: every other process competes for the cores.
 */
import { execFileSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const theorem = process.argv[2] ?? 'overparam-convergence';
const bin = join(root, 'bin', 'tdlv.js');
const dir = mkdtempSync(join(tmpdir(), 'tdlv-scale-'));
const run = (args: string[]) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tdlv ${args.join(' ')} exited ${code}`))));
  });
const timed = async (f: () => Promise<void>) => {
  const start = performance.now();
  await f();
  return (performance.now() - start) / 1000;
};
const cellSeconds = (path: string) =>
  (JSON.parse(readFileSync(path, 'utf8')) as { cells: { seconds: number }[] }).cells.reduce((s, c) => s + c.seconds, 0);

const one = await timed(() =>
  run([
    'verify',
    theorem,
    '--fidelity',
    'full',
    '--workers',
    '1',
    '--checkpoints',
    join(dir, 'one'),
    '--out',
    join(dir, 'one'),
  ]),
);
const shards = await timed(async () => {
  await Promise.all(
    [1, 2].map((i) =>
      run([
        'verify',
        theorem,
        '--fidelity',
        'full',
        '--workers',
        '1',
        '--shard',
        `${i}/2`,
        '--checkpoints',
        join(dir, 'shards'),
      ]),
    ),
  );
  await run([
    'merge',
    theorem,
    '--fidelity',
    'full',
    '--checkpoints',
    join(dir, 'shards'),
    '--out',
    join(dir, 'shards'),
  ]);
});
const pool = await timed(() =>
  run([
    'verify',
    theorem,
    '--fidelity',
    'full',
    '--workers',
    '2',
    '--checkpoints',
    join(dir, 'pool'),
    '--out',
    join(dir, 'pool'),
  ]),
);
const result = {
  theorem,
  machine: `${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, node ${process.version}`,
  measuredAt: new Date().toISOString(),
  runs: [
    { label: '1 process, 1 worker', wallSeconds: one, cellSeconds: cellSeconds(join(dir, 'one', `${theorem}.json`)) },
    {
      label: '2 shards of 1 worker side by side, then merge',
      wallSeconds: shards,
      cellSeconds: cellSeconds(join(dir, 'shards', `${theorem}.json`)),
    },
    {
      label: '1 process, 2 workers',
      wallSeconds: pool,
      cellSeconds: cellSeconds(join(dir, 'pool', `${theorem}.json`)),
    },
  ],
};
writeFileSync(join(root, 'docs', 'scale-out.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
