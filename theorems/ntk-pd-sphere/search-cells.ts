/** ntk-pd-sphere: the fast-check counterexample search on the sphere, with shrinking. */
import fc from 'fast-check';
import { spherePoints, stream } from '../../src/random/rng.ts';
import { polynomialActivationKernels, sphereRankBound } from '../../src/symbolic/polynomial-kernel.ts';
import { fraction } from '../../src/symbolic/series.ts';
import { BIAS, ntkGram, ntkSpectrum, sigmaW2Of } from './kernels.ts';
import { symmetricEigen } from '../../src/numeric/linalg.ts';
import type { CellResult } from '../../src/verify/experiment.ts';

/**
 * Counterexample search with fast-check: the property "lambda_min of the analytic NTK Gram is above
 * the float64 floor" over point sets, depths and activations. A failure is shrunk to a minimal case.
 * The same search, run on a family that drops one hypothesis, must find a counterexample.
 */
export type SearchFamily = 'hypotheses' | 'polynomial' | 'no-bias';

interface Case {
  d: number;
  m: number;
  depth: number;
  activation: string;
  pointSeed: number;
  antipodal: boolean;
  nearDuplicate: boolean;
  sigmaB2: number;
}

/** The point set of a case: random points, optionally closed under x -> -x, optionally with a near-duplicate. */
export function casePoints(c: Case): number[][] {
  const rng = stream({ experiment: 'ntk-pd-sphere/search', seed: c.pointSeed, d: c.d });
  if (c.antipodal) {
    const half = spherePoints(rng, Math.ceil(c.m / 2), c.d);
    return [...half, ...half.map((x) => x.map((v) => -v))].slice(0, Math.max(c.m, 2));
  }
  const X = spherePoints(rng, c.m, c.d);
  if (c.nearDuplicate && X.length >= 2) {
    const y = X[0]!.map((v) => v + 1e-3 * rng.normal());
    const norm = Math.hypot(...y);
    X[1] = y.map((v) => v / norm);
  }
  return X;
}

function arbitrary(family: SearchFamily): fc.Arbitrary<Case> {
  const pointSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
  if (family === 'polynomial') {
    return fc.record({
      d: fc.integer({ min: 3, max: 5 }),
      m: fc.integer({ min: 2, max: 60 }),
      depth: fc.integer({ min: 1, max: 2 }),
      activation: fc.constantFrom('poly2', 'poly3'),
      pointSeed,
      antipodal: fc.constant(false),
      nearDuplicate: fc.constant(false),
      sigmaB2: fc.constant(BIAS),
    });
  }
  if (family === 'no-bias') {
    return fc.record({
      d: fc.integer({ min: 3, max: 8 }),
      m: fc.integer({ min: 1, max: 20 }).map((pairs) => 2 * pairs),
      depth: fc.constant(1),
      activation: fc.constant('relu'),
      pointSeed,
      antipodal: fc.constant(true),
      nearDuplicate: fc.constant(false),
      sigmaB2: fc.constant(0),
    });
  }
  return fc.record({
    d: fc.integer({ min: 3, max: 8 }),
    m: fc.integer({ min: 2, max: 40 }),
    depth: fc.integer({ min: 1, max: 4 }),
    activation: fc.constantFrom('relu', 'erf', 'tanh'),
    pointSeed,
    antipodal: fc.boolean(),
    nearDuplicate: fc.boolean(),
    sigmaB2: fc.constant(BIAS),
  });
}

export function searchCell(
  family: SearchFamily,
  seed: number,
  runs: number,
): Pick<CellResult, 'observation' | 'details'> {
  let minMargin = Infinity;
  let trials = 0;
  const result = fc.check(
    fc.property(arbitrary(family), (c) => {
      trials++;
      const margin = ntkSpectrum(casePoints(c), c.activation, c.depth, c.sigmaB2).margin;
      minMargin = Math.min(minMargin, margin);
      return margin > 1;
    }),
    { numRuns: runs, seed: 1000 + seed },
  );
  const observation = { trials, counterexamples: result.failed ? 1 : 0, minMargin, shrinks: result.numShrinks };
  if (!result.failed) return { observation };
  const c = result.counterexample![0] as Case;
  const X = casePoints(c);
  const values = symmetricEigen(ntkGram(X, c.activation, c.depth, c.sigmaB2)).values;
  const details: Record<string, unknown> = {
    counterexample: c,
    points: X,
    lambdaMin: values[0],
    lambdaMax: values[values.length - 1],
  };
  if (family === 'polynomial') {
    const k = Number(c.activation.slice(4));
    const poly = polynomialActivationKernels(k, c.depth, fraction(3, 2), fraction(1, 10), c.d);
    details.kernelPolynomial = poly.ntk.map((f) => f.toFraction());
    details.rankBound = sphereRankBound(poly.ntk, c.d);
    details.numericalRank = values.filter((v) => v > 1e-10 * values[values.length - 1]!).length;
    // Certified: more points than the exact rank bound of the polynomial kernel.
    details.certifiedSingular = c.m > (details.rankBound as number);
  }
  if (family === 'no-bias') {
    details.restoredWithBias = ntkSpectrum(X, 'relu', 1, BIAS).lambdaMin;
    details.restoredWithDepth2 = ntkSpectrum(X, 'relu', 2, 0).lambdaMin;
    details.sigmaW2 = sigmaW2Of('relu');
    // Certified: the exact series of the no-bias kernel has u as its only odd term (taylor-nobias arm), so the
    // antisymmetric vectors on p pairs see the rank-d kernel x.x'; p > d pairs leave a null vector.
    details.certifiedSingular = c.antipodal && c.depth === 1 && c.sigmaB2 === 0 && c.m / 2 > c.d;
  }
  return { observation, details };
}
