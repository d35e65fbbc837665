/** The audit of a certificate: statement, plan, cells, code versions, sources, evaluation and replays. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { WorkerPool } from '../engine/runtime/pool.ts';
import { ENGINE_VERSION, REPLAY_TOLERANCE } from '../engine/runtime/version.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { RandomStream } from '../random/rng.ts';
import { canonicalJson, statementHash, type Certificate } from './certificate.ts';
import { fromJson, toJson } from '../io/json.ts';
import { changedSources, sourceHashes } from './provenance.ts';
import { acceptCellResult } from './define.ts';
import { evaluate } from './evaluate.ts';
import { designProblem, evaluateSequential, planAtLook } from './sequential.ts';
import { variance } from '../stats/moments.ts';
import { cellKey, planCells, type Cell, type CellResult, type TheoremCheck } from './experiment.ts';
import { CELL_ENTRY, type TheoremCellTask } from './cell-entry.ts';
import { assignShards, type Shard } from './shard.ts';
import { cellCost } from './sweep.ts';

/**
 * `tdlv audit`: a certificate passes when (1) it was made from the statement as it stands, (2) its plan is the module's
 * plan for its fidelity and it holds exactly that plan's cells, (3) every cell was computed by the module's cell-code
 * version, (4) its fits and verdicts are what the evaluator computes again from its raw observations, and (5) the cells
 * replayed from their addressed random streams reproduce their observations.
 *
 * Replay cannot be predicted by whoever wrote the certificate: the cells are drawn from all cells (expensive ones
 * included) with a fresh random seed on every run (printed; `--replay-seed` repeats an audit), or named (`--cells`), or
 * all of them (`--replay all`). A forgery of k of N cells escapes r random replays with probability C(N-k, r) / C(N,
 * r).
 */
export interface AuditCheck {
  name:
    'statement' | 'plan' | 'cells' | 'observables' | 'code-version' | 'sources' | 'commit' | 'evaluation' | 'replay';
  ok: boolean;
  /** A warning does not fail the audit (e.g. a certificate computed outside a git checkout). */
  severity: 'error' | 'warning';
  detail: string;
}

export interface ReplayedCell {
  arm: string;
  width: number;
  seed: number;
  match: boolean;
  worstRelativeError: number;
  /** REPLAY_TOLERANCE.same for a cell of this engine and backend, .other otherwise (see src/engine/runtime/version.ts).
   * */
  tolerance: number;
  /** Present exactly for cells of another engine or backend: the observables off by more than both tolerances (relative
   * and seed sd). */
  beyondSeedSd?: string[];
}

export interface AuditResult {
  ok: boolean;
  checks: AuditCheck[];
  replayed: ReplayedCell[];
  /** The seed of a random replay (reuse it with --replay-seed). */
  replaySeed?: number;
  /**
   * oneCell, tenCells: the chance that a forgery of 1 (10) cells escapes a uniform draw of as many cells as were
   * replayed (hypergeometric; a reference, not this draw). anyForgery: an upper bound for this draw procedure
   * (stratified, budgeted) on the chance that a forgery of any size, hence any verdict-flipping one, escapes it: one
   * minus the smallest inclusion probability of a cell, estimated by simulating the procedure (DRAW_SIMULATIONS
   * seeds); leastCovered names that cell. A forgery changes at least one cell and escapes only if that cell is not
   * drawn, so no forgery escapes more often.
   */
  escapeProbability: {
    oneCell: number;
    tenCells: number;
    anyForgery?: number;
    leastCovered?: { cell: string; inclusion: number };
  };
  /** The failing checks in one line each. */
  problems: string[];
}

export type ReplaySelection =
  | { kind: 'random'; count: number; seed: number; budgetSeconds?: number }
  | { kind: 'cells'; cells: Cell[] }
  | { kind: 'all' }
  /** Slice i of N of every cell (`--replay all --shard i/N`): the slices of 1..N replay each cell once. */
  | { kind: 'shard'; shard: Shard };

function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  // Certificates written before non-finite numbers were kept hold null where the evaluation has NaN or an infinity.
  const lost = (x: unknown, y: unknown) => x === null && typeof y === 'number' && !Number.isFinite(y);
  if (lost(a, b) || lost(b, a)) return null;
  if (typeof a !== typeof b || (a === null) !== (b === null)) return path || '(root)';
  if (a && b && typeof a === 'object') {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  if (typeof a === 'number' && typeof b === 'number')
    return a === b ||
      Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)) ||
      (Number.isNaN(a) && Number.isNaN(b))
      ? null
      : path;
  return a === b ? null : path;
}

/**
 * Every valid cell of an arm that a claim judged by the generic rules is made on (its own arm, or an ablation's) must
 * name that claim's observable as a number: a missing or renamed observable is seen without replaying the cell.
 * Extra observables and edited numbers no claim reads are not seen here: observables are not yet declared by the
 * theorem (issue 22), so only a replay sees them.
 */
function observableProblem(check: TheoremCheck, cells: readonly CellResult[]): string | null {
  const s = check.statement;
  for (const claim of s.claims) {
    if (check.judges?.[claim.id]) continue;
    const arms = new Set([
      ...(claim.kind === 'classification' ? claim.arms : [claim.arm]),
      ...s.ablations.filter((a) => a.baseArm === claim.arm).map((a) => a.arm),
    ]);
    for (const c of cells)
      if (arms.has(c.arm) && c.status === 'ok' && typeof c.observation[claim.observable] !== 'number')
        return `cell ${cellKey(c)} does not name ${claim.observable}, which claim ${claim.id} reads`;
  }
  return null;
}

/**
 * The observables on which two observations differ: named by one and not the other (a value undefined), or not equal
 * (two NaNs are equal). Both replay rules below judge only these.
 */
function* differences(
  a: CellResult['observation'],
  b: CellResult['observation'],
): Generator<{ key: string; x: number | undefined; y: number | undefined }> {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [x, y] = [a[key], b[key]];
    if (x !== undefined && y !== undefined && (x === y || (Number.isNaN(x) && Number.isNaN(y)))) continue;
    yield { key, x, y };
  }
}

/** Observables of a replay off by more than `relative` and by more than `sdFraction` of their seed-to-seed sd in
 * `group`. */
export function beyondSeedSpread(
  recorded: CellResult['observation'],
  replayed: CellResult['observation'],
  group: CellResult[],
  relative: number,
  sdFraction: number,
): string[] {
  const out: string[] = [];
  for (const { key, x, y } of differences(recorded, replayed)) {
    if (x === undefined || y === undefined) {
      out.push(key);
      continue;
    }
    const diff = Math.abs(x - y);
    if (diff <= relative * Math.max(Math.abs(x), Math.abs(y))) continue;
    const values = group
      .map((c) => c.observation[key])
      .filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (!(values.length >= 2 && diff <= sdFraction * Math.sqrt(variance(values)))) out.push(key);
  }
  return out;
}

/** The largest relative difference of two observations' observables; Infinity when one lacks an observable. */
export function worstRelativeError(a: CellResult['observation'], b: CellResult['observation']): number {
  let worst = 0;
  for (const { x, y } of differences(a, b)) {
    if (x === undefined || y === undefined) return Infinity;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-300));
  }
  return worst;
}

/** P(a forgery of k of n cells escapes r replays drawn without replacement) = C(n-k, r) / C(n, r). */
export function escapeProbability(n: number, k: number, r: number): number {
  if (r >= n) return 0;
  let p = 1;
  for (let i = 0; i < r; i++) p *= Math.max(0, n - k - i) / (n - i);
  return p;
}

/** Draws simulated to estimate each cell's inclusion probability under a random selection. */
export const DRAW_SIMULATIONS = 400;

/**
 * The bound on any forgery's escape probability for a selection procedure (see AuditResult.escapeProbability): exact
 * for all cells (0), named cells (0 or 1), a shard alone (1 when it leaves cells out); simulated for a random draw.
 */
export function forgeryEscapeBound(
  certificate: Certificate,
  selection: ReplaySelection,
  cost: (cell: Cell) => number,
): { anyForgery: number; leastCovered?: { cell: string; inclusion: number } } {
  const cells = certificate.cells;
  if (!cells.length) return { anyForgery: 0 };
  const counts = new Map<string, number>(cells.map((c) => [cellKey(c), 0]));
  const draws = selection.kind === 'random' ? DRAW_SIMULATIONS : 1;
  for (let d = 0; d < draws; d++) {
    const s: ReplaySelection = selection.kind === 'random' ? { ...selection, seed: 1 + d } : selection;
    for (const c of chooseReplayCells(certificate, s, cost)) counts.set(cellKey(c), counts.get(cellKey(c))! + 1);
  }
  let least = cells[0]!;
  for (const c of cells) if (counts.get(cellKey(c))! < counts.get(cellKey(least))!) least = c;
  const inclusion = counts.get(cellKey(least))! / draws;
  return { anyForgery: 1 - inclusion, leastCovered: { cell: `${least.arm}/${least.width}/${least.seed}`, inclusion } };
}

/** The (arm, width) strata of a certificate's cells, as "arm/width", in cell order. */
export function strataOf(certificate: Certificate): string[] {
  return [...new Set(certificate.cells.map((c) => `${c.arm}/${c.width}`))];
}

/**
 * The expected seconds of each cell by the theorem's own cost model (cellCost, or width^2), scaled by the median
 * recorded seconds per unit of cost: a draw never depends on what one cell says about itself (a forgery that inflates
 * the recorded seconds of the cells it edits cannot hide them from a budgeted replay unless it edits most cells).
 */
export function replayCost(check: Pick<TheoremCheck, 'cellCost'>, certificate: Certificate): (cell: Cell) => number {
  const model = (c: Cell) => cellCost(check, c, certificate.plan);
  const ratios = certificate.cells
    .map((c) => c.seconds / Math.max(model(c), 1e-300))
    .filter((x) => Number.isFinite(x) && x >= 0)
    .sort((x, y) => x - y);
  const perUnit = ratios.length ? ratios[ratios.length >> 1]! : 0;
  return (c) => model(c) * perUnit;
}

/**
 * The default audit's budget of expected replay compute: one cell of every (arm, width) stratum that fits, cheapest
 * strata first (`chooseReplayCells`).
 */
export const DEFAULT_BUDGET_SECONDS = 120;

/**
 * The cells a selection replays, in a reproducible order. A random draw is stratified: the (arm, width) strata are
 * visited in a random order (cheapest first under a budget), one random cell each, round after round, so that every
 * arm and width is hit once the count reaches the number of strata; a budget skips the cells whose expected cost (the
 * theorem's cost model, not their recorded seconds) would exceed it.
 */
export function chooseReplayCells(
  certificate: Certificate,
  selection: ReplaySelection,
  cost: (cell: Cell) => number = (c) => c.width * c.width,
): CellResult[] {
  const cells = certificate.cells;
  if (selection.kind === 'all') return [...cells];
  if (selection.kind === 'shard') {
    // verify --shard's assignment (longest first over the plan's cells in key order) on the replay costs.
    const slice = assignShards({ cellCost: (c) => cost(c) }, certificate.plan, selection.shard.count);
    return cells.filter((c) => slice.get(cellKey(c)) === selection.shard.index);
  }
  if (selection.kind === 'cells') {
    return selection.cells.map((want) => {
      const found = cells.find((c) => cellKey(c) === cellKey(want));
      if (!found) throw new Error(`cell ${cellKey(want)} is not in the certificate`);
      return found;
    });
  }
  const rng = new RandomStream({ audit: 'replay', seed: selection.seed, stratified: true }, 'replay');
  const strata = new Map<string, CellResult[]>();
  for (const c of [...cells].sort((a, b) => (cellKey(a) < cellKey(b) ? -1 : 1))) {
    const key = `${c.arm}/${c.width}`;
    if (!strata.has(key)) strata.set(key, []);
    strata.get(key)!.push(c);
  }
  const order = [...strata.keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  // Under a budget, the strata are visited cheapest first (ties in the shuffled order): every stratum the budget can
  // hold gets a cell in every draw, so a forgery of a whole cheap stratum (an arm's small widths) is caught by every
  // budgeted audit. In a random order an expensive stratum drawn early could spend the budget before them.
  if (selection.budgetSeconds !== undefined) {
    const meanCost = (key: string) => {
      const pool = strata.get(key)!;
      return pool.reduce((t, c) => t + cost(c), 0) / pool.length;
    };
    const rank = new Map(order.map((k, i) => [k, i]));
    order.sort((a, b) => meanCost(a) - meanCost(b) || rank.get(a)! - rank.get(b)!);
  }
  const chosen: CellResult[] = [];
  let seconds = 0;
  while (chosen.length < selection.count && order.some((k) => strata.get(k)!.length)) {
    for (const key of order) {
      const pool = strata.get(key)!;
      if (!pool.length || chosen.length >= selection.count) continue;
      const next = pool.splice(Math.floor(rng.uniform() * pool.length), 1)[0]!;
      if (selection.budgetSeconds !== undefined && seconds + cost(next) > selection.budgetSeconds) continue;
      chosen.push(next);
      seconds += cost(next);
    }
  }
  return chosen;
}

/**
 * What one slice of a sharded audit (`audit --replay all --shard i/N`) leaves for the merge: which certificate it
 * replayed (a digest of its content), under which tolerance and backend, and every replayed cell's outcome.
 */
export interface AuditShardFile {
  kind: 'tdlv-audit-shard';
  theorem: string;
  certificateDigest: string;
  shard: Shard;
  tolerance: 'exact' | 'roundoff';
  backend: string;
  engine: string;
  replayed: ReplayedCell[];
}

/** The content digest a shard file names its certificate by (canonical JSON, so the file's layout does not count). */
export function certificateDigest(certificate: Certificate): string {
  return createHash('sha256').update(canonicalJson(certificate)).digest('hex');
}

/**
 * The audit of a certificate from the slices of a sharded replay: the static checks run here, the replay check reads
 * the slices' outcomes. Throws (one line, naming the problem) when the slices are not every slice of one sharding of
 * this very certificate under one tolerance, or do not replay each of its cells exactly once.
 */
export function mergeAuditShards(
  check: TheoremCheck,
  certificate: Certificate,
  shards: readonly AuditShardFile[],
): AuditResult {
  if (!shards.length) throw new Error('no shard files');
  const count = shards[0]!.shard.count;
  const digest = certificateDigest(certificate);
  for (const f of shards) {
    if (f.theorem !== certificate.theorem || f.certificateDigest !== digest)
      throw new Error(
        `shard ${f.shard.index}/${f.shard.count} replayed another certificate (or this one before an edit)`,
      );
    if (f.shard.count !== count)
      throw new Error(`shards of two shardings (of ${count} and of ${f.shard.count}): keep one`);
    if (f.tolerance !== shards[0]!.tolerance)
      throw new Error(`shards under two tolerances (${shards[0]!.tolerance} and ${f.tolerance}): rerun one`);
  }
  const indices = shards.map((f) => f.shard.index);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !indices.includes(i));
  if (missing.length) throw new Error(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);
  if (new Set(indices).size !== indices.length) throw new Error('a shard appears twice');
  const replayed = shards.flatMap((f) => f.replayed);
  const seen = new Map(replayed.map((r) => [cellKey(r), r]));
  const absent = certificate.cells.filter((c) => !seen.has(cellKey(c)));
  if (absent.length || seen.size !== replayed.length || replayed.length !== certificate.cells.length)
    throw new Error(
      `the shards replay ${seen.size} distinct of the certificate's ${certificate.cells.length} cells` +
        (absent.length
          ? ` (not: ${absent.slice(0, 3).map(cellKey).join(', ')}${absent.length > 3 ? ', ...' : ''})`
          : ''),
    );
  const backends = [...new Set(shards.map((f) => `backend ${f.backend}, engine ${f.engine}`))].join('; ');
  return auditResult([...staticChecks(check, certificate), replayCheck(replayed, backends)], replayed, {
    oneCell: 0,
    tenCells: 0,
    anyForgery: 0,
  });
}

/** An audit's result from its checks: it passes when no check of severity error failed, and those are its problems. */
function auditResult(
  checks: AuditCheck[],
  replayed: ReplayedCell[],
  escape: AuditResult['escapeProbability'],
  replaySeed?: number,
): AuditResult {
  const problems = checks.filter((c) => !c.ok && c.severity === 'error').map((c) => c.detail);
  return {
    ok: problems.length === 0,
    checks,
    replayed,
    ...(replaySeed !== undefined ? { replaySeed } : {}),
    escapeProbability: escape,
    problems,
  };
}

/** The replay check: every replayed cell reproduces, or the ones that do not, each named with its error. */
function replayCheck(replayed: readonly ReplayedCell[], backend: string): AuditCheck {
  const bad = replayed.filter((r) => !r.match);
  const other = replayed.filter((r) => r.beyondSeedSd !== undefined);
  return {
    name: 'replay',
    ok: bad.length === 0,
    severity: 'error',
    detail:
      bad.length === 0
        ? `${replayed.length} cell(s) replayed, all reproduce (${backend}: ${replayed.length - other.length} bit for ` +
          `bit${
            other.length
              ? `, ${other.length} of another engine or backend within relative ${REPLAY_TOLERANCE.other} ` +
                (`or ${REPLAY_TOLERANCE.otherSeedSd} seed sd, worst relative ` +
                  `error ${Math.max(...other.map((r) => r.worstRelativeError)).toExponential(1)}`)
              : ''
          })`
        : bad
            .map(
              (r) =>
                `cell ${r.arm}|${r.width}|${r.seed} does not reproduce: ` +
                `${
                  r.beyondSeedSd
                    ? `${r.beyondSeedSd.join(', ')} off by more than relative ${REPLAY_TOLERANCE.other} ` +
                      `and ${REPLAY_TOLERANCE.otherSeedSd} seed sd`
                    : `relative ` + `error ${r.worstRelativeError.toExponential(2)} > ${r.tolerance}`
                }`,
            )
            .join('; '),
  };
}

function gitKnows(commit: string): boolean | null {
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: PACKAGE_ROOT, stdio: 'ignore' });
    return true;
  } catch {
    try {
      execFileSync('git', ['rev-parse', '--git-dir'], { cwd: PACKAGE_ROOT, stdio: 'ignore' });
      return false;
    } catch {
      return null;
    }
  }
}

/**
 * The audit's checks that replay nothing: the statement hash, the plan against the module's plan for the fidelity, the
 * cells of that plan, the cell-code version, the module hashes, the commits, the fits and verdicts recomputed from the
 * raw cells, and the observables the claims read. `report` renders a certificate only when none of its errors fails.
 */
export function staticChecks(check: TheoremCheck, certificate: Certificate): AuditCheck[] {
  const checks: AuditCheck[] = [];
  const add = (name: AuditCheck['name'], ok: boolean, detail: string, severity: AuditCheck['severity'] = 'error') =>
    checks.push({ name, ok, severity, detail });

  const hash = statementHash(check.statement);
  add(
    'statement',
    certificate.statementHash === hash,
    certificate.statementHash === hash
      ? 'made from the current statement'
      : `statement hash ${String(certificate.statementHash).slice(0, 12)} is not that of the ` +
          `current statement (${hash.slice(0, 12)}): the theorem changed since this run`,
  );

  const design = certificate.sequential;
  // A sequential certificate holds the module's plan (from its first seed) grown by the looks it records.
  const basePlan = {
    ...check.plan(certificate.fidelity),
    ...(certificate.plan.firstSeed ? { firstSeed: certificate.plan.firstSeed } : {}),
  };
  const modulePlan = design ? planAtLook(basePlan, design.looks.at(-1)?.seeds ?? {}) : basePlan;
  const planDiff = firstDifference(JSON.parse(canonicalJson(certificate.plan)), JSON.parse(canonicalJson(modulePlan)));
  add(
    'plan',
    planDiff === null,
    planDiff === null
      ? `the module's ${certificate.fidelity} plan`
      : `the plan is not the module's ${certificate.fidelity} plan (first difference at plan${planDiff})`,
  );
  if (design) {
    let problem: string | null;
    try {
      problem = designProblem(check, certificate.cells, basePlan, design);
    } catch (error) {
      problem = `the design cannot be replayed: ${(error as Error).message}`;
    }
    add(
      'plan',
      problem === null,
      problem === null
        ? `a group-sequential design (${design.spending} spending) of ${design.looks.length} look(s) (at most ` +
            `${design.maxLooks}), each look the one its cells call for`
        : `the sequential design does not follow from the cells: ${problem}`,
    );
  }

  const expected = planCells(certificate.plan).map(cellKey).sort();
  const present = certificate.cells.map(cellKey).sort();
  const cellsOk = canonicalJson(expected) === canonicalJson(present);
  add(
    'cells',
    cellsOk,
    cellsOk
      ? `${present.length} cells, exactly the plan's`
      : `the cells do not match the plan (${present.length} present, ${expected.length} planned)`,
  );

  const versions = new Map<string, number>();
  for (const c of certificate.cells) {
    const v = c.code ? `${c.code.cellVersion}@${c.code.commit.slice(0, 12)}` : 'unrecorded';
    versions.set(v, (versions.get(v) ?? 0) + 1);
  }
  const wrongVersion = certificate.cells.filter((c) => c.code?.cellVersion !== check.cellVersion);
  add(
    'code-version',
    wrongVersion.length === 0 &&
      (certificate.cellVersion === undefined || certificate.cellVersion === check.cellVersion),
    wrongVersion.length === 0
      ? `every cell computed by cell version ${check.cellVersion} ` +
          `(${[...versions].map(([v, n]) => `${n} by ${v}`).join(', ')})`
      : `${wrongVersion.length} cell(s) not computed by the module's cell version ` +
          `${check.cellVersion} (${[...versions].map(([v, n]) => `${n} by ${v}`).join(', ')})`,
  );

  if (certificate.sources === undefined)
    add('sources', true, 'no module hashes recorded (the certificate predates them)', 'warning');
  else {
    const changed = changedSources(certificate.sources, sourceHashes(check.cellModule));
    add(
      'sources',
      changed.length === 0,
      changed.length === 0
        ? `${Object.keys(certificate.sources).length} module(s) unchanged since the run ` +
            `(${Object.keys(certificate.sources).join(', ')})`
        : `${changed.join(', ')} changed since the certificate was written (source hash differs): ` +
            'the code that computed it is not the code here',
    );
  }

  const commits = [
    ...new Set(
      [certificate.tool?.commit, ...certificate.cells.map((c) => c.code?.commit)].filter(
        (x): x is string => typeof x === 'string',
      ),
    ),
  ];
  const unknown = commits.filter((c) => c === 'unknown' || gitKnows(c) === false);
  add(
    'commit',
    !certificate.tool?.dirty && unknown.length === 0,
    `${certificate.tool?.dirty ? 'written from a working tree with uncommitted changes; ' : ''}${
      unknown.length
        ? `commit(s) ` + `not in this repository: ${unknown.map((c) => c.slice(0, 12)).join(', ')}`
        : `commits ` +
          `${commits.map((c) => c.slice(0, 12)).join(', ')} are in this repository's history (or no git checkout ` +
          `to ask)`
    }`,
    'warning',
  );

  let evaluationOk = false;
  let evaluationDetail: string;
  try {
    const recomputed = fromJson(
      toJson(
        design
          ? evaluateSequential(check, certificate.cells, certificate.plan, design)
          : evaluate(check, certificate.cells, certificate.plan),
      ),
    );
    const diff = firstDifference(recomputed, certificate.evaluation);
    evaluationOk = diff === null;
    evaluationDetail =
      diff === null
        ? 'fits and verdicts follow from the raw observations'
        : `fits and verdicts do not follow from the raw observations: first difference at evaluation${diff}`;
  } catch (error) {
    evaluationDetail = `the raw observations cannot be evaluated: ${(error as Error).message}`;
  }
  add('evaluation', evaluationOk, evaluationDetail);
  const observables = observableProblem(check, certificate.cells);
  add(
    'observables',
    observables === null,
    observables ?? "every valid cell names the observables its arm's claims read",
  );

  return checks;
}

export async function auditCertificate(
  check: TheoremCheck,
  certificate: Certificate,
  options: {
    pool: WorkerPool;
    selection: ReplaySelection;
    backend: string;
    /**
     * The auditor's choice, never the certificate's: `exact` (the default) holds every replayed cell to
     * REPLAY_TOLERANCE.same whatever engine or backend the certificate says made it; `roundoff` accepts float32
     * roundoff grown by training (REPLAY_TOLERANCE.other and the seed-sd rule) for a certificate made on another
     * engine or backend.
     */
    tolerance?: 'exact' | 'roundoff';
  },
): Promise<AuditResult> {
  const checks = staticChecks(check, certificate);
  // Bit-identical unless the auditor asked for roundoff: a certificate relabelled "cpu" or "engine 1" must not loosen
  // its own audit. Under roundoff, cells of this engine on this backend are still held bit for bit.
  const sameEngine = (c: CellResult) =>
    options.tolerance !== 'roundoff' ||
    (options.backend === certificate.backend && (c.code?.engine ?? '1') === ENGINE_VERSION);
  const chosen = chooseReplayCells(certificate, options.selection, replayCost(check, certificate));
  // Replayed results pass through the same envelope as the sweep's (a cell may return only its observations).
  const results: Omit<CellResult, 'code'>[] = [];
  await options.pool.map<unknown>(
    chosen.map((cell) => ({
      ...CELL_ENTRY,
      args: {
        module: check.cellModule,
        args: { cell: { arm: cell.arm, width: cell.width, seed: cell.seed }, plan: certificate.plan },
      } satisfies TheoremCellTask,
    })),
    (returned, i, seconds) => {
      results[i] = acceptCellResult(certificate.theorem, chosen[i]!, returned, seconds);
    },
  );
  const replayed: ReplayedCell[] = results.map((r, i) => {
    const c = chosen[i]!;
    const err = worstRelativeError(r.observation, c.observation);
    if (sameEngine(c))
      return {
        arm: c.arm,
        width: c.width,
        seed: c.seed,
        match: err <= REPLAY_TOLERANCE.same && r.status === c.status,
        worstRelativeError: err,
        tolerance: REPLAY_TOLERANCE.same,
      };
    const group = certificate.cells.filter((x) => x.arm === c.arm && x.width === c.width);
    const beyondSeedSd = beyondSeedSpread(
      c.observation,
      r.observation,
      group,
      REPLAY_TOLERANCE.other,
      REPLAY_TOLERANCE.otherSeedSd,
    );
    return {
      arm: c.arm,
      width: c.width,
      seed: c.seed,
      match: beyondSeedSd.length === 0 && r.status === c.status,
      worstRelativeError: err,
      tolerance: REPLAY_TOLERANCE.other,
      beyondSeedSd,
    };
  });
  checks.push(replayCheck(replayed, `backend ${options.backend}, engine ${ENGINE_VERSION}`));

  const n = certificate.cells.length;
  const r = replayed.length;
  return auditResult(
    checks,
    replayed,
    {
      oneCell: escapeProbability(n, 1, r),
      tenCells: escapeProbability(n, Math.min(10, n), r),
      ...forgeryEscapeBound(certificate, options.selection, replayCost(check, certificate)),
    },
    options.selection.kind === 'random' ? options.selection.seed : undefined,
  );
}
