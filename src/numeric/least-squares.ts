/**
 * Float64 least squares for the double-descent experiments: min-norm (ridgeless) and ridge solutions through the Gram
 * matrix of the smaller dimension, by Cholesky. Matrices are row-major Float64Arrays.
 */
export interface Matrix64 {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix64(rows: number, cols: number, fill?: (i: number, j: number) => number): Matrix64 {
  const data = new Float64Array(rows * cols);
  if (fill) for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = fill(i, j);
  return { rows, cols, data };
}

/** A A^T (rows x rows). */
export function gramOfRows(A: Matrix64): Float64Array {
  const { rows, cols, data } = A;
  const G = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++)
    for (let k = 0; k <= i; k++) {
      let s = 0;
      const a = i * cols;
      const b = k * cols;
      for (let j = 0; j < cols; j++) s += data[a + j]! * data[b + j]!;
      G[i * rows + k] = G[k * rows + i] = s;
    }
  return G;
}

/** A^T A (cols x cols). */
export function gramOfColumns(A: Matrix64): Float64Array {
  const { rows, cols, data } = A;
  const G = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let i = 0; i < cols; i++) {
      const v = data[o + i]!;
      if (v === 0) continue;
      const gi = i * cols;
      for (let k = 0; k <= i; k++) G[gi + k]! += v * data[o + k]!;
    }
  }
  for (let i = 0; i < cols; i++) for (let k = 0; k < i; k++) G[k * cols + i] = G[i * cols + k]!;
  return G;
}

/** The lower Cholesky factor L of a symmetric positive-definite G (k x k, row-major); throws when G is not numerically
 * PD, naming `who`. */
function choleskyFactor(G: Float64Array, k: number, who: string): Float64Array {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = G[i * k + j]!;
      for (let m = 0; m < j; m++) s -= L[i * k + m]! * L[j * k + m]!;
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`${who}: the matrix is not positive definite`);
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j]!;
    }
  return L;
}

/** z = L^-1 b for a lower-triangular L (forward substitution). */
function forwardSubstitute(L: Float64Array, k: number, b: Float64Array): Float64Array {
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= L[i * k + m]! * z[m]!;
    z[i] = s / L[i * k + i]!;
  }
  return z;
}

/** Solve G x = b for symmetric positive-definite G (k x k) by Cholesky; throws when G is not numerically PD. */
export function choleskySolve(G: Float64Array, k: number, b: Float64Array): Float64Array {
  const L = choleskyFactor(G, k, 'choleskySolve');
  const z = forwardSubstitute(L, k, b);
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < k; m++) s -= L[m * k + i]! * x[m]!;
    x[i] = s / L[i * k + i]!;
  }
  return x;
}

/**
 * b^T G^-1 b for a symmetric positive-definite G (k x k, row-major) as |L^-1 b|^2 with G = L L^T: a sum of squares,
 * never negative, and no back substitution (e.g. the part of a target that a least-squares fit on features explains,
 * G their Gram matrix and b their correlations with it). Throws when G is not numerically PD.
 */
export function inverseQuadraticForm(G: Float64Array, k: number, b: Float64Array): number {
  const z = forwardSubstitute(choleskyFactor(G, k, 'inverseQuadraticForm'), k, b);
  let q = 0;
  for (let i = 0; i < k; i++) q += z[i]! * z[i]!;
  return q;
}

/**
 * tr(G^-1) for a symmetric positive-definite G (k x k, row-major) as |L^-1|_F^2 with G = L L^T: column j of L^-1 is
 * zero above row j, so each is a forward substitution started at j (k^3 / 6 multiply-adds in all). Throws when G is
 * not numerically PD.
 */
export function inverseTrace(G: Float64Array, k: number): number {
  const L = choleskyFactor(G, k, 'inverseTrace');
  const z = new Float64Array(k);
  let trace = 0;
  for (let j = 0; j < k; j++) {
    z[j] = 1 / L[j * k + j]!;
    trace += z[j]! * z[j]!;
    for (let i = j + 1; i < k; i++) {
      let s = 0;
      for (let m = j; m < i; m++) s -= L[i * k + m]! * z[m]!;
      z[i] = s / L[i * k + i]!;
      trace += z[i]! * z[i]!;
    }
  }
  return trace;
}

/** A x (rows). */
export function multiply(A: Matrix64, x: Float64Array): Float64Array {
  const out = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    const o = i * A.cols;
    for (let j = 0; j < A.cols; j++) s += A.data[o + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/** A^T y (cols). */
export function multiplyTransposed(A: Matrix64, y: Float64Array): Float64Array {
  const out = new Float64Array(A.cols);
  for (let i = 0; i < A.rows; i++) {
    const v = y[i]!;
    const o = i * A.cols;
    for (let j = 0; j < A.cols; j++) out[j]! += A.data[o + j]! * v;
  }
  return out;
}

/**
 * argmin_a ||y - A a||^2 + ridge ||a||^2, and for ridge = 0 the minimum-norm solution (the limit ridge -> 0+, the
 * interpolator when A has more columns than rows): a = A^T (A A^T + ridge I)^{-1} y when rows <= cols, otherwise
 * (A^T A + ridge I)^{-1} A^T y (the same vector, by the push-through identity).
 */
export function ridgeSolve(A: Matrix64, y: Float64Array, ridge = 0): Float64Array {
  if (A.rows <= A.cols) {
    const G = gramOfRows(A);
    for (let i = 0; i < A.rows; i++) G[i * A.rows + i]! += ridge;
    return multiplyTransposed(A, choleskySolve(G, A.rows, y));
  }
  const G = gramOfColumns(A);
  for (let i = 0; i < A.cols; i++) G[i * A.cols + i]! += ridge;
  return choleskySolve(G, A.cols, multiplyTransposed(A, y));
}
