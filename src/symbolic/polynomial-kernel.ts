/** Exact NNGP and NTK of x^k networks on the sphere as polynomials in the cosine. */
import { crossMomentCoefficients } from './gaussian-moments.ts';
import { fraction, type Fraction } from './series.ts';

/**
 * The NNGP and NTK of a network with activation x^k on the unit sphere, as exact polynomials in
 * u = x.x' (coefficient lists, lowest degree first), by the DESIGN.md recursion with
 * E[phi(u) phi(v)] = P_k(c, q) and E[phi' phi'] = k^2 P_{k-1}(c, q) (gaussian-moments.ts).
 * sigma_w^2, sigma_b^2 and d are taken as exact rationals.
 */
export type Poly = Fraction[];

function trim(p: Poly): Poly {
  let n = p.length;
  while (n > 1 && p[n - 1]!.valueOf() === 0) n--;
  return p.slice(0, n);
}

export function polyAdd(a: Poly, b: Poly): Poly {
  const n = Math.max(a.length, b.length);
  return trim(Array.from({ length: n }, (_, i) => (a[i] ?? fraction(0)).add(b[i] ?? fraction(0))));
}

export function polyMul(a: Poly, b: Poly): Poly {
  const out = Array.from({ length: a.length + b.length - 1 }, () => fraction(0));
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = out[i + j]!.add(x.mul(y)))));
  return trim(out);
}

export function polyScale(a: Poly, s: Fraction): Poly {
  return trim(a.map((x) => x.mul(s)));
}

export function polyEval(a: Poly, u: Fraction): Fraction {
  return a.reduceRight((acc, c) => acc.mul(u).add(c), fraction(0));
}

/** P(c, q) = sum_j a_j c^j q^{k-j}, with c a polynomial in u and q a number. */
function substitute(coefficients: Fraction[], c: Poly, q: Fraction): Poly {
  const k = coefficients.length - 1;
  let result: Poly = [fraction(0)];
  let cPower: Poly = [fraction(1)];
  for (let j = 0; j <= k; j++) {
    if (coefficients[j]!.valueOf() !== 0)
      result = polyAdd(result, polyScale(cPower, coefficients[j]!.mul(q.pow(k - j))));
    cPower = polyMul(cPower, c);
  }
  return result;
}

export interface PolynomialKernels {
  nngp: Poly;
  ntk: Poly;
}

export function polynomialActivationKernels(
  k: number,
  depth: number,
  sigmaW2: Fraction,
  sigmaB2: Fraction,
  d: number,
): PolynomialKernels {
  let sigma: Poly = trim([sigmaB2, sigmaW2.div(d)]);
  let theta: Poly = sigma;
  const phiPhi = crossMomentCoefficients(k);
  const dphi = k >= 1 ? crossMomentCoefficients(k - 1).map((c) => c.mul(k * k)) : [fraction(0)];
  for (let l = 0; l < depth; l++) {
    const q = polyEval(sigma, fraction(1));
    const next = polyAdd(polyScale(substitute(phiPhi, sigma, q), sigmaW2), [sigmaB2]);
    theta = polyAdd(next, polyScale(polyMul(theta, substitute(dphi, sigma, q)), sigmaW2));
    sigma = next;
  }
  return { nngp: sigma, ntk: theta };
}

function binomial(n: number, k: number): number {
  if (k < 0 || n < k) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Dimension of the degree-h spherical harmonics on S^{d-1}. */
export function harmonicDimension(d: number, h: number): number {
  return binomial(h + d - 1, d - 1) - binomial(h + d - 3, d - 1);
}

/**
 * Upper bound on the rank of the Gram matrix of the dot-product kernel sum_j a_j u^j on S^{d-1}:
 * (x.x')^j lies in the harmonics of degrees h <= j with h = j mod 2, so the rank is at most the sum of
 * their dimensions over the degrees reached by the support of the polynomial.
 */
export function sphereRankBound(p: Poly, d: number): number {
  const degrees = new Set<number>();
  p.forEach((c, j) => {
    if (c.valueOf() !== 0) for (let h = j; h >= 0; h -= 2) degrees.add(h);
  });
  return [...degrees].reduce((s, h) => s + harmonicDimension(d, h), 0);
}
