/** Building reports/: one page per theorem, the index, CSV files of figures, the KaTeX assets. */
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { writeFileAtomic } from '../io/json.ts';
import { UsageError } from '../errors.ts';
import { dirname, join } from 'node:path';
import type { TheoremCheck } from '../verify/experiment.ts';
import type { VerdictValue } from '../verify/verdicts.ts';
import { CLAIM_GROUPS, countsText, groupCounts, groupOf } from './claim-groups.ts';
import { auditedCertificate } from './audited.ts';
import type { LabTheorem } from '../lab/exercise.ts';
import { labPage } from '../lab/lab-html.ts';
import { BADGE, escapeHtml, page, verdictBadge } from './html.ts';
import { verdictMatrixSvg } from './plots.ts';
import { coordCheckCsv } from './figures.ts';
import { theoremPage } from './theorem-page.ts';

/** Copy KaTeX's stylesheet and fonts beside the report so that it renders offline. */
export function copyKatexAssets(outDir: string): void {
  const dist = dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));
  const target = join(outDir, 'katex');
  mkdirSync(target, { recursive: true });
  cpSync(join(dist, 'katex.min.css'), join(target, 'katex.min.css'));
  cpSync(join(dist, 'fonts'), join(target, 'fonts'), { recursive: true });
}

/**
 * Write reports/index.html and one page per theorem, and, given lab theorems, the lab page (reports/lab.html); returns
 * the paths written.
 */
export async function buildReports(
  theorems: readonly TheoremCheck[],
  certificatesDir: string,
  outDir: string,
  /** The lab's theorems, and the worker that runs them when it is not tdlv's own (a user's theorem). */
  options: { lab?: readonly LabTheorem[]; labWorker?: string } = {},
): Promise<string[]> {
  if (!existsSync(certificatesDir) || !statSync(certificatesDir).isDirectory())
    throw new UsageError('--certificates', certificatesDir, 'a folder of certificates (e.g. proofs-numeric)');
  mkdirSync(outDir, { recursive: true });
  copyKatexAssets(outDir);
  const written: string[] = [];
  const rows: string[] = [];
  const totals: Record<VerdictValue, number> = { supported: 0, refuted: 0, inconclusive: 0, invalid: 0 };
  const marks: { theorem: string; claim: string; k: number; verdict: string }[] = [];
  for (const t of theorems) {
    const { cert, refused } = auditedCertificate(t, certificatesDir);
    const path = join(outDir, `${t.statement.id}.html`);
    const inLab = options.lab?.some((l) => l.check.statement.id === t.statement.id) ?? false;
    writeFileAtomic(path, await theoremPage(t.statement, cert, refused, { inLab }), '--out');
    written.push(path);
    const csv = cert ? coordCheckCsv(t.statement, cert) : undefined;
    if (csv) {
      const csvPath = join(outDir, `${t.statement.id}.coord-check.csv`);
      writeFileAtomic(csvPath, csv, '--out');
      written.push(csvPath);
    }
    const groups = cert ? groupCounts(t.statement, cert.evaluation.verdicts) : undefined;
    if (cert)
      cert.evaluation.verdicts
        .filter((v) => groupOf(t.statement, v) === 'theorem')
        .forEach((v, k) => marks.push({ theorem: t.statement.id, claim: v.claim, k, verdict: v.verdict }));
    if (groups) for (const v of Object.keys(totals) as VerdictValue[]) totals[v] += groups.theorem[v];
    const badgesOf = (counts: Record<VerdictValue, number>) =>
      (Object.entries(counts) as [VerdictValue, number][])
        .filter(([, n]) => n > 0)
        .map(([v, n]) => `${verdictBadge(v)} ${n}`)
        .join(' ') || '—';
    const badges = groups
      ? CLAIM_GROUPS.filter((g) => Object.values(groups[g]).some((n) => n > 0))
          .map((g) => `<span class="muted small">${g}:</span> ${badgesOf(groups[g])}`)
          .join('<br>')
      : refused.length
        ? '<span class="muted">certificate fails its static audit: not shown</span>'
        : '<span class="muted">not verified yet</span>';
    rows.push(
      `<tr><td><a href="${escapeHtml(t.statement.id)}.html"><b>${escapeHtml(t.statement.id)}</b></a></td><td>` +
        `${escapeHtml(t.statement.title)}</td><td data-label="fidelity">${cert ? escapeHtml(cert.fidelity) : '—'}` +
        `</td><td data-label="verdicts">${badges}</td></tr>`,
    );
  }
  const index = page(
    'tdlv reports',
    `<h1>tdlv: theorems of deep-learning theory, checked by Monte Carlo</h1>
<section class="findings"><h2>Findings</h2><p><b>Over all ${theorems.length} theorems, theorem claims: ` +
      `${escapeHtml(countsText(totals))}.</b> Computed and exploratory claims and ablations are counted on each page ` +
      `apart. "Supported" is a one-sided 5% test at the measured sizes, not a proof of the limit; a refuted proven ` +
      `claim means its hypotheses or its regime are not met at those sizes.</p>
<p>Suggested reading order for a course: the rows below, top to bottom (the kernel regime and its limits first, ` +
      `then finite-width corrections, the end of the kernel regime, optimisation and generalisation).</p>` +
      (marks.length
        ? `<figure>${await verdictMatrixSvg(marks, BADGE)}<figcaption>Every theorem claim of every certificate, ` +
          `one mark per claim, a row per theorem in reading order; its verdict by shape and colour (hover a mark ` +
          `for its claim). Computed and exploratory claims and ablations are on each theorem's page.</figcaption>` +
          `</figure>`
        : '') +
      `</section>
` +
      (options.lab?.length
        ? `<p><b><a href="lab.html">The lab</a></b>: run ` +
          `${options.lab.map((t) => escapeHtml(t.check.statement.id)).join(', ')} ` +
          `in your browser, break a hypothesis and watch the verdict move, with guided exercises.</p>\n`
        : '') +
      `<p>Each theorem is a machine-readable statement (hypotheses, claims), a Monte Carlo check across widths, ` +
      `and the verdicts below. Reports are rendered from the certificates in <code>proofs-numeric/</code> that ` +
      `pass their static audit.</p>
<table class="stack"><thead><tr><th>theorem</th><th>title</th><th>fidelity</th><th>verdicts (theorem, computed and ` +
      `exploratory claims apart)</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`,
  );
  if (options.lab?.length) {
    const labPath = join(outDir, 'lab.html');
    writeFileAtomic(labPath, await labPage(options.lab, certificatesDir, options.labWorker), '--out');
    written.push(labPath);
  }
  const indexPath = join(outDir, 'index.html');
  writeFileAtomic(indexPath, index, '--out');
  return [indexPath, ...written];
}
