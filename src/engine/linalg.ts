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

export function minEigenvalue(A: Dense): number {
  return symmetricEigen(A).values[0]!;
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

export function identity(n: number): Dense {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** Apply f to the eigenvalues of a symmetric matrix: V f(Lambda) V^T. */
export function symmetricFunction(A: Dense, f: (lambda: number) => number): Dense {
  const { values, vectors } = symmetricEigen(A);
  const n = values.length;
  const out = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < n; k++) {
    const fk = f(values[k]!);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i]![j]! += vectors[i]![k]! * fk * vectors[j]![k]!;
  }
  return out;
}
