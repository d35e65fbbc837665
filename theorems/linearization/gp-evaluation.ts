/** linearization: the ensemble of trained networks against the NTK Gaussian process, noise subtracted. */
import type { Dense } from '../../src/numeric/linalg.ts';
import { ntkGaussianProcess } from '../../src/engine/nets/linearized.ts';
import { groupedBootstrap } from '../../src/stats/bootstrap.ts';
import { covarianceDistanceTest, sampleCovariance } from '../../src/stats/covariance-distance.ts';
import { ALPHA } from '../../src/stats/level.ts';
import { meanSquaredExcess } from '../../src/stats/noise-corrected.ts';
import type { LimitClaim } from '../../src/verify/claims.ts';
import { armWidths, type CellResult, type SweepPlan } from '../../src/verify/experiment.ts';
import { invalidVerdict, type EvidenceTable, type Verdict } from '../../src/verify/verdicts.ts';
import { isCheckpoint } from '../../src/engine/nets/train.ts';
import { CHECKPOINTS, TRACKED_POINTS } from './statement.ts';

/**
 * Ensemble of trained networks against the closed-form NTK Gaussian process, with the ensemble noise
 * separated from the width effect. For E networks with outputs F (E x p) on the test points:
 *   mean: D = ||mean(F) - mu||^2 - tr(S)/E estimates ||E f - mu||^2 without bias (S the sample covariance);
 *   covariance: D = ||S - Sigma||_F^2 - sum_ij (S_ii S_jj + S_ij^2)/(E - 1), the Gaussian variance of S.
 * The width effect is sqrt(max(D, 0)) relative to ||mu|| (resp. ||Sigma||_F).
 *
 * The mean's interval resamples networks (percentile bootstrap). The covariance is judged by
 * src/stats/covariance-distance.ts, a bootstrap-t at three points of the tolerance boundary: a redesign declared in
 * issue 23 after the percentile bootstrap of the truncated distance was found to cover 62%, and judged on seeds from
 * 5000 (the certificate's first seed), which no earlier design had seen. Supported when the
 * test at the largest width rejects "the distance is at least tol" (pSupport <= alpha), refuted when it rejects "at
 * most tol" (pRefute <= alpha); the other widths are reported, not judged.
 */
interface GpSetting {
  K: Dense;
  Theta: Dense;
  Y: Dense;
  eta: number;
  steps: number;
  train: number;
}

export function gpVerdict(
  claim: LimitClaim,
  arm: string,
  cells: CellResult[],
  plan: SweepPlan,
  setting: GpSetting,
  what: 'mean' | 'covariance',
): Verdict {
  const mine = cells.filter((c) => c.arm === arm);
  const p = setting.K.length - setting.train;
  const bad = mine.filter((c) => c.status !== 'ok' || !Number.isFinite(c.observation['f:0']));
  if (bad.length)
    return invalidVerdict(
      claim,
      arm,
      bad.map((c) => ({ width: c.width, seed: c.seed, why: c.why ?? 'missing outputs' })),
    );
  const gp = ntkGaussianProcess(setting.K, setting.Theta, setting.train, setting.Y, setting.eta, setting.steps);
  const mu = gp.mean.map((r) => r[0]!);
  // The GP at every step (t = 0 before training) on the tracked test points, and the checkpoints the cells record at,
  // for the figure over time.
  const steps = Array.from({ length: setting.steps + 1 }, (_, t) => t);
  const atSteps = steps.map((t) =>
    ntkGaussianProcess(setting.K, setting.Theta, setting.train, setting.Y, setting.eta, t),
  );
  const overTime = {
    steps,
    mean: atSteps.map((g) => Array.from({ length: TRACKED_POINTS }, (_, j) => g.mean[j]![0]!)),
    sd: atSteps.map((g) => Array.from({ length: TRACKED_POINTS }, (_, j) => Math.sqrt(Math.max(0, g.cov[j]![j]!)))),
    checkpoints: steps.filter((t) => t === 0 || isCheckpoint(t, setting.steps, CHECKPOINTS)),
  };
  const outputsAt = (w: number) =>
    mine.filter((c) => c.width === w).map((c) => Array.from({ length: p }, (_, j) => c.observation[`f:${j}`]!));
  if (what === 'covariance') return covarianceVerdict(claim, arm, armWidths(plan, arm), outputsAt, gp);
  const scale = Math.hypot(...mu);
  const rel = (F: number[][]) => Math.sqrt(Math.max(0, meanSquaredExcess(F, mu))) / scale;
  const tol = claim.tol;
  const rowsOut: (string | number)[][] = [];
  const points = armWidths(plan, arm).map((w) => {
    const F = outputsAt(w);
    const E = F.length;
    const noise = Math.sqrt(sampleCovariance(F).reduce((s, row, i) => s + row[i]!, 0) / E) / scale;
    // Bootstrap over networks: one group whose members are network indices.
    const r = groupedBootstrap([F.map((_, i) => i)], (g) => rel(g[0]!.map((i) => F[i]!)), {
      address: { theorem: 'linearization', claim: claim.id, width: w },
      resamples: 400,
      atLeast: tol,
    });
    rowsOut.push([w, E, r.estimate, r.ci[0], r.ci[1], noise]);
    return { width: w, estimate: r.estimate, ci: r.ci, pAtLeast: r.pAtLeast! };
  });
  const last = points[points.length - 1]!;
  const first = points[0]!;
  const table: EvidenceTable = {
    title:
      'Ensemble mean vs the NTK Gaussian process after T steps: width effect relative to ||mu||, ' +
      'ensemble noise subtracted',
    columns: ['width n', 'networks', 'width effect', 'CI low', 'CI high', 'ensemble noise (relative)'],
    rows: rowsOut,
  };
  const text = points
    .map((q) => `n=${q.width}: ${q.estimate.toFixed(3)} [${q.ci[0].toFixed(3)}, ${q.ci[1].toFixed(3)}]`)
    .join('; ');
  // The p-value of "the width effect at the largest width is >= tol": the share of bootstrap resamples at or above
  // tol (a percentile p-value, at least 1/401; a normal approximation is wrong here, where the effect is truncated at
  // 0). It is the claim's input to the Holm family; the support rule itself stays the interval's upper end below tol.
  const pSupport = last.pAtLeast;
  const base = {
    claim: claim.id,
    kind: claim.kind,
    arm,
    estimate: last.estimate,
    ci: last.ci,
    pSupport,
    evidence: { points, table, gp: { mean: mu, cov: gp.cov, overTime } },
  };
  if (last.ci[1] < tol && last.estimate <= first.estimate)
    return {
      ...base,
      verdict: 'supported',
      reason: `width effect below ${tol} at the largest width and not growing: ${text}`,
    };
  if (last.ci[0] > tol)
    return { ...base, verdict: 'refuted', reason: `width effect above ${tol} at the largest width: ${text}` };
  return { ...base, verdict: 'inconclusive', reason: `the interval at the largest width reaches ${tol}: ${text}` };
}

/** gp-covariance: the covariance-distance test at every width, judged at the largest. */
function covarianceVerdict(
  claim: LimitClaim,
  arm: string,
  widths: number[],
  outputsAt: (width: number) => number[][],
  gp: { mean: Dense; cov: Dense },
): Verdict {
  // Sigma is known exactly (closed form); the test assumes Gaussian ensemble outputs (the calibration measures
  // the effect of excess kurtosis).
  const tol = claim.tol;
  const points = widths.map((w) => {
    const F = outputsAt(w);
    const t = covarianceDistanceTest(F, gp.cov, {
      tol,
      address: { theorem: 'linearization', claim: claim.id, width: w },
    });
    return { width: w, ...t, ci: [t.lower, t.upper] as [number, number], kurtosis: largestExcessKurtosis(F) };
  });
  const last = points[points.length - 1]!;
  const f3 = (x: number) => x.toFixed(3);
  const table: EvidenceTable = {
    title:
      'Ensemble covariance vs the NTK Gaussian process after T steps: relative distance ||Cov - Sigma||_F / ' +
      '||Sigma||_F, ensemble noise subtracted; bounds one-sided 95% (parametric bootstrap at the boundary)',
    columns: [
      'width n',
      'networks',
      'distance',
      'lower bound',
      'upper bound',
      'ensemble noise (relative)',
      'p(>= tol)',
      'largest |excess kurtosis|',
    ],
    rows: points.map((q) => [q.width, q.networks, q.estimate, q.lower, q.upper, q.noise, q.pSupport, q.kurtosis]),
  };
  const text = points.map((q) => `n=${q.width}: ${f3(q.estimate)} [${f3(q.lower)}, ${f3(q.upper)}]`).join('; ');
  const base = {
    claim: claim.id,
    kind: claim.kind,
    arm,
    estimate: last.estimate,
    ci: last.ci,
    pSupport: last.pSupport,
    pRefute: last.pRefute,
    evidence: { points, table, gp: { mean: gp.mean.map((r) => r[0]!), cov: gp.cov } },
  };
  const at = `at the largest width (${last.networks} networks; one-sided 95% bounds)`;
  if (last.pSupport <= ALPHA)
    return { ...base, verdict: 'supported', reason: `distance surely below ${tol} ${at}: ${text}` };
  if (last.pRefute <= ALPHA)
    return { ...base, verdict: 'refuted', reason: `distance surely above ${tol} ${at}: ${text}` };
  return { ...base, verdict: 'inconclusive', reason: `the bounds at the largest width straddle ${tol}: ${text}` };
}

/** The largest |excess kurtosis| over the test points (the test assumes Gaussian outputs; 0 for a Gaussian). */
function largestExcessKurtosis(F: number[][]): number {
  let worst = 0;
  for (let j = 0; j < F[0]!.length; j++) {
    const x = F.map((r) => r[j]!);
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const m2 = x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length;
    const m4 = x.reduce((a, b) => a + (b - m) ** 4, 0) / x.length;
    worst = Math.max(worst, Math.abs(m4 / (m2 * m2) - 3));
  }
  return worst;
}
