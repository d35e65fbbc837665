/** One theorem's report page: statement, summary plot, verdicts, figures, ablations, evidence, provenance. */
import type { Certificate } from '../verify/certificate.ts';
import {
  ablationPlaces,
  armLabel,
  claimOf,
  sizeAxis,
  type Ablation,
  type Derivation,
  type TheoremStatement,
} from '../verify/claims.ts';
import type { EvidenceTable, Verdict } from '../verify/verdicts.ts';
import { armSeeds, armWidths } from '../verify/experiment.ts';
import { BADGE, escapeHtml, page, verdictBadge } from './html.ts';
import { prose, tex } from './katex.ts';
import {
  forestPlotSvg,
  logLogPlotSvg,
  seriesCentre,
  type ClaimedLine,
  type ForestRow,
  type PlotSeries,
} from './plots.ts';
import { claimedText } from './terminal.ts';
import { anchorId, formatNumber, formatSize, observableLabel } from './format.ts';
import { summaryText } from './claim-groups.ts';
import { dataTable, statementFigures, valuesByWidth } from './figures.ts';
import { ablationOutcome, claimedHtml, findingsHtml, fitOf } from './findings.ts';

const num = (x: number) => formatNumber(x);

const interval = (ci: [number, number] | null) =>
  ci ? `[${num(ci[0])}, ${num(ci[1])}]` : '<span class="muted small">not an interval</span>';

function verdictTable(statement: TheoremStatement, verdicts: Verdict[]): string {
  const rows = verdicts.map((v) => {
    const claim = claimOf(statement, v.claim);
    return (
      `<tr>
  <td><b>${escapeHtml(claim.id)}</b>${claim.theorem ? '' : ' <span class="tag">exploratory</span>'} ` +
      (`<span class="tag">${escapeHtml(claim.standing)}</span><span class="print-hide"><br><span class="muted">` +
        `${prose(claim.title, escapeHtml)}</span></span></td>
  <td class="print-hide" data-label="statement">${tex(claim.tex)}</td>
  <td data-label="arm">${escapeHtml(armLabel(statement, v.arm))}${
    statement.armLabels?.[v.arm] ? ` <code class="small">${escapeHtml(v.arm)}</code>` : ''
  }</td>
  <td data-label="claimed">${claimedHtml(claim, statement)}</td>
  <td class="num" data-label="estimate">${num(v.estimate)}</td>
  <td class="num" data-label="95% interval">${interval(v.ci)}</td>
  <td data-label="verdict">${verdictBadge(v.verdict)}<br><span class="muted small">` +
        `${prose(v.reason, escapeHtml)}</span></td>
</tr>`)
    );
  });
  return (
    `<table class="stack"><thead><tr><th>claim</th><th class="print-hide">statement</th><th>arm</th><th>claimed</th>` +
    `<th>estimate</th><th>95% ` +
    `interval</th><th>verdict</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`
  );
}

function localSlopeTable(statement: TheoremStatement, verdicts: Verdict[]): string {
  const axisOf = (v: Verdict) => sizeAxis(statement, v.arm);
  const step = (v: Verdict, l: { from: number; to: number }) =>
    `${axisOf(v).symbol} ${formatSize(l.from * axisOf(v).factor)}→${formatSize(l.to * axisOf(v).factor)}`;
  const rows = verdicts
    .map((v) => ({ v, fit: fitOf(v) }))
    .filter((x) => x.fit && x.fit.local.length)
    .map(({ v, fit }) => {
      // Each cell names its own step: arms of one page may sweep different variables (width, depth, scale).
      const cells = fit!.local
        .map(
          (l) =>
            `<td class="num"><span class="muted small">${escapeHtml(step(v, l))}</span><br>${num(l.estimate)}<br>` +
            `<span class="muted small">[${num(l.ci[0])}, ${num(l.ci[1])}]</span></td>`,
        )
        .join('');
      return `<tr><td class="name">${escapeHtml(v.claim)}</td><td class="name">${escapeHtml(v.arm)}</td>${cells}${
        fit!.nearFloor.length
          ? `<td class="muted small">within 10x of the float32 floor: ${escapeHtml(fit!.nearFloor.join(', '))}</td>`
          : ''
      }</tr>`;
    });
  const steps = Math.max(0, ...verdicts.map((v) => fitOf(v)?.local.length ?? 0));
  if (!steps) return '';
  const head = Array.from({ length: steps }, (_, k) => `<th>step ${k + 1}</th>`).join('');
  return (
    `<h3>Local slopes between consecutive sizes</h3>
<p class="muted">log(Q<sub>k+1</sub>/Q<sub>k</sub>) / log(n<sub>k+1</sub>/n<sub>k</sub>) for each arm's own size ` +
    `variable (named in every cell), with width-clustered ` +
    `t intervals over seeds: a crossover between regimes shows here before it moves the global slope.</p>
<table><thead><tr><th>claim</th><th>arm</th>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`
  );
}

/** Tables a verdict carries as evidence (evidence.table), shown as they are. */
/** Evidence tables longer than this are folded into <details>. */
const LONG_TABLE = 20;

function evidenceTables(verdicts: Verdict[]): string {
  const tables = verdicts
    .map((v) => ({ v, t: (v.evidence as { table?: EvidenceTable }).table }))
    .filter((x): x is { v: Verdict; t: EvidenceTable } => x.t !== undefined);
  if (!tables.length) return '';
  return tables
    .map(({ v, t }) => {
      const table = dataTable(t.columns, t.rows);
      const heading = `${escapeHtml(v.claim)}: ${prose(t.title, escapeHtml)}`;
      // Long tables are folded: the page stays readable, the rows stay one click away (and in print).
      return t.rows.length > LONG_TABLE
        ? `<details><summary><b>${heading}</b> <span class="muted small">(${t.rows.length} ` +
            `rows)</span></summary>${table}</details>`
        : `<h3>${heading}</h3>\n${table}`;
    })
    .join('\n');
}

/** Why an ablation should break its claim, and a link to where the page shows it (both from the statement). */
function ablationWhy(statement: TheoremStatement, a: Ablation): string {
  if (!a.why && !a.shownIn) return '';
  const kind = a.shownIn && ablationPlaces(statement, a).figures.includes(a.shownIn) ? 'figure' : 'observable';
  const link = a.shownIn ? ` <a href="#${anchorId(kind, a.shownIn)}">See it in the figure.</a>` : '';
  const why = a.why ? `<b>Why it should break the claim:</b> ${prose(a.why, escapeHtml)}` : '';
  return `<br><span class="small">${why}${link}</span>`;
}

function ablationTable(statement: TheoremStatement, cert: Certificate): string {
  if (!statement.ablations.length) return '';
  const mainByClaim = new Map(cert.evaluation.verdicts.map((v) => [v.claim, v]));
  const verdictCell = (label: string, v: Verdict | undefined, reason: boolean) =>
    v
      ? `<td data-label="${label}">${verdictBadge(v.verdict)} <span class="num small">${num(v.estimate)}</span>` +
        (reason ? `<br><span class="muted small">${prose(v.reason, escapeHtml)}</span>` : '') +
        '</td>'
      : `<td data-label="${label}">—</td>`;
  // One row per (ablation, claim) under a heading row per ablation: four columns however many ablations there are,
  // so the verdicts stay in view on any screen (and the table stacks on a phone).
  const rows = statement.ablations.flatMap((a) => {
    const verdicts = cert.evaluation.ablations.find((x) => x.ablation === a.id)?.verdicts ?? [];
    if (!verdicts.length) return [];
    return [
      `<tr class="group"><th colspan="3">${prose(a.title, escapeHtml)} <span class="muted small">(arm ` +
        `${escapeHtml(a.arm)}; violates ${a.violates.map(escapeHtml).join(', ')})</span></th></tr>`,
      ...verdicts.map(
        (v) =>
          `<tr><td><b>${escapeHtml(v.claim)}</b></td>` +
          verdictCell('with all hypotheses', mainByClaim.get(v.claim), false) +
          `${verdictCell('with the hypothesis dropped', v, true)}</tr>`,
      ),
    ];
  });
  // What changed (the statement's words), then what it did to the verdicts (read off the certificate).
  const descriptions = statement.ablations
    .map(
      (a) =>
        `<li><b>${prose(a.title, escapeHtml)}</b>: ${prose(a.description, escapeHtml)}` +
        ablationWhy(statement, a) +
        `<br><span class="small"><b>What it did:</b> ` +
        `${prose(ablationOutcome(statement, cert, a.id), escapeHtml)}</span></li>`,
    )
    .join('');
  return (
    `<h2>Ablations: drop one hypothesis, watch the conclusions</h2>
<ul>${descriptions}</ul>
<table class="stack"><thead><tr><th>claim</th><th>with all hypotheses (its own arm)</th>` +
    `<th>with the hypothesis dropped (the ablation's arm)</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`
  );
}

/**
 * The measurement plots of a page: one per observable of a rate or limit claim, a series per arm judged on it (the
 * seeds' values by width, and the fit's per-width points aligned by width). test/report/centre-line.test.ts holds
 * every drawn centre to the seeds it summarises.
 */
export function measurementSeries(
  statement: TheoremStatement,
  cert: Certificate,
): { observable: string; verdicts: Verdict[]; arms: string[]; series: PlotSeries[] }[] {
  const byObservable = new Map<string, Verdict[]>();
  for (const v of cert.evaluation.verdicts) {
    const claim = claimOf(statement, v.claim);
    if (claim.kind !== 'rate' && claim.kind !== 'limit') continue;
    byObservable.set(claim.observable, [...(byObservable.get(claim.observable) ?? []), v]);
  }
  return [...byObservable].map(([observable, verdicts]) => {
    const arms = [...new Set(verdicts.map((v) => v.arm))];
    const series: PlotSeries[] = arms.map((arm) => {
      const fit = fitOf(verdicts.find((v) => v.arm === arm)!);
      const widths = armWidths(cert.plan, arm);
      // An arm swept in another variable (statement.sizeAxes) is drawn against it: x = factor x width.
      const { factor } = sizeAxis(statement, arm);
      const { values, seeds } = valuesByWidth(cert, arm, observable);
      return {
        label: armLabel(statement, arm),
        widths: widths.map((w) => w * factor),
        values,
        seeds,
        fit: fit
          ? {
              slope: fit.slope.estimate,
              ci: fit.slope.ci,
              logPrefactor: fit.logPrefactor - fit.slope.estimate * Math.log(factor),
              // Aligned by width: a fit may cover fewer widths than the plan (its centre is drawn where it was fitted).
              points: widths.map((w) => {
                const k = fit.fitted.indexOf(w);
                return k < 0 ? NaN : (fit.points ?? fit.geometricMeans)[k]!;
              }),
            }
          : undefined,
      };
    });
    return { observable, verdicts, arms, series };
  });
}

async function plots(statement: TheoremStatement, cert: Certificate): Promise<string> {
  const out: string[] = [];
  for (const { observable, verdicts, arms, series } of measurementSeries(statement, cert)) {
    const claimed: ClaimedLine[] = [];
    const seen = new Set<string>();
    for (const v of verdicts) {
      const claim = claimOf(statement, v.claim);
      if (claim.kind !== 'rate' || claim.mode === 'vanishes') continue;
      const s = series[arms.indexOf(v.arm)]!;
      const first = seriesCentre(s, 0);
      const key = `${claim.exponent}|${v.arm}`;
      if (first === undefined || seen.has(key)) continue;
      seen.add(key);
      claimed.push({
        label: `claimed ${claimedText(claim, statement)}`,
        series: s.label,
        exponent: claim.exponent,
        anchor: [s.widths[0]!, first],
      });
    }
    // A claim judged on a quantity the theorem computes from many cells (an ensemble mean) has no per-cell values to
    // draw.
    const positive = series.flatMap((s) => s.values.flat()).filter((v) => Number.isFinite(v) && v > 0).length;
    if (!positive) {
      out.push(
        `<p class="muted small">${escapeHtml(observable)}: computed from the whole ensemble ` +
          `rather than per network, so there is nothing per cell to plot; see the evidence of ` +
          `${verdicts.map((v) => escapeHtml(v.claim)).join(', ')} below.</p>`,
      );
      continue;
    }
    // Arms whose axes differ only in a parenthetical ("samples n (p = 2n)", "samples n (p = n/2)") share one x axis
    // named by the common stem; the legend tells the arms apart.
    const texts = [...new Set(arms.map((a) => sizeAxis(statement, a).text))];
    const stems = [...new Set(texts.map((t) => t.replace(/\s*\([^()]*\)$/, '')))];
    const axes = texts.length > 1 && stems.length === 1 ? stems : texts;
    const words = observableLabel(statement.observableLabels, observable);
    const svg = await logLogPlotSvg(words, words, series, claimed, { xLabel: axes.join(' / ') });
    out.push(
      `<figure id="${anchorId('observable', observable)}">${svg}<figcaption>${prose(words, escapeHtml)} ` +
        `(<code>${escapeHtml(observable)}</code>): faint ` +
        'points are seeds, the ' +
        `solid line joins the per-width points the fit uses (geometric means, or bias-corrected means for a claim ` +
        `about the mean; arithmetic means at sizes the fit does not use), dashed lines are the ` +
        `fitted power law and the claimed rate (anchored at the smallest ` +
        `width).</figcaption></figure>`,
    );
  }
  return `<h2>Measurements</h2><div class="plots">${out.join('\n')}</div>`;
}

/** Every rate claim's fitted slope [95% CI] against its claimed region, coloured by verdict: the page's summary and the
 * README's picture. Undefined when the certificate has no rate verdict. */
export async function forestSvg(statement: TheoremStatement, cert: Certificate): Promise<string | undefined> {
  const rows: ForestRow[] = [];
  // Rows in words and distinct: the claim's label (else its title) and its claimed rate, after `prefix` (an
  // ablation's rows lead with the ablation's label, else its id).
  const add = (v: Verdict, prefix = '') => {
    const claim = statement.claims.find((c) => c.id === v.claim);
    if (!claim || claim.kind !== 'rate' || !v.ci || !Number.isFinite(v.estimate)) return;
    const label = `${prefix}${claim.label ?? claim.title}: ${claimedText(claim, statement)}`;
    const { exponent: p, tol } = claim;
    const region: [number | null, number | null] =
      claim.mode === 'upper'
        ? [null, p + tol]
        : claim.mode === 'lower'
          ? [p - tol, null]
          : claim.mode === 'tight'
            ? [p - tol, p + tol]
            : [null, -tol];
    rows.push({
      label,
      estimate: v.estimate,
      low: v.ci[0],
      high: v.ci[1],
      claimedFrom: region[0],
      claimedTo: region[1],
      claimed: claim.mode === 'vanishes' ? null : p,
      verdict: v.verdict,
    });
  };
  for (const v of cert.evaluation.verdicts) add(v);
  for (const a of cert.evaluation.ablations) {
    const ablation = statement.ablations.find((x) => x.id === a.ablation);
    for (const v of a.verdicts) add(v, `${ablation?.label ?? a.ablation} (ablation) · `);
  }
  return rows.length ? forestPlotSvg(rows, BADGE, 'fitted slope') : undefined;
}

/** The one-figure summary of a page. */
async function forest(statement: TheoremStatement, cert: Certificate): Promise<string> {
  const svg = await forestSvg(statement, cert);
  if (!svg) return '';
  return (
    `<h2>Summary</h2><figure class="wide">${svg}<figcaption>Every rate claim: the fitted ` +
    `slope of log value against log size with its 95% interval (colour and shape give the verdict: ` +
    `circle supported, cross refuted, diamond inconclusive) over the region the claim allows (grey bar: the ` +
    `claimed exponent, the dark tick, widened by the tolerance; an arrow marks a one-sided region that runs on ` +
    `past the plot); ablations last. Other claims are in the verdict table.</figcaption></figure>`
  );
}

/**
 * An identity's derivation as the reader checks it: each line, why it follows from the one before, and the largest
 * difference between the two lines that the certificate's cells found (each line computed by its own route).
 */
function derivationHtml(derivation: Derivation, verdict: Verdict | undefined): string {
  const checked = (verdict?.evidence as { steps?: { maxError: number }[] } | undefined)?.steps;
  const rows = derivation.steps.map((step, i) => {
    const error = checked?.[i]?.maxError;
    return (
      `<tr><td>${tex(`= ${step.tex}`)}</td><td class="small">${prose(step.why, escapeHtml)}</td>` +
      `<td class="num small">${error === undefined ? '' : escapeHtml(error.toExponential(1))}</td></tr>`
    );
  });
  return (
    `<table class="derivation"><thead><tr><th>derivation</th><th>why</th><th>checked: largest |line - previous ` +
    `line|</th></tr></thead><tbody><tr><td>${tex(derivation.start)}</td><td></td><td></td></tr>${rows.join('')}` +
    `</tbody></table>`
  );
}

/** A link a page may carry: http(s) only (a certificate or module cannot smuggle javascript: into a page). */
const safeUrl = (url: string) => /^https?:\/\//i.test(url);

/**
 * One theorem's page. `refused` lists the static-audit problems of a certificate on disk that is therefore not shown
 * (a page never renders numbers, verdicts or labels that do not follow from the raw cells and the module).
 */
export async function theoremPage(
  statement: TheoremStatement,
  cert: Certificate | undefined,
  refused: string[] = [],
  options: { inLab?: boolean } = {},
): Promise<string> {
  const sources = statement.sources
    .map(
      (s) =>
        `<li>${escapeHtml(s.cite)}, <i>${escapeHtml(s.title)}</i>, ` +
        `${prose(s.where, escapeHtml)}${
          s.url
            ? safeUrl(s.url)
              ? ` — <a href="${escapeHtml(s.url)}">${escapeHtml(s.url)}</a>`
              : ` — ${escapeHtml(s.url)}`
            : ''
        }</li>`,
    )
    .join('');
  const hypotheses = statement.hypotheses
    .map(
      (h) =>
        `<tr><td><code>${escapeHtml(h.id)}</code></td><td>${h.tex ? tex(h.tex) : ''}</td><td>` +
        `${prose(h.text, escapeHtml)}</td></tr>`,
    )
    .join('');
  const claims = statement.claims
    .map(
      (c) =>
        `<li><b>${escapeHtml(c.id)}</b> ` +
        `(${escapeHtml(c.kind)}${c.theorem ? '' : ', exploratory'}): ` +
        `${prose(c.title, escapeHtml)}<div class="display">${tex(c.tex, true)}</div>` +
        (c.kind === 'identity' && c.derivation
          ? derivationHtml(
              c.derivation,
              cert?.evaluation.verdicts.find((v) => v.claim === c.id),
            )
          : '') +
        `<span class="muted small">uses ` +
        `${c.hypotheses.map((h) => `<code>${escapeHtml(h)}</code>`).join(', ')}; ` +
        `${prose(c.source, escapeHtml)}</span></li>`,
    )
    .join('');
  const statementHtml = `<h2>Statement</h2><p>${prose(statement.summary, escapeHtml)}</p>
<h3>Sources</h3><ul>${sources}</ul>
<h3>Hypotheses</h3><table class="stack"><tbody>${hypotheses}</tbody></table>
<p class="muted">${prose(statement.conventions, escapeHtml)}</p>
<h3>Claims</h3><ol>${claims}</ol>
<h3>Experiment</h3><p>${prose(statement.experiment, escapeHtml)}</p>`;
  if (!cert) {
    const why = refused.length
      ? `<p class="refused"><b>The certificate on disk fails its static audit, so nothing of it is shown:</b> ` +
        `${refused.map((p) => escapeHtml(p)).join('; ')}. Run <code>npx tdlv audit</code> on it for the details.</p>`
      : `<p class="muted">No certificate yet: run <code>npx tdlv verify ${escapeHtml(statement.id)} --fidelity ` +
        `full</code>.</p>`;
    return page(statement.title, `<h1>${prose(statement.title, escapeHtml)}</h1>${why}${statementHtml}`);
  }
  const arms = cert.plan.arms
    .map((a) => `${a}: ${armWidths(cert.plan, a).join(', ')} × ${armSeeds(cert.plan, a)} seeds`)
    .join('; ');
  const q = cert.sequential;
  const first = cert.plan.firstSeed ?? 0;
  const design = q
    ? ` A group-sequential design (<code>--until-decisive</code>, ${escapeHtml(q.spending)} spending, nominal levels ` +
      `${q.nominal.map((x) => x.toPrecision(2)).join(', ')}): ${q.looks.length} of at most ${q.maxLooks} looks` +
      `${q.looks
        .map((l, k) => (l.open.length ? `; after look ${k + 1}, open: ${l.open.map(escapeHtml).join(', ')}` : ''))
        .join('')}${q.stoppedEarly ? `; stopped early: ${escapeHtml(q.stoppedEarly)}` : ''}.`
    : '';
  const meta =
    `<p class="muted">Fidelity <b>${escapeHtml(cert.fidelity)}</b>. Arms (widths × seeds${
      first ? `, seeds from ${first}` : ''
    }): ` +
    `${escapeHtml(arms)}.${design} ${
      Object.keys(cert.plan.settings).length
        ? `Settings: ${Object.entries(cert.plan.settings)
            .map(([k, v]) => `${escapeHtml(k)} = ${escapeHtml(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
            .join(', ')}.`
        : ''
    }
${cert.cells.length} cells, ${(cert.cellSeconds ?? cert.wallSeconds).toFixed(0)} s of cell compute ` +
    (`on ${escapeHtml(String(cert.workers))} worker(s), backend ` +
      `${escapeHtml(cert.backend)}, node ${escapeHtml(cert.node)}, `) +
    (`tdlv ${escapeHtml(cert.tool.version)} at commit ` +
      `<code>${escapeHtml(cert.tool.commit.slice(0, 12))}</code>${cert.tool.dirty ? ' (uncommitted changes)' : ''}, `) +
    (`${escapeHtml(cert.createdAt)}.</p>
<p>Reproduce: <code>${escapeHtml(cert.command)}</code> &nbsp; Audit: <code>npx ` +
      `tdlv audit proofs-numeric/${escapeHtml(statement.id)}${
        cert.fidelity === 'full' ? '' : `.` + `${cert.fidelity}`
      }.json</code></p>`);
  const body =
    `<h1>${prose(statement.title, escapeHtml)}</h1>
<p><a href="index.html">← all theorems</a>${
      options.inLab
        ? ` · <a href="lab.html?theorem=${encodeURIComponent(statement.id)}">run it in the lab</a> ` +
          '(your browser runs the cells: change widths and seeds, break a hypothesis, watch the verdicts)'
        : ''
    }</p>
${findingsHtml(statement, cert)}
${statementHtml}
${await forest(statement, cert)}
<h2>Verdicts</h2>
<p class="muted">Rate claims fit the per-network log values against log n with a width-clustered t ` +
    `interval (95%); every verdict is a one-sided 5% test against the claim's tolerance, the largest three ` +
    `widths can refute, o(1) is judged as O(n<sup>−tol</sup>), formulas by two one-sided tests; a run ` +
    `that diverged or produced NaN makes the claim invalid. Full rules: docs/verdicts.md in the repository.</p>
<p>${escapeHtml(summaryText(statement, cert.evaluation))}</p>
${verdictTable(statement, cert.evaluation.verdicts)}
${await statementFigures(statement, cert)}
${await plots(statement, cert)}
${ablationTable(statement, cert)}
${localSlopeTable(statement, cert.evaluation.verdicts)}
${evidenceTables(cert.evaluation.verdicts)}
<h2>Provenance</h2>
${meta}`;
  return page(statement.title, body);
}
