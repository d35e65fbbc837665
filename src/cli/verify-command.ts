/** `tdlv verify`: run a theorem's sweep (resumable, shardable, reusing cells on request) and certify it. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../engine/runtime/backend.ts';
import { WorkerPool } from '../engine/runtime/pool.ts';
import {
  requireNonNegativeInteger,
  requireOneOf,
  requirePositiveInteger,
  requirePositiveNumber,
  UsageError,
} from '../errors.ts';
import { SPENDING_FUNCTIONS } from '../stats/group-sequential.ts';
import { progressBar } from '../report/progress.ts';
import { readCertificate, toolInfo, type Certificate } from '../verify/certificate.ts';
import { cellKey, FIDELITIES, planCells, type Cell, type CellResult, type SweepPlan } from '../verify/experiment.ts';
import { maximalPlan, nextLookSeeds, openClaims, planAtLook, startDesign } from '../verify/sequential.ts';
import { parseShard, shardCells, shardCheckpointName } from '../verify/shard.ts';
import { sourceHashes } from '../verify/provenance.ts';
import { cellCost, checkpointHeader, lockCheckpoint, runSweep, seedCheckpoint } from '../verify/sweep.ts';
import { defineCommand, POOL_OPTIONS, poolSettings } from './args.ts';
import { requireWritableDirectory } from './read-file.ts';
import { certify } from './certify.ts';
import { nativeKernels } from '../engine/runtime/native-kernels.ts';
import { modulePath } from './theorem-path.ts';
import { resolveTheorem } from './theorem-source.ts';

const usage =
  `tdlv verify <theorem | path/to/theorem.ts> [--fidelity smoke|quick|full] [--workers ` +
  `N] [--backend auto|wasm|node|cpu]
            [--out proofs-numeric] [--checkpoints runs] [--fresh] [--reuse CERTIFICATE [--recompute ARM,...]]
            [--shard i/N] [--cell-timeout SECONDS] [--first-seed F] [--json]
            [--until-decisive [--looks K] [--spending obrien-fleming|pocock] [--budget DURATION]]

Runs the theorem's Monte Carlo sweep on a pool of worker threads, writes every finished cell to
<checkpoints>/<theorem>.<fidelity>.jsonl (an interrupted run resumes from it; --fresh starts over),
then fits, judges each claim and writes the certificate (<out>/<theorem>.json for full fidelity,
<out>/<theorem>.<fidelity>.json otherwise). --json prints the verdicts as JSON on stdout.
--shard i/N runs only the i-th of N slices of the cells (balanced by expected cost), checkpointed in
<checkpoints>/<theorem>.<fidelity>.shard-i-of-N.jsonl, and writes no certificate: \`tdlv merge\` assembles it from
every shard (one Slurm array task or Kubernetes indexed pod per shard; see docs/guide.md, "Scale-out").
A path instead of an id runs your own theorem module (it exports check = defineTheorem({...}); docs/guide.md, ` +
  `"Your own theorem").
--reuse takes the cells of an earlier certificate of the same theorem and cell version that the plan still holds
(re-evaluating it under new rules, or growing its plan, without recomputing them); audit replays them like any other.
--cell-timeout ends a cell that has not returned after SECONDS (default: 50 times what its expected cost predicts from
the slowest finished cell, at least 10 minutes; 60 minutes before the first cell finishes) with one line naming it.
--recompute names arms whose cells are run again rather than reused (their code changed numerically).
--first-seed F runs seeds F, F+1, ... instead of 0, 1, ...: fresh seeds for a design chosen after seeing data.
--until-decisive runs a group-sequential design (docs/verdicts.md, "Until decisive"): after each look the arms of
theorem claims still undecided get another batch of the plan's seeds, up to K looks (default 3); each look's
verdict must clear the nominal level of an alpha-spending boundary (default obrien-fleming), so false support stays
at most 5% over all looks. --budget (e.g. 90m, 2h, 3600s) takes no look whose predicted wall time would exceed it.
Every look is recorded in the certificate (its "sequential" field) and recomputed by the audit. With --reuse of a
sequential certificate (and its --first-seed) the design is judged again under the current rules, running only the
cells a look it now takes needs.`;

const options = {
  fidelity: { type: 'string', default: 'quick' },
  ...POOL_OPTIONS,
  out: { type: 'string', default: 'proofs-numeric' },
  checkpoints: { type: 'string', default: 'runs' },
  fresh: { type: 'boolean', default: false },
  reuse: { type: 'string' },
  recompute: { type: 'string' },
  shard: { type: 'string' },
  'cell-timeout': { type: 'string' },
  'first-seed': { type: 'string' },
  'until-decisive': { type: 'boolean', default: false },
  looks: { type: 'string' },
  spending: { type: 'string' },
  budget: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** A duration such as 90m, 2h, 3600s or 3600 (seconds). */
export function parseDuration(argument: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/.exec(text);
  const seconds = m ? Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1) : NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new UsageError(argument, text, 'a positive duration such as 90m, 2h, 3600s or 3600 (seconds)');
  return seconds;
}

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'run a theorem check across widths and judge each claim',
  usage,
  options,
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError('verify', positionals[1], 'one theorem id or module path');
    const check = await resolveTheorem(positionals[0]);
    const module = modulePath(positionals[0]);
    const fidelity = requireOneOf('--fidelity', values.fidelity, FIDELITIES);
    const { workers, backend } = poolSettings(values);
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    // A shard writes checkpoints only; the certificate is merge's.
    if (!shard) requireWritableDirectory(values.out!, '--out');
    requireWritableDirectory(values.checkpoints!, '--checkpoints');
    const firstSeed =
      values['first-seed'] === undefined ? undefined : requireNonNegativeInteger('--first-seed', values['first-seed']);
    const plan = { ...check.plan(fidelity), ...(firstSeed ? { firstSeed } : {}) };
    const sequential = values['until-decisive']
      ? {
          maxLooks: values.looks === undefined ? 3 : requirePositiveInteger('--looks', values.looks, 10),
          spending:
            values.spending === undefined
              ? 'obrien-fleming'
              : requireOneOf('--spending', values.spending, SPENDING_FUNCTIONS),
          budget: values.budget === undefined ? Infinity : parseDuration('--budget', values.budget),
        }
      : undefined;
    if (!sequential)
      for (const flag of ['looks', 'spending', 'budget'] as const)
        if (values[flag] !== undefined)
          throw new UsageError(`--${flag}`, values[flag], 'to be used with --until-decisive');
    if (sequential && shard)
      throw new UsageError(
        '--until-decisive',
        true,
        'no --shard with --until-decisive (its looks depend on the verdicts of the looks before)',
      );
    // A sequential design's checkpoint holds every cell it could run (each arm at maxLooks batches), so that an
    // interrupted design resumes and --reuse can seed any look.
    const design = sequential ? startDesign(plan, sequential.spending, sequential.maxLooks) : undefined;
    const checkpointPlan = design ? maximalPlan(plan, design) : plan;
    // The code that runs is the code at the start: its module hashes are read once, for the checkpoint and certificate.
    const sources = sourceHashes(check.cellModule);
    const cellTimeout =
      values['cell-timeout'] === undefined
        ? undefined
        : requirePositiveNumber('--cell-timeout', values['cell-timeout']);
    if (shard && values.reuse !== undefined)
      throw new UsageError(
        '--reuse',
        values.reuse,
        'no --reuse with --shard (reuse cells in an unsharded run, or merge)',
      );
    const backendName = await initBackend(backend);
    // The weight kernels: native AVX2 where they build and the CPU has them, else the WebAssembly ones (the same bits);
    // the certificate's line says which ran and, for the WebAssembly ones, why (stderr stays for errors).
    const family = backendName === 'wasm' ? nativeKernels().family : undefined;
    const checkpointPath = join(
      values.checkpoints!,
      shard
        ? shardCheckpointName(check.statement.id, fidelity, shard)
        : `${check.statement.id}.${fidelity}${sequential ? '.sequential' : ''}.jsonl`,
    );
    const unlock = lockCheckpoint(checkpointPath);
    if (values.fresh) rmSync(checkpointPath, { force: true });
    let reused: Certificate['reused'];
    const recompute = values.recompute === undefined ? [] : values.recompute.split(',').map((a) => a.trim());
    for (const arm of recompute)
      if (!plan.arms.includes(arm))
        throw new UsageError('--recompute', values.recompute, `arms of the ${fidelity} plan: ${plan.arms.join(', ')}`);
    if (recompute.length && values.reuse === undefined)
      throw new UsageError('--recompute', values.recompute, 'to be used with --reuse');
    if (values.reuse !== undefined) {
      const previous = readCertificate(values.reuse, '--reuse');
      if (previous.theorem !== check.statement.id)
        throw new UsageError(
          '--reuse',
          values.reuse,
          `a certificate of ${check.statement.id} (this one is of ${previous.theorem})`,
        );
      if (previous.cellVersion !== undefined && previous.cellVersion !== check.cellVersion)
        throw new UsageError(
          '--reuse',
          values.reuse,
          `a certificate of cell version ${check.cellVersion} (this one has ${previous.cellVersion})`,
        );
      let cellsTaken: number;
      try {
        cellsTaken = seedCheckpoint(
          checkpointPath,
          checkpointHeader(check, checkpointPlan, sources),
          previous,
          recompute,
        );
      } catch (error) {
        throw new UsageError(
          '--reuse',
          values.reuse,
          `a certificate whose plan settings match the ${fidelity} plan (${(error as Error).message})`,
        );
      }
      reused = {
        from: values.reuse,
        createdAt: previous.createdAt,
        commit: previous.tool.commit,
        cells: cellsTaken,
        ...(recompute.length ? { recomputedArms: recompute } : {}),
      };
      io.err(
        `tdlv: reusing ${cellsTaken} cells of ${values.reuse} (computed by ` +
          `${previous.tool.commit.slice(0, 12)} on ${previous.createdAt})`,
      );
    }
    const pool = new WorkerPool({ size: workers, backend });
    const start = performance.now();
    // The code that runs is the code at the start: read the commit now, not when the certificate is written.
    const tool = toolInfo();
    // Every finished cell is already on disk; an interrupt only needs to say how to resume.
    const onInterrupt = () => {
      io.err(
        `\ntdlv: interrupted; finished cells are saved in ${checkpointPath}. Run the same command again to resume.`,
      );
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onInterrupt);
    let cells: CellResult[];
    const sweep = (sweepPlan: SweepPlan, only: Set<string> | undefined, label: string) =>
      runSweep({
        check,
        plan: sweepPlan,
        pool,
        checkpointPath,
        commit: tool.commit,
        sources,
        ...(cellTimeout !== undefined ? { cellTimeoutSeconds: cellTimeout } : {}),
        onProgress: progressBar(`${check.statement.id} (${fidelity}${label})`),
        ...(only ? { only } : {}),
        onSetAside: (aside) =>
          io.err(
            `tdlv: ${checkpointPath} is of another plan or cell version: set aside as ${aside}; its cells run again`,
          ),
        onRejected: (rejected) =>
          io.err(
            `tdlv: ${rejected.length} checkpoint line(s) set aside and run again (line ` +
              `${rejected[0]!.line}: ${rejected[0]!.why})`,
          ),
      });
    try {
      if (sequential && design) {
        for (;;) {
          const look = design.looks.length;
          const lookPlan = planAtLook(plan, design.looks.at(-1)!.seeds);
          cells = await sweep(
            checkpointPlan,
            new Set(planCells(lookPlan).map(cellKey)),
            `, look ${look} of at most ${design.maxLooks}`,
          );
          const open = openClaims(check, cells, plan, design);
          design.looks.at(-1)!.open = open;
          if (!open.length) break;
          const seeds = nextLookSeeds(check, design, open);
          // The next look's new cells, priced at the seconds per unit of cost seen so far (the cost model's unit).
          const have = new Set(cells.map(cellKey));
          const added = planCells(planAtLook(plan, seeds)).filter((c) => !have.has(cellKey(c)));
          const cost = (cs: readonly Cell[]) => cs.reduce((a, c) => a + cellCost(check, c, plan), 0);
          const perCost = cells.reduce((a, c) => a + c.seconds, 0) / Math.max(cost(cells), 1e-12);
          const finish = (performance.now() - start) / 1000 + (perCost * cost(added)) / workers;
          if (finish > sequential.budget) {
            design.stoppedEarly =
              `look ${look + 1} would end about ${finish.toFixed(0)} s after the start, past the budget of ` +
              `${sequential.budget} s`;
            io.err(`tdlv: ${design.stoppedEarly}: stopping at look ${look}`);
            break;
          }
          io.err(
            `tdlv: look ${look}: ${open.length} claim(s) undecided (${open.join(', ')}); ` +
              `look ${look + 1} adds ${added.length} cells`,
          );
          design.looks.push({ seeds, open: [] });
        }
      } else
        cells = await sweep(
          plan,
          shard ? new Set(shardCells(check, plan, shard).map(cellKey)) : undefined,
          shard ? `, shard ${shard.index}/${shard.count}` : '',
        );
    } finally {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
      await pool.close();
      unlock();
    }
    if (shard) {
      io.err(
        `tdlv: shard ${shard.index}/${shard.count}: ${cells.length} cell(s) in ` +
          `${checkpointPath}; once every shard is done: tdlv merge ` +
          `${module ?? check.statement.id} --fidelity ${fidelity} --checkpoints ` +
          `${values.checkpoints}`,
      );
      return 0;
    }
    certify(
      {
        check,
        plan: design ? planAtLook(plan, design.looks.at(-1)!.seeds) : plan,
        ...(design ? { sequential: design } : {}),
        fidelity,
        cells,
        tool,
        backend: backendName,
        kernels: family,
        workers,
        wallSeconds: (performance.now() - start) / 1000,
        outDir: values.out!,
        module,
        reused,
        sources,
        json: values.json!,
      },
      io,
    );
    return 0;
  },
});
