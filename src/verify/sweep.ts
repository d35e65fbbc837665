import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { WorkerPool } from '../engine/pool.ts';
import { toolInfo } from './certificate.ts';
import { cellKey, planCells, type Cell, type CellResult, type CellTaskArgs, type SweepPlan, type TheoremCheck } from './experiment.ts';

/**
 * The sweep runner: every (arm, width, seed) cell of a plan runs on the worker pool, and each finished
 * cell is appended to a JSON-lines checkpoint as soon as it arrives. A run that is interrupted and
 * started again reads the checkpoint, skips the cells already done, and ends with the same results
 * (cells are independent and draw from their own addressed streams).
 */
export interface CheckpointHeader {
  theorem: string;
  /** The cell function's version: cells of another version are not reused. */
  cellVersion: string;
  plan: SweepPlan;
}

export interface SweepProgress {
  done: number;
  total: number;
  resumed: number;
  elapsedSeconds: number;
  /** Estimated seconds left, from the cost of the cells run so far (cost ~ width^2). */
  etaSeconds: number;
}

export interface SweepOptions {
  check: TheoremCheck;
  plan: SweepPlan;
  pool: WorkerPool;
  checkpointPath: string;
  onProgress?: (p: SweepProgress) => void;
}

function sameHeader(a: CheckpointHeader, b: CheckpointHeader): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Cells already finished in a checkpoint whose header matches; a mismatching checkpoint is set aside. */
export function readCheckpoint(path: string, header: CheckpointHeader): Map<string, CellResult> {
  const done = new Map<string, CellResult>();
  if (!existsSync(path)) return done;
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  let first: CheckpointHeader | null = null;
  try {
    first = JSON.parse(lines[0] ?? 'null') as CheckpointHeader;
  } catch {
    first = null;
  }
  if (!first || !sameHeader(first, header)) {
    writeFileSync(`${path}.stale-${Date.now()}`, lines.join('\n') + '\n');
    writeFileSync(path, '');
    return done;
  }
  for (const line of lines.slice(1)) {
    try {
      const r = JSON.parse(line) as CellResult;
      done.set(cellKey(r), r);
    } catch {
      // A line cut short by an interrupt: that cell simply runs again.
    }
  }
  return done;
}

const cost = (c: Cell) => c.width * c.width;

export function checkpointHeader(check: TheoremCheck, plan: SweepPlan): CheckpointHeader {
  return { theorem: check.statement.id, cellVersion: check.cellVersion, plan };
}

export async function runSweep(options: SweepOptions): Promise<CellResult[]> {
  const { check, plan, pool, checkpointPath } = options;
  const header = checkpointHeader(check, plan);
  const commit = toolInfo().commit;
  mkdirSync(dirname(checkpointPath), { recursive: true });
  const done = readCheckpoint(checkpointPath, header);
  if (done.size === 0) writeFileSync(checkpointPath, JSON.stringify(header) + '\n');
  const cells = planCells(plan);
  // Largest cells first, so that the pool does not finish on one long cell.
  const todo = cells.filter((c) => !done.has(cellKey(c))).sort((a, b) => cost(b) - cost(a));
  const start = performance.now();
  const totalCost = todo.reduce((s, c) => s + cost(c), 0);
  let doneCost = 0;
  let finished = 0;
  const report = () => {
    const elapsed = (performance.now() - start) / 1000;
    options.onProgress?.({
      done: done.size,
      total: cells.length,
      resumed: cells.length - todo.length,
      elapsedSeconds: elapsed,
      etaSeconds: doneCost > 0 ? (elapsed * (totalCost - doneCost)) / doneCost : NaN,
    });
  };
  report();
  await pool.map<CellResult>(
    todo.map((cell) => ({ module: check.cellModule, fn: check.cellFunction, args: { cell, plan } satisfies CellTaskArgs })),
    (computed, i) => {
      const result: CellResult = { ...computed, code: { cellVersion: check.cellVersion, commit } };
      appendFileSync(checkpointPath, JSON.stringify(result) + '\n');
      done.set(cellKey(result), result);
      doneCost += cost(todo[i]!);
      finished++;
      report();
    },
  );
  return cells.map((c) => done.get(cellKey(c))!);
}

/**
 * Seed a checkpoint with cells computed earlier (a certificate's), so that a plan that grew, or a re-evaluation under new
 * rules, recomputes only what is missing. Only cells whose (arm, width, seed) the plan holds are taken, and only when the
 * settings both plans share are equal. Returns the number of cells taken. The audit's replay checks them like any other.
 */
export function seedCheckpoint(path: string, header: CheckpointHeader, previous: { plan: SweepPlan; cells: CellResult[]; tool: { commit: string } }, recompute: readonly string[] = []): number {
  const shared = Object.keys(previous.plan.settings).filter((k) => k in header.plan.settings);
  const differing = shared.filter((k) => previous.plan.settings[k] !== header.plan.settings[k]);
  if (differing.length) throw new Error(`settings differ from the certificate's: ${differing.join(', ')}`);
  mkdirSync(dirname(path), { recursive: true });
  const done = readCheckpoint(path, header);
  const wanted = new Set(planCells(header.plan).map(cellKey));
  let taken = 0;
  for (const c of previous.cells) {
    const key = cellKey(c);
    if (wanted.has(key) && !done.has(key) && !recompute.includes(c.arm)) {
      // Cells from before versions were recorded were computed by the certificate's commit, at the version reuse requires.
      done.set(key, { ...c, code: c.code ?? { cellVersion: header.cellVersion, commit: previous.tool.commit } });
      taken++;
    }
  }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, [JSON.stringify(header), ...[...done.values()].map((c) => JSON.stringify(c))].join('\n') + '\n');
  renameSync(tmp, path);
  return taken;
}
