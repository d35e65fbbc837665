import type { WorkerPool } from '../engine/pool.ts';
import { RandomStream } from '../engine/rng.ts';
import { canonicalJson, statementHash, type Certificate } from './certificate.ts';
import { evaluate } from './evaluate.ts';
import { cellKey, planCells, type CellResult, type CellTaskArgs, type TheoremCheck } from './experiment.ts';

/**
 * `tdlv audit`: a certificate passes when (1) it was made from the statement as it stands,
 * (2) it holds exactly the cells of its plan, (3) its fits and verdicts are what the evaluator
 * computes again from its raw observations, and (4) a sample of its cells, run again from their
 * addressed random streams, reproduce their observations.
 */
export interface AuditResult {
  ok: boolean;
  problems: string[];
  replayed: { cell: string; ok: boolean; worstRelativeError: number }[];
}

function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (typeof a !== typeof b) return path || '(root)';
  if (a && b && typeof a === 'object') {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)) ? null : path;
  return a === b ? null : path;
}

function worstRelativeError(a: CellResult['observation'], b: CellResult['observation']): number {
  let worst = 0;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key];
    const y = b[key];
    if (x === undefined || y === undefined) return Infinity;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-300));
  }
  return worst;
}

/** Cells to replay: `count` of them drawn from a stream addressed by the certificate, among the cheaper half by recorded run time. */
export function chooseReplayCells(certificate: Certificate, count: number): CellResult[] {
  const ok = certificate.cells.filter((c) => c.status === 'ok').sort((a, b) => a.seconds - b.seconds);
  const pool = ok.slice(0, Math.max(1, Math.ceil(ok.length / 2)));
  const rng = new RandomStream({ audit: certificate.theorem, createdAt: certificate.createdAt }, 'replay');
  const chosen: CellResult[] = [];
  while (chosen.length < count && pool.length) chosen.push(pool.splice(Math.floor(rng.uniform() * pool.length), 1)[0]!);
  return chosen;
}

export async function auditCertificate(
  check: TheoremCheck,
  certificate: Certificate,
  options: { pool: WorkerPool; replay: number; backend: string },
): Promise<AuditResult> {
  const problems: string[] = [];
  const hash = statementHash(check.statement);
  if (certificate.statementHash !== hash) problems.push(`statement hash ${certificate.statementHash.slice(0, 12)} is not that of the current statement (${hash.slice(0, 12)}): the theorem changed since this run`);
  const expected = planCells(certificate.plan).map(cellKey).sort();
  const present = certificate.cells.map(cellKey).sort();
  if (canonicalJson(expected) !== canonicalJson(present)) problems.push(`the cells do not match the plan (${present.length} present, ${expected.length} planned)`);
  const recomputed = JSON.parse(JSON.stringify(evaluate(check, certificate.cells, certificate.plan)));
  const diff = firstDifference(recomputed, certificate.evaluation);
  if (diff) problems.push(`fits and verdicts do not follow from the raw observations: first difference at evaluation${diff}`);
  const tolerance = options.backend === certificate.backend ? 1e-9 : 1e-3;
  const chosen = chooseReplayCells(certificate, options.replay);
  const results = await options.pool.map<CellResult>(
    chosen.map((cell) => ({ module: check.cellModule, fn: check.cellFunction, args: { cell: { arm: cell.arm, width: cell.width, seed: cell.seed }, plan: certificate.plan } satisfies CellTaskArgs })),
  );
  const replayed = results.map((r, i) => {
    const err = worstRelativeError(r.observation, chosen[i]!.observation);
    return { cell: cellKey(chosen[i]!), ok: err <= tolerance, worstRelativeError: err };
  });
  for (const r of replayed) if (!r.ok) problems.push(`cell ${r.cell} does not reproduce: relative error ${r.worstRelativeError.toExponential(2)} > ${tolerance}`);
  return { ok: problems.length === 0, problems, replayed };
}
