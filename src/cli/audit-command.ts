/** `tdlv audit`: reads a certificate, chooses the cells to replay, runs the audit and prints its checks. */
import { randomInt } from 'node:crypto';
import { BACKEND_CHOICES, initBackend } from '../engine/runtime/backend.ts';
import { WorkerPool, defaultWorkerCount } from '../engine/runtime/pool.ts';
import { requireNonNegativeInteger, requirePositiveInteger, UsageError } from '../errors.ts';
import {
  auditCertificate,
  certificateDigest,
  chooseReplayCells,
  DEFAULT_BUDGET_SECONDS,
  DRAW_SIMULATIONS,
  mergeAuditShards,
  replayCost,
  strataOf,
  type AuditResult,
  type AuditShardFile,
  type ReplaySelection,
} from '../verify/audit.ts';
import { parseShard, type Shard } from '../verify/shard.ts';
import { ENGINE_VERSION } from '../engine/runtime/version.ts';
import { fromJson, toJson, writeFileAtomic } from '../io/json.ts';
import { readTextFile, requireWritableDirectory } from './read-file.ts';
import { readCertificate } from '../verify/certificate.ts';
import type { Cell } from '../verify/experiment.ts';
import { defineCommand, POOL_OPTIONS, poolSettings } from './args.ts';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadTheoremModule } from './theorem-source.ts';
import { isTheoremPath } from './theorem-path.ts';
import { changedSources, sourceHashes } from '../verify/provenance.ts';
import type { Certificate } from '../verify/certificate.ts';
import type { TheoremCheck } from '../verify/experiment.ts';
import { findTheorem } from '../../theorems/index.ts';
import { statements } from '../../theorems/registry.ts';

const usage = `tdlv audit <certificate.json> [--replay N|all] [--replay-seed S] [--replay-budget SECONDS]
           [--cells ARM/WIDTH/SEED,...] [--theorem PATH] [--tolerance exact|roundoff] [--workers N]
           [--backend auto|wasm|node|cpu] [--json]
tdlv audit <certificate.json> --replay all --shard i/N [--shard-dir runs] [...]
tdlv audit <certificate.json> --merge-shards [--shard-dir runs] [--theorem PATH] [--json]

Checks that the certificate was made from the current statement, that its plan is the module's plan for its
fidelity and holds exactly that plan's cells, that every cell was computed by the module's cell-code version,
and that its fits and verdicts follow from its raw observations; then replays cells from their random streams.
Replayed cells are drawn from all cells with a fresh random seed on every run (printed; --replay-seed S repeats
an audit); --replay-budget caps the recorded compute seconds of the drawn cells; --cells names exact cells;
--replay all replays every cell. Prints a bound on the probability that any forgery escapes a draw made the same
way (one minus the smallest inclusion probability of a cell, from simulated draws), and beside it the chance that a
uniform draw of as many cells misses a forgery of 1 and of 10 cells.
A built-in theorem's certificate is replayed with tdlv's own code. A certificate of your own theorem needs
--theorem PATH: the audit never loads the code a certificate names, and loads yours only when its source hashes
to what the certificate recorded. Replayed cells must reproduce bit for bit (--tolerance exact, on the backend the
certificate names unless --backend is given); --tolerance roundoff, the auditor's choice for a certificate made
on another engine or backend, accepts float32 roundoff grown by training.
--replay all --shard i/N replays slice i of N of the cells (balanced by the theorem's cost model, the rule of
verify --shard; one machine per slice, e.g. a Slurm array) and writes what it found to
<shard-dir>/<certificate name>.audit-shard-i-of-N.json; --merge-shards then reads every slice of this certificate
and prints one audit of the whole, refusing a missing slice, a slice of another certificate or of an earlier
version of this one, slices under two tolerances, or slices that do not replay each cell exactly once.
Exit code 0 if the certificate reproduces, 1 if it does not, 2 for a usage error or a corrupted file.`;

const options = {
  replay: { type: 'string' },
  'replay-seed': { type: 'string' },
  'replay-budget': { type: 'string' },
  cells: { type: 'string' },
  theorem: { type: 'string' },
  tolerance: { type: 'string', default: 'exact' },
  ...POOL_OPTIONS,
  // No default: absent, the replay runs on the certificate's backend.
  backend: { type: 'string' },
  json: { type: 'boolean', default: false },
  shard: { type: 'string' },
  'shard-dir': { type: 'string', default: 'runs' },
  'merge-shards': { type: 'boolean', default: false },
} as const;

/** Where slice `shard` of the sharded audit of `certificatePath` is written (and where --merge-shards looks). */
function auditShardPath(dir: string, certificatePath: string, shard: Shard): string {
  return join(dir, `${basename(certificatePath, '.json')}.audit-shard-${shard.index}-of-${shard.count}.json`);
}

/** Every slice of the sharded audit of `certificatePath` found in `dir`. */
function readAuditShards(dir: string, certificatePath: string): AuditShardFile[] {
  const prefix = `${basename(certificatePath, '.json')}.audit-shard-`;
  const files = (existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir) : []).filter(
    (f) => f.startsWith(prefix) && /^\d+-of-\d+\.json$/.test(f.slice(prefix.length)),
  );
  if (!files.length)
    throw new UsageError(
      '--shard-dir',
      dir,
      `a folder holding the audit shards of ${certificatePath} (run tdlv audit ${certificatePath} --replay all ` +
        '--shard i/N for i = 1..N first)',
    );
  return files.map((f) => {
    const path = join(dir, f);
    const parsed = fromJson(readTextFile(path, '--shard-dir', 'a readable audit shard')) as Partial<AuditShardFile>;
    if (parsed?.kind !== 'tdlv-audit-shard' || !Array.isArray(parsed.replayed) || !parsed.shard)
      throw new UsageError('--shard-dir', path, 'an audit shard written by tdlv audit --shard');
    return parsed as AuditShardFile;
  });
}

/** Print an audit's checks and replays (or its JSON) and return its exit code. */
function printAudit(
  result: AuditResult,
  certificate: Certificate,
  path: string,
  json: boolean,
  io: { out: (text: string) => void },
  slice?: Shard,
): number {
  if (json) {
    io.out(JSON.stringify({ certificate: path, theorem: certificate.theorem, ...result }));
    return result.ok ? 0 : 1;
  }
  for (const c of result.checks)
    io.out(`${c.ok ? 'ok     ' : c.severity === 'error' ? 'FAILED ' : 'warning'} ${c.name}: ${c.detail}`);
  for (const r of result.replayed)
    io.out(
      `replayed ${r.arm}/${r.width}/${r.seed}: ${r.match ? 'reproduces' : 'DIFFERS'} ` +
        `(worst relative error ${r.worstRelativeError.toExponential(2)})`,
    );
  const covered = new Set(result.replayed.map((r) => `${r.arm}/${r.width}`));
  const missing = strataOf(certificate).filter((s) => !covered.has(s));
  if (result.replayed.length)
    io.out(
      `replay covered ${covered.size} of ${covered.size + missing.length} (arm, width) strata` +
        (missing.length
          ? ` (not: ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ', ...' : ''}; ` +
            (slice
              ? 'the other slices of this sharded audit replay them)'
              : 'a larger --replay-budget or --replay all reaches them)')
          : ': a forgery of every cell of an arm or a width is caught'),
    );
  if (result.replaySeed !== undefined)
    io.out(`replay seed ${result.replaySeed} (repeat this audit with --replay-seed ${result.replaySeed})`);
  const e = result.escapeProbability;
  if (e.anyForgery !== undefined)
    io.out(
      `any forgery (of any number of cells, so any that flips a verdict) escapes a draw made this way with ` +
        `probability at most ${e.anyForgery.toFixed(4)}` +
        (e.leastCovered && e.anyForgery > 0
          ? result.replaySeed !== undefined
            ? `: its least-covered cell, ${e.leastCovered.cell}, is drawn in ` +
              `${(100 * e.leastCovered.inclusion).toFixed(1)}% of ${DRAW_SIMULATIONS} simulated draws`
            : `: cell ${e.leastCovered.cell} is not replayed` +
              (slice ? ' (by this slice; the merge of all slices replays every cell)' : '')
          : ''),
    );
  io.out(
    `for comparison, a uniform draw of ${result.replayed.length} cells misses a forgery of 1 cell with probability ` +
      `${e.oneCell.toFixed(4)}, of 10 cells ${e.tenCells.toFixed(4)}`,
  );
  io.out(result.ok ? `audit passed: ${path}` : `audit FAILED: ${path} (${result.problems.length} problem(s))`);
  return result.ok ? 0 : 1;
}

function parseCells(text: string): Cell[] {
  return text.split(',').map((part) => {
    const m = /^([A-Za-z0-9_.-]+)\/(\d+)\/(\d+)$/.exec(part.trim());
    if (!m) throw new UsageError('--cells', part, 'comma-separated ARM/WIDTH/SEED, e.g. tanh/512/0,relu/1024/3');
    return { arm: m[1]!, width: Number(m[2]), seed: Number(m[3]) };
  });
}

/** The expected compute a default audit replays (by the theorem's cost model), seconds. */

function parseBudget(text: string): number {
  const t = text.trim();
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(t) || !(Number(t) > 0))
    throw new UsageError('--replay-budget', text, 'a positive number of seconds of recorded cell compute');
  return Number(t);
}

/**
 * The code an audit replays with is never the code a certificate names: a built-in theorem's from tdlv's own registry,
 * a user's module only from --theorem, and only when its sources hash to what the certificate recorded (checked
 * before the module is imported, so a forged module never runs).
 */
async function trustedCheck(
  certificate: Certificate,
  theorem: string | undefined,
): Promise<{ check: TheoremCheck } | { refused: string }> {
  if (statements.some((s) => s.id === certificate.theorem)) {
    if (theorem !== undefined && isTheoremPath(theorem))
      throw new UsageError(
        '--theorem',
        theorem,
        `no module: ${certificate.theorem} is built in, and is audited against tdlv's own registry`,
      );
    return { check: findTheorem(certificate.theorem, 'certificate theorem') };
  }
  if (theorem === undefined || !isTheoremPath(theorem))
    throw new UsageError(
      '--theorem',
      theorem,
      `the path of the module of ${certificate.theorem}: an audit never loads the code a certificate names` +
        (certificate.module ? ` (this one records ${certificate.module})` : ''),
    );
  const url = pathToFileURL(resolve(theorem)).href;
  if (!existsSync(resolve(theorem))) return { check: await loadTheoremModule(theorem, '--theorem') };
  if (!certificate.sources)
    return { refused: 'the certificate records no hash of its module: it cannot be audited against a module' };
  const changed = changedSources(certificate.sources, sourceHashes(url));
  if (changed.length)
    return {
      refused:
        `${changed.join(', ')} changed since the certificate was made (its source no longer matches the recorded ` +
        'hash); the module was not loaded',
    };
  const check = await loadTheoremModule(theorem, '--theorem');
  if (check.statement.id !== certificate.theorem)
    throw new UsageError(
      '--theorem',
      theorem,
      `the module of ${certificate.theorem} (this one defines ${check.statement.id})`,
    );
  return { check };
}

export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'recompute and replay a certificate; fails if it does not reproduce',
  usage,
  options,
  async run({ values, positionals }, io) {
    if (!positionals[0])
      throw new UsageError('certificate', undefined, 'a path to a certificate, e.g. proofs-numeric/ntk-constancy.json');
    if (positionals.length > 1) throw new UsageError('audit', positionals[1], 'one certificate path');
    const certificate = readCertificate(positionals[0]);
    const trusted = await trustedCheck(certificate, values.theorem);
    if ('refused' in trusted) {
      if (values.json)
        io.out(
          JSON.stringify({
            certificate: positionals[0],
            theorem: certificate.theorem,
            ok: false,
            problems: [trusted.refused],
          }),
        );
      else io.out(`FAILED provenance: ${trusted.refused}\naudit FAILED: ${positionals[0]} (1 problem(s))`);
      return 1;
    }
    const check = trusted.check;
    if (values['merge-shards']) {
      for (const flag of ['replay', 'replay-seed', 'replay-budget', 'cells', 'shard', 'workers', 'backend'] as const)
        if (values[flag] !== undefined)
          throw new UsageError(`--${flag}`, values[flag], 'no replay option with --merge-shards (it reads the shards)');
      const shards = readAuditShards(values['shard-dir']!, positionals[0]);
      let merged: AuditResult;
      try {
        merged = mergeAuditShards(check, certificate, shards);
      } catch (error) {
        throw new UsageError(
          '--shard-dir',
          values['shard-dir'],
          `every slice of one sharded audit of ${positionals[0]} (${(error as Error).message})`,
        );
      }
      return printAudit(merged, certificate, positionals[0], values.json, io);
    }
    let selection: ReplaySelection;
    const cost = replayCost(check, certificate);
    // A flag that draws cells means nothing beside one that names them: refuse it rather than ignore it.
    const named = values.cells !== undefined ? '--cells' : values.replay === 'all' ? '--replay all' : null;
    const drawing =
      values.cells !== undefined
        ? (['replay', 'replay-seed', 'replay-budget', 'shard'] as const)
        : (['replay-seed', 'replay-budget'] as const);
    for (const flag of named ? drawing : [])
      if (values[flag] !== undefined)
        throw new UsageError(`--${flag}`, values[flag], `no --${flag} with ${named} (it replays the cells it names)`);
    if (values.cells !== undefined) {
      selection = { kind: 'cells', cells: parseCells(values.cells) };
      try {
        chooseReplayCells(certificate, selection, cost);
      } catch (error) {
        throw new UsageError('--cells', values.cells, `cells of the certificate (${(error as Error).message})`);
      }
    } else if (values.shard !== undefined) {
      if (values.replay !== 'all')
        throw new UsageError(
          '--shard',
          values.shard,
          'to be used with --replay all (each slice replays all its cells)',
        );
      selection = { kind: 'shard', shard: parseShard(values.shard) };
      requireWritableDirectory(values['shard-dir']!, '--shard-dir');
    } else if (values.replay === 'all') selection = { kind: 'all' };
    else {
      // Default: one cell of every (arm, width) stratum that fits DEFAULT_BUDGET_SECONDS of expected compute, so a
      // forgery of a whole arm or width is caught by every default audit; with a budget and no count, as many
      // cells as the budget holds.
      const defaulted = values.replay === undefined && values['replay-budget'] === undefined;
      const budget = defaulted
        ? DEFAULT_BUDGET_SECONDS
        : values['replay-budget'] === undefined
          ? undefined
          : parseBudget(values['replay-budget']);
      const count =
        values.replay === undefined
          ? defaulted
            ? strataOf(certificate).length
            : certificate.cells.length
          : values.replay === '0'
            ? 0
            : requirePositiveInteger('--replay', values.replay, 1_000_000);
      const seed =
        values['replay-seed'] === undefined
          ? randomInt(2 ** 31)
          : requireNonNegativeInteger('--replay-seed', values['replay-seed'], 2 ** 31 - 1);
      selection = { kind: 'random', count, seed, ...(budget !== undefined ? { budgetSeconds: budget } : {}) };
    }
    const tolerance = values.tolerance;
    if (tolerance !== 'exact' && tolerance !== 'roundoff')
      throw new UsageError('--tolerance', tolerance, 'exact or roundoff');
    const planned = chooseReplayCells(certificate, selection, cost).length;
    if (selection.kind === 'random' && selection.budgetSeconds !== undefined && planned === 0 && selection.count > 0) {
      const cheapest = Math.min(...certificate.cells.map(cost));
      throw new UsageError(
        '--replay-budget',
        values['replay-budget'],
        `at least the expected cost of the cheapest cell (about ${cheapest.toPrecision(2)} s by the theorem's ` +
          'cost model)',
      );
    }
    // Replay on the backend the certificate was made on, unless the auditor names one.
    const certificateBackend = BACKEND_CHOICES.find((b) => b === certificate.backend);
    const { workers, backend } = poolSettings(
      { ...values, backend: values.backend ?? certificateBackend ?? 'auto' },
      Math.min(defaultWorkerCount(), Math.max(1, planned)),
    );
    const backendName = await initBackend(backend);
    const pool = new WorkerPool({ size: workers, backend });
    try {
      const result = await auditCertificate(check, certificate, { pool, selection, backend: backendName, tolerance });
      if (selection.kind === 'shard') {
        const file: AuditShardFile = {
          kind: 'tdlv-audit-shard',
          theorem: certificate.theorem,
          certificateDigest: certificateDigest(certificate),
          shard: selection.shard,
          tolerance,
          backend: backendName,
          engine: ENGINE_VERSION,
          replayed: result.replayed,
        };
        const path = auditShardPath(values['shard-dir']!, positionals[0], selection.shard);
        writeFileAtomic(path, toJson(file), '--shard-dir');
        io.err(`tdlv: slice ${selection.shard.index}/${selection.shard.count} written to ${path}`);
      }
      return printAudit(
        result,
        certificate,
        positionals[0],
        values.json,
        io,
        selection.kind === 'shard' ? selection.shard : undefined,
      );
    } finally {
      await pool.close();
    }
  },
});
