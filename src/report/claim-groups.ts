/** How verdicts are grouped and counted on every surface: theorem, computed and exploratory claims. */
import { claimOf } from '../verify/claims.ts';
import type { TheoremStatement } from '../verify/claims.ts';
import type { Evaluation } from '../verify/evaluate.ts';
import { VERDICT_VALUES, type Verdict, type VerdictValue } from '../verify/verdicts.ts';

/**
 * How verdicts are counted everywhere (terminal, report index and pages, README): theorem claims, computed claims and
 * exploratory claims apart, so that an exploratory refutation never reads as a theorem that failed; plus the Holm
 * count.
 */
export type ClaimGroup = 'theorem' | 'computed' | 'exploratory';
export const CLAIM_GROUPS: readonly ClaimGroup[] = ['theorem', 'computed', 'exploratory'];

export function groupOf(statement: TheoremStatement, v: Verdict): ClaimGroup {
  const claim = claimOf(statement, v.claim);
  return !claim.theorem ? 'exploratory' : claim.standing === 'computed' ? 'computed' : 'theorem';
}

export function groupCounts(
  statement: TheoremStatement,
  verdicts: readonly Verdict[],
): Record<ClaimGroup, Record<VerdictValue, number>> {
  const empty = () => ({ supported: 0, refuted: 0, inconclusive: 0, invalid: 0 });
  const out: Record<ClaimGroup, Record<VerdictValue, number>> = {
    theorem: empty(),
    computed: empty(),
    exploratory: empty(),
  };
  for (const v of verdicts) out[groupOf(statement, v)][v.verdict]++;
  return out;
}

export function countsText(counts: Record<VerdictValue, number>): string {
  const parts = VERDICT_VALUES.filter((x) => counts[x] > 0).map((x) => `${counts[x]} ${x}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** "theorem claims: 7 supported, 1 inconclusive; computed: none; exploratory: 1 refuted; Holm: 7 of 8 supported". */
export function summaryText(statement: TheoremStatement, evaluation: Evaluation): string {
  const c = groupCounts(statement, evaluation.verdicts);
  const f = evaluation.family;
  const holm = f
    ? `Holm over ${f.entries.length} Monte Carlo theorem claims: ` +
      `${f.entries.filter((e) => e.supportedAfterAdjustment).length} supported after ` +
      `adjustment`
    : 'no family adjustment recorded';
  return (
    `theorem claims: ${countsText(c.theorem)}; computed: ${countsText(c.computed)}; ` +
    `exploratory: ${countsText(c.exploratory)}; ${holm}`
  );
}
