/** The progress bar of a sweep on stderr. */
import type { SweepProgress } from '../verify/sweep.ts';

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return `${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${String(r).padStart(2, '0')}`;
}

/**
 * A progress bar on stderr: redrawn in place on a terminal, one line per 10% elsewhere (CI logs).
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): (p: SweepProgress) => void {
  let lastDecile = -1;
  return (p) => {
    const fraction = p.total ? p.done / p.total : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const text =
      `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ` +
      `cells${p.resumed ? ` (${p.resumed} resumed)` : ''}  elapsed ` +
      `${clock(p.elapsedSeconds)}  ETA ${clock(p.etaSeconds)}`;
    if (stream.isTTY) {
      stream.write(`\r${text}`);
      if (p.done === p.total) stream.write('\n');
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(text + '\n');
      }
    }
  };
}
