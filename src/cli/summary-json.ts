/** The `--json` summary that `verify` and `merge` print: verdicts, ablations and the family, per claim. */
import { claimOf } from '../verify/claims.ts';
import type { TheoremStatement } from '../verify/claims.ts';
import type { Certificate } from '../verify/certificate.ts';
import type { Verdict } from '../verify/verdicts.ts';

/** The `--json` view of a verdict: `{"id", "kind", "verdict", "estimate", "ci": [lo, hi], ...}`. */
function claimJson(statement: TheoremStatement, v: Verdict) {
  const claim = claimOf(statement, v.claim);
  const fit = (v.evidence as { fit?: { local?: unknown; means?: number[]; fitted?: number[] } }).fit;
  return {
    id: v.claim,
    kind: v.kind,
    title: claim.title,
    theorem: claim.theorem,
    arm: v.arm,
    verdict: v.verdict,
    estimate: v.estimate,
    ci: v.ci,
    reason: v.reason,
    ...(claim.kind === 'rate' ? { claimed: { mode: claim.mode, exponent: claim.exponent, tol: claim.tol } } : {}),
    ...(fit ? { localSlopes: fit.local, means: fit.means, widths: fit.fitted } : {}),
  };
}

export function summaryJson(statement: TheoremStatement, certificate: Certificate, path: string) {
  return {
    theorem: statement.id,
    fidelity: certificate.fidelity,
    certificate: path,
    claims: certificate.evaluation.verdicts.map((v) => claimJson(statement, v)),
    ablations: certificate.evaluation.ablations.map((a) => ({
      id: a.ablation,
      title: statement.ablations.find((x) => x.id === a.ablation)!.title,
      claims: a.verdicts.map((v) => claimJson(statement, v)),
    })),
    wallSeconds: certificate.wallSeconds,
    backend: certificate.backend,
    ...(certificate.kernels ? { kernels: certificate.kernels } : {}),
  };
}
