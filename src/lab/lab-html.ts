/**
 * reports/lab.html (issue 28): one offline page holding the lab's script, its worker's bundle, tfjs's WebAssembly SIMD
 * binary and, per lab theorem, the statement's claims, the certificate's plan, cells and verdicts, and the exercises.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { armClaims } from '../verify/evaluate.ts';
import { claimObservables, sizeAxis } from '../verify/claims.ts';
import { armSeeds, armWidths } from '../verify/experiment.ts';
import type { Verdict } from '../verify/verdicts.ts';
import { auditedCertificate } from '../report/audited.ts';
import { escapeHtml, page } from '../report/html.ts';
import { prose } from '../report/katex.ts';
import { toolInfo } from '../verify/certificate.ts';
import { labBundles } from './bundle.ts';
import { offeredWidths, type LabTheorem } from './exercise.ts';
import type { LabArm, LabCell, LabData, LabTheoremData } from './protocol.ts';

/** The tfjs build Node runs (single-threaded, SIMD), which the page runs too. */
function simdWasmBase64(): string {
  const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  return readFileSync(join(dist, 'dist', 'tfjs-backend-wasm-simd.wasm')).toString('base64');
}

/** What the page embeds for one theorem (the certificate's part only when it passes its static audit). */
export function labTheoremData(t: LabTheorem, certificatesDir: string): LabTheoremData {
  const { check } = t;
  const s = check.statement;
  const { cert } = auditedCertificate(check, certificatesDir);
  const plan = cert?.plan ?? check.plan('full');
  const read = new Set(s.claims.flatMap(claimObservables));
  const cells: LabCell[] = (cert?.cells ?? []).map(({ code: _code, details: _details, ...c }) => ({
    ...c,
    observation: Object.fromEntries(Object.entries(c.observation).filter(([k]) => read.has(k))),
  }));
  const certVerdict = (claim: string, ablation?: string): Verdict | undefined =>
    ablation
      ? cert?.evaluation.ablations.find((a) => a.ablation === ablation)?.verdicts.find((v) => v.claim === claim)
      : cert?.evaluation.verdicts.find((v) => v.claim === claim);
  const arms: LabArm[] = plan.arms.map((name) => {
    const decided = armClaims(s, name);
    const ablation = decided.find((d) => d.ablation)?.ablation ?? s.ablations.find((a) => a.arm === name);
    return {
      name,
      ablation: ablation && {
        id: ablation.id,
        title: ablation.title,
        violates: ablation.violates,
        description: ablation.description,
        baseArm: ablation.baseArm,
      },
      widths: offeredWidths(plan, name, s.sizeAxes?.[name] !== undefined),
      certificate: {
        widths: cert ? armWidths(plan, name) : [],
        seeds: cert ? armSeeds(plan, name) : 0,
        firstSeed: plan.firstSeed ?? 0,
      },
      axis: sizeAxis(s, name),
      claims: decided.map(({ claim, ablation: a }) => {
        const v = certVerdict(claim.id, a?.id);
        return {
          id: claim.id,
          ablation: a?.id,
          verdict: v?.verdict ?? 'invalid',
          estimate: v?.estimate ?? NaN,
          ci: v?.ci ?? null,
        };
      }),
    };
  });
  return {
    id: s.id,
    title: s.title,
    statement: {
      id: s.id,
      title: s.title,
      hypotheses: s.hypotheses,
      sources: s.sources,
      ...(s.observableLabels ? { observableLabels: s.observableLabels } : {}),
    },
    claims: s.claims.map(({ id, title, kind, arm, observable, source, standing }) => ({
      id,
      title,
      titleHtml: prose(title, escapeHtml),
      sourceHtml: prose(source, escapeHtml),
      kind,
      arm,
      observable,
      source,
      standing,
    })),
    plan,
    arms,
    cells,
    certificate: cert
      ? { commit: cert.tool.commit, created: cert.createdAt, engine: cert.cells[0]?.code?.engine ?? '' }
      : { commit: 'none', created: '', engine: '' },
    exercises: t.exercises.map((e) => ({
      ...e,
      questionHtml: prose(e.question, escapeHtml),
      answerHtml: prose(e.answer, escapeHtml),
    })),
  };
}

/** Text that is safe inside a <script> element: no "</script" and no "<!--" can end or bend it. */
function scriptText(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const STYLE = `
.controls { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.6em; border: 1px solid #d0d7de;
  border-radius: 6px; padding: 0.8em 1em; }
.controls label { display: flex; gap: 0.4em; align-items: center; flex-wrap: wrap; min-width: 0; }
.controls select { flex: 1 1 12em; min-width: 0; max-width: 100%; font: inherit; }
.controls input[type=number] { width: 5em; font: inherit; } fieldset, #lab-arm-info { min-width: 0; }
.controls label.width, .controls label.setting { display: inline-flex; margin-right: 0.8em; }
fieldset { border: 0; padding: 0; margin: 0; } label.width { margin-right: 0.6em; white-space: nowrap; }
button { font: inherit; padding: 4px 14px; border-radius: 6px; border: 1px solid #8c959f; background: #f6f8fa; }
button:not(:disabled) { cursor: pointer; } #lab-run { background: #1f883d; color: white; border-color: #1a7f37; }
progress { width: 100%; height: 10px; } article.claim { border-top: 1px solid #d0d7de; margin-top: 1.2em; }
.claim-body { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
figure.lab-plot { max-width: 460px; width: 100%; } table.verdicts th { white-space: nowrap; }
ol#lab-exercises li { margin-bottom: 0.8em; } ul.outcome { list-style: none; padding-left: 0.5em; }
li.ok { color: #1a7f37; } li.miss { color: #b8460a; }
@media print { .controls, button { display: none; } }
`;

/** The lab page (HTML) for the given theorems and certificates; `worker` replaces the built-in theorems' worker. */
export async function labPage(
  theorems: readonly LabTheorem[],
  certificatesDir: string,
  worker?: string,
): Promise<string> {
  const bundles = { ...(await labBundles()), ...(worker !== undefined && { worker }) };
  const tool = toolInfo();
  const data: LabData = {
    theorems: theorems.map((t) => labTheoremData(t, certificatesDir)),
    tool: `tdlv ${tool.version} (${tool.commit.slice(0, 10)})`,
  };
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const body = `<h1>tdlv lab: run a theorem, break a hypothesis, watch the verdict</h1>
<p>This page runs tdlv\u2019s own engine (TensorFlow.js on WebAssembly, with tdlv\u2019s kernels) in your browser,
with no server and no network. Pick a theorem and an arm, choose widths and seeds, and run: each cell trains or
samples one network, its point lands on the claim\u2019s plot beside the certificate\u2019s, and the verdict is
recomputed after every cell by the same rules as <code>tdlv verify</code>. The same address (theorem, arm, width,
seed) gives the certificate\u2019s numbers, bit for bit. An ablation arm drops
one hypothesis of the theorem: watch which claims fail and which survive.</p>
<form class="controls" id="lab-form" onsubmit="return false">
<label>Theorem <select id="lab-theorem"></select></label>
<label>Arm <select id="lab-arm"></select></label>
<div id="lab-arm-info"></div>
<fieldset><legend>Widths</legend><div id="lab-widths"></div></fieldset>
<fieldset><legend>Settings (every cell reads them; change one to run an experiment the certificate did not)</legend>
<div id="lab-settings"></div></fieldset>
<div><label>Seeds per width <input id="lab-seeds" type="number" min="1" max="64" value="5"></label>
<label><input id="lab-fresh" type="checkbox"> fresh seeds (networks the certificate never ran)</label></div>
<div><button id="lab-run" type="button">Run</button>
<button id="lab-cancel" type="button" disabled>Cancel</button></div>
<progress id="lab-progress" value="0" max="1"></progress>
<p id="lab-status" aria-live="polite" class="small">Ready.</p>
</form>
<noscript><p class="refused">The lab runs the engine in the page and needs JavaScript; the theorem pages are static.</p>
</noscript>
<h2>Guided exercises</h2>
<ol id="lab-exercises"></ol>
<h2>Claims decided on this arm</h2>
<div id="lab-results"></div>
<script type="application/json" id="lab-data">${json}</script>
<script type="text/plain" id="lab-worker">${scriptText(bundles.worker)}</script>
<script type="text/plain" id="lab-wasm">${simdWasmBase64()}</script>
<script>${scriptText(bundles.page)}</script>`;
  return page('Lab', body, {
    style: STYLE,
    footer:
      `Generated by ${escapeHtml(data.tool)}. Cells run here are not certificates: <code>tdlv verify</code> and ` +
      '<code>tdlv audit</code> make and check those.',
  });
}
