/** The generated blocks of README.md and docs/results.md, and the README picture, rendered from the certificates. */
import { claimOf } from '../src/verify/claims.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CalibrationRow } from '../src/stats/calibration.ts';
import { readCertificate, type Certificate } from '../src/verify/certificate.ts';
import type { TheoremCheck } from '../src/verify/experiment.ts';
import { scheduleLongestFirst } from '../src/verify/shard.ts';
import type { Verdict } from '../src/verify/verdicts.ts';
import { summaryText } from '../src/report/claim-groups.ts';
import { claimedText } from '../src/report/terminal.ts';
import { formatNumber } from '../src/report/format.ts';
import { forestSvg } from '../src/report/theorem-page.ts';
import { DYNAMICS } from '../theorems/mean-field-dynamics/statement.ts';
import { mean } from '../src/stats/moments.ts';
import { median as medianOf } from '../src/stats/rate-fit.ts';

/**
 * The README's measured numbers, generated: every block between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->` is
 * rendered from proofs-numeric/ (the certificates) and docs/calibration.json (`npm run calibrate -- --out`), never
 * typed.
 * `npm run readme` rewrites the blocks; test/report/readme-figures.test.ts fails when the README has drifted from them.
 */
export interface CalibrationFile {
  replications: number;
  rows: CalibrationRow[];
  formula: { exact: boolean; relTol: number; se: number; deviation: number; rates: Record<string, number> }[];
}

const f3 = (x: number | null | undefined) => formatNumber(x);
const pct = (x: number) => (100 * x).toFixed(1);

function verdictRow(check: TheoremCheck, cert: Certificate, v: Verdict): string {
  const claim = claimOf(check.statement, v.claim);
  const entry = cert.evaluation.family?.entries.find((e) => e.claim === v.claim);
  const holm = entry ? `${f3(entry.adjusted)}${entry.supportedAfterAdjustment ? ' ✓' : ''}` : '—';
  const kind = claim.theorem ? claim.standing : `exploratory (${claim.standing})`;
  const interval = v.ci
    ? `[${f3(v.ci[0])}, ${f3(v.ci[1])}]`
    : claim.kind === 'computed' || claim.standing === 'computed'
      ? 'computed'
      : '';
  return (
    `| \`${v.claim}\` | ${kind} | ${v.arm} | ` +
    `${claimedText(claim, check.statement).replace(/\|/g, '\\|')} | ${f3(v.estimate)} ` +
    `${interval} | **${v.verdict}** | ${holm} |`
  );
}

/** One table per theorem: every claim of its full certificate, then its ablations. */
export function verdictsBlock(checks: readonly TheoremCheck[], certificates: string): string {
  const parts: string[] = [];
  for (const check of checks) {
    const path = join(certificates, `${check.statement.id}.json`);
    if (!existsSync(path)) {
      parts.push(`**${check.statement.id}**: no full certificate yet.`);
      continue;
    }
    parts.push(certificateVerdicts(check, readCertificate(path)), '');
  }
  return parts.join('\n').trimEnd();
}

/** One certificate's verdicts, its claims' and its ablations', as a markdown table under a line saying what ran. */
export function certificateVerdicts(check: TheoremCheck, cert: Certificate): string {
  const parts = [
    `**${check.statement.id}** (${cert.fidelity}, ${cert.cells.length} cells, ` +
      `${Math.round(cert.cellSeconds)} s of cell compute; ` +
      (cert.sequential
        ? `group-sequential (${cert.sequential.spending} spending), ${cert.sequential.looks.length} of at most ` +
          `${cert.sequential.maxLooks} looks, `
        : '') +
      `seeds from ${cert.plan.firstSeed ?? 0}; ${summaryText(check.statement, cert.evaluation)})`,
    '',
    '| claim | standing | arm | claimed | estimate [95% CI] | verdict | Holm p |',
    '|---|---|---|---|---|---|---|',
    ...cert.evaluation.verdicts.map((v) => verdictRow(check, cert, v)),
  ];
  for (const a of cert.evaluation.ablations) {
    const ablation = check.statement.ablations.find((x) => x.id === a.ablation)!;
    for (const v of a.verdicts)
      parts.push(
        `| ablation \`${ablation.id}\`: \`${v.claim}\` | violates ${ablation.violates.join(', ')} ` +
          `| ${v.arm} | ${claimedText(claimOf(check.statement, v.claim), check.statement).replace(
            /\|/g,
            '\\|',
          )} | ${f3(v.estimate)} ${v.ci ? `[${f3(v.ci[0])}, ${f3(v.ci[1])}]` : ''} | **${v.verdict}** | — |`,
      );
  }
  return parts.join('\n');
}

/**
 * N E_x Var f_N(x; t) of a mean-field-dynamics certificate, the mean over seeds of each width (rows) at each
 * checkpoint (columns), an arm per table: flat in N where the fluctuations are Theta(N^-1/2).
 */
export function scaledVarianceBlock(cert: Certificate, checkpoints: readonly number[]): string {
  const parts: string[] = [];
  for (const arm of cert.plan.arms) {
    const widths = [...new Set(cert.cells.filter((c) => c.arm === arm).map((c) => c.width))].sort((a, b) => a - b);
    parts.push(
      `${arm}, seeds from ${cert.plan.firstSeed ?? 0}:`,
      '',
      `| N | ${checkpoints.map((t) => `step ${t}`).join(' | ')} | seeds |`,
      `|---|${checkpoints.map(() => '---|').join('')}---|`,
      ...widths.map((w) => {
        const cells = cert.cells.filter((c) => c.arm === arm && c.width === w);
        const means = checkpoints.map((_, k) => {
          const v = cells.map((c) => c.observation[`scaledVariance:${k}`]!).filter(Number.isFinite);
          return v.length ? formatNumber(mean(v)) : '—';
        });
        return `| ${w} | ${means.join(' | ')} | ${cells.length} |`;
      }),
      '',
    );
  }
  return parts.join('\n').trimEnd();
}

/** The makespan of the recorded cell times on `processes` equal processes, scheduled as the shards are. */
export function makespan(seconds: readonly number[], processes: number): number {
  return Math.max(...scheduleLongestFirst(seconds, processes).loads);
}

const duration = (s: number) =>
  s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`;

/**
 * Scale-out from the full certificates: each cell's recorded compute time, scheduled on P single-core processes (shards
 * of one worker each, or P cores in all) by the rule the shards use; the measured wall time of the run that wrote the
 * certificate beside it.
 */
export function scaleOutBlock(checks: readonly TheoremCheck[], certificates: string): string {
  const processes = [1, 2, 8, 32, 128];
  const rows = checks.flatMap((check) => {
    const path = join(certificates, `${check.statement.id}.json`);
    if (!existsSync(path)) return [];
    const cert = readCertificate(path);
    const seconds = cert.cells.map((c) => c.seconds);
    const longest = Math.max(...seconds);
    const measured = cert.reused || cert.shards ? '—' : `${duration(cert.wallSeconds)} on ${cert.workers}`;
    return [
      `| \`${check.statement.id}\` | ${cert.cells.length} | ${duration(longest)} | ` +
        `${processes.map((p) => duration(makespan(seconds, p))).join(' | ')} | ${measured} |`,
    ];
  });
  return [
    `| theorem | cells | longest cell | ` +
      `${processes.map((p) => `${p} process${p > 1 ? 'es' : ''}`).join(' | ')} | measured ` +
      `wall (workers) |`,
    `|---|---|---|${processes.map(() => '---|').join('')}---|`,
    ...rows,
  ].join('\n');
}

export interface ScaleOutFile {
  theorem: string;
  machine: string;
  measuredAt: string;
  runs: { label: string; wallSeconds: number; cellSeconds: number }[];
}

/** The measured runs of `npm run bench:scale-out` (docs/scale-out.json). */
export function scaleOutMeasuredBlock(file: ScaleOutFile): string {
  return [
    `\`${file.theorem}\` at full fidelity on this machine (${file.machine}; \`npm run ` +
      `bench:scale-out\`, ${file.measuredAt.slice(0, 10)}):`,
    '',
    '| run | wall | cell compute |',
    '|---|---|---|',
    ...file.runs.map((r) => `| ${r.label} | ${duration(r.wallSeconds)} | ${duration(r.cellSeconds)} |`),
  ].join('\n');
}

/** One cell timed by `npm run bench -- --cell` (bench/cell.ts), as docs/cell-bench.json lists them. */
export interface CellBenchRun {
  arm: string;
  width: number;
  steps: number | null;
  seconds: number;
  /** Reads and writes of weight-sized tensors over the whole cell, in units of one weight matrix. */
  passesOverWeights: number;
  /** passesOverWeights x 4 width^2 bytes / seconds, in GB/s. */
  gbPerSecond: number;
  /** Read + write bytes per second of a 256 MB copy in the same process (the memory limit), GB/s. */
  copyGbPerSecond: number;
  fractionOfCopyBandwidth: number;
  /** Flops of the products with a weight matrix over the cell's time (everything else in the cell included), GFLOP/s.
   * */
  productGflopPerSecond: number;
  /** f32x4 multiplies and adds with operands in registers on this core (bench/simd-peak.wat), GFLOP/s. */
  simdPeakGflopPerSecond: number;
  fractionOfSimdPeak: number;
  /** The fraction of copy bandwidth the cell would use if every weight product ran at the SIMD ceiling. */
  copyFractionAtSimdPeak: number;
  /** The weight kernels that ran (absent in files written before issue 29: the WebAssembly ones). */
  weightKernels?: 'native-avx2' | 'wasm-simd';
  /** 256-bit multiplies and adds with operands in registers (native/tdlv_kernels.c peak), GFLOP/s, where they run. */
  nativePeakGflopPerSecond?: number;
  /**
   * A second cell (the next seed) in the same process, after the first: what every later cell of a sweep's worker
   * costs, with the heap grown and the kernels warm (absent in files written before it was measured).
   */
  laterSeconds?: number;
  peer:
    | { seconds: number; ratio: number; torch: string; laterSeconds?: number; allocator?: string }
    | { missing: string }
    | null;
}

/** docs/cell-bench.json, written by `npm run bench:cells`. */
export interface CellBenchFile {
  machine: string;
  commit: string;
  measuredAt: string;
  runs: CellBenchRun[];
}

/** The range of a ceiling over the runs (each measured in its own process), in GFLOP/s. */
function range(peaks: number[]): string {
  return peaks.length ? `${Math.min(...peaks).toFixed(1)}-${Math.max(...peaks).toFixed(1)} GFLOP/s` : 'not measured';
}

const kernelsOf = (r: CellBenchRun) => r.weightKernels ?? 'wasm-simd';
/** The ceiling of the kernels that ran: 256-bit for the native ones, 128-bit WebAssembly SIMD otherwise. */
const ceilingOf = (r: CellBenchRun) =>
  kernelsOf(r) === 'native-avx2' ? (r.nativePeakGflopPerSecond ?? NaN) : r.simdPeakGflopPerSecond;

/** The later cell's times and their ratio, where both were measured. */
function laterCell(r: CellBenchRun): string {
  const peer = r.peer && 'seconds' in r.peer ? r.peer.laterSeconds : undefined;
  if (r.laterSeconds === undefined) return '—';
  if (peer === undefined) return `${r.laterSeconds.toFixed(2)} s, —`;
  return `${r.laterSeconds.toFixed(2)} s, ${peer.toFixed(2)} s, ${(r.laterSeconds / peer).toFixed(2)}`;
}

/** One ntk-constancy cell on one core, tdlv beside its PyTorch peer, with the bandwidth over the weights. */
export function cellBenchBlock(file: CellBenchFile): string {
  const torch = file.runs.map((r) => (r.peer && 'torch' in r.peer ? r.peer.torch : null)).find((t) => t !== null);
  const allocator = file.runs.map((r) => (r.peer && 'seconds' in r.peer ? r.peer.allocator : undefined)).find(Boolean);
  return [
    `One \`ntk-constancy\` cell (2 hidden layers, 16 + 16 points, ` +
      `${file.runs[0]?.steps ?? '?'} full-batch steps, the NTK at initialization and 8 ` +
      `checkpoints) on one core of this machine (${file.machine}; \`npm run bench:cells\`, ` +
      `${file.measuredAt.slice(0, 10)}, commit ${file.commit.slice(0, 7)}), against the ` +
      `PyTorch ${torch ?? '(not installed)'} peer \`bench/torch_cell.py\` on one thread ` +
      `(OpenBLAS${allocator ? `; allocator: ${allocator}` : ''}). Bandwidth is the passes over the weight ` +
      `matrix counted from the kernel log times its size, over the time, against this process's measured copy ` +
      `bandwidth; ` +
      `GFLOP/s are the flops of the products with a weight matrix (from the same log) over ` +
      `the cell's whole time, against the ceiling of the multiplies and adds of the weight kernels that ran on this ` +
      `core (native AVX2, 256-bit: ${range(file.runs.flatMap((r) => r.nativePeakGflopPerSecond ?? []))}, ` +
      `\`native/tdlv_kernels.c\`; WebAssembly SIMD, 128-bit: ` +
      `${range(file.runs.map((r) => r.simdPeakGflopPerSecond))}, ` +
      `\`bench/simd-peak.wat\`); the two kernel families compute the same bits. The last column is the share of copy ` +
      `bandwidth the cell would use if every product ran at the WebAssembly ceiling. "First cell" is a cell in a ` +
      `fresh process (allocations, heap growth and first calls included), as a one-off run pays; "later cell" is ` +
      `the next seed's cell in the same process, as every further cell of a sweep's worker pays, timed the same way ` +
      `for both (PyTorch: \`--cells 2\`):`,
    '',
    '| arm | width | weight kernels | tdlv | PyTorch | tdlv / PyTorch, first cell | later cell: tdlv, PyTorch, ' +
      'ratio | passes per step | GB/s over the ' +
      "weights | % of copy bandwidth | GFLOP/s in products | % of the kernels' ceiling | % of copy " +
      'bandwidth at the WebAssembly ceiling |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...file.runs.map((r) => {
      const peer = r.peer && 'seconds' in r.peer ? r.peer : null;
      return (
        `| ${r.arm} | ${r.width} | ${kernelsOf(r)} | ${r.seconds.toFixed(2)} s | ` +
        `${peer ? `${peer.seconds.toFixed(2)} s` : '—'} | ` +
        `${peer ? peer.ratio.toFixed(2) : '—'} | ${laterCell(r)} | ` +
        `${(r.passesOverWeights / (r.steps ?? 1)).toFixed(1)} | ${r.gbPerSecond.toFixed(2)} ` +
        `| ${(100 * r.fractionOfCopyBandwidth).toFixed(0)} | ` +
        `${r.productGflopPerSecond.toFixed(1)} | ${((100 * r.productGflopPerSecond) / ceilingOf(r)).toFixed(0)} ` +
        `| ${(100 * r.copyFractionAtSimdPeak).toFixed(0)} |`
      );
    }),
  ].join('\n');
}

/** The calibration summary: the designs the issue names, every family. */
export function calibrationBlock(file: CalibrationFile): string {
  const designs = ['3 x 5 (512-8192)', '4 x 5 (512-8192)', '8 x 5 (512-8192)', '32 x 5 (512-8192)'];
  const rows = file.rows.filter((r) => designs.includes(r.design));
  return [
    `${file.replications} replications per row (\`npm run calibrate\`; every design, 3 ` +
      `and 5 widths, in docs/calibration.md). "claim true" means the claim holds within ` +
      `its tolerance at the effective exponent over all widths and over the largest three.`,
    '',
    '| family | noise | seeds x widths | claim | truth (tail) | claim true | supported % ' +
      '| refuted % | inconclusive % | 95% CI coverage % |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.family} | ${r.noise} ${r.spread} | ${r.design} | ${r.claim} | ` +
        `${r.truth.toFixed(2)} (${r.truthTail.toFixed(2)}) | ${r.claimTrue ? 'yes' : 'no'} | ` +
        `${pct(r.rates.supported!)} | ${pct(r.rates.refuted!)} | ` +
        `${pct(r.rates.inconclusive!)} | ${pct(r.coverage)} |`,
    ),
    '',
    '| formula rule | relTol | se | true deviation | supported % | refuted % | inconclusive % |',
    '|---|---|---|---|---|---|---|',
    ...file.formula.map(
      (x) =>
        `| ${x.exact ? 'exact identity' : 'approximation'} | ${x.relTol} | ${x.se} | ` +
        `${x.deviation} | ${pct(x.rates.supported!)} | ${pct(x.rates.refuted!)} | ` +
        `${pct(x.rates.inconclusive!)} |`,
    ),
  ].join('\n');
}

/** Replace every generated block of `text` by its rendering; unknown block names are an error. */
export function renderReadme(text: string, blocks: Record<string, () => string>): string {
  return text.replace(/<!-- figures:([a-z-]+) -->\n[\s\S]*?<!-- \/figures:\1 -->/g, (_, name: string) => {
    const render = blocks[name];
    if (!render) throw new Error(`README: unknown generated block ${name}`);
    return `<!-- figures:${name} -->\n${render()}\n<!-- /figures:${name} -->`;
  });
}

/** One line per theorem: its title, its claims and what their verdicts are, from its full certificate. */
export function theoremsBlock(checks: readonly TheoremCheck[], certificates: string): string {
  const rows = checks.map((check) => {
    const s = check.statement;
    const path = join(certificates, `${s.id}.json`);
    const verdicts = existsSync(path)
      ? (() => {
          const cert = readCertificate(path);
          return `${summaryText(s, cert.evaluation)} (${cert.cells.length} cells)`;
        })()
      : 'no full certificate yet';
    return (
      `| [\`${s.id}\`](reports/${s.id}.html) | ${s.title} | ${s.claims.length} (${s.ablations.length}) ` +
      `| ${verdicts} |`
    );
  });
  return ['| theorem | statement | claims (ablations) | verdicts of the full run |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}

/** The README's picture: the forest plot of one theorem's rate claims, from its certificate. */
export async function readmePicture(check: TheoremCheck, root: string): Promise<string> {
  const cert = readCertificate(join(root, 'proofs-numeric', `${check.statement.id}.json`));
  const svg = await forestSvg(check.statement, cert);
  if (!svg) throw new Error(`${check.statement.id} has no rate verdicts to draw`);
  return svg + '\n';
}

/** The theorem whose forest plot is the README's picture, and where it is written. */
export const PICTURE = { theorem: 'ntk-constancy', path: 'docs/summary.svg' } as const;

/** The files whose generated blocks `npm run readme` renders. */
/** What `npm run bench:lab` (bench/lab.ts) measured: the lab's reproduction of certificate cells and its speed. */
export interface LabBenchFile {
  measuredAt: string;
  machine: string;
  reproduction: {
    theorem: string;
    arm: string;
    width: number;
    seed: number;
    total: number;
    identical: number;
    differing: { name: string; relative: number }[];
  }[];
  speed: {
    cell: string;
    nodeSeconds: number[];
    /** The weight kernels Node ran (native-avx2 where they build). */
    nodeKernels: string;
    /** Node with the WebAssembly kernels (TDLV_NATIVE=0), the page's. */
    nodeWasmSeconds: number[];
    pageSeconds: number[];
    medianNode: number;
    medianNodeWasm: number;
    medianPage: number;
  };
}

export function labReproductionBlock(file: LabBenchFile): string {
  return [
    `Measured by \`npm run bench:lab\` (${file.machine}, ${file.measuredAt.slice(0, 10)}): each cell run in the page ` +
      'from its address, against the committed certificate.',
    '',
    '| cell | observables bit-identical | the others (relative difference) |',
    '|---|---|---|',
    ...file.reproduction.map(
      (r) =>
        `| ${r.theorem} ${r.arm}, width ${r.width}, seed ${r.seed} | ${r.identical} of ${r.total} | ` +
        `${r.differing.map((d) => `\`${d.name}\` (${d.relative.toExponential(1)})`).join(', ') || 'none'} |`,
    ),
  ].join('\n');
}

export function labSpeedBlock(file: LabBenchFile): string {
  const s = file.speed;
  return (
    `${s.cell}, on ${file.machine} (\`npm run bench:lab\`, ${file.measuredAt.slice(0, 10)}), medians over ` +
    `${s.pageSeconds.length} seeds: ${s.medianPage.toFixed(3)} s in the page; in Node ` +
    `${s.medianNodeWasm.toFixed(3)} s with the WebAssembly kernels the page runs too (page / Node ` +
    `${(s.medianPage / s.medianNodeWasm).toFixed(2)}) and ` +
    `${s.medianNode.toFixed(3)} s with its ${s.nodeKernels} kernels (page / Node ` +
    `${(s.medianPage / s.medianNode).toFixed(2)}).`
  );
}

export const GENERATED_FILES = [
  'README.md',
  'docs/results.md',
  'docs/lab.md',
  'docs/mean-field-dynamics.md',
  'docs/parity.md',
] as const;
/** The first full run of mean-field-dynamics (seeds from 1000), kept as evidence for the declared change after it. */
export const MEAN_FIELD_FIRST_RUN = 'docs/evidence/mean-field-dynamics.seeds-1000.json';

const labBench = (root: string) =>
  JSON.parse(readFileSync(join(root, 'docs', 'lab-bench.json'), 'utf8')) as LabBenchFile;

export function readmeBlocks(checks: readonly TheoremCheck[], root: string): Record<string, () => string> {
  return {
    theorems: () => theoremsBlock(checks, join(root, 'proofs-numeric')),
    verdicts: () => verdictsBlock(checks, join(root, 'proofs-numeric')),
    'scale-out': () => scaleOutBlock(checks, join(root, 'proofs-numeric')),
    'scale-out-measured': () =>
      scaleOutMeasuredBlock(JSON.parse(readFileSync(join(root, 'docs', 'scale-out.json'), 'utf8')) as ScaleOutFile),
    'cell-bench': () =>
      cellBenchBlock(JSON.parse(readFileSync(join(root, 'docs', 'cell-bench.json'), 'utf8')) as CellBenchFile),
    calibration: () =>
      calibrationBlock(JSON.parse(readFileSync(join(root, 'docs', 'calibration.json'), 'utf8')) as CalibrationFile),
    'lab-reproduction': () => labReproductionBlock(labBench(root)),
    'lab-speed': () => labSpeedBlock(labBench(root)),
    ...meanFieldBlocks(checks, root),
    'parity-steps': () => parityStepsBlock(join(root, 'proofs-numeric', 'parity.json')),
  };
}

/** The mean-field-dynamics page's blocks: both full runs' verdicts and their N Var f_N tables. */
function meanFieldBlocks(checks: readonly TheoremCheck[], root: string): Record<string, () => string> {
  const check = checks.find((c) => c.statement.id === 'mean-field-dynamics');
  if (!check) return {};
  const run = (path: string) => () => {
    if (!existsSync(join(root, path))) return `No certificate at ${path} yet.`;
    const cert = readCertificate(join(root, path));
    return `${certificateVerdicts(check, cert)}\n\n${scaledVarianceBlock(cert, DYNAMICS.checkpoints)}`;
  };
  return {
    'mean-field-first-run': run(MEAN_FIELD_FIRST_RUN),
    'mean-field-certificate': run('proofs-numeric/mean-field-dynamics.json'),
  };
}

/**
 * The parity certificate's steps to learn, per arm and n: the cells that learned within the budget, the quartiles of
 * their steps, and the local slope of the medians between neighbouring n (log steps over log n).
 */
export function parityStepsBlock(path: string): string {
  if (!existsSync(path)) return `No certificate at ${path} yet.`;
  const cert = readCertificate(path);
  const parts: string[] = [];
  for (const arm of cert.plan.arms) {
    const widths = [...new Set(cert.cells.filter((c) => c.arm === arm).map((c) => c.width))].sort((a, b) => a - b);
    const rows: string[] = [];
    let previous: { n: number; median: number } | undefined;
    for (const n of widths) {
      const cells = cert.cells.filter((c) => c.arm === arm && c.width === n);
      const steps = cells
        .map((c) => c.observation.steps)
        .filter((v): v is number => Number.isFinite(v))
        .sort((a, b) => a - b);
      const q = (p: number) => steps[Math.min(steps.length - 1, Math.floor(p * (steps.length - 1) + 0.5))]!;
      const median = steps.length ? medianOf(steps) : NaN;
      const slope =
        previous && Number.isFinite(median) ? f3(Math.log(median / previous.median) / Math.log(n / previous.n)) : '—';
      rows.push(
        `| ${n} | ${steps.length} of ${cells.length} | ${steps.length ? `${q(0.25)}, ${median}, ${q(0.75)}` : '—'} ` +
          `| ${slope} |`,
      );
      if (Number.isFinite(median)) previous = { n, median };
    }
    parts.push(
      `${arm}, seeds from ${cert.plan.firstSeed ?? 0}:`,
      '',
      '| n | learned | steps: quartiles | local slope of the median |',
      '|---|---|---|---|',
      ...rows,
      '',
    );
  }
  return parts.join('\n').trimEnd();
}
