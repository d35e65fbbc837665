/**
 * Gaussian expectations with error control, for activations without a closed form.
 *
 * E[f(Z)], Z ~ N(0, 1), is integrated on [-L, L], L >= 4 chosen so that the Gaussian tails beyond it are below 1% of
 * the tolerance: first by the trapezoidal rule with the step halved until two sums agree (exponential convergence for
 * analytic integrands), and where that does not converge (a kink) by a globally adaptive Gauss-Kronrod 10-21 rule
 * (QUADPACK qk21 nodes and error estimate) split at 0 and at caller-given break points. (A map of the whole line onto
 * (-1, 1) was tried first: its integrand is not analytic at the end points and cost 20x more evaluations.)
 * E[f(u) g(v)] for (u, v) ~ N(0, [[q1, c], [c, q2]]) is first tried by the lattice rule (latticePairExpectation:
 * trapezoidal sums whose inner Gaussian sums share the evaluations of g); where it declines (a kink, exact
 * (anti)parallelism, too much work) it is the nested integral over u = sqrt(q1) z1, v = sqrt(q2) (rho z1 + tau z2), the
 * inner one for every outer node, with a break point where v = 0.
 *
 * Accuracy is asked relative to the Cauchy-Schwarz scale sqrt(E f(u)^2 E g(v)^2), which bounds |E f g| and is the
 * scale of the Gram matrix the moment enters (a moment that vanishes by symmetry, E tanh(u) tanh(v) at rho = 0, has no
 * relative accuracy to speak of). Gauss-Hermite (the previous rule, and neural-tangents' default of degree 25) cannot
 * resolve sech^2(sqrt(q) z) once q is large; the adaptive rule refines where the integrand changes.
 */
import { gaussianMean } from './gauss-hermite.ts';

// Kronrod 21-point abscissae (XGK, descending, the last is 0) and weights (WGK); Gauss 10-point weights (WG) for the
// abscissae XGK[1], XGK[3], ..., XGK[9] (QUADPACK qk21).
const XGK = [
  0.995657163025808080735527280689003, 0.973906528517171720077964012084452, 0.930157491355708226001207180059508,
  0.865063366688984510732096688423493, 0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
  0.562757134668604683339000099272694, 0.433395394129247190799265943165784, 0.294392862701460198131126603103866,
  0.14887433898163121088482600112972, 0,
];
const WGK = [
  0.011694638867371874278064396062192, 0.03255816230796472747881897245939, 0.05475589657435199603138130024458,
  0.07503967481091995276704314091619, 0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
  0.123491976262065851077958109831074, 0.134709217311473325928054001771707, 0.142775938577060080797094273138717,
  0.147739104901338491374841515972068, 0.149445554002916905664936468389821,
];
const WG = [
  0.066671344308688137593568809893332, 0.149451349150580593145776339657697, 0.219086362515982043995534934228163,
  0.269266719309996355091226921569469, 0.295524224714752870173892994651338,
];
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

/** One qk21 panel with QUADPACK's error estimate: resasc min(1, (200 |K - G| / resasc)^1.5), floored at 50 eps resabs.
 * */
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
export function adaptiveIntegral(
  h: (t: number) => number,
  a: number,
  b: number,
  absTol: number,
  breaks: number[] = [],
  maxPieces = 4000,
): QuadratureResult {
  const cuts = [a, ...breaks.filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < cuts.length; i++)
    if (cuts[i + 1]! > cuts[i]!) pieces.push(kronrod(h, cuts[i]!, cuts[i + 1]!));
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
 * The half-width L of the integration range: the smallest L >= 4 (in steps of 1/2) whose tails, estimated as (|f(L)| +
 * |f(-L)|) phi(L) / L
 * (the leading term of the Mills ratio, exact to leading order for f of polynomial growth), are below absTol / 100.
 */
function halfWidth(f: (z: number) => number, absTol: number, from = 4): number {
  for (let L = from; L <= 38; L += 0.5) {
    const tail = ((Math.abs(f(L)) + Math.abs(f(-L))) * density(L)) / L;
    if (Number.isFinite(tail) && tail <= absTol / 100) return L;
  }
  return 38;
}

/**
 * E[f(Z)] by the whole-line trapezoidal rule on [-L, L] with step h halved until two successive sums agree within
 * absTol.
 * For f analytic in a strip the error falls like exp(-2 pi d / h), so the finer sum's error is about the square of the
 * coarser one's: agreement certifies it. Returns null when the step reaches h_min without agreement (a kink, or a strip
 * too narrow), so that the caller falls back to adaptive Gauss-Kronrod.
 */
export function trapezoidGaussianMean(
  f: (z: number) => number,
  absTol: number,
  L: number,
  hMin = 1 / 256,
  /** A node of every grid (0 by default; a kink's place makes the rule's error fall smoothly with h). */
  origin = 0,
): QuadratureResult | null {
  let h = 0.5;
  let n = Math.ceil((L + Math.abs(origin)) / h);
  // Nodes origin +- z; with origin 0 this is the plain symmetric sum (the same bits as before the origin existed).
  const pair = (z: number) =>
    origin === 0
      ? (f(z) + f(-z)) * density(z)
      : f(origin + z) * density(origin + z) + f(origin - z) * density(origin - z);
  let sum = f(origin) * density(origin);
  for (let k = 1; k <= n; k++) {
    const z = k * h;
    sum += origin === 0 ? f(z) * density(z) + f(-z) * density(z) : pair(z);
  }
  let evaluations = 2 * n + 1;
  let previous = sum * h;
  while (h > hMin) {
    // The midpoints of the current grid.
    let add = 0;
    for (let k = 0; k < n; k++) add += pair((k + 0.5) * h);
    evaluations += 2 * n;
    sum += add;
    h /= 2;
    n *= 2;
    const current = sum * h;
    if (!Number.isFinite(current)) return null;
    if (Math.abs(current - previous) <= absTol && h <= 0.25)
      return { value: current, error: Math.abs(current - previous), evaluations };
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
  // The tail estimate of halfWidth holds only beyond the last kink: relu(a + tau z) is 0 at z = +-L and not beyond
  // -a / tau > L, and relu's pair moments at rho < 0 came out up to 5e-6 off (phi') 7e-3) with estimates of 1e-13.
  // A kink also lets two successive sums agree by chance (their O(h^2) error oscillates with the kink's place on the
  // grid). So each kink is confirmed by a grid through it that reaches past it; a smooth integrand agrees with the
  // first sum, which is returned unchanged.
  const last = Math.max(0, ...kinks.map(Math.abs).filter((k) => k < 38));
  const reach = last + 0.5 > L ? halfWidth(f, absTol, last + 0.5) : L;
  const confirmed = (k: number) => {
    if ((k === 0 && reach === L) || Math.abs(k) >= 38) return true;
    const through = trapezoidGaussianMean(checked, absTol, reach, undefined, k);
    return through !== null && Math.abs(through.value - fast!.value) <= absTol;
  };
  if (fast && kinks.every(confirmed)) return fast;
  return adaptiveIntegral(
    (z) => {
      const w = density(z);
      if (w === 0) return 0;
      return checked(z) * w;
    },
    -reach,
    reach,
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

/** Half-width, in standard deviations, of the Gaussian window of the lattice rule's inner sum (phi(9)/9 < 1e-19). */
const WINDOW = 9;
/** The lattice rule gives up (and the nested rule takes over) beyond this many multiply-adds in one refinement. */
const MAX_LATTICE_WORK = 2.5e7;
/** The lattice rule gives up beyond this many points of its v lattice (16 MB). */
const MAX_LATTICE_CACHE = 1 << 21;

/**
 * E[f(u) g(v)] by the trapezoidal rule in u and in v, or null where that rule does not converge.
 *
 * With beta = c / q1 and sigma^2 = q2 - c^2 / q1, v given u is N(beta u, sigma^2), so
 * E f(u) g(v) = int f(u) phi_s1(u) int g(v) phi_sigma(v - beta u) dv du. The outer integral is a trapezoidal sum on
 * u_i = i du; the inner one is a trapezoidal sum either
 *  - on a fixed lattice v_j = j dv that does not move with u (when sigma is not small): g is evaluated once per lattice
 *    point instead of once per (outer node, inner node) pair as in the nested rule. dv is tied to du so that the
 * centres
 *    beta u_i fall on p phases of the lattice (beta du = (m / p) dv, m <= 8): the Gaussian weights of each phase are
 *    computed once per level and every inner sum is a plain dot product (where 64 phases would need a step below a
 *    quarter of the target, a nearly uncorrelated pair, each node computes its own weights); or
 *  - on nodes v = beta u + sigma k h that move with u (when sigma is small, nearly parallel inputs: a fixed lattice
 * fine
 *    enough for phi_sigma would be long), with fixed weights phi(k h).
 * Which one is the cheaper count of g evaluations. The steps start at half of min(1, standard deviation), the scale of
 * the Gaussian and of an activation's own features, and are halved together until two sums agree within the tolerance
 * (at least one halving, as in the 1D rule): for integrands analytic in a strip the error falls like exp(-2 pi d / h),
 * so agreement certifies the finer sum. A kink, a strip too narrow for the work limit, or growth that the window's
 * tails
 * do not dominate returns null. Outer nodes whose whole contribution is provably below absTol / 1000 in all are
 * skipped.
 */
export function latticePairExpectation(
  f: (x: number) => number,
  g: (x: number) => number,
  q1: number,
  q2: number,
  c: number,
  absTol: number,
  gScale: number,
  /** The inner rule; by default the cheaper one. Tests force each. */
  inner?: 'fixed' | 'moving',
): QuadratureResult | null {
  const s1 = Math.sqrt(q1);
  const beta = c / q1;
  const sigma = Math.sqrt(Math.max(0, q2 - (c * c) / q1));
  if (!(s1 > 0) || !(sigma > 0)) return null;
  const L = halfWidth((z) => Math.abs(f(s1 * z)) * (Math.abs(g(beta * s1 * z)) + gScale), absTol);
  const uMax = s1 * L;
  const tailWeight = density(WINDOW) / WINDOW;
  // The window's tails at the outermost nodes must be negligible (g of polynomial growth); otherwise the nested rule.
  for (const u of [-uMax, uMax]) {
    const edge =
      Math.abs(f(u)) * (Math.abs(g(beta * u + WINDOW * sigma)) + Math.abs(g(beta * u - WINDOW * sigma))) * tailWeight;
    if (!(edge * (2 * L) <= absTol / 100)) return null;
  }
  let evaluations = 0;
  const checkedG = (v: number) => {
    const y = g(v);
    if (!Number.isFinite(y)) throw new NonFiniteIntegrand(v);
    return y;
  };
  const checkedF = (u: number) => {
    evaluations++;
    const y = f(u);
    if (!Number.isFinite(y)) throw new NonFiniteIntegrand(u / s1);
    return y;
  };
  let du = 0.5 * Math.min(1, s1);
  let dv = 0.5 * Math.min(1, sigma);
  let h = 0.5;
  // Lattice points of the fixed rule against g evaluations of the moving one, at the first level.
  const fixedCost = (2 * Math.abs(beta) * uMax + 2 * WINDOW * sigma) / dv;
  const movingCost = ((2 * uMax) / du) * ((2 * WINDOW) / h);
  const moving = inner === undefined ? movingCost < fixedCost : inner === 'moving';
  let previous = Number.NaN;
  for (let level = 0; level < 9; level++) {
    const nu = Math.ceil(uMax / du);
    let outer = 0;
    if (moving) {
      const half = Math.ceil(WINDOW / h);
      if ((2 * nu + 1) * (2 * half + 1) > MAX_LATTICE_WORK) return null;
      const w = new Float64Array(2 * half + 1);
      for (let k = -half; k <= half; k++) w[k + half] = Math.exp(-0.5 * (k * h) ** 2);
      for (let i = -nu; i <= nu; i++) {
        const u = i * du;
        const fu = checkedF(u);
        if (fu === 0) continue;
        const mu = beta * u;
        let acc = 0;
        for (let k = -half; k <= half; k++) acc += w[k + half]! * checkedG(mu + sigma * k * h);
        evaluations += 2 * half + 1;
        outer += fu * Math.exp((-0.5 * u * u) / q1) * acc * h;
      }
    } else {
      // The lattice step dv is tied to the outer step so that the centres beta u_i fall on p phases of the lattice,
      // i.e. beta du = (m / p) dv: the weights of each phase are computed once per level and every inner sum is a plain
      // dot product.
      const shift = Math.abs(beta) * du;
      // dv = shift p / m <= the target step, as close to it as p <= 64 phases and m <= 8 allow; if that is below a
      // quarter
      // of the target (a nearly uncorrelated pair), dv stays at the target and each node computes its own weights.
      let m = shift > 0 ? 1 : 0;
      let p = 1;
      if (shift >= dv) m = Math.ceil(shift / dv);
      else if (shift > 0)
        for (let mm = 1; mm <= 8; mm++) {
          const pp = Math.min(64, Math.floor((mm * dv) / shift));
          if (pp / mm > p / m) [p, m] = [pp, mm];
        }
      const aligned = shift === 0 || (shift * p) / m >= dv / 4;
      if (shift > 0 && aligned) dv = (shift * p) / m;
      const half = Math.ceil((WINDOW * sigma) / dv) + 1;
      if ((2 * nu + 1) * (2 * half + 1) > MAX_LATTICE_WORK) return null;
      // The v lattice spans every window: index k = j + jMax for v_j = j dv, j from -jMax to jMax.
      const jMax = Math.ceil((Math.abs(beta) * nu * du) / dv) + half + 2;
      if (2 * jMax + 1 > MAX_LATTICE_CACHE) return null;
      const gv = new Float64Array(2 * jMax + 1);
      let gMax = 0;
      for (let k = 0; k < gv.length; k++) {
        const y = checkedG((k - jMax) * dv);
        gv[k] = y;
        gMax = Math.max(gMax, Math.abs(y));
      }
      evaluations += gv.length;
      const delta = dv / sigma;
      // Phase r: the centre lies r / p of a step above lattice point j0; weight of j0 + k is phi((k - r / p) delta).
      const phaseWeights = (r: number) => {
        const w = new Float64Array(2 * half + 1);
        for (let k = -half; k <= half; k++) w[k + half] = Math.exp(-0.5 * ((k - r / p) * delta) ** 2);
        return w;
      };
      const phases = aligned ? Array.from({ length: p }, (_, r) => phaseWeights(r)) : null;
      const e0 = phases ? phases[0]! : phaseWeights(0);
      // |inner sum x delta| <= gMax sqrt(2 pi) (a Riemann sum of the Gaussian), so an outer node whose bound
      // |f(u)| exp(-u^2 / 2 q1) gMax du / (sqrt(2 pi) s1) is below skip adds less than absTol / 1000 in all.
      const skip =
        (1e-3 * absTol * Math.sqrt(2 * Math.PI) * s1) / ((2 * nu + 1) * du * (gMax * 1.01 + Number.MIN_VALUE));
      const sign = beta >= 0 ? 1 : -1;
      for (let i = -nu; i <= nu; i++) {
        const u = i * du;
        const fu = checkedF(u);
        const weight = Math.exp((-0.5 * u * u) / q1);
        if (fu === 0 || Math.abs(fu) * weight < skip) continue;
        let acc = 0;
        // The factor the node's weights share (exactly 1 for an aligned node).
        let common = 1;
        if (phases) {
          // The centre beta u_i = sign i m / p steps: lattice point j0 and phase r.
          const t = sign * i * m;
          const j0 = Math.floor(t / p);
          const w = phases[t - j0 * p]!;
          const base = j0 + jMax - half;
          for (let k = 0; k < w.length; k++) acc += w[k]! * gv[base + k]!;
        } else {
          // phi((k - frac) delta) = exp(-frac^2 delta^2 / 2) E_k exp(k frac delta^2), E_k the phase-0 weights: the last
          // factor by a running product (|k frac delta^2| <= WINDOW delta), re-anchored by a direct exp every 32 steps.
          const t = (beta * u) / dv;
          const j0 = Math.floor(t);
          const x = (t - j0) * delta * delta;
          const base = j0 + jMax - half;
          let a = 1;
          const step = Math.exp(x);
          for (let k = 0; k <= 2 * half; k++) {
            if ((k & 31) === 0) a = Math.exp((k - half) * x);
            acc += e0[k]! * a * gv[base + k]!;
            a *= step;
          }
          common = Math.exp(-0.5 * (t - j0) * x);
        }
        outer += fu * weight * acc * common * delta;
      }
    }
    const current = (outer * du * INV_SQRT_2PI * INV_SQRT_2PI) / s1;
    if (!Number.isFinite(current)) return null;
    if (level > 0 && Math.abs(current - previous) <= absTol)
      return { value: current, error: Math.abs(current - previous), evaluations };
    previous = current;
    du /= 2;
    dv /= 2;
    h /= 2;
  }
  return null;
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
  // The lattice rule first (fast, for smooth activations away from exact (anti)parallelism), then the nested rule.
  if (tau > 0) {
    const lattice = latticePairExpectation(f, g, q1, q2, c, 0.5 * tol, Math.sqrt(Math.abs(moments.g)));
    if (lattice) return lattice;
  }
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
