import { gaussianMean } from './gauss-hermite.ts';

/**
 * Gaussian expectations with error control, for activations without a closed form.
 *
 * E[f(Z)], Z ~ N(0, 1), is integrated on [-L, L], L >= 4 chosen so that the Gaussian tails beyond it are below 1% of
 * the tolerance: first by the trapezoidal rule with the step halved until two sums agree (exponential convergence for
 * analytic integrands), and where that does not converge (a kink) by a globally adaptive Gauss-Kronrod 10-21 rule
 * (QUADPACK qk21 nodes and error estimate) split at 0 and at caller-given break points. (A map of the whole line onto
 * (-1, 1) was tried first: its integrand is not analytic at the end points and cost 20x more evaluations.)
 * E[f(u) g(v)] for (u, v) ~ N(0, [[q1, c], [c, q2]]) is the nested integral over u = sqrt(q1) z1,
 * v = sqrt(q2) (rho z1 + tau z2), the inner one for every outer node, with a break point where v = 0.
 *
 * Accuracy is asked relative to the Cauchy-Schwarz scale sqrt(E f(u)^2 E g(v)^2), which bounds |E f g| and is the
 * scale of the Gram matrix the moment enters (a moment that vanishes by symmetry, E tanh(u) tanh(v) at rho = 0, has no
 * relative accuracy to speak of). Gauss-Hermite (the previous rule, and neural-tangents' default of degree 25) cannot
 * resolve sech^2(sqrt(q) z) once q is large; the adaptive rule refines where the integrand changes.
 */

// Kronrod 21-point abscissae (XGK, descending, the last is 0) and weights (WGK); Gauss 10-point weights (WG) for the
// abscissae XGK[1], XGK[3], ..., XGK[9] (QUADPACK qk21).
const XGK = [
  0.995657163025808080735527280689003, 0.973906528517171720077964012084452, 0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
  0.780817726586416897063717578345042, 0.679409568299024406234327365114874, 0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
  0.294392862701460198131126603103866, 0.14887433898163121088482600112972, 0,
];
const WGK = [
  0.011694638867371874278064396062192, 0.03255816230796472747881897245939, 0.05475589657435199603138130024458, 0.07503967481091995276704314091619,
  0.093125454583697605535065465083366, 0.109387158802297641899210590325805, 0.123491976262065851077958109831074, 0.134709217311473325928054001771707,
  0.142775938577060080797094273138717, 0.147739104901338491374841515972068, 0.149445554002916905664936468389821,
];
const WG = [0.066671344308688137593568809893332, 0.149451349150580593145776339657697, 0.219086362515982043995534934228163, 0.269266719309996355091226921569469, 0.295524224714752870173892994651338];
const HALF = 10;

export interface QuadratureResult {
  value: number;
  /** Estimated absolute error. */
  error: number;
  evaluations: number;
}

interface Piece {
  a: number;
  b: number;
  value: number;
  error: number;
  /** The roundoff floor of this piece's error estimate (50 eps resabs): below it, splitting cannot help. */
  floor: number;
}

/** One qk21 panel with QUADPACK's error estimate: resasc min(1, (200 |K - G| / resasc)^1.5), floored at 50 eps resabs. */
function kronrod(h: (t: number) => number, a: number, b: number): Piece {
  const center = 0.5 * (a + b);
  const half = 0.5 * (b - a);
  const fc = h(center);
  let k = fc * WGK[HALF]!;
  let g = 0;
  let absK = Math.abs(k);
  const f1v: number[] = [];
  const f2v: number[] = [];
  for (let j = 0; j < HALF; j++) {
    const dx = half * XGK[j]!;
    const f1 = h(center - dx);
    const f2 = h(center + dx);
    f1v.push(f1);
    f2v.push(f2);
    k += WGK[j]! * (f1 + f2);
    absK += WGK[j]! * (Math.abs(f1) + Math.abs(f2));
    if (j % 2 === 1) g += WG[(j - 1) / 2]! * (f1 + f2);
  }
  const mean = 0.5 * k;
  let asc = WGK[HALF]! * Math.abs(fc - mean);
  for (let j = 0; j < HALF; j++) asc += WGK[j]! * (Math.abs(f1v[j]! - mean) + Math.abs(f2v[j]! - mean));
  const resasc = asc * Math.abs(half);
  const resabs = absK * Math.abs(half);
  let error = Math.abs((k - g) * half);
  if (resasc !== 0 && error !== 0) error = resasc * Math.min(1, ((200 * error) / resasc) ** 1.5);
  const floor = 50 * Number.EPSILON * resabs;
  error = Math.max(floor, error);
  return { a, b, value: k * half, error, floor };
}

/** Globally adaptive Gauss-Kronrod of h on [a, b] split at `breaks`, until the summed error estimate is <= absTol. */
export function adaptiveIntegral(h: (t: number) => number, a: number, b: number, absTol: number, breaks: number[] = [], maxPieces = 4000): QuadratureResult {
  const cuts = [a, ...breaks.filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) if (cuts[i + 1]! > cuts[i]!) pieces.push(kronrod(h, cuts[i]!, cuts[i + 1]!));
  let evaluations = 21 * pieces.length;
  const total = () => pieces.reduce((s, p) => s + p.error, 0);
  let err = total();
  while (err > absTol && pieces.length < maxPieces) {
    // Split the piece with the most error above its roundoff floor; stop when every piece is at its floor.
    let worst = -1;
    let most = 0;
    for (let i = 0; i < pieces.length; i++) {
      const excess = pieces[i]!.error - 2 * pieces[i]!.floor;
      if (excess > most) {
        most = excess;
        worst = i;
      }
    }
    if (worst < 0) break;
    const p = pieces[worst]!;
    const mid = 0.5 * (p.a + p.b);
    if (!(mid > p.a && mid < p.b)) break; // the interval cannot be split further in float64
    const left = kronrod(h, p.a, mid);
    const right = kronrod(h, mid, p.b);
    pieces.splice(worst, 1, left, right);
    evaluations += 42;
    err += left.error + right.error - p.error;
    if (pieces.length % 64 === 0) err = total();
  }
  return { value: pieces.reduce((s, p) => s + p.value, 0), error: total(), evaluations };
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Tolerance that the whole estimate must meet. */
export const DEFAULT_RELATIVE_TOLERANCE = 1e-10;

export class NonFiniteIntegrand extends Error {
  constructor(readonly z: number) {
    super(`the integrand is not finite at z = ${z}`);
  }
}

const density = (z: number) => INV_SQRT_2PI * Math.exp(-0.5 * z * z);

/**
 * The half-width L of the integration range: the smallest L >= 4 (in steps of 1/2) whose tails, estimated as (|f(L)| + |f(-L)|) phi(L) / L
 * (the leading term of the Mills ratio, exact to leading order for f of polynomial growth), are below absTol / 100.
 */
function halfWidth(f: (z: number) => number, absTol: number): number {
  for (let L = 4; L <= 38; L += 0.5) {
    const tail = ((Math.abs(f(L)) + Math.abs(f(-L))) * density(L)) / L;
    if (Number.isFinite(tail) && tail <= absTol / 100) return L;
  }
  return 38;
}

/**
 * E[f(Z)] by the whole-line trapezoidal rule on [-L, L] with step h halved until two successive sums agree within absTol.
 * For f analytic in a strip the error falls like exp(-2 pi d / h), so the finer sum's error is about the square of the
 * coarser one's: agreement certifies it. Returns null when the step reaches h_min without agreement (a kink, or a strip
 * too narrow), so that the caller falls back to adaptive Gauss-Kronrod.
 */
export function trapezoidGaussianMean(f: (z: number) => number, absTol: number, L: number, hMin = 1 / 256): QuadratureResult | null {
  let h = 0.5;
  let n = Math.ceil(L / h);
  let sum = f(0) * density(0);
  for (let k = 1; k <= n; k++) {
    const z = k * h;
    sum += f(z) * density(z) + f(-z) * density(z);
  }
  let evaluations = 2 * n + 1;
  let previous = sum * h;
  while (h > hMin) {
    // The midpoints of the current grid.
    let add = 0;
    for (let k = 0; k < n; k++) {
      const z = (k + 0.5) * h;
      const w = density(z);
      add += (f(z) + f(-z)) * w;
    }
    evaluations += 2 * n;
    sum += add;
    h /= 2;
    n *= 2;
    const current = sum * h;
    if (!Number.isFinite(current)) return null;
    if (Math.abs(current - previous) <= absTol && h <= 0.25) return { value: current, error: Math.abs(current - previous), evaluations };
    previous = current;
  }
  return null;
}

/** E[f(Z)], Z ~ N(0, 1), to absolute error absTol; `kinks` are z values where f is not smooth. */
export function standardGaussianMean(f: (z: number) => number, absTol: number, kinks: number[] = []): QuadratureResult {
  const L = halfWidth(f, absTol);
  const checked = (z: number) => {
    const v = f(z);
    if (!Number.isFinite(v) && density(z) > 0) throw new NonFiniteIntegrand(z);
    return Number.isFinite(v) ? v : 0;
  };
  // The trapezoidal rule first; a kink (or a strip too narrow) keeps it from converging, then adaptive Gauss-Kronrod
  // with the kinks as break points.
  const fast = trapezoidGaussianMean(checked, absTol, L);
  if (fast) return fast;
  return adaptiveIntegral(
    (z) => {
      const w = density(z);
      if (w === 0) return 0;
      return checked(z) * w;
    },
    -L,
    L,
    absTol,
    [0, ...kinks],
  );
}

/** E[f(sqrt(q) Z)^2] to relative accuracy 1e-13 (a 64-point Gauss-Hermite value sets the absolute target). */
export function secondMoment(f: (x: number) => number, q: number): number {
  const s = Math.sqrt(q);
  const rough = gaussianMean((x) => f(x) ** 2, q, 64);
  if (!(rough > 0)) return standardGaussianMean((z) => f(s * z) ** 2, 1e-300 + 1e-13 * Math.abs(rough), [0]).value;
  return standardGaussianMean((z) => f(s * z) ** 2, 1e-13 * rough, [0]).value;
}

/**
 * E[f(u) g(v)], (u, v) ~ N(0, [[q1, c], [c, q2]]), to absolute error relTol x sqrt(E f(u)^2 E g(v)^2) (the
 * Cauchy-Schwarz scale). `moments` are E f(u)^2 and E g(v)^2; a caller integrating many pairs passes them memoised.
 * Kinks of f and g at 0 (relu-like activations) are break points of the outer and inner integrals.
 */
export function gaussianPairExpectation(
  f: (x: number) => number,
  g: (x: number) => number,
  q1: number,
  q2: number,
  c: number,
  relTol = DEFAULT_RELATIVE_TOLERANCE,
  moments: { f: number; g: number } = { f: secondMoment(f, q1), g: secondMoment(g, q2) },
): QuadratureResult {
  const scale = Math.sqrt(Math.abs(moments.f * moments.g));
  const s1 = Math.sqrt(q1);
  const s2 = Math.sqrt(q2);
  const rho = s1 * s2 === 0 ? 0 : Math.max(-1, Math.min(1, c / (s1 * s2)));
  const tau = Math.sqrt(Math.max(0, 1 - rho * rho));
  if (scale === 0) return { value: 0, error: 0, evaluations: 0 };
  const tol = relTol * scale;
  // The inner integral is weighted by |f(u)| <= its own size; ask it for tol / 4 relative to the f scale.
  const fScale = Math.sqrt(moments.f) || 1;
  let evaluations = 0;
  const inner = (z1: number): number => {
    const a = s2 * rho * z1;
    if (tau === 0) return g(a);
    const r = standardGaussianMean((z2) => g(a + s2 * tau * z2), (0.25 * tol) / fScale, [-a / (s2 * tau)]);
    evaluations += r.evaluations;
    return r.value;
  };
  const outer = standardGaussianMean(
    (z1) => {
      const fu = f(s1 * z1);
      return fu === 0 ? 0 : fu * inner(z1);
    },
    0.5 * tol,
    rho !== 0 ? [0] : [],
  );
  return { value: outer.value, error: outer.error + 0.25 * tol, evaluations: evaluations + outer.evaluations };
}
