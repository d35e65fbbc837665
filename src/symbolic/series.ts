/** Exact Taylor coefficients of the arc-cosine kernels, and numerical ones of any dot-product kernel. */
import { math } from './math.ts';
import type { Formula } from './expression.ts';

/**
 * Taylor coefficients of the arc-cosine kernels, exactly, and of any dot-product kernel numerically.
 *
 * Exact: with asin u = sum_r (1/2)_r / ((2r+1) r!) u^{2r+1} and sqrt(1-u^2) = sum_r binom(1/2, r) (-u^2)^r,
 *   k0(u) = (pi - acos u)/pi            = 1/2 + (1/pi) asin u,
 *   k1(u) = (u (pi - acos u) + sqrt(1-u^2))/pi = u/2 + (1/pi) (u asin u + sqrt(1 - u^2)),
 * so every coefficient is a + b/pi with a, b rational (Cho & Saul 2009; Bietti & Mairal 2019, eq. 9).
 */
/** An exact rational (mathjs / fraction.js). */
export type Fraction = ReturnType<typeof math.fraction>;

export interface PiLinear {
  /** Rational part. */
  a: Fraction;
  /** Coefficient of 1/pi. */
  b: Fraction;
}

const F = (n: number | bigint, d: number | bigint = 1): Fraction =>
  math.fraction(Number(n), Number(d)) as unknown as Fraction;
const ZERO = (): PiLinear => ({ a: F(0), b: F(0) });

export function piLinearValue(c: PiLinear): number {
  return c.a.valueOf() + c.b.valueOf() / Math.PI;
}

export function piLinearTex(c: PiLinear): string {
  const frac = (f: Fraction) =>
    Number(f.d) === 1 ? `${Number(f.s) * Number(f.n)}` : `${Number(f.s) < 0 ? '-' : ''}\\tfrac{${f.n}}{${f.d}}`;
  const parts: string[] = [];
  if (c.a.valueOf() !== 0) parts.push(frac(c.a));
  if (c.b.valueOf() !== 0) parts.push(`${frac(c.b)}\\,\\pi^{-1}`);
  return parts.join(' + ') || '0';
}

/** (1/2)_r / ((2r+1) r!): the asin coefficients, exactly. */
function asinCoefficient(r: number): Fraction {
  let c = F(1);
  for (let j = 0; j < r; j++) c = c.mul(F(2 * j + 1, 2 * (j + 1)));
  return c.div(2 * r + 1);
}

/** binom(1/2, r) (-1)^r: the sqrt(1 - u^2) coefficients of u^{2r}, exactly. */
function sqrtCoefficient(r: number): Fraction {
  let c = F(1);
  for (let j = 0; j < r; j++) c = c.mul(F(1, 2).sub(j)).div(j + 1);
  return r % 2 === 0 ? c : c.neg();
}

export function k0Series(order: number): PiLinear[] {
  const out = Array.from({ length: order + 1 }, ZERO);
  out[0]!.a = F(1, 2);
  for (let r = 0; 2 * r + 1 <= order; r++) out[2 * r + 1]!.b = asinCoefficient(r);
  return out;
}

export function k1Series(order: number): PiLinear[] {
  const out = Array.from({ length: order + 1 }, ZERO);
  if (order >= 1) out[1]!.a = F(1, 2);
  for (let r = 0; 2 * r <= order; r++) out[2 * r]!.b = out[2 * r]!.b.add(sqrtCoefficient(r));
  for (let r = 0; 2 * r + 2 <= order; r++) out[2 * r + 2]!.b = out[2 * r + 2]!.b.add(asinCoefficient(r));
  return out;
}

/** Series arithmetic on PiLinear coefficient lists (the scalar factor is rational). */
export function addSeries(x: PiLinear[], y: PiLinear[]): PiLinear[] {
  return x.map((c, i) => ({ a: c.a.add(y[i]!.a), b: c.b.add(y[i]!.b) }));
}

export function scaleSeries(x: PiLinear[], s: Fraction): PiLinear[] {
  return x.map((c) => ({ a: c.a.mul(s), b: c.b.mul(s) }));
}

/** Multiply by u (shift), truncating at the same order. */
export function shiftSeries(x: PiLinear[]): PiLinear[] {
  return [ZERO(), ...x.slice(0, -1)];
}

export { F as fraction };

/**
 * Numerical Taylor coefficients of an analytic function by the Cauchy integral on |u| = radius,
 * with the trapezoid rule on `nodes` points (exponentially accurate for analytic integrands):
 *   c_k = (1/N) sum_j f(r e^{i t_j}) e^{-i k t_j} / r^k.
 */
export function cauchyCoefficients(f: Formula, order: number, radius = 0.6, nodes = 512): number[] {
  const values = Array.from({ length: nodes }, (_, j) => {
    const t = (2 * Math.PI * j) / nodes;
    return f.atComplex(radius * Math.cos(t), radius * Math.sin(t));
  });
  const out: number[] = [];
  for (let k = 0; k <= order; k++) {
    let re = 0;
    for (let j = 0; j < nodes; j++) {
      const t = (2 * Math.PI * j * k) / nodes;
      re += values[j]!.re * Math.cos(t) + values[j]!.im * Math.sin(t);
    }
    out.push(re / nodes / radius ** k);
  }
  return out;
}

/** Taylor coefficients at 0 through repeated symbolic differentiation (mathjs), for low orders. */
export function symbolicTaylor(f: Formula, order: number): number[] {
  const out: number[] = [];
  let g = f;
  let factorial = 1;
  for (let k = 0; k <= order; k++) {
    if (k > 0) {
      g = g.derivative();
      factorial *= k;
    }
    out.push(g.at(0) / factorial);
  }
  return out;
}
