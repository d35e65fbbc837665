/** The last step of `verify` and `merge`: evaluate the cells, write the certificate, print the verdicts. */
import { sourcesDirty, type SourceHashes } from '../verify/provenance.ts';
import { verdictTable } from '../report/terminal.ts';
import { certificatePath, statementHash, writeCertificate, type Certificate } from '../verify/certificate.ts';
import { evaluate } from '../verify/evaluate.ts';
import { evaluateSequential, type SequentialDesign } from '../verify/sequential.ts';
import type { CellResult, Fidelity, SweepPlan, TheoremCheck } from '../verify/experiment.ts';
import type { CommandIo as Io } from './args.ts';
import { summaryJson } from './summary-json.ts';
import { kernelsLine, type KernelFamily } from '../engine/runtime/native-kernels.ts';

/** From finished cells to a written certificate and its printout: the last step of `verify` and of `merge`. */
export interface CertifyInput {
  check: TheoremCheck;
  plan: SweepPlan;
  fidelity: Fidelity;
  cells: CellResult[];
  tool: Certificate['tool'];
  backend: string;
  /** The wasm backend's weight kernels that ran, and why not the native ones (src/engine/runtime/native-kernels.ts). */
  kernels?: KernelFamily;
  workers: number;
  wallSeconds: number;
  outDir: string;
  /** The module path of a user's theorem. */
  module?: string;
  reused?: Certificate['reused'];
  /** How many shard checkpoints were merged. */
  shards?: number;
  json: boolean;
  /** The module hashes of the code that ran, read at the start of the run. */
  sources: SourceHashes;
  /** The group-sequential design and its looks (`verify --until-decisive`). */
  sequential?: SequentialDesign;
}

export function certify(input: CertifyInput, io: Io): Certificate {
  const { check, plan, fidelity, cells } = input;
  const evaluation = input.sequential
    ? evaluateSequential(check, cells, plan, input.sequential)
    : evaluate(check, cells, plan);
  const outPath = certificatePath(input.outDir, check.statement.id, fidelity);
  const sources = input.sources;
  // A module outside version control (or edited) is identified by its hash alone: the certificate says so.
  const tool = { ...input.tool, dirty: input.tool.dirty || sourcesDirty(check.cellModule, sources) };
  const certificate: Certificate = {
    schema: 'tdlv-certificate/1',
    theorem: check.statement.id,
    statementHash: statementHash(check.statement),
    tool,
    node: process.version,
    backend: input.backend,
    ...(input.kernels ? { kernels: input.kernels.kernels } : {}),
    workers: input.workers,
    fidelity,
    plan,
    cells,
    evaluation,
    wallSeconds: input.wallSeconds,
    cellSeconds: cells.reduce((sum, c) => sum + c.seconds, 0),
    createdAt: new Date().toISOString(),
    command:
      `npx tdlv verify ${input.module ?? check.statement.id} --fidelity ${fidelity}` +
      (plan.firstSeed ? ` --first-seed ${plan.firstSeed}` : '') +
      (input.sequential
        ? ` --until-decisive --looks ${input.sequential.maxLooks} --spending ${input.sequential.spending}`
        : ''),
    cellVersion: check.cellVersion,
    sources,
    ...(input.module ? { module: input.module } : {}),
    ...(input.reused ? { reused: input.reused } : {}),
    ...(input.shards ? { shards: input.shards } : {}),
    ...(input.sequential ? { sequential: input.sequential } : {}),
  };
  writeCertificate(outPath, certificate);
  if (input.json) io.out(JSON.stringify(summaryJson(check.statement, certificate, outPath)));
  else {
    io.out(verdictTable(check.statement, evaluation));
    const where = input.shards
      ? `merged from ${input.shards} shard(s)`
      : `${certificate.wallSeconds.toFixed(1)} s wall on ${input.workers} worker(s)`;
    io.out(
      `\ncertificate: ${outPath} (${cells.length} cells, ` +
        `${certificate.cellSeconds.toFixed(1)} s of cell compute, ${where}, ${input.backend}` +
        `${input.kernels ? `, ${kernelsLine(input.kernels)}` : ''})`,
    );
  }
  return certificate;
}
