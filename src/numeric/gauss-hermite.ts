/**
 * Gauss-Hermite quadrature for expectations under the standard normal.
 * Nodes of the physicists' rule (weight e^{-x^2}) by Newton iteration on the orthonormal
 * Hermite recurrence (Press et al., Numerical Recipes, 3rd ed., section 4.6), rescaled so that
 * sum_i w_i f(z_i) ~ E[f(Z)], Z ~ N(0, 1). Exact for polynomials of degree <= 2n - 1.
 */
export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

const cache = new Map<number, QuadratureRule>();
/** The most nodes the rule is computed for (see gaussHermite). */
export const MAX_NODES = 190;

export function gaussHermite(n: number): QuadratureRule {
  const hit = cache.get(n);
  if (hit) return hit;
  // The recurrence runs on the polynomials without their Gaussian factor: from n = 200 their derivative at the largest
  // node passes 1e154 and the weights 2 / pp^2 underflow to 0 (found by test/symbolic/hermite.test.ts; n <= 195 is
  // exact to roundoff there). Scaling by e^(-z^2/2) would lift the limit but move every rule's last bits.
  if (!Number.isInteger(n) || n < 1 || n > MAX_NODES)
    throw new RangeError(`gaussHermite: n must be an integer in 1..${MAX_NODES}, got ${n}`);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const pim4 = Math.pow(Math.PI, -0.25);
  const half = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < half; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * x[1]!;
    else z = 2 * z - x[i - 2]!;
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i]!;
  }
  const rule: QuadratureRule = { nodes: new Float64Array(n), weights: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    rule.nodes[i] = Math.SQRT2 * x[n - 1 - i]!;
    rule.weights[i] = w[n - 1 - i]! / Math.sqrt(Math.PI);
  }
  cache.set(n, rule);
  return rule;
}

/** E[f(Z)], Z ~ N(0, variance). */
export function gaussianMean(f: (x: number) => number, variance = 1, n = 64): number {
  const { nodes, weights } = gaussHermite(n);
  const s = Math.sqrt(variance);
  let acc = 0;
  for (let i = 0; i < n; i++) acc += weights[i]! * f(s * nodes[i]!);
  return acc;
}

/**
 * E[f(u) g(v)] for (u, v) ~ N(0, [[q1, c], [c, q2]]), by the product rule on
 * u = sqrt(q1) z1, v = sqrt(q2) (rho z1 + sqrt(1 - rho^2) z2).
 */
export function gaussianPairMean(
  f: (x: number) => number,
  g: (x: number) => number,
  q1: number,
  q2: number,
  c: number,
  n = 64,
): number {
  const { nodes, weights } = gaussHermite(n);
  const s1 = Math.sqrt(q1);
  const s2 = Math.sqrt(q2);
  const rho = s1 * s2 === 0 ? 0 : Math.max(-1, Math.min(1, c / (s1 * s2)));
  const tau = Math.sqrt(Math.max(0, 1 - rho * rho));
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const fu = f(s1 * nodes[i]!);
    if (fu === 0) continue;
    const a = s2 * rho * nodes[i]!;
    let inner = 0;
    for (let j = 0; j < n; j++) inner += weights[j]! * g(a + s2 * tau * nodes[j]!);
    acc += weights[i]! * fu * inner;
  }
  return acc;
}
