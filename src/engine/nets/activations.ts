/** Activations: tensor and float64 forms, derivatives and closed-form Gaussian expectations where they exist. */
import * as tf from '@tensorflow/tfjs-core';
import { erf as erf64, parse as parseFormula, type MathNode } from 'mathjs';
import { DECIMAL, UsageError } from '../../errors.ts';
import { Formula } from '../../symbolic/expression.ts';
import { erfHermite, hermiteSeriesFunction, monomialHermite, reluHermite } from '../../symbolic/hermite.ts';

/** Closed-form Gaussian expectations for (u, v) ~ N(0, [[q1, c], [c, q2]]). */
export interface PairExpectations {
  phiPhi(q1: number, q2: number, c: number): number;
  dphiDphi(q1: number, q2: number, c: number): number;
}

export interface Activation {
  /** Canonical name, accepted back by parseActivation. */
  name: string;
  /** TeX for reports. */
  tex: string;
  tf: (z: tf.Tensor) => tf.Tensor;
  /** phi'(z); `value` is phi(z) when the caller already has it (tanh' = 1 - tanh^2 then costs no second tanh). */
  tfDerivative: (z: tf.Tensor, value?: tf.Tensor) => tf.Tensor;
  f: (x: number) => number;
  df: (x: number) => number;
  /** Present where a closed form exists (relu: arc-cosine, Cho & Saul 2009; erf: Williams 1997). */
  closedForm?: PairExpectations;
  /** Degree of the activation when it is a polynomial (identity: 1). */
  polynomialDegree?: number;
  /**
   * Its Hermite coefficients a_0..a_K in closed form, where one exists (relu, erf, polynomials;
   * src/symbolic/hermite.ts): phi = sum_k a_k He_k / sqrt(k!). Other activations are expanded by quadrature
   * (hermiteExpansion).
   */
  hermite?: (K: number) => number[];
  /**
   * Present when phi is positively homogeneous of degree 1, phi(x) = right x for x > 0 and left x for x < 0 (relu: 1,
   * 0; identity: 1, 1): then E[phi(sqrt(q) z)^2] = q (right^2 + left^2) / 2 and the mean-field length map is linear.
   */
  homogeneous?: { right: number; left: number };
  /** Smooth (C^2 with bounded second derivative): the hypothesis of Jacot et al. Theorem 2. */
  smooth: boolean;
}

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * Correlation rho = c / sqrt(q1 q2), clamped to [-1, 1] and snapped to +-1 within 4 ulps: sqrt(1 - rho^2)
 * turns a roundoff delta in rho into an error sqrt(2 delta) ~ 1e-8, so parallel and antipodal inputs
 * would otherwise lose half their digits.
 */
function clampCorrelation(q1: number, q2: number, c: number): { s: number; rho: number } {
  const s = Math.sqrt(q1 * q2);
  if (s === 0) return { s, rho: 0 };
  const rho = Math.max(-1, Math.min(1, c / s));
  return { s, rho: 1 - Math.abs(rho) <= 4 * Number.EPSILON ? Math.sign(rho) : rho };
}

/** Cho & Saul 2009 arc-cosine kernels of degree 1 and 0, unnormalised. */
const reluExpectations: PairExpectations = {
  phiPhi(q1, q2, c) {
    const { s, rho } = clampCorrelation(q1, q2, c);
    const theta = Math.acos(rho);
    return (s / (2 * Math.PI)) * (Math.sqrt(1 - rho * rho) + (Math.PI - theta) * rho);
  },
  dphiDphi(q1, q2, c) {
    const { rho } = clampCorrelation(q1, q2, c);
    return (Math.PI - Math.acos(rho)) / (2 * Math.PI);
  },
};

/** Williams 1997: E[erf(u) erf(v)] and E[erf'(u) erf'(v)]. */
const erfExpectations: PairExpectations = {
  phiPhi(q1, q2, c) {
    const arg = (2 * c) / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2));
    return (2 / Math.PI) * Math.asin(Math.max(-1, Math.min(1, arg)));
  },
  dphiDphi(q1, q2, c) {
    return 4 / Math.PI / Math.sqrt((1 + 2 * q1) * (1 + 2 * q2) - 4 * c * c);
  },
};

const identityExpectations: PairExpectations = {
  phiPhi: (_q1, _q2, c) => c,
  dphiDphi: () => 1,
};

const relu: Activation = {
  name: 'relu',
  tex: '\\mathrm{relu}(z) = \\max(z, 0)',
  tf: (z) => tf.relu(z),
  tfDerivative: (z) => tf.step(z, 0),
  f: (x) => (x > 0 ? x : 0),
  df: (x) => (x > 0 ? 1 : 0),
  closedForm: reluExpectations,
  hermite: reluHermite,
  homogeneous: { right: 1, left: 0 },
  smooth: false,
};

const erf: Activation = {
  name: 'erf',
  tex: '\\mathrm{erf}(z)',
  tf: (z) => tf.erf(z),
  tfDerivative: (z) => tf.mul(2 / SQRT_PI, tf.exp(tf.neg(tf.square(z)))),
  f: (x) => erf64(x),
  df: (x) => (2 / SQRT_PI) * Math.exp(-x * x),
  closedForm: erfExpectations,
  hermite: erfHermite,
  smooth: true,
};

const tanh: Activation = {
  name: 'tanh',
  tex: '\\tanh(z)',
  tf: (z) => tf.tanh(z),
  tfDerivative: (z, value) => tf.sub(1, tf.square(value ?? tf.tanh(z))),
  f: (x) => Math.tanh(x),
  df: (x) => 1 - Math.tanh(x) ** 2,
  smooth: true,
};

const gelu: Activation = {
  name: 'gelu',
  tex: '\\mathrm{gelu}(z) = z\\,\\Phi(z)',
  tf: (z) => tf.mul(z, tf.mul(0.5, tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))))),
  tfDerivative: (z) =>
    tf.add(
      tf.mul(0.5, tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2)))),
      tf.mul(z, tf.mul(1 / Math.sqrt(2 * Math.PI), tf.exp(tf.mul(-0.5, tf.square(z))))),
    ),
  f: (x) => 0.5 * x * (1 + erf64(x * Math.SQRT1_2)),
  df: (x) => 0.5 * (1 + erf64(x * Math.SQRT1_2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI),
  smooth: true,
};

const identity: Activation = {
  name: 'identity',
  tex: 'z',
  tf: (z) => tf.clone(z),
  tfDerivative: (z) => tf.onesLike(z),
  f: (x) => x,
  df: () => 1,
  closedForm: identityExpectations,
  polynomialDegree: 1,
  hermite: (K) => monomialHermite(1, K),
  homogeneous: { right: 1, left: 1 },
  smooth: true,
};

function polynomial(k: number): Activation {
  return {
    name: `poly${k}`,
    tex: `z^{${k}}`,
    tf: (z) => tf.pow(z, k),
    tfDerivative: (z) => (k === 1 ? tf.onesLike(z) : tf.mul(k, tf.pow(z, k - 1))),
    f: (x) => x ** k,
    df: (x) => (k === 1 ? 1 : k * x ** (k - 1)),
    polynomialDegree: k,
    hermite: (K) => monomialHermite(k, K),
    smooth: true,
  };
}

/** A user-supplied scalar activation: analytic kernels by quadrature, empirical kernels elementwise. */
export function customActivation(name: string, f: (x: number) => number, df: (x: number) => number): Activation {
  const map = (z: tf.Tensor, g: (x: number) => number) => {
    const data = z.dataSync();
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = g(data[i]!);
    return tf.tensor(out, z.shape);
  };
  return {
    name,
    tex: `\\phi(z) = ${name}`,
    tf: (z) => map(z, f),
    tfDerivative: (z) => map(z, df),
    f,
    df,
    smooth: false,
  };
}

export const ACTIVATION_NAMES = [
  'relu',
  'erf',
  'tanh',
  'gelu',
  'identity',
  'poly<k> (x^k, k = 1..8)',
  'expr:<formula in z>, e.g. expr:z/(1+exp(-z))',
  'hermite:<a_0>,<a_1>,... (phi = sum_k a_k He_k(z) / sqrt(k!), at most 401 coefficients)',
];

/** The most Hermite coefficients a `hermite:` activation may have (degree 400). */
export const MAX_HERMITE_TERMS = 401;

/**
 * The polynomial activation with Hermite coefficients a_0..a_K (phi = sum_k a_k h_k, h_k = He_k / sqrt(k!)), e.g. one
 * engineered from a target kernel (src/symbolic/hermite.ts, activationFromNtk). Its name `hermite:a_0,...,a_K` lists
 * the coefficients as JavaScript prints them, so it round-trips bit for bit through parseActivation.
 */
export function hermiteActivation(coefficients: readonly number[]): Activation {
  const a = [...coefficients];
  while (a.length > 1 && a[a.length - 1] === 0) a.pop();
  const { f, df } = hermiteSeriesFunction(a);
  const activation = customActivation(`hermite:${a.join(',')}`, f, df);
  const degree = a.length - 1;
  return {
    ...activation,
    tex: String.raw`\phi(z) = \sum_{k=0}^{${degree}} a_k\,\mathrm{He}_k(z)/\sqrt{k!}`,
    polynomialDegree: degree,
    hermite: (K) => Array.from({ length: K + 1 }, (_, k) => a[k] ?? 0),
    smooth: true,
  };
}

function parseHermite(list: string, argument: string): Activation {
  const parts = list.split(',');
  const expected =
    `hermite: then 1 to ${MAX_HERMITE_TERMS} finite decimal coefficients a_0,a_1,... ` + 'separated by commas';
  if (parts.length > MAX_HERMITE_TERMS || !parts.every((p) => DECIMAL.test(p.trim())))
    throw new UsageError(argument, `hermite:${list}`, expected);
  const a = parts.map((p) => Number(p.trim()));
  if (!a.every(Number.isFinite) || a.every((x) => x === 0))
    throw new UsageError(argument, `hermite:${list}`, `${expected}, not all 0`);
  return hermiteActivation(a);
}

/**
 * A user-supplied activation written as a mathjs formula in z: evaluated compiled, differentiated by
 * mathjs (never nerdamer), and rejected unless the derivative matches a central finite difference.
 */
/** Scalar functions a formula may call: no units, matrices, strings or access to mathjs itself (evaluate, parse,
 * createUnit). */
const FORMULA_FUNCTIONS = new Set([
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'cbrt',
  'abs',
  'sin',
  'cos',
  'tan',
  'sinh',
  'cosh',
  'tanh',
  'asin',
  'acos',
  'atan',
  'asinh',
  'acosh',
  'atanh',
  'erf',
  'max',
  'min',
  'pow',
  'sign',
]);
const FORMULA_SYMBOLS = new Set(['z', 'pi', 'e']);
const FORMULA_OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);
const FORMULA_MAX_LENGTH = 500;
/** Time allowed for 2000 evaluations of a formula and its derivative (~50x what a 60-character formula needs). */
const FORMULA_TIME_LIMIT_MS = 1000;

/** Why a formula is not a scalar function of z built from numbers, z, pi, e, arithmetic and FORMULA_FUNCTIONS; or null.
 * */
export function formulaProblem(source: string): string | null {
  if (source.length > FORMULA_MAX_LENGTH) return `longer than ${FORMULA_MAX_LENGTH} characters`;
  let node: MathNode;
  try {
    node = parseFormula(source);
  } catch (error) {
    return (error as Error).message;
  }
  let problem: string | null = null;
  node.traverse((n: MathNode, path: string, parent: MathNode | null) => {
    if (problem) return;
    if (parent && parent.type === 'FunctionNode' && path === 'fn') return;
    switch (n.type) {
      case 'ConstantNode':
        if (typeof (n as unknown as { value: unknown }).value !== 'number') problem = 'a constant that is not a number';
        return;
      case 'SymbolNode':
        if (!FORMULA_SYMBOLS.has((n as unknown as { name: string }).name))
          problem = `the symbol ${(n as unknown as { name: string }).name} (the variable is z; constants pi and e)`;
        return;
      case 'OperatorNode':
        if (!FORMULA_OPERATORS.has((n as unknown as { fn: string }).fn))
          problem = `the operator ${(n as unknown as { op: string }).op}`;
        return;
      case 'ParenthesisNode':
        return;
      case 'FunctionNode': {
        const name = (n as unknown as { fn: { name?: string } }).fn.name;
        if (!name || !FORMULA_FUNCTIONS.has(name))
          problem = `the function ${name ?? '(computed)'} (allowed: ${[...FORMULA_FUNCTIONS].join(', ')})`;
        return;
      }
      default:
        problem = `a ${n.type} (only arithmetic on z and scalar functions)`;
    }
  });
  return problem;
}

function expressionActivation(source: string, argument: string): Activation {
  const problem = formulaProblem(source);
  if (problem) throw new UsageError(argument, `expr:${source}`, `a scalar formula in z (not allowed: ${problem})`);
  let f: Formula;
  let df: Formula;
  try {
    f = new Formula(source, 'z');
    // Almost everywhere: abs, max, min and sign are differentiated piecewise (a kink or a jump at isolated points).
    df = f.piecewiseDerivative();
  } catch (error) {
    throw new UsageError(
      argument,
      `expr:${source}`,
      `a formula in z that mathjs can parse and differentiate (${(error as Error).message})`,
    );
  }
  for (const z of [-1.7, -0.3, 0.4, 1.9]) {
    let ok = false;
    try {
      const fd = (f.at(z + 1e-5) - f.at(z - 1e-5)) / 2e-5;
      ok = Number.isFinite(f.at(z)) && Math.abs(fd - df.at(z)) <= 1e-5 * Math.max(1, Math.abs(fd));
    } catch {
      ok = false;
    }
    if (!ok)
      throw new UsageError(
        argument,
        `expr:${source}`,
        'a real, differentiable formula in z (its value or derivative failed the numeric check)',
      );
  }
  // A formula is integrated at tens of thousands of points per kernel entry: refuse one that is slow to evaluate.
  const start = performance.now();
  for (let i = 0; i < 2000; i++) {
    const z = -4 + (8 * i) / 2000;
    f.at(z);
    df.at(z);
  }
  if (performance.now() - start > FORMULA_TIME_LIMIT_MS) {
    throw new UsageError(
      argument,
      `expr:${source}`,
      `a formula fast enough to integrate (2000 evaluations took more than ${FORMULA_TIME_LIMIT_MS} ms)`,
    );
  }
  // The name round-trips through parseActivation, so worker threads (--empirical) rebuild the same activation.
  // Where the derivative's formula is 0/0 at an isolated point (sqrt(z^2) at 0), the mean of its one-sided values.
  const derivative = (x: number) => {
    const v = df.at(x);
    if (Number.isFinite(v)) return v;
    const h = 1e-7 * Math.max(1, Math.abs(x));
    return (df.at(x - h) + df.at(x + h)) / 2;
  };
  const activation = customActivation(`expr:${source}`, (x) => f.at(x), derivative);
  return { ...activation, tex: `\\phi(z) = ${f.toTex()}` };
}

/** Parse 'relu' | 'erf' | 'tanh' | 'gelu' | 'identity' | 'poly3' | 'x^3'. */
export function parseActivation(name: string, argument = '--activation'): Activation {
  const fixed: Record<string, Activation> = { relu, erf, tanh, gelu, identity };
  const key = name.trim().toLowerCase();
  if (fixed[key]) return fixed[key]!;
  if (key.startsWith('expr:')) return expressionActivation(name.trim().slice(5), argument);
  if (key.startsWith('hermite:')) return parseHermite(name.trim().slice(8), argument);
  const poly = /^(?:poly|x\^)(\d+)$/.exec(key);
  if (poly) {
    const k = Number(poly[1]);
    if (k >= 1 && k <= 8) return polynomial(k);
  }
  throw new UsageError(argument, name, ACTIVATION_NAMES.join(', '));
}
