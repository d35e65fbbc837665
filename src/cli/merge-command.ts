/** `tdlv merge`: the certificate of a sharded sweep, assembled from every shard's checkpoint. */
import { existsSync, readdirSync } from 'node:fs';
import { readTextFile } from './read-file.ts';
import { join } from 'node:path';
import { initBackend } from '../engine/runtime/backend.ts';
import { requireOneOf, UsageError } from '../errors.ts';
import { canonicalJson, toolInfo } from '../verify/certificate.ts';
import { cellKey, FIDELITIES, planCells, type CellResult } from '../verify/experiment.ts';
import { assignShards, shardCheckpointName, shardOfCheckpointName } from '../verify/shard.ts';
import { checkpointHeader, parseCheckpoint } from '../verify/sweep.ts';
import { defineCommand, POOL_OPTIONS, poolSettings } from './args.ts';
import { certify } from './certify.ts';
import { requireWritableDirectory } from './read-file.ts';
import { modulePath } from './theorem-path.ts';
import { resolveTheorem } from './theorem-source.ts';

const usage =
  `tdlv merge <theorem | path/to/theorem.ts> [--fidelity smoke|quick|full] [--checkpoints ` +
  `runs] [--out proofs-numeric] [--json]

Assembles the certificate of a sharded sweep from every shard's checkpoint
(<checkpoints>/<theorem>.<fidelity>.shard-i-of-N.jsonl, written by tdlv verify --shard i/N), evaluates it and writes
it where an unsharded run would. Refuses, naming the problem, when a shard file is missing, was made by another plan
or cell version, has a damaged line, lacks one of its cells, or when two shards disagree on a cell.`;

const options = {
  fidelity: { type: 'string', default: 'quick' },
  checkpoints: { type: 'string', default: 'runs' },
  out: { type: 'string', default: 'proofs-numeric' },
  backend: POOL_OPTIONS.backend,
  json: { type: 'boolean', default: false },
} as const;

/** What decides a cell's verdicts: two shards agree on a cell when these are equal. */
const outcome = (c: CellResult) => canonicalJson({ status: c.status, why: c.why ?? null, observation: c.observation });

export const mergeCommand = defineCommand({
  name: 'merge',
  summary: 'assemble a certificate from the checkpoints of a sharded sweep (verify --shard i/N)',
  usage,
  options,
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError('merge', positionals[1], 'one theorem id or module path');
    const check = await resolveTheorem(positionals[0]);
    const module = modulePath(positionals[0]);
    const fidelity = requireOneOf('--fidelity', values.fidelity, FIDELITIES);
    const dir = values.checkpoints!;
    requireWritableDirectory(values.out!, '--out');
    const id = check.statement.id;
    const found = (existsSync(dir) ? readdirSync(dir) : []).flatMap((file) => {
      const shard = shardOfCheckpointName(file, id, fidelity);
      return shard ? [{ file, ...shard }] : [];
    });
    if (!found.length)
      throw new UsageError(
        '--checkpoints',
        dir,
        `a folder holding shard checkpoints of ${id} at ${fidelity} (run tdlv verify ` +
          `${module ?? id} --fidelity ${fidelity} --shard i/N first)`,
      );
    const counts = [...new Set(found.map((f) => f.count))];
    if (counts.length > 1)
      throw new UsageError(
        '--checkpoints',
        dir,
        `shards of one split (found splits into ${counts.join(' and ')}; remove the stale files)`,
      );
    const count = counts[0]!;
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !found.some((f) => f.index === i));
    if (missing.length)
      throw new UsageError(
        '--checkpoints',
        dir,
        `every shard of ${count} (missing ` +
          `${missing.map((i) => shardCheckpointName(id, fidelity, { index: i, count })).join(', ')})`,
      );
    const plan = check.plan(fidelity);
    const header = checkpointHeader(check, plan);
    const merged = new Map<string, { cell: CellResult; shard: number }>();
    for (const f of found.sort((a, b) => a.index - b.index)) {
      const path = join(dir, f.file);
      const read = parseCheckpoint(readTextFile(path, '--checkpoints', 'a shard checkpoint file'), header);
      if (read.otherCode)
        throw new UsageError(
          '--checkpoints',
          path,
          `a shard checkpoint computed by the current code (${read.otherCode.join(', ') || 'the code'} ` +
            `changed since; ` +
            'run that shard again with --fresh)',
        );
      if (!read.headerMatches)
        throw new UsageError(
          '--checkpoints',
          path,
          `a shard checkpoint of this plan and cell version ${check.cellVersion} (it was made ` +
            `by another; run that shard again)`,
        );
      if (read.rejected.length)
        throw new UsageError(
          '--checkpoints',
          path,
          `a shard checkpoint without damaged lines (line ${read.rejected[0]!.line}: ` +
            `${read.rejected[0]!.why}; run verify --shard ${f.index}/${count} again to repair it)`,
        );
      for (const [key, cell] of read.done) {
        const other = merged.get(key);
        if (other && outcome(other.cell) !== outcome(cell))
          throw new UsageError(
            '--checkpoints',
            dir,
            `shards that agree (shards ${other.shard} and ${f.index} disagree on cell ${key.replaceAll('|', '/')})`,
          );
        if (!other) merged.set(key, { cell, shard: f.index });
      }
    }
    const assignment = assignShards(check, plan, count);
    const absent = planCells(plan).filter((c) => !merged.has(cellKey(c)));
    if (absent.length) {
      const first = absent[0]!;
      throw new UsageError(
        '--checkpoints',
        dir,
        `every cell of the plan (${absent.length} missing, first ` +
          `${first.arm}/${first.width}/${first.seed}: run verify --shard ` +
          `${assignment.get(cellKey(first))}/${count} to finish it)`,
      );
    }
    const start = performance.now();
    const backend = await initBackend(poolSettings({ backend: values.backend }).backend);
    const cells = planCells(plan).map((c) => merged.get(cellKey(c))!.cell);
    certify(
      {
        check,
        plan,
        fidelity,
        cells,
        tool: toolInfo(),
        backend,
        workers: count,
        wallSeconds: (performance.now() - start) / 1000,
        outDir: values.out!,
        module,
        shards: count,
        sources: header.sources,
        json: values.json!,
      },
      io,
    );
    return 0;
  },
});
