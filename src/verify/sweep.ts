/** The sweep: cells on the worker pool, the envelope and time limits, checkpoints that resume, provenance checks. */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { dirname } from 'node:path';
import { TaskFailure, type WorkerPool } from '../engine/runtime/pool.ts';
import { ENGINE_VERSION } from '../engine/runtime/version.ts';
import { canonicalJson, toolInfo } from './certificate.ts';
import { fromJson, onDisk, toJson, writeFileAtomic } from '../io/json.ts';
import { changedSources, sourceHashes, sourcesDigest, type SourceHashes } from './provenance.ts';
import { acceptCellResult, missingObservables, TheoremContractError } from './define.ts';
import { CELL_ENTRY, type TheoremCellTask } from './cell-entry.ts';
import {
  cellKey,
  parseStoredCell,
  planCells,
  type Cell,
  type CellResult,
  type SweepPlan,
  type TheoremCheck,
} from './experiment.ts';

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
  /** The theorem module's sources (src/verify/provenance.ts): a checkpoint of other code is not resumed. */
  sources?: SourceHashes;
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
  /** The module hashes of the running code (read once at the start of the run); read here when absent. */
  sources?: SourceHashes;
  /** The commit of the running code (read once at the start of the run). */
  commit?: string;
  /** Checkpoint lines that were set aside (their cells run again). */
  onRejected?: (rejected: CheckpointRead['rejected']) => void;
  /** A checkpoint of another plan or cell version was moved to this path (its cells run again). */
  onSetAside?: (path: string) => void;
  /** Every cell's time limit in seconds; by default derived from the plan's cost (cellLimitSeconds). */
  cellTimeoutSeconds?: number;
  /** Run only these cells of the plan (a shard); all of them when absent. */
  only?: ReadonlySet<string>;
}

/** What a full disk leaves safe during a sweep. */
const KEPT = 'the cells written so far are kept: free space and run the same command again';

/** Same theorem, cell version and plan (the code is compared apart: a change there stops the run). */
function sameHeader(a: CheckpointHeader, b: CheckpointHeader): boolean {
  const { sources: _a, ...restA } = a;
  const { sources: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/** A checkpoint whose cells were computed by other code, under the same cell version: resuming it would mix the two. */
export class StaleCodeError extends UsageError {
  constructor(path: string, changed: string[]) {
    super(
      '--checkpoints',
      path,
      'a checkpoint computed by the current code',
      `checkpoint ${path} was computed by other code: ` +
        `${changed.length ? changed.join(', ') : 'no source hashes recorded'}` +
        ` changed since; run with --fresh to start over, or bump cellVersion if the cells' meaning changed`,
    );
  }
}

/** A checkpoint line: the cell and a SHA-256 of its canonical JSON (an edited or torn line no longer matches). */
export function checkpointLine(cell: CellResult): string {
  return toJson({ ...cell, sha: cellDigest(cell) });
}

function cellDigest(cell: CellResult): string {
  return createHash('sha256').update(canonicalJson(cell)).digest('hex');
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Why a checkpoint line cannot be trusted, or null. */
function lineProblem(parsed: unknown, wanted: Set<string>): string | null {
  if (!isRecord(parsed)) return 'not a JSON object';
  const { sha, ...cell } = parsed;
  if (typeof cell.arm !== 'string' || typeof cell.width !== 'number' || typeof cell.seed !== 'number')
    return 'no arm, width or seed';
  if (!wanted.has(cellKey(cell as unknown as Cell)))
    return `cell ${cellKey(cell as unknown as Cell)} is not in the plan`;
  const stored = parseStoredCell(cell);
  if (stored.problem !== undefined) return `not a cell result (${stored.problem})`;
  if (typeof sha !== 'string' || sha !== cellDigest(cell as unknown as CellResult))
    return 'its checksum does not match (edited or cut short)';
  return null;
}

export interface CheckpointRead {
  done: Map<string, CellResult>;
  /** Lines that were set aside (their cells run again), with the reason. */
  rejected: { line: number; why: string }[];
  /** Where a checkpoint of another plan or cell version was moved (its cells are not resumed). */
  setAside?: string;
}

/**
 * Cells already finished in a checkpoint whose header matches; a mismatching checkpoint is set aside whole. Every line
 * is checked (a JSON object of a planned cell with an observation and a matching checksum); lines that fail are
 * reported
 * and their cells run again, and the file is rewritten without them, so a torn last line never glues onto the next.
 * A checkpoint reached through a symbolic link is refused.
 */
export function readCheckpoint(path: string, header: CheckpointHeader): CheckpointRead {
  if (!existsSync(path)) return { done: new Map(), rejected: [] };
  if (lstatSync(path).isSymbolicLink())
    throw new UsageError('--checkpoints', path, 'a checkpoint file that is not a symbolic link');
  const text = readFileSync(path, 'utf8');
  const parsed = parseCheckpoint(text, header);
  if (parsed.otherCode) throw new StaleCodeError(path, parsed.otherCode);
  if (!parsed.headerMatches) {
    let setAside: string | undefined;
    if (text.trim() !== '') {
      setAside = `${path}.stale-${Date.now()}`;
      writeFileSync(setAside, text);
    }
    writeFileSync(path, '');
    return { done: new Map(), rejected: [], ...(setAside ? { setAside } : {}) };
  }
  const { done, rejected } = parsed;
  if (rejected.length || !text.endsWith('\n')) {
    rewriteCheckpoint(path, header, done);
  }
  return { done, rejected };
}

/** Replace a checkpoint with its header and these cells, atomically (writeFileAtomic). */
function rewriteCheckpoint(path: string, header: CheckpointHeader, done: Map<string, CellResult>): void {
  const lines = [JSON.stringify(header), ...[...done.values()].map(checkpointLine)];
  writeFileAtomic(path, lines.join('\n') + '\n', '--checkpoints');
}

/** The cells of a checkpoint's text, without touching the file: whether its header is `header`, and every line checked.
 * */
export function parseCheckpoint(
  text: string,
  header: CheckpointHeader,
): CheckpointRead & { headerMatches: boolean; otherCode?: string[] } {
  const done = new Map<string, CellResult>();
  const rejected: CheckpointRead['rejected'] = [];
  const lines = text.split('\n');
  let first: CheckpointHeader | null = null;
  try {
    first = JSON.parse(lines[0] ?? 'null') as CheckpointHeader;
  } catch {
    first = null;
  }
  if (!first || !sameHeader(first, header)) return { done, rejected, headerMatches: false };
  if (header.sources && canonicalJson(first.sources) !== canonicalJson(header.sources))
    return { done, rejected, headerMatches: false, otherCode: changedSources(first.sources ?? {}, header.sources) };
  const wanted = new Set(planCells(header.plan).map(cellKey));
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = fromJson(line);
    } catch {
      rejected.push({ line: i + 2, why: 'not valid JSON (cut short by an interrupt?)' });
      return;
    }
    const why = lineProblem(parsed, wanted);
    if (why) {
      rejected.push({ line: i + 2, why });
      return;
    }
    const { sha: _sha, ...cell } = parsed as Record<string, unknown>;
    done.set(cellKey(cell as unknown as Cell), cell as unknown as CellResult);
  });
  return { done, rejected, headerMatches: true };
}

/**
 * An exclusive lock on a checkpoint (`<checkpoint>.lock` holding the process id), so that two runs never share one:
 * a lock whose process is gone is taken over. Released when the process exits.
 */
export function lockCheckpoint(path: string): () => void {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      const release = () => {
        try {
          if (readFileSync(lock, 'utf8') === String(process.pid)) rmSync(lock);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch {
      const holder = Number(readFileSync(lock, 'utf8'));
      let alive = false;
      try {
        alive = Number.isInteger(holder) && holder > 0 && holder !== process.pid && process.kill(holder, 0);
      } catch {
        alive = false;
      }
      if (alive)
        throw new UsageError(
          '--checkpoints',
          path,
          `a checkpoint no other run is using (process ${holder} holds ${lock})`,
        );
      rmSync(lock, { force: true });
    }
  }
  throw new UsageError('--checkpoints', path, `a checkpoint whose lock ${lock} can be taken`);
}

/** The expected cost of a cell: the theorem's own estimate, or width^2 (a dense layer's work). */
export const cellCost = (check: Pick<TheoremCheck, 'cellCost'>, c: Cell, plan: SweepPlan): number =>
  check.cellCost?.(c, plan) ?? c.width * c.width;

/** The header of a plan's checkpoint; `sources` are the module hashes of the code that runs (read once per run). */
export function checkpointHeader(
  check: TheoremCheck,
  plan: SweepPlan,
  sources: SourceHashes = sourceHashes(check.cellModule),
): CheckpointHeader & { sources: SourceHashes } {
  return { theorem: check.statement.id, cellVersion: check.cellVersion, plan, sources };
}

export async function runSweep(options: SweepOptions): Promise<CellResult[]> {
  const { check, plan, pool, checkpointPath } = options;
  const header = checkpointHeader(check, plan, options.sources);
  const commit = options.commit ?? toolInfo().commit;
  mkdirSync(dirname(checkpointPath), { recursive: true });
  const { done, rejected, setAside } = readCheckpoint(checkpointPath, header);
  if (rejected.length) options.onRejected?.(rejected);
  if (setAside) options.onSetAside?.(setAside);
  const sources = sourcesDigest(header.sources ?? {});
  if (done.size === 0)
    onDisk('--checkpoints', checkpointPath, KEPT, () => writeFileSync(checkpointPath, JSON.stringify(header) + '\n'));
  const cells = planCells(plan).filter((c) => !options.only || options.only.has(cellKey(c)));
  // Largest cells first, so that the pool does not finish on one long cell.
  const cost = (c: Cell) => cellCost(check, c, plan);
  const todo = cells.filter((c) => !done.has(cellKey(c))).sort((a, b) => cost(b) - cost(a));
  // The checkpoint may hold cells outside `only` (a sequential design's later looks): count this run's alone.
  const doneBefore = cells.length - todo.length;
  const start = performance.now();
  const totalCost = todo.reduce((s, c) => s + cost(c), 0);
  let doneCost = 0;
  // Seconds per unit of expected cost, the slowest seen so far: the time limit of the cells still to come follows it.
  let secondsPerCost: number | undefined;
  let finished = 0;
  const report = () => {
    const elapsed = (performance.now() - start) / 1000;
    options.onProgress?.({
      done: doneBefore + finished,
      total: cells.length,
      resumed: cells.length - todo.length,
      elapsedSeconds: elapsed,
      etaSeconds: doneCost > 0 ? (elapsed * (totalCost - doneCost)) / doneCost : NaN,
    });
  };
  report();
  const checkedArms = new Set<string>();
  try {
    await pool.map<CellResult>(
      todo.map((cell) => ({
        ...CELL_ENTRY,
        args: { module: check.cellModule, args: { cell, plan } } satisfies TheoremCellTask,
        preload: [check.cellModule],
        limitMs: () => 1000 * cellLimitSeconds(cost(cell), secondsPerCost, options.cellTimeoutSeconds),
      })),
      (computed, i, seconds) => {
        const result: CellResult = {
          ...acceptCellResult(check.statement.id, todo[i]!, computed, seconds),
          code: { cellVersion: check.cellVersion, commit, engine: ENGINE_VERSION, sources },
        };
        if (!checkedArms.has(result.arm)) {
          // The first cell of each arm shows whether the claims' observables are written (before the rest is spent).
          checkedArms.add(result.arm);
          const missing = missingObservables(check, result);
          if (missing) throw new TheoremContractError(check.statement.id, missing);
        }
        onDisk('--checkpoints', checkpointPath, KEPT, () =>
          appendFileSync(checkpointPath, checkpointLine(result) + '\n'),
        );
        done.set(cellKey(result), result);
        doneCost += cost(todo[i]!);
        secondsPerCost = Math.max(secondsPerCost ?? 0, result.seconds / Math.max(cost(todo[i]!), 1e-12));
        finished++;
        report();
      },
    );
  } catch (error) {
    const e = error as Error & { taskIndex?: number };
    const cell = e.taskIndex === undefined ? undefined : todo[e.taskIndex];
    if (!cell || e.name === 'UsageError') throw error;
    const name = `cell ${cell.arm}/${cell.width}/${cell.seed} of ${check.statement.id}`;
    const kept = `finished cells are saved in ${checkpointPath}`;
    if (e instanceof TaskFailure)
      throw new UsageError(
        name,
        e.message,
        'a cell that returns within its time limit',
        `${name}: ${e.message} ` +
          (e.reason === 'timeout'
            ? `(the cell's time limit; --cell-timeout SECONDS sets it; ${kept})`
            : `(process.exit or a crash in the cell?; ${kept})`),
      );
    // Finished cells are on disk already; the failing one is named so that it can be run alone.
    throw Object.assign(
      new UsageError(
        name,
        e.message.split('\n')[0],
        `a cell function that returns its observations (${kept}; TDLV_DEBUG=1 shows the stack)`,
      ),
      { stack: e.stack },
    );
  }
  return cells.map((c) => done.get(cellKey(c))!);
}

/**
 * Seed a checkpoint with cells computed earlier (a certificate's), so that a plan that grew, or a re-evaluation under
 * new
 * rules, recomputes only what is missing. Only cells whose (arm, width, seed) the plan holds are taken, and only when
 * the
 * settings both plans share are equal. Returns the number of cells taken. The audit's replay checks them like any
 * other.
 */
export function seedCheckpoint(
  path: string,
  header: CheckpointHeader,
  previous: { plan: SweepPlan; cells: CellResult[]; tool: { commit: string } },
  recompute: readonly string[] = [],
): number {
  const shared = Object.keys(previous.plan.settings).filter((k) => k in header.plan.settings);
  const differing = shared.filter((k) => previous.plan.settings[k] !== header.plan.settings[k]);
  if (differing.length) throw new Error(`settings differ from the certificate's: ${differing.join(', ')}`);
  mkdirSync(dirname(path), { recursive: true });
  const { done } = readCheckpoint(path, header);
  const wanted = new Set(planCells(header.plan).map(cellKey));
  let taken = 0;
  for (const c of previous.cells) {
    const key = cellKey(c);
    if (wanted.has(key) && !done.has(key) && !recompute.includes(c.arm)) {
      // Cells from before versions were recorded were computed by the certificate's commit, at the version reuse
      // requires.
      done.set(key, { ...c, code: c.code ?? { cellVersion: header.cellVersion, commit: previous.tool.commit } });
      taken++;
    }
  }
  rewriteCheckpoint(path, header, done);
  return taken;
}

/**
 * A cell's time limit: `fixed` when the user set one; otherwise 50 times what its expected cost predicts from the
 * slowest finished cell (seconds per unit of cost), at least 10 minutes, and 60 minutes before any cell has finished.
 * Generous on purpose: it exists to end a cell that will never return, not to judge a slow one.
 */
export function cellLimitSeconds(cost: number, secondsPerCost: number | undefined, fixed?: number): number {
  if (fixed !== undefined) return fixed;
  if (secondsPerCost === undefined) return 3600;
  return Math.max(600, 50 * cost * secondsPerCost);
}
