/**
 * `npm run bench:cells [-- --widths 2048,4096,8192 --arms tanh,relu]`: the issue-15 grid. Each ntk-constancy cell
 * (128 steps, the NTK at initialization and 8 checkpoints) is timed in a fresh process on one core by
 * `npm run bench -- --cell`, with its PyTorch peer beside it; writes docs/cell-bench.json, which the README's
 * cell-speed block reads. Run on an idle machine (every other process competes for the core and the memory bus);
 * install libopenblas0-pthread, or Debian's torch multiplies with the reference BLAS.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CellBench } from './cell.ts';

const root = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { widths: { type: 'string', default: '2048,4096,8192' }, arms: { type: 'string', default: 'tanh,relu' } },
});
const runs: CellBench[] = [];
// Each cell with both weight-kernel families (the same bits), one after the other in fresh processes; the PyTorch peer
// runs beside the native cell only and its time serves both rows.
for (const width of values.widths!.split(',').map(Number))
  for (const arm of values.arms!.split(','))
    for (const family of ['native-avx2', 'wasm-simd'] as const) {
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
      const measured = JSON.parse(out.trim().split('\n').at(-1)!) as CellBench;
      const native = runs.at(-1);
      const peer =
        family === 'wasm-simd' && native?.peer && 'seconds' in native.peer
          ? { ...native.peer, ratio: measured.seconds / native.peer.seconds }
          : measured.peer;
      const run = { ...measured, peer };
      runs.push(run);
      const peerText =
        run.peer && 'seconds' in run.peer
          ? `PyTorch ${run.peer.seconds.toFixed(2)} s, ratio ${run.peer.ratio.toFixed(2)}`
          : 'no PyTorch peer';
      console.log(
        `${arm} ${width} ${run.weightKernels}: tdlv ${run.seconds.toFixed(2)} s ` +
          `(${(100 * run.fractionOfCopyBandwidth).toFixed(0)}% of copy bandwidth), ${peerText}`,
      );
    }
const file = {
  machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, node ${process.version}`,
  commit: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
  measuredAt: new Date().toISOString(),
  runs,
};
writeFileSync(join(root, 'docs', 'cell-bench.json'), JSON.stringify(file, null, 2) + '\n');
console.log('wrote docs/cell-bench.json');
