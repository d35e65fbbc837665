import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { TheoremStatement } from './claims.ts';
import type { Evaluation } from './evaluate.ts';
import type { CellResult, Fidelity, SweepPlan } from './experiment.ts';

export const CERTIFICATE_SCHEMA = 'tdlv-certificate/1';

export interface Certificate {
  schema: typeof CERTIFICATE_SCHEMA;
  theorem: string;
  statementHash: string;
  tool: { name: string; version: string; commit: string; dirty: boolean };
  node: string;
  backend: string;
  workers: number;
  fidelity: Fidelity;
  plan: SweepPlan;
  cells: CellResult[];
  evaluation: Evaluation;
  /** Wall time of the invocation that wrote the certificate (short when it resumed finished cells). */
  wallSeconds: number;
  /** Compute time summed over all cells, whichever invocation ran them. */
  cellSeconds: number;
  createdAt: string;
  /** The command that reproduces this certificate. */
  command: string;
  /** The cell function's version (checkpoints and reused cells must match it). */
  cellVersion?: string;
  /** Cells taken from an earlier certificate (`verify --reuse`) instead of being run again. */
  reused?: { from: string; createdAt: string; commit: string; cells: number; recomputedArms?: string[] };
}

const ROOT = join(import.meta.dirname, '..', '..');

/** JSON with object keys sorted, so that equal data hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

export function statementHash(statement: TheoremStatement): string {
  return createHash('sha256').update(canonicalJson(statement)).digest('hex');
}

export function toolInfo(): Certificate['tool'] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  let commit = 'unknown';
  let dirty = false;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // Code only: the outputs (certificates, reports, generated docs) being rewritten does not make the code dirty.
    const outputs = [':!proofs-numeric', ':!reports', ':!docs', ':!README.md'];
    dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ...outputs], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    // Not a git checkout (an npm install): the version identifies the code.
  }
  return { name: pkg.name, version: pkg.version, commit, dirty };
}

export function writeCertificate(path: string, certificate: Certificate): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(certificate, null, 1) + '\n');
}

/** Read and structurally validate a certificate; a corrupted file is a usage error naming the path. */
export function readCertificate(path: string, argument = 'certificate'): Certificate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(argument, path, 'a readable certificate file (e.g. proofs-numeric/ntk-constancy.json)');
  }
  let data: Partial<Certificate>;
  try {
    data = JSON.parse(text) as Partial<Certificate>;
  } catch {
    throw new UsageError(argument, path, 'a certificate in JSON (the file does not parse: corrupted or truncated)');
  }
  const missing = ['schema', 'theorem', 'statementHash', 'plan', 'cells', 'evaluation', 'fidelity'].filter((k) => !(k in (data ?? {})));
  if (missing.length || data.schema !== CERTIFICATE_SCHEMA || !Array.isArray(data.cells)) {
    throw new UsageError(argument, path, `a ${CERTIFICATE_SCHEMA} certificate (missing or wrong: ${missing.join(', ') || 'schema/cells'})`);
  }
  return data as Certificate;
}

/** Where a fidelity's certificate lives: the full run is the committed proof. */
export function certificatePath(dir: string, theorem: string, fidelity: Fidelity): string {
  return join(dir, fidelity === 'full' ? `${theorem}.json` : `${theorem}.${fidelity}.json`);
}
