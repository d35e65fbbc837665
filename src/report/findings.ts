/**
 * What a page says first: the counts of its certificate's verdicts and, per claim, what the theorem guarantees, what
 * the experiment measures and what the verdict means, in words a lecturer can read out (issue 24).
 */
import { rateGuard, sizeRange, type Verdict, type VerdictValue } from '../verify/verdicts.ts';
import { armLabel, claimOf, sizeAxis, type Claim, type TheoremStatement } from '../verify/claims.ts';
import type { Certificate } from '../verify/certificate.ts';
import type { RateFit } from '../stats/rate-fit.ts';
import { countsText, groupCounts } from './claim-groups.ts';
import { escapeHtml, verdictBadge } from './html.ts';
import { claimedText } from './terminal.ts';
import { prose, tex } from './katex.ts';
import { formatNumber, observableLabel } from './format.ts';

/** The rate or fitted evidence of a verdict (rate claims keep it as `fit`, limit claims as `rate`). */
export function fitOf(v: Verdict): RateFit | undefined {
  return (v.evidence as { fit?: RateFit; rate?: RateFit }).fit ?? (v.evidence as { rate?: RateFit }).rate;
}

/** What a claim asserts: a rate in the arm's own variable (n, L, alpha) as math, other kinds in words (HTML). */
export function claimedHtml(claim: Claim, statement: TheoremStatement): string {
  if (claim.kind !== 'rate') return `<span class="small">${prose(claimedText(claim, statement), escapeHtml)}</span>`;
  if (claim.mode === 'vanishes') return tex('o(1)');
  const p = claim.exponent === -0.5 ? '-1/2' : String(claim.exponent);
  const x = sizeAxis(statement, claim.arm).tex;
  return tex(`${claim.mode === 'upper' ? 'O' : claim.mode === 'lower' ? '\\Omega' : '\\Theta'}(${x}^{${p}})`);
}

/** What the source gives, by the claim's standing (HTML). */
function guarantee(claim: Claim, statement: TheoremStatement): string {
  const what =
    claim.kind === 'rate' ? `${claimedHtml(claim, statement)} as the size grows` : prose(claim.title, escapeHtml);
  switch (claim.standing) {
    case 'proven':
      return `Proven: ${what}. A proof of an asymptotic statement gives no constant and no size where it sets in.`;
    case 'proven-bound':
      return (
        `A proven bound: ${what}. The true behaviour may be better than the bound; a faster measured rate does ` +
        'not contradict it.'
      );
    case 'conjecture':
      return (
        'No proof covers this setting (a conjecture, or a theorem whose hypotheses this experiment does not ' +
        `meet): ${what}.`
      );
    case 'computed':
      return `A deterministic computation: ${what}.`;
  }
}

/** What the experiment measured, from the verdict's own evidence. */
function measures(statement: TheoremStatement, claim: Claim, v: Verdict): string {
  const fit = fitOf(v);
  if (claim.kind === 'rate' && fit) {
    const of = fit.estimand === 'mean' ? 'the rate of the mean of' : 'the effective exponent of the typical value of';
    return (
      `${of} ${observableLabel(statement.observableLabels, claim.observable)} ` +
      `over ${sizeRange(sizeAxis(statement, v.arm), fit.fitted)} ` +
      `(${fit.networks} independent ` +
      `networks, at least ${fit.seedsPerWidth} per width): ${formatNumber(v.estimate)}` +
      (v.ci ? ` [${formatNumber(v.ci[0])}, ${formatNumber(v.ci[1])}]` : '')
    );
  }
  if (claim.kind === 'classification') {
    // The verdict's table has a row per arm, its class last: the estimate alone (a count) would say nothing.
    const rows = (v.evidence as { table?: { rows?: unknown[][] } }).table?.rows ?? [];
    const classes = rows.map((r) => `${armLabel(statement, String(r[0]))}: ${String(r.at(-1))}`);
    return (
      `the rate of ${observableLabel(statement.observableLabels, claim.observable)} on each of ` +
      `${claim.arms.length} arms, each placed in the class its interval supports` +
      (classes.length ? ` (${classes.join('; ')})` : '')
    );
  }
  return `${observableLabel(statement.observableLabels, claim.observable)} (${armLabel(statement, v.arm)}): ${
    Number.isFinite(v.estimate) ? formatNumber(v.estimate) : 'see the reason'
  }${v.ci ? ` [${formatNumber(v.ci[0])}, ${formatNumber(v.ci[1])}]` : ''}`;
}

/** What the verdict means, as a referee would read it. */
function meaning(claim: Claim, v: Verdict): string {
  const oneSided =
    claim.kind !== 'rate'
      ? "tests at the 5% level against the claim's margin, over these settings only"
      : claim.mode === 'tight'
        ? 'two one-sided tests: the data place the exponent inside the tolerance band on both sides (5% level), ' +
          'over these sizes only'
        : 'a one-sided test: the data make an exponent beyond the tolerance unlikely (5% level), over these ' +
          'sizes only';
  const decide = (v.evidence as { decide?: { why: string } }).decide?.why;
  if (claim.kind === 'identity' || claim.kind === 'positivity' || claim.kind === 'computed') {
    const checked: Record<VerdictValue, string> = {
      supported:
        'Supported: a deterministic check with no sampling error; every point it sampled' +
        (claim.kind === 'identity' && claim.derivation ? ', and every step of the derivation,' : '') +
        ' is within the tolerance. It covers the points checked; the algebra covers the rest.',
      refuted:
        'Refuted: a checked value is outside the tolerance (the reason names it); no more seeds would change it.',
      inconclusive: 'Inconclusive: the check could not tell (the reason says why).',
      invalid: 'Invalid: a value the check needs is missing or not finite; nothing is judged.',
    };
    return checked[v.verdict];
  }
  const fit = fitOf(v);
  // A rate the rule did not test (too few seeds, widths or networks, or near the float floor) straddles nothing.
  const untested = v.verdict === 'inconclusive' && fit !== undefined && rateGuard(fit) !== null;
  const by: Record<VerdictValue, string> = {
    supported: `Supported: ${oneSided}. It is evidence for the claim at these sizes, not a proof of the limit.`,
    refuted:
      'Refuted: the measurement is surely outside the claim\u2019s tolerance here. For a proven claim this ' +
      'means its hypotheses or its asymptotic regime are not met at these sizes; for a conjecture, that it fails.',
    inconclusive:
      (untested
        ? 'Inconclusive: the rule did not test the claim; the data lack what a verdict needs (the reason says what).'
        : 'Inconclusive: the interval straddles the tolerance.') +
      (decide ? ` ${decide.charAt(0).toUpperCase()}${decide.slice(1)}.` : ''),
    invalid: 'Invalid: cells diverged or produced values the rule cannot use; nothing is judged.',
  };
  return by[v.verdict] + (v.warnings?.length ? ` Warnings: ${v.warnings.length} (see the verdict table).` : '');
}

/** One claim's findings as HTML: what the theorem guarantees, what the experiment measures, what the verdict means. */
export function claimFindings(
  statement: TheoremStatement,
  claim: Claim,
  v: Verdict,
): { guarantees: string; measures: string; means: string } {
  return {
    guarantees: guarantee(claim, statement),
    measures: prose(measures(statement, claim, v), escapeHtml),
    means: prose(meaning(claim, v), escapeHtml),
  };
}

export function findingsHtml(statement: TheoremStatement, cert: Certificate): string {
  const verdicts = cert.evaluation.verdicts;
  const counts = groupCounts(statement, verdicts);
  const ablationCounts: Record<VerdictValue, number> = { supported: 0, refuted: 0, inconclusive: 0, invalid: 0 };
  for (const v of cert.evaluation.ablations.flatMap((a) => a.verdicts)) ablationCounts[v.verdict]++;
  const holm = cert.evaluation.family;
  const rows = verdicts
    .filter((v) => claimOf(statement, v.claim).theorem)
    .map((v) => {
      const claim = claimOf(statement, v.claim);
      const f = claimFindings(statement, claim, v);
      return (
        `<tr><td><b>${escapeHtml(claim.id)}</b><br>${verdictBadge(v.verdict)}</td>` +
        `<td data-label="the theorem guarantees">${f.guarantees}</td>` +
        `<td data-label="the experiment measures">${f.measures}</td>` +
        `<td data-label="the verdict means">${f.means}</td></tr>`
      );
    });
  return (
    `<section class="findings"><h2>Findings</h2>
<p><b>Theorem claims: ${escapeHtml(countsText(counts.theorem))}.</b> ` +
    `Computed claims: ${escapeHtml(countsText(counts.computed))}. Exploratory claims (not the theorem's): ` +
    `${escapeHtml(countsText(counts.exploratory))}. Ablations (a hypothesis dropped on purpose; failures expected): ` +
    `${escapeHtml(countsText(ablationCounts))}.` +
    (holm
      ? ` Holm's adjustment over the ${holm.entries.length} Monte Carlo theorem claims keeps ` +
        `${holm.entries.filter((e) => e.supportedAfterAdjustment).length} supported.`
      : '') +
    `</p>
<table class="findings-table"><thead><tr><th>claim</th><th>what the theorem guarantees</th><th>what the experiment ` +
    `measures</th><th>what this verdict means</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></section>`
  );
}

/**
 * What dropping a hypothesis did, in one or two sentences read off the certificate: which verdicts moved from the run
 * with every hypothesis (and their estimates), which became invalid and why (the first reason), or that none moved
 * (the hypothesis is then shown sufficient by the theorem, not necessary by this run). Plain text with claim ids.
 */
export function ablationOutcome(statement: TheoremStatement, cert: Certificate, ablationId: string): string {
  const result = cert.evaluation.ablations.find((a) => a.ablation === ablationId);
  if (!result || !result.verdicts.length) return 'No claim was re-evaluated under this ablation.';
  const main = new Map(cert.evaluation.verdicts.map((v) => [v.claim, v]));
  // Estimates only where they are a rate's exponent: other kinds' estimates are margins or flags.
  const estimate = (v: Verdict | undefined) =>
    v && Number.isFinite(v.estimate) && claimOf(statement, v.claim).kind === 'rate'
      ? ` (${formatNumber(v.estimate)})`
      : '';
  const invalid = result.verdicts.filter((v) => v.verdict === 'invalid' && main.get(v.claim)?.verdict !== 'invalid');
  const moved = result.verdicts.filter(
    (v) => v.verdict !== 'invalid' && main.get(v.claim) && main.get(v.claim)!.verdict !== v.verdict,
  );
  const kept = result.verdicts.filter((v) => !invalid.includes(v) && !moved.includes(v));
  const parts: string[] = [];
  if (moved.length)
    parts.push(
      `Moved: ${moved
        .map((v) => {
          const before = main.get(v.claim)!;
          return `${v.claim} ${before.verdict}${estimate(before)} → ${v.verdict}${estimate(v)}`;
        })
        .join('; ')}.`,
    );
  if (invalid.length === result.verdicts.length)
    parts.push(`Every claim it re-evaluates has no valid data: ${invalid[0]!.reason.replace(/\.$/, '')}.`);
  else if (invalid.length)
    parts.push(`Invalid: ${invalid.map((v) => v.claim).join(', ')} (${invalid[0]!.reason.replace(/\.$/, '')}).`);
  if (!moved.length && !invalid.length)
    parts.push(
      kept.every((v) => v.verdict === 'supported')
        ? `No verdict moved: ${kept.length === 1 ? 'the claim stays' : `all ${kept.length} claims stay`} supported ` +
            'without this hypothesis at these sizes (the proof needs it; this run does not show that the claim does).'
        : `No verdict moved: ${kept.map((v) => `${v.claim} stays ${v.verdict}${estimate(v)}`).join('; ')}, so this ` +
            'run shows nothing either way about the hypothesis.',
    );
  else if (kept.length)
    parts.push(
      `${kept.length} other claim${kept.length === 1 ? '' : 's'} kept ${kept.length === 1 ? 'its' : 'their'} verdict.`,
    );
  return parts.join(' ');
}
