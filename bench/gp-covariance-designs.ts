/**
 * `npx tsx bench/gp-covariance-designs.ts [--replications N] [--networks 512,1536] [--design boundary|jackknife]
 * [--out docs/calibration-gp-covariance.md]`: the two redesigns of linearization's gp-covariance test tried in issue
 * 23, calibrated on synthetic ensembles around the committed certificate's Gaussian-process covariance Sigma (a closed
 * form; no network output enters).
 *
 * `boundary` (the design adopted): src/stats/covariance-distance.ts, a bootstrap-t at three points of the null
 * boundary. Rows: the true covariance at relative distance delta in four directions (Sigma's top eigenvector with +
 * and - signs, a scale (1 + delta) Sigma, a random positive direction), and Student-t rows (excess kurtosis
 * 6 / (nu - 4): 1 at nu = 10, 0.23 at nu = 30) for the Gaussian assumption; columns: supported, refuted, and the
 * coverage of the one-sided 95% upper bound (read by duality: the bound is at or above delta iff the test at delta
 * does not reject).
 *
 * `jackknife` (rejected): the squared
 * distance D = ||Sigma_n - Sigma||_F^2 estimated with the Gaussian noise correction, a delete-a-group jackknife
 * standard error (16 groups, 15 df), supported when the one-sided 95% t bound is below (0.1 ||Sigma||_F)^2. On
 * Gaussian ensembles whose covariance is (1 + delta) Sigma (Sigma: the committed certificate's Gaussian-process
 * covariance), a claim exactly at the tolerance (delta = 0.1) is supported 12-21% of the time at 256-1536 networks
 * (400 replications per row) and the interval covers 84-93%. At 512 networks the estimate over the bound has mean
 * 1.09 (unbiased) but median 0.64 and 5% quantile -0.23: the statistic is skewed and its jackknife error shrinks
 * with it in the left tail, where support is decided. A parametric bootstrap at the boundary is the next design to
 * calibrate; the theorem keeps the earlier design (inconclusive) until one passes this table.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { symmetricEigen, type Dense } from '../src/numeric/linalg.ts';
import { stream } from '../src/random/rng.ts';
import { chiSquare } from '../src/random/distributions.ts';
import { covarianceDistanceTest } from '../src/stats/covariance-distance.ts';
import { ALPHA } from '../src/stats/level.ts';
import { studentTCdf, studentTQuantile } from '../src/stats/student-t.ts';
import { readCertificate } from '../src/verify/certificate.ts';

/** ||S - Sigma||_F^2 minus the Gaussian expectation of ||S - E S||_F^2 (S the sample covariance of the rows of F). */
function covarianceExcess(F: number[][], Sigma: Dense): number {
  const E = F.length;
  const p = F[0]!.length;
  const mean = Array.from({ length: p }, (_, j) => F.reduce((s, r) => s + r[j]!, 0) / E);
  const S = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => F.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / (E - 1)),
  );
  let out = 0;
  S.forEach((row, i) =>
    row.forEach((v, j) => {
      out += (v - Sigma[i]![j]!) ** 2 - (S[i]![i]! * S[j]![j]! + v * v) / (E - 1);
    }),
  );
  return out;
}

/** The estimate of D with a delete-a-group jackknife standard error over 16 contiguous groups. */
function covarianceDistance(F: number[][], Sigma: Dense): { estimate: number; se: number; df: number } {
  const G = Math.min(16, F.length);
  const estimate = covarianceExcess(F, Sigma);
  const leaveOut = Array.from({ length: G }, (_, g) =>
    covarianceExcess(
      F.filter((_, i) => Math.floor((i * G) / F.length) !== g),
      Sigma,
    ),
  );
  const m = leaveOut.reduce((a, v) => a + v, 0) / G;
  return { estimate, se: Math.sqrt(((G - 1) / G) * leaveOut.reduce((a, v) => a + (v - m) ** 2, 0)), df: G - 1 };
}

interface GpCalibrationRow {
  delta: number;
  networks: number;
  supported: number;
  refuted: number;
  coverage: number;
}

const frob = (A: Dense) => Math.sqrt(A.flat().reduce((s, v) => s + v * v, 0));

/**
 * Sigma moved by delta ||Sigma||_F along a fixed symmetric direction that keeps it positive definite (a multiple of
 * Sigma plus a small rotation-free part: Sigma_n = (1 + delta) Sigma has relative distance exactly delta).
 */
function movedCovariance(Sigma: Dense, delta: number): Dense {
  return Sigma.map((row) => row.map((v) => (1 + delta) * v));
}

function calibrateGpCovariance(
  Sigma: Dense,
  options: { delta: number; networks: number; replications: number; tol: number },
): GpCalibrationRow {
  const { delta, networks, replications, tol } = options;
  const p = Sigma.length;
  // A square root by the eigendecomposition (the GP covariance may be only semi-definite): L = V sqrt(max(lambda, 0)).
  const { values, vectors } = symmetricEigen(movedCovariance(Sigma, delta));
  const L = Sigma.map((_, i) => values.map((l, k) => vectors[i]![k]! * Math.sqrt(Math.max(0, l))));
  const scale2 = frob(Sigma) ** 2;
  const bound = tol ** 2 * scale2;
  const rng = stream({ calibration: 'gp-covariance', delta, networks });
  let supported = 0;
  let refuted = 0;
  let covered = 0;
  for (let r = 0; r < replications; r++) {
    const F = Array.from({ length: networks }, () => {
      const z = Array.from({ length: p }, () => rng.normal());
      return L.map((row) => row.reduce((s, v, k) => s + v * z[k]!, 0));
    });
    const d = covarianceDistance(F, Sigma);
    const t = (bound - d.estimate) / d.se;
    const pSupport = 1 - studentTCdf(t, d.df);
    const pRefute = Math.min(1, 2 * studentTCdf(t, d.df));
    if (pSupport <= ALPHA) supported++;
    else if (pRefute <= ALPHA) refuted++;
    const h = studentTQuantile(0.975, d.df) * d.se;
    const truth = delta ** 2 * scale2;
    if (d.estimate - h <= truth && truth <= d.estimate + h) covered++;
  }
  return {
    delta,
    networks,
    supported: supported / replications,
    refuted: refuted / replications,
    coverage: covered / replications,
  };
}

type Direction = 'top+' | 'top-' | 'scale' | 'random';

/** Sigma moved to relative distance delta along a direction (each keeps it positive semi-definite here). */
function moved(Sigma: Dense, delta: number, direction: Direction): Dense {
  const r = delta * frob(Sigma);
  const p = Sigma.length;
  switch (direction) {
    case 'scale':
      return Sigma.map((row) => row.map((v) => (1 + delta) * v));
    case 'top+':
    case 'top-': {
      const { vectors } = symmetricEigen(Sigma);
      const v1 = vectors.map((row) => row[p - 1]!);
      const sign = direction === 'top+' ? 1 : -1;
      return Sigma.map((row, i) => row.map((x, j) => x + sign * r * v1[i]! * v1[j]!));
    }
    case 'random': {
      const rng = stream({ calibration: 'gp-covariance-direction' });
      const G = Array.from({ length: p }, () => Array.from({ length: p }, () => rng.normal()));
      const U = G.map((gi) => G.map((gj) => gi.reduce((s, v, k) => s + v * gj[k]!, 0)));
      const u = frob(U);
      return Sigma.map((row, i) => row.map((x, j) => x + (r * U[i]![j]!) / u));
    }
  }
}

function boundaryRow(
  Sigma: Dense,
  options: { delta: number; direction: Direction; networks: number; replications: number; tol: number; nu?: number },
) {
  const { delta, direction, networks, replications, tol, nu } = options;
  const p = Sigma.length;
  const { values: lv, vectors } = symmetricEigen(moved(Sigma, delta, direction));
  const L = Sigma.map((_, i) => lv.map((l, k) => vectors[i]![k]! * Math.sqrt(Math.max(0, l))));
  const rng = stream({ calibration: 'gp-covariance-boundary', delta, direction, networks, nu: nu ?? 0 });
  let supported = 0;
  let refuted = 0;
  let covered = 0;
  for (let r = 0; r < replications; r++) {
    const F = Array.from({ length: networks }, () => {
      // Student-t rows scaled to the same covariance: z sqrt((nu - 2) / chi^2_nu).
      const w = nu ? Math.sqrt((nu - 2) / chiSquare(rng, nu)) : 1;
      const z = Array.from({ length: p }, () => w * rng.normal());
      return L.map((row) => row.reduce((s, v, k) => s + v * z[k]!, 0));
    });
    const t = covarianceDistanceTest(F, Sigma, {
      tol,
      address: { calibration: 'gp-covariance', r, networks },
      bounds: false,
      at: delta,
    });
    if (t.pSupport <= ALPHA) supported++;
    else if (t.pRefute <= ALPHA) refuted++;
    // The upper bound (the test inverted) lies at or above delta iff the test at delta does not reject.
    if (t.pAt! > ALPHA) covered++;
  }
  return { supported: supported / replications, refuted: refuted / replications, coverage: covered / replications };
}

const { values } = parseArgs({
  options: {
    replications: { type: 'string', default: '1000' },
    design: { type: 'string', default: 'boundary' },
    networks: { type: 'string', default: '512,1536' },
    out: { type: 'string' },
  },
});
const NETWORKS = values.networks.split(',').map(Number);
const cert = readCertificate('proofs-numeric/linearization.json');
const v = cert.evaluation.verdicts.find((x) => x.claim === 'gp-covariance')!;
const Sigma = (v.evidence as { gp: { cov: number[][] } }).gp.cov;
const pct = (x: number) => (100 * x).toFixed(1);
const replications = Number(values.replications);
const lines: string[] = [];
const emit = (line: string) => {
  console.log(line);
  lines.push(line);
};
if (values.design === 'boundary') {
  emit('| rows | true relative distance | direction | networks | supported % | refuted % | upper bound covers % |');
  emit('|---|---|---|---|---|---|---|');
  const rows: { delta: number; direction: Direction; nu?: number }[] = [
    ...(['top+', 'top-', 'scale', 'random'] as const).map((direction) => ({ delta: 0.1, direction })),
    { delta: 0.1, direction: 'top+', nu: 10 },
    { delta: 0.1, direction: 'top+', nu: 30 },
    { delta: 0.15, direction: 'top+' },
    { delta: 0.05, direction: 'top+' },
    { delta: 0.05, direction: 'scale' },
    { delta: 0, direction: 'scale' },
  ];
  for (const networks of NETWORKS)
    for (const row of rows) {
      const r = boundaryRow(Sigma, { ...row, networks, replications, tol: 0.1 });
      emit(
        `| ${row.nu ? `t, nu = ${row.nu}` : 'Gaussian'} | ${row.delta} | ${row.direction} | ${networks} | ` +
          `${pct(r.supported)} | ${pct(r.refuted)} | ${pct(r.coverage)} |`,
      );
    }
  if (values.out)
    writeFileSync(
      values.out,
      '# Calibration of the gp-covariance test\n\n' +
        `Generated by \`npx tsx bench/gp-covariance-designs.ts --replications ${replications} --networks ` +
        `${NETWORKS.join(',')} --out ${values.out}\` (src/stats/covariance-distance.ts, a bootstrap-t at three ` +
        "points of the null boundary; linearization's `gp-covariance`, tolerance 0.1). Each row draws ensembles of " +
        'independent rows whose covariance lies at the stated relative distance from the Gaussian-process covariance ' +
        'Sigma of the certificate, in the stated direction, and judges them as the theorem does. Targets, fixed ' +
        'before the run: at distance 0.1 (the boundary) supported and refuted at most 5% (up to Monte Carlo error), ' +
        'the upper bound covering at least 93%. The Student-t rows (excess kurtosis 1 and 0.23) measure what ' +
        "non-Gaussian outputs do; the verdict reports the ensemble's largest excess kurtosis beside it.\n\n" +
        `${lines.join('\n')}\n\n${replications} replications per row.\n`,
    );
} else {
  console.log('| true relative distance | networks | supported % | refuted % | 95% interval covers % |');
  console.log('|---|---|---|---|---|');
  for (const networks of [256, 512, 1024, 1536])
    for (const delta of [0, 0.05, 0.1, 0.15, 0.2]) {
      const r = calibrateGpCovariance(Sigma, { delta, networks, replications, tol: 0.1 });
      console.log(`| ${delta} | ${networks} | ${pct(r.supported)} | ${pct(r.refuted)} | ${pct(r.coverage)} |`);
    }
}
