/** The verdict tables printed in the terminal. */
import { claimOf } from '../verify/claims.ts';
import { sizeAxis, WIDTH_AXIS, type Claim, type TheoremStatement } from '../verify/claims.ts';
import { summaryText } from './claim-groups.ts';
import { formatNumber } from './format.ts';
import type { Evaluation } from '../verify/evaluate.ts';
import { rateClaimText, type Verdict } from '../verify/verdicts.ts';

/** What a claim asserts, in one short line (e.g. "O(n^-1)"). */
export function claimedText(claim: Claim, statement?: TheoremStatement): string {
  switch (claim.kind) {
    case 'rate':
      return rateClaimText(claim.mode, claim.exponent, statement && sizeAxis(statement, claim.arm).symbol);
    case 'computed':
      return 'computed series';
    case 'limit':
      return `-> limit at n^${claim.exponent}`;
    case 'formula':
      return `= ${claim.predicted} (rel. tol ${claim.relTol})`;
    case 'identity':
      return `identity (tol ${claim.tol})`;
    case 'positivity':
      return '> 0 (no counterexample)';
    case 'bound':
      return `${claim.side === 'below' ? '<=' : '>='} ${claim.predicted}`;
    case 'peak': {
      const axis = statement ? sizeAxis(statement, claim.arm) : WIDTH_AXIS;
      return `peak at ${axis.symbol} = ${claim.at * axis.factor}`;
    }
    case 'trend': {
      const axis = statement ? sizeAxis(statement, claim.arm) : WIDTH_AXIS;
      return `${claim.direction} in ${axis.symbol}`;
    }
    case 'classification':
      return (
        `each of ${claim.arms.length} arms: ` +
        `${claim.classes.map((c) => rateClaimText(c.mode, c.exponent)).join(' xor ')}`
      );
  }
}

const num = (x: number) => formatNumber(x, 'n/a');

function row(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i]!))
    .join('  ')
    .trimEnd();
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [
    row(header, widths),
    row(
      widths.map((w) => '-'.repeat(w)),
      widths,
    ),
    ...rows.map((r) => row(r, widths)),
  ].join('\n');
}

function verdictRows(statement: TheoremStatement, verdicts: Verdict[]): string[][] {
  return verdicts.map((v) => {
    const claim = claimOf(statement, v.claim);
    return [
      claim.theorem ? v.claim : `${v.claim} (exploratory)`,
      claim.standing,
      v.arm,
      claimedText(claim, statement),
      num(v.estimate),
      v.ci ? `[${num(v.ci[0])}, ${num(v.ci[1])}]` : '-',
      v.verdict.toUpperCase(),
    ];
  });
}

export function verdictTable(statement: TheoremStatement, evaluation: Evaluation): string {
  const header = ['claim', 'standing', 'arm', 'claimed', 'estimate', '95% CI', 'verdict'];
  const parts = [
    table(header, verdictRows(statement, evaluation.verdicts)),
    ...warningLines(evaluation.verdicts),
    summaryText(statement, evaluation),
  ];
  for (const a of evaluation.ablations) {
    const ablation = statement.ablations.find((x) => x.id === a.ablation)!;
    parts.push(`\nablation ${ablation.id}: ${ablation.title}`);
    parts.push(table(header, verdictRows(statement, a.verdicts)));
  }
  return parts.join('\n');
}

/** What a referee should read beside the table: each verdict's warnings, and why an inconclusive one is. */
function warningLines(verdicts: Verdict[]): string[] {
  const lines: string[] = [];
  for (const v of verdicts) {
    for (const w of v.warnings ?? []) lines.push(`  warning ${v.claim} (${v.arm}): ${w}`);
    if (v.verdict === 'inconclusive') lines.push(`  inconclusive ${v.claim} (${v.arm}): ${v.reason}`);
  }
  return lines.length ? ['', ...lines] : [];
}
