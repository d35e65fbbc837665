/**
 * What the lab's Web Worker does (issue 28), for any list of theorem checks: tdlv's own engine, cells and verdict
 * rules, bundled for a browser by src/lab/bundle.ts. It runs the very cell functions `tdlv verify` runs, on the same
 * WebAssembly SIMD build of the tfjs backend with tdlv's own kernels, so a cell at a certificate's address gives the
 * certificate's bits. src/lab/worker.ts serves the built-in lab theorems; a user's theorem gets a worker of its own
 * (bundleUserLabWorker in src/lab/bundle.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../engine/runtime/backend.ts';
import { armClaims, armVerdicts } from '../verify/evaluate.ts';
import { acceptCellResult } from '../verify/define.ts';
import { claimObservables, claimOf, type TheoremStatement } from '../verify/claims.ts';
import type { SweepPlan, TheoremCheck } from '../verify/experiment.ts';
import { claimFindings, fitOf } from '../report/findings.ts';
import type { FromWorker, LabCell, LabVerdictRow, ToWorker } from './protocol.ts';

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

/** The tfjs binary file names; the lab ships one (the SIMD build Node also runs) and maps every name to it. */
const WASM_NAMES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

async function init(wasm: ArrayBuffer): Promise<void> {
  const t0 = performance.now();
  const url = URL.createObjectURL(new Blob([wasm], { type: 'application/wasm' }));
  setWasmPaths(Object.fromEntries(WASM_NAMES.map((n) => [n, url])));
  // Node runs the single-threaded SIMD build (tfjs disables threads there); so does the page, whatever the browser
  // offers, and without SIMD the bits would differ: refuse rather than compute other numbers.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')))
    throw new Error('this browser lacks WebAssembly SIMD, which the certificates were computed with');
  const backend = await initBackend('wasm');
  post({ type: 'ready', backend, seconds: (performance.now() - t0) / 1000 });
}

/** The rows the arm's cells decide, with the findings text of the theorem page. */
export function verdictRows(
  check: TheoremCheck,
  arm: string,
  cells: LabCell[],
  others: LabCell[],
  plan: SweepPlan,
): LabVerdictRow[] {
  const statement: TheoremStatement = check.statement;
  const alone = armVerdicts(check, arm, cells, plan);
  // The generic rules read the arm's own cells only; a theorem's own judge may pool other arms (then the rows are
  // judged with the certificate's cells of those arms too, and the page says when that changes a verdict).
  const pools = armClaims(statement, arm).some(({ claim }) => check.judges?.[claim.id] !== undefined);
  const judged = pools && others.length ? armVerdicts(check, arm, [...others, ...cells], plan) : alone;
  return judged.map(({ verdict: v, ablation }, i) => {
    const claim = claimOf(statement, v.claim);
    const fit = fitOf(v);
    return {
      claim: claim.id,
      title: claim.title,
      observable: claimObservables(claim)[0] ?? claim.observable,
      ablation: ablation && { id: ablation.id, title: ablation.title, violates: ablation.violates },
      verdict: v.verdict,
      estimate: v.estimate,
      ci: v.ci,
      reason: v.reason,
      warnings: v.warnings ?? [],
      findings: claimFindings(statement, claim, v),
      line: fit && {
        logPrefactor: fit.logPrefactor,
        slope: fit.slope.estimate,
        widths: fit.fitted,
        points: fit.points,
      },
      claimedSlope: claim.kind === 'rate' && claim.mode !== 'vanishes' ? claim.exponent : undefined,
      poolsOtherArms: alone[i]!.verdict.verdict !== v.verdict || !Object.is(alone[i]!.verdict.estimate, v.estimate),
    };
  });
}

async function run(checks: readonly TheoremCheck[], m: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const check = checks.find((c) => c.statement.id === m.theorem);
  if (!check) throw new Error(`the lab has no theorem ${m.theorem}`);
  const done: LabCell[] = [];
  for (const cell of m.cells) {
    const t0 = performance.now();
    const out = await check.cell({ cell, plan: m.plan });
    const result = acceptCellResult(m.theorem, cell, out, (performance.now() - t0) / 1000);
    done.push(result);
    post({ type: 'cell', result, rows: verdictRows(check, m.arm, done, m.others, m.plan) });
  }
  post({ type: 'done' });
}

/** Answer the page's messages (this runs in the worker): initialise the engine, then run cells of these checks. */
export function serveLab(checks: readonly TheoremCheck[]): void {
  let ready: Promise<void> | null = null;
  self.onmessage = async (e: MessageEvent<ToWorker>) => {
    try {
      if (e.data.type === 'init') ready = init(e.data.wasm);
      await ready;
      if (e.data.type === 'run') await run(checks, e.data);
    } catch (error) {
      post({ type: 'error', message: (error as Error).message ?? String(error) });
    }
  };
}
