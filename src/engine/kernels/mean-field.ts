/**
 * Signal propagation in wide random networks (Poole et al. 2016; Schoenholz et al. 2017): the mean-field length and
 * correlation maps of a layer z = sigma_w W phi(z_prev) / sqrt(n) + sigma_b b, their fixed points, the slopes chi_1
 * and chi_c that decide the phase, the depth scales, and the critical line chi_1 = 1 (the edge of chaos).
 *
 * Expectations come from the activation's closed forms where it has them (relu: arc-cosine; erf: Williams 1997;
 * identity) and from adaptive Gaussian quadrature otherwise, at a relative tolerance of 1e-12. The derivative of the
 * length map uses Stein's identity, d/dq E[phi(sqrt(q) z)^2] = E[z phi(sqrt q z) phi'(sqrt q z)] / sqrt(q), so no
 * second derivative of phi is needed. Tested against Gauss-Hermite quadrature, the iterated maps and Monte Carlo
 * networks (test/engine/mean-field.test.ts).
 */
import type { Activation } from '../nets/activations.ts';
import { pairMoments } from './analytic-kernels.ts';
import { standardGaussianMean } from '../../numeric/gaussian-quadrature.ts';

const REL_TOL = 1e-12;

/** E[phi(u) phi(v)] and E[phi'(u) phi'(v)] for (u, v) ~ N(0, q [[1, c], [c, 1]]). */
const moments = (phi: Activation, q: number, c: number) => pairMoments(phi, q, q, c * q, REL_TOL);

/** q -> 0 is taken as the limit from above (relu's phi'(0) is a convention; its moments are not). */
const Q_MIN = 1e-30;

/** E[f(sqrt(q) z)] by the closed form's diagonal where there is one, else by one-dimensional quadrature. */
function diagonal(phi: Activation, q: number, which: 'phiPhi' | 'dphiDphi'): number {
  const Q = Math.max(q, Q_MIN);
  if (phi.closedForm) return phi.closedForm[which](Q, Q, Q);
  const s = Math.sqrt(Q);
  const f = which === 'phiPhi' ? (z: number) => phi.f(s * z) ** 2 : (z: number) => phi.df(s * z) ** 2;
  const scale = Math.max(1e-300, Math.abs(f(1)), Math.abs(f(0)));
  return standardGaussianMean(f, REL_TOL * scale, featureBreaks(s)).value;
}

/**
 * Break points of an integrand phi(s z): the activation's features sit at |x| ~ 1, so at |z| ~ 1/s, a spike of width
 * 1/s when s is large (tanh' at q = 1e6) that a rule on the scale of the Gaussian would step over.
 */
function featureBreaks(s: number): number[] {
  const out = [0];
  for (const x of [0.25, 1, 4, 16]) if (x / s < 8) out.push(x / s, -x / s);
  return out;
}

/** The length map q -> sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2. */
export function lengthMap(phi: Activation, sigmaW2: number, sigmaB2: number, q: number): number {
  return sigmaW2 * diagonal(phi, q, 'phiPhi') + sigmaB2;
}

/** chi_1 = sigma_w^2 E[phi'(sqrt(q) z)^2]: the growth of a small perturbation (and of squared gradients) per layer. */
export function chi1(phi: Activation, sigmaW2: number, q: number): number {
  return sigmaW2 * diagonal(phi, q, 'dphiDphi');
}

/**
 * E[phi(sqrt(q) z)^2] / q for a positively homogeneous activation (relu 1/2, identity 1), whatever q: its length map is
 * the line q -> sigma_w^2 gain q + sigma_b^2. Undefined for any other activation.
 */
function linearGain(phi: Activation): number | undefined {
  return phi.homogeneous && (phi.homogeneous.right ** 2 + phi.homogeneous.left ** 2) / 2;
}

/** The slope of the length map at q, sigma_w^2 d/dq E[phi(sqrt(q) z)^2] (Stein's identity). */
export function lengthSlope(phi: Activation, sigmaW2: number, q: number): number {
  // A homogeneous activation's length map is a line (relu: E[phi(sqrt(q) z)^2] = q / 2 exactly).
  const gain = linearGain(phi);
  if (gain !== undefined) return sigmaW2 * gain;
  const s = Math.sqrt(Math.max(q, Q_MIN));
  const scale = Math.max(1e-300, Math.abs(diagonal(phi, q, 'phiPhi')) / (s * s));
  const r = standardGaussianMean((z) => z * phi.f(s * z) * phi.df(s * z), REL_TOL * scale * s, featureBreaks(s));
  return (sigmaW2 * r.value) / s;
}

/** The correlation map c -> (sigma_w^2 E[phi(u) phi(v)] + sigma_b^2) / q at the fixed length q. */
export function correlationMap(phi: Activation, sigmaW2: number, sigmaB2: number, q: number, c: number): number {
  return (sigmaW2 * moments(phi, q, c).phiPhi + sigmaB2) / q;
}

/** chi_c = sigma_w^2 E[phi'(u) phi'(v)]: the slope of the correlation map at c. */
export function chiC(phi: Activation, sigmaW2: number, q: number, c: number): number {
  return sigmaW2 * moments(phi, q, c).dphiDphi;
}

/** A root of f on [a, b] where f(a) and f(b) differ in sign, by bisection to 1e-15 relative (robust and monotone). */
function bisect(f: (x: number) => number, a: number, b: number): number {
  let fa = f(a);
  for (let i = 0; i < 200; i++) {
    const m = a + (b - a) / 2;
    if (m <= a || m >= b || b - a <= 1e-15 * Math.max(Math.abs(a), Math.abs(b))) break;
    const fm = f(m);
    if (fm === 0) return m;
    if (Math.sign(fm) === Math.sign(fa)) {
      a = m;
      fa = fm;
    } else b = m;
  }
  return a + (b - a) / 2;
}

/** Why a point of the plane has no mean-field fixed point (the length map diverges). */
export class NoFixedPointError extends Error {}

/**
 * The stable fixed point q* of the length map: the largest root of L(q) = q, reached from any q > 0 when it is stable.
 * 0 when the signal dies (sigma_b^2 = 0 in the ordered phase); NaN when every q is fixed (the length map is the
 * identity: relu at sigma_w^2 = 2, or the identity activation at 1, without bias). Throws NoFixedPointError when the
 * length map diverges.
 */
export function lengthFixedPoint(phi: Activation, sigmaW2: number, sigmaB2: number): number {
  const g = (q: number) => lengthMap(phi, sigmaW2, sigmaB2, q) - q;
  const gain = linearGain(phi);
  if (gain !== undefined) {
    // L(q) = sigma_w^2 gain q + sigma_b^2: a line, with slope 1 at sigma_w^2 = 1 / gain (relu: 2).
    if (sigmaW2 * gain < 1) return sigmaB2 / (1 - sigmaW2 * gain);
    if (sigmaW2 * gain === 1 && sigmaB2 === 0) return NaN;
    throw new NoFixedPointError(
      `the ${phi.name} length map grows without bound for sigma_w^2 > ${1 / gain} (and at ${1 / gain} with a ` +
        'bias): no fixed point',
    );
  }
  // Without a bias q = 0 is always fixed, and the stable one when small signals shrink.
  const tiny = 1e-9;
  if (sigmaB2 === 0 && !(g(tiny) > 0)) return 0;
  // Bracket: g(lo) >= 0 (L(q) >= sigma_b^2 >= lo), g(hi) < 0 for hi large enough when a fixed point exists.
  let hi = Math.max(1, 2 * (sigmaW2 + sigmaB2));
  while (!(g(hi) < 0)) {
    hi *= 4;
    if (hi > 1e12) throw new NoFixedPointError(`the length map grows without bound (no fixed point below q = 1e12)`);
  }
  return sigmaB2 > 0 ? bisect(g, sigmaB2, hi) : bisect(g, tiny, hi);
}

export type Phase = 'ordered' | 'critical' | 'chaotic';
/** chi_1 within this of 1 is the critical line (the root finder's resolution, far below any experiment's). */
const CRITICAL_BAND = 1e-9;

export interface MeanFieldPoint {
  activation: string;
  sigmaW2: number;
  sigmaB2: number;
  /** The critical sigma_w^2 at this sigma_b^2 (chi_1 = 1), or null where the line does not reach this sigma_b^2. */
  sigmaW2Critical: number | null;
  phase: Phase;
  /** Fixed point of the length map (null when every q is fixed: relu at sigma_w^2 = 2 without bias). */
  qStar: number | null;
  chi1: number;
  /** The stable fixed point of the correlation map (1 in the ordered phase and on the critical line). */
  cStar: number;
  /** The slope of the correlation map at c*. */
  chiC: number;
  /** Depth scale of correlations, -1 / ln chi_c (Infinity on the critical line). */
  xiC: number;
  /** Depth scale of the length, -1 / ln(slope of the length map at q*). */
  xiQ: number;
}

/** -1 / ln(slope); Infinity within the quadrature's resolution of 1 (a critical map has no depth scale). */
const depthScale = (slope: number) => (slope >= 1 - 1e-12 ? Infinity : slope <= 0 ? 0 : -1 / Math.log(slope));

/** A point's phase, fixed points, slopes and depth scales: everything of MeanFieldPoint but the critical line. */
export type DepthScales = Omit<MeanFieldPoint, 'activation' | 'sigmaW2' | 'sigmaB2' | 'sigmaW2Critical'>;

/**
 * The phase, fixed points, slopes and depth scales at one point of the (sigma_w^2, sigma_b^2) plane, without the root
 * finding for the critical line (a phase diagram evaluates many points at a few biases).
 */
export function depthScales(phi: Activation, sigmaW2: number, sigmaB2: number): DepthScales {
  const fixed = lengthFixedPoint(phi, sigmaW2, sigmaB2);
  // A homogeneous activation's maps are scale-free: with every q fixed (or the signal dying), evaluate them at q = 1.
  const q = Number.isNaN(fixed) || (linearGain(phi) !== undefined && fixed === 0) ? 1 : fixed;
  const c1 = chi1(phi, sigmaW2, q);
  const phase: Phase = Math.abs(c1 - 1) <= CRITICAL_BAND ? 'critical' : c1 < 1 ? 'ordered' : 'chaotic';
  let cStar = 1;
  if (phase === 'chaotic' && q > 0) {
    // The correlation map has slope chi_1 > 1 at c = 1, so it dips below the diagonal just under 1; it is at or above
    // the diagonal at c = -1. Its stable fixed point lies between.
    const h = (c: number) => correlationMap(phi, sigmaW2, sigmaB2, q, c) - c;
    // (c = -1 itself is fixed for an odd activation without bias, and unstable: start just inside.)
    let top = 1 - 1e-6;
    while (!(h(top) < 0) && top > -1) top = 1 - 2 * (1 - top);
    const bottom = -1 + 1e-6;
    cStar = h(bottom) > 0 ? bisect(h, bottom, top) : -1;
  }
  const slopeC = q > 0 ? chiC(phi, sigmaW2, q, cStar) : c1;
  return {
    phase,
    qStar: Number.isNaN(fixed) ? null : fixed,
    chi1: c1,
    cStar,
    chiC: slopeC,
    xiC: depthScale(slopeC),
    xiQ: depthScale(lengthSlope(phi, sigmaW2, q)),
  };
}

/** The mean-field description of a point of the (sigma_w^2, sigma_b^2) plane. */
export function meanFieldPoint(phi: Activation, sigmaW2: number, sigmaB2: number): MeanFieldPoint {
  const scales = depthScales(phi, sigmaW2, sigmaB2);
  let critical: number | null;
  try {
    critical = criticalSigmaW2(phi, sigmaB2);
  } catch {
    critical = null;
  }
  return { activation: phi.name, sigmaW2, sigmaB2, sigmaW2Critical: critical, ...scales };
}

/**
 * The edge of chaos: the sigma_w^2 where chi_1(q*) = 1 at this sigma_b^2, by bisection on sigma_w^2 (chi_1 at the
 * fixed point crosses 1 once for the activations here). Exactly 2 for relu and 1 for identity (a homogeneous
 * activation: chi_1 = sigma_w^2 E[phi'^2] whatever q); 1 /
 * phi'(0)^2 without a bias for an activation with phi(0) = 0 (the signal dies to q* = 0 up to the line).
 */
export function criticalSigmaW2(phi: Activation, sigmaB2: number): number {
  // A homogeneous activation: chi_1 = sigma_w^2 gain whatever q (relu: exactly 2).
  const gain = linearGain(phi);
  if (gain !== undefined) return 1 / gain;
  // Without a bias and with phi(0) = 0, q* = 0 up to the line, where chi_1 = sigma_w^2 phi'(0)^2.
  if (sigmaB2 === 0 && phi.f(0) === 0 && phi.df(0) !== 0) return 1 / phi.df(0) ** 2;
  const F = (sigmaW2: number) => {
    try {
      return chi1(phi, sigmaW2, lengthFixedPoint(phi, sigmaW2, sigmaB2)) - 1;
    } catch (error) {
      if (error instanceof NoFixedPointError) return Infinity;
      throw error;
    }
  };
  let lo = 1e-6;
  if (!(F(lo) < 0)) throw new NoFixedPointError(`chi_1 >= 1 already at sigma_w^2 = ${lo}: no ordered phase`);
  let hi = 1;
  while (!(F(hi) > 0)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e6) throw new NoFixedPointError('chi_1 stays below 1 for every sigma_w^2 up to 1e6: no critical line');
  }
  return bisect(F, lo, hi);
}
