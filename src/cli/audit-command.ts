/** `tdlv audit`: reads a certificate, chooses the cells to replay, runs the audit and prints its checks. */
import { randomInt } from 'node:crypto';
import { initBackend } from '../engine/runtime/backend.ts';
import { WorkerPool, defaultWorkerCount } from '../engine/runtime/pool.ts';
import { requireNonNegativeInteger, requirePositiveInteger, UsageError } from '../errors.ts';
import { auditCertificate, chooseReplayCells, type ReplaySelection } from '../verify/audit.ts';
import { readCertificate } from '../verify/certificate.ts';
import type { Cell } from '../verify/experiment.ts';
import { defineCommand, POOL_OPTIONS, poolSettings } from './args.ts';
import { resolveTheorem } from './theorem-source.ts';

const usage = `tdlv audit <certificate.json> [--replay N|all] [--replay-seed S] [--replay-budget SECONDS]
           [--cells ARM/WIDTH/SEED,...] [--theorem PATH] [--workers N] [--backend auto|wasm|node|cpu] [--json]

Checks that the certificate was made from the current statement, that its plan is the module's plan for its
fidelity and holds exactly that plan's cells, that every cell was computed by the module's cell-code version,
and that its fits and verdicts follow from its raw observations; then replays cells from their random streams.
Replayed cells are drawn from all cells with a fresh random seed on every run (printed; --replay-seed S repeats
an audit); --replay-budget caps the recorded compute seconds of the drawn cells; --cells names exact cells;
--replay all replays every cell. Prints the probability that a forged cell escapes the replay.
A certificate of your own theorem is audited against its module: --theorem PATH, or the module path it records.
Exit code 0 if the certificate reproduces, 1 if it does not, 2 for a usage error or a corrupted file.`;

const options = {
  replay: { type: 'string' },
  'replay-seed': { type: 'string' },
  'replay-budget': { type: 'string' },
  cells: { type: 'string' },
  theorem: { type: 'string' },
  ...POOL_OPTIONS,
  json: { type: 'boolean', default: false },
} as const;

function parseCells(text: string): Cell[] {
  return text.split(',').map((part) => {
    const m = /^([A-Za-z0-9_.-]+)\/(\d+)\/(\d+)$/.exec(part.trim());
    if (!m) throw new UsageError('--cells', part, 'comma-separated ARM/WIDTH/SEED, e.g. tanh/512/0,relu/1024/3');
    return { arm: m[1]!, width: Number(m[2]), seed: Number(m[3]) };
  });
}

function parseBudget(text: string): number {
  const t = text.trim();
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(t) || !(Number(t) > 0))
    throw new UsageError('--replay-budget', text, 'a positive number of seconds of recorded cell compute');
  return Number(t);
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
    const source = values.theorem ?? certificate.module;
    const check =
      source !== undefined
        ? await resolveTheorem(source, '--theorem')
        : await resolveTheorem(certificate.theorem, 'certificate theorem');
    if (check.statement.id !== certificate.theorem)
      throw new UsageError(
        '--theorem',
        source,
        `the module of ${certificate.theorem} (this one defines ${check.statement.id})`,
      );
    let selection: ReplaySelection;
    if (values.cells !== undefined) {
      selection = { kind: 'cells', cells: parseCells(values.cells) };
      try {
        chooseReplayCells(certificate, selection);
      } catch (error) {
        throw new UsageError('--cells', values.cells, `cells of the certificate (${(error as Error).message})`);
      }
    } else if (values.replay === 'all') selection = { kind: 'all' };
    else {
      const budget = values['replay-budget'] === undefined ? undefined : parseBudget(values['replay-budget']);
      // Default: 3 cells; with a budget and no count, as many as the budget holds.
      const count =
        values.replay === undefined
          ? budget === undefined
            ? 3
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
    const planned = chooseReplayCells(certificate, selection).length;
    const { workers, backend } = poolSettings(values, Math.min(defaultWorkerCount(), Math.max(1, planned)));
    const backendName = await initBackend(backend);
    const pool = new WorkerPool({ size: workers, backend });
    try {
      const result = await auditCertificate(check, certificate, { pool, selection, backend: backendName });
      if (values.json) io.out(JSON.stringify({ certificate: positionals[0], theorem: certificate.theorem, ...result }));
      else {
        for (const c of result.checks)
          io.out(`${c.ok ? 'ok     ' : c.severity === 'error' ? 'FAILED ' : 'warning'} ${c.name}: ${c.detail}`);
        for (const r of result.replayed)
          io.out(
            `replayed ${r.arm}/${r.width}/${r.seed}: ${r.match ? 'reproduces' : 'DIFFERS'} ` +
              `(worst relative error ${r.worstRelativeError.toExponential(2)})`,
          );
        if (result.replaySeed !== undefined)
          io.out(`replay seed ${result.replaySeed} (repeat this audit with --replay-seed ${result.replaySeed})`);
        io.out(
          `a forgery of 1 cell escapes this replay with probability ` +
            `${result.escapeProbability.oneCell.toFixed(4)}, of 10 cells ` +
            `${result.escapeProbability.tenCells.toFixed(4)}`,
        );
        io.out(
          result.ok
            ? `audit passed: ${positionals[0]}`
            : `audit FAILED: ${positionals[0]} (${result.problems.length} problem(s))`,
        );
      }
      return result.ok ? 0 : 1;
    } finally {
      await pool.close();
    }
  },
});
