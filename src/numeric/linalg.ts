/** Small dense float64 linear algebra (eigendecompositions, Cholesky, solves) through ml-matrix. */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix, solve as mlSolve } from 'ml-matrix';

/** Small dense float64 linear algebra (Gram matrices, spectra, solves) through ml-matrix. */
export type Dense = number[][];

export interface SymmetricEigen {
  /** Ascending eigenvalues. */
  values: number[];
  /** Columns are the eigenvectors, matching `values`. */
  vectors: Dense;
}

export function symmetrize(A: Dense): Dense {
  return A.map((row, i) => row.map((v, j) => 0.5 * (v + A[j]![i]!)));
}

export function symmetricEigen(A: Dense): SymmetricEigen {
  const eig = new EigenvalueDecomposition(new Matrix(symmetrize(A)), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const V = eig.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  return {
    values: order.map((i) => values[i]!),
    vectors: Array.from({ length: V.rows }, (_, r) => order.map((i) => V.get(r, i))),
  };
}

/** Largest eigenvalue of a symmetric matrix. */
export function maxEigenvalue(A: Dense): number {
  const values = symmetricEigen(A).values;
  return values[values.length - 1]!;
}

export function cholesky(A: Dense): Dense {
  const c = new CholeskyDecomposition(new Matrix(A));
  if (!c.isPositiveDefinite()) throw new RangeError('cholesky: matrix is not positive definite');
  return c.lowerTriangularMatrix.to2DArray();
}

/** Solve A X = B (B a matrix or a vector). */
export function solve(A: Dense, B: Dense | number[]): Dense {
  const rhs = Array.isArray(B[0]) ? new Matrix(B as Dense) : Matrix.columnVector(B as number[]);
  return mlSolve(new Matrix(A), rhs).to2DArray();
}

export function matmul(A: Dense, B: Dense): Dense {
  return new Matrix(A).mmul(new Matrix(B)).to2DArray();
}

export function transpose(A: Dense): Dense {
  return A[0]!.map((_, j) => A.map((row) => row[j]!));
}

export function frobenius(A: Dense): number {
  let s = 0;
  for (const row of A) for (const v of row) s += v * v;
  return Math.sqrt(s);
}

export function subtract(A: Dense, B: Dense): Dense {
  return A.map((row, i) => row.map((v, j) => v - B[i]![j]!));
}

export function relativeFrobenius(A: Dense, reference: Dense): number {
  return frobenius(subtract(A, reference)) / frobenius(reference);
}
