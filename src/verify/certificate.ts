/** Certificates: their shape, canonical JSON and hashes, tool provenance, atomic writing and validated reading. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readTextFile } from '../cli/read-file.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { TheoremStatement } from './claims.ts';
import { encodeNonFinite, fromJson, toJson, writeFileAtomic } from '../io/json.ts';
import type { SourceHashes } from './provenance.ts';
import type { Evaluation } from './evaluate.ts';
import type { SequentialDesign } from './sequential.ts';
import { SPENDING_FUNCTIONS } from '../stats/group-sequential.ts';
import { parseStoredCell, type CellResult, type Fidelity, type SweepPlan } from './experiment.ts';

export const CERTIFICATE_SCHEMA = 'tdlv-certificate/1';

export interface Certificate {
  schema: typeof CERTIFICATE_SCHEMA;
  theorem: string;
  statementHash: string;
  tool: { name: string; version: string; commit: string; dirty: boolean };
  node: string;
  backend: string;
  /**
   * The weight kernels of the wasm backend that ran the cells: 'native-avx2' or 'wasm-simd' (the same bits; absent on
   * other backends, in merged certificates and in certificates written before issue 29).
   */
  kernels?: 'native-avx2' | 'wasm-simd';
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
  /**
   * SHA-256 of the theorem module and of each module it imports by a relative path (src/verify/provenance.ts), as
   * they were when the run started; absent in certificates written before they were recorded.
   */
  sources?: SourceHashes;
  /** For a user's theorem: the module path it was verified from (as given on the command line). */
  module?: string;
  /** Assembled by `tdlv merge` from this many shard checkpoints (`verify --shard i/N`). */
  shards?: number;
  /** Cells taken from an earlier certificate (`verify --reuse`) instead of being run again. */
  reused?: { from: string; createdAt: string; commit: string; cells: number; recomputedArms?: string[] };
  /** A group-sequential run (`verify --until-decisive`): its design and every look it took. */
  sequential?: SequentialDesign;
}

const ROOT = PACKAGE_ROOT;

/** JSON with object keys sorted, so that equal data hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : encodeNonFinite(key, v),
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
    commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    // Code only: the outputs (certificates, reports, generated docs) being rewritten does not make the code dirty.
    const outputs = [':!proofs-numeric', ':!reports', ':!docs', ':!README.md'];
    dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ...outputs], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() !== '';
  } catch {
    // Not a git checkout (an npm install): the version identifies the code.
  }
  return { name: pkg.name, version: pkg.version, commit, dirty };
}

/** Written atomically, non-finite numbers kept (src/io/json.ts): an interrupt or a full disk leaves the old file. */
export function writeCertificate(path: string, certificate: Certificate): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, toJson(certificate, 1) + '\n', '--out');
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The fields of a certificate that are missing or of the wrong type (a schema check before anything trusts them). */
export function certificateSchemaErrors(data: Record<string, unknown>): string[] {
  const wrong: string[] = [];
  if (data.schema !== CERTIFICATE_SCHEMA) wrong.push('schema');
  for (const k of ['theorem', 'statementHash', 'backend', 'createdAt', 'command'] as const)
    if (typeof data[k] !== 'string') wrong.push(k);
  if (!['smoke', 'quick', 'full'].includes(data.fidelity as string)) wrong.push('fidelity');
  if (typeof data.workers !== 'number' || !Number.isInteger(data.workers)) wrong.push('workers');
  if (data.kernels !== undefined && data.kernels !== 'native-avx2' && data.kernels !== 'wasm-simd')
    wrong.push('kernels');
  if (!isObject(data.tool) || typeof data.tool.commit !== 'string' || typeof data.tool.version !== 'string')
    wrong.push('tool');
  const plan = data.plan;
  if (
    !isObject(plan) ||
    !Array.isArray(plan.arms) ||
    !Array.isArray(plan.widths) ||
    typeof plan.seeds !== 'number' ||
    !isObject(plan.settings)
  )
    wrong.push('plan');
  if (!Array.isArray(data.cells)) wrong.push('cells');
  else {
    // The same schema as every cell a sweep accepts (src/verify/experiment.ts).
    const bad = data.cells.findIndex((c: unknown) => parseStoredCell(c).problem !== undefined);
    if (bad >= 0) wrong.push(`cells[${bad}] (${parseStoredCell(data.cells[bad]).problem})`);
  }
  const q = data.sequential;
  if (
    q !== undefined &&
    !(
      isObject(q) &&
      (SPENDING_FUNCTIONS as readonly unknown[]).includes(q.spending) &&
      typeof q.alpha === 'number' &&
      Number.isInteger(q.maxLooks) &&
      isObject(q.batch) &&
      Array.isArray(q.nominal) &&
      Array.isArray(q.looks) &&
      q.looks.every((l: unknown) => isObject(l) && isObject(l.seeds) && Array.isArray(l.open))
    )
  )
    wrong.push('sequential');
  const e = data.evaluation;
  if (!isObject(e) || !Array.isArray(e.verdicts) || !Array.isArray(e.ablations)) wrong.push('evaluation');
  return wrong;
}

/** Certificates nest a dozen levels; a deeper file is not one (and would overflow recursive readers). */
const MAX_DEPTH = 64;

/** The deepest nesting of arrays and objects in JSON text (strings skipped), without parsing it. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** Read and structurally validate a certificate; a corrupted file is a usage error naming the path. */
export function readCertificate(path: string, argument = 'certificate'): Certificate {
  const text = readTextFile(path, argument, 'a readable certificate file (e.g. proofs-numeric/ntk-constancy.json)');
  const depth = nestingDepth(text);
  if (depth > MAX_DEPTH)
    throw new UsageError(argument, path, `a certificate nested at most ${MAX_DEPTH} deep (this one: ${depth})`);
  let data: Partial<Certificate>;
  try {
    data = fromJson(text) as Partial<Certificate>;
  } catch {
    throw new UsageError(argument, path, 'a certificate in JSON (the file does not parse: corrupted or truncated)');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new UsageError(
      argument,
      path,
      `a ${CERTIFICATE_SCHEMA} certificate (a JSON object, not ${Array.isArray(data) ? 'an array' : typeof data})`,
    );
  const wrong = certificateSchemaErrors(data);
  if (wrong.length)
    throw new UsageError(argument, path, `a ${CERTIFICATE_SCHEMA} certificate (missing or wrong: ${wrong.join(', ')})`);
  return data as Certificate;
}

/** Where a fidelity's certificate lives: the full run is the committed proof. */
export function certificatePath(dir: string, theorem: string, fidelity: Fidelity): string {
  return join(dir, fidelity === 'full' ? `${theorem}.json` : `${theorem}.${fidelity}.json`);
}
