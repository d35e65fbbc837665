/** Building reports/: one page per theorem, the index, CSV files of figures, the KaTeX assets. */
import { existsSync, mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../io/json.ts';
import { UsageError } from '../errors.ts';
import { join } from 'node:path';
import { certificatePath, readCertificate, type Certificate } from '../verify/certificate.ts';
import type { TheoremCheck } from '../verify/experiment.ts';
import type { VerdictValue } from '../verify/verdicts.ts';
import { CLAIM_GROUPS, groupCounts } from './claim-groups.ts';
import { escapeHtml, page, verdictBadge } from './html.ts';
import { copyKatexAssets } from './katex.ts';
import { coordCheckCsv } from './figures.ts';
import { theoremPage } from './theorem-page.ts';

/** The best certificate on disk for a theorem: full, else quick, else smoke. */
export function bestCertificate(dir: string, id: string): Certificate | undefined {
  for (const fidelity of ['full', 'quick', 'smoke'] as const) {
    const path = certificatePath(dir, id, fidelity);
    if (!existsSync(path)) continue;
    const certificate = readCertificate(path);
    if (certificate.theorem !== id)
      throw new UsageError('--certificates', path, `a certificate of ${id} (this one is of ${certificate.theorem})`);
    return certificate;
  }
  return undefined;
}

/** Write reports/index.html and one page per theorem; returns the paths written. */
export async function buildReports(
  theorems: readonly TheoremCheck[],
  certificatesDir: string,
  outDir: string,
): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  copyKatexAssets(outDir);
  const written: string[] = [];
  const rows: string[] = [];
  for (const t of theorems) {
    const cert = bestCertificate(certificatesDir, t.statement.id);
    const path = join(outDir, `${t.statement.id}.html`);
    writeFileAtomic(path, await theoremPage(t.statement, cert), '--out');
    written.push(path);
    const csv = cert ? coordCheckCsv(t.statement, cert) : undefined;
    if (csv) {
      const csvPath = join(outDir, `${t.statement.id}.coord-check.csv`);
      writeFileAtomic(csvPath, csv, '--out');
      written.push(csvPath);
    }
    const groups = cert ? groupCounts(t.statement, cert.evaluation.verdicts) : undefined;
    const badgesOf = (counts: Record<VerdictValue, number>) =>
      (Object.entries(counts) as [VerdictValue, number][])
        .filter(([, n]) => n > 0)
        .map(([v, n]) => `${verdictBadge(v)} ${n}`)
        .join(' ') || '—';
    const badges = groups
      ? CLAIM_GROUPS.filter((g) => Object.values(groups[g]).some((n) => n > 0))
          .map((g) => `<span class="muted small">${g}:</span> ${badgesOf(groups[g])}`)
          .join('<br>')
      : '<span class="muted">not verified yet</span>';
    rows.push(
      `<tr><td><a href="${escapeHtml(t.statement.id)}.html">${escapeHtml(t.statement.id)}</a></td><td>` +
        `${escapeHtml(t.statement.title)}</td><td>${cert ? escapeHtml(cert.fidelity) : '—'}</td><td>` +
        `${badges}</td></tr>`,
    );
  }
  const index = page(
    'tdlv reports',
    `<h1>tdlv: theorems of deep-learning theory, checked by Monte Carlo</h1>
<p>Each theorem is a machine-readable statement (hypotheses, claims), a Monte Carlo check across widths, ` +
      `and the verdicts below. Reports are rendered from the certificates in <code>proofs-numeric/</code>.</p>
<table><thead><tr><th>theorem</th><th>title</th><th>fidelity</th><th>verdicts (theorem, computed and ` +
      `exploratory claims apart)</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`,
  );
  const indexPath = join(outDir, 'index.html');
  writeFileAtomic(indexPath, index, '--out');
  return [indexPath, ...written];
}
