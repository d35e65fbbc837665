/**
 * `npm run bench:cells [-- --widths 2048,4096,8192 --arms tanh,relu --repeats 1 --out docs/cell-bench.json]`: the
 * issue-15 grid. With --repeats R each row is the run of median time among R (tdlv and its peer alike), the runs
 * alternating between the two kernel families; single runs on a shared machine vary by about 15%. Each
 * ntk-constancy cell (128 steps, the NTK at initialization and 8 checkpoints) is timed in a fresh process on one core
 * by `npm run bench -- --cell`, with its PyTorch peer after it; writes docs/cell-bench.json (or --out), which the
 * README's cell-speed block reads. Run on an idle machine (every other process competes for the core and the memory
 * bus); install libopenblas0-pthread (or Debian's torch multiplies with the reference BLAS) and libjemalloc2 (the
 * peer's allocator, bench/cell.ts `peerAllocator`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CellBench } from './cell.ts';
import { requirePositiveInteger } from '../src/errors.ts';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    widths: { type: 'string', default: '2048,4096,8192' },
    arms: { type: 'string', default: 'tanh,relu' },
    repeats: { type: 'string', default: '1' },
    out: { type: 'string', default: join('docs', 'cell-bench.json') },
  },
});
const runs: CellBench[] = [];
const repeats = requirePositiveInteger('--repeats', values.repeats);
// Relative to the package (npm runs scripts there); absolute paths as given. Checked before minutes of runs.
const outPath = resolve(root, values.out!);
if (!existsSync(dirname(outPath))) {
  console.error(`bench:cells: --out ${values.out}: its folder does not exist (accepted: a path in an existing folder)`);
  process.exit(2);
}
const measure = (arm: string, width: number, family: 'native-avx2' | 'wasm-simd'): CellBench => {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'bench', 'engine.bench.ts'),
      '--cell',
      `ntk-constancy/${arm}/${width}`,
      '--json',
      ...(family === 'wasm-simd' ? ['--no-peer'] : []),
    ],
    { encoding: 'utf8', cwd: root, env: { ...process.env, TDLV_NATIVE: family === 'wasm-simd' ? '0' : '1' } },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as CellBench;
};
const medianOf = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[xs.length >> 1]!;
// Each cell with both weight-kernel families (the same bits), alternating, in fresh processes; the PyTorch peer runs
// after the native cell only and its time serves both rows.
for (const width of values.widths!.split(',').map(Number))
  for (const arm of values.arms!.split(',')) {
    const rounds = Array.from({ length: repeats }, () => ({
      native: measure(arm, width, 'native-avx2'),
      wasm: measure(arm, width, 'wasm-simd'),
    }));
    const peers = rounds
      .map((r) => r.native.peer)
      .filter((p): p is Extract<NonNullable<typeof p>, { seconds: number }> => !!p && 'seconds' in p);
    const peerSeconds = peers.length ? medianOf(peers, (p) => p.seconds).seconds : undefined;
    const laterOf = (p: { laterSeconds?: number }) => p.laterSeconds ?? NaN;
    const peerLater = peers.length ? laterOf(medianOf(peers, laterOf)) : undefined;
    for (const family of ['native', 'wasm'] as const) {
      const familyRuns = rounds.map((r) => r[family]);
      const measured = medianOf(familyRuns, (m) => m.seconds);
      const later = laterOf(medianOf(familyRuns, laterOf));
      const peer =
        peerSeconds !== undefined && peers[0]
          ? {
              ...peers[0],
              seconds: peerSeconds,
              ratio: measured.seconds / peerSeconds,
              ...(peerLater !== undefined && Number.isFinite(peerLater) ? { laterSeconds: peerLater } : {}),
            }
          : measured.peer;
      // Each column its own median over the repeats (the first cell's and the later cell's).
      const run = { ...measured, ...(Number.isFinite(later) ? { laterSeconds: later } : {}), peer };
      runs.push(run);
      const peerText =
        run.peer && 'seconds' in run.peer
          ? `PyTorch ${run.peer.seconds.toFixed(2)} s, ratio ${run.peer.ratio.toFixed(2)}` +
            (run.peer.laterSeconds !== undefined && run.laterSeconds !== undefined
              ? `; later cell ${run.laterSeconds.toFixed(2)} s against ${run.peer.laterSeconds.toFixed(2)} s, ` +
                `ratio ${(run.laterSeconds / run.peer.laterSeconds).toFixed(2)}`
              : '')
          : 'no PyTorch peer';
      console.log(
        `${arm} ${width} ${run.weightKernels}: tdlv ${run.seconds.toFixed(2)} s ` +
          `(${(100 * run.fractionOfCopyBandwidth).toFixed(0)}% of copy bandwidth), ${peerText}` +
          (repeats > 1 ? ` (median of ${repeats}: ${familyRuns.map((r) => r.seconds.toFixed(2)).join(', ')} s)` : ''),
      );
    }
  }
const file = {
  machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, node ${process.version}`,
  commit: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
  measuredAt: new Date().toISOString(),
  runs,
};
writeFileSync(outPath, JSON.stringify(file, null, 2) + '\n');
console.log(`wrote ${outPath}`);
