/** Tests: least squares (float64). */
import { Matrix, pseudoInverse, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { matrix64, multiply, ridgeSolve } from '../../src/numeric/least-squares.ts';
import { stream } from '../../src/random/rng.ts';

const rng = stream({ test: 'least-squares' });
const random = (rows: number, cols: number) => matrix64(rows, cols, () => rng.normal());
const asRows = (A: ReturnType<typeof random>) =>
  Array.from({ length: A.rows }, (_, i) => Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('least squares (float64)', () => {
  it.each([
    [12, 30],
    [30, 12],
    [20, 21],
  ])('the ridgeless solution of a %i x %i system is the pseudo-inverse solution (ml-matrix SVD)', (rows, cols) => {
    const A = random(rows, cols);
    const y = Float64Array.from({ length: rows }, () => rng.normal());
    const a = ridgeSolve(A, y);
    const expected = pseudoInverse(new Matrix(asRows(A)))
      .mmul(Matrix.columnVector(Array.from(y)))
      .getColumn(0);
    expect(maxAbs(a, expected)).toBeLessThan(1e-9 * Math.max(1, ...expected.map(Math.abs)));
    // Over-parametrized: it interpolates.
    if (rows < cols) expect(maxAbs(multiply(A, a), y)).toBeLessThan(1e-10);
  });

  it('ridge: both routes (rows <= cols and rows > cols) give (A^T A + lambda I)^{-1} A^T y', () => {
    const A = random(15, 9);
    const y = Float64Array.from({ length: 15 }, () => rng.normal());
    const lambda = 0.7;
    const tall = ridgeSolve(A, y, lambda);
    const M = new Matrix(asRows(A));
    const expected = solve(
      M.transpose().mmul(M).add(Matrix.eye(9).mul(lambda)),
      M.transpose().mmul(Matrix.columnVector(Array.from(y))),
    ).getColumn(0);
    expect(maxAbs(tall, expected)).toBeLessThan(1e-12);
    // The wide route on the transposed problem: A^T (A A^T + lambda I)^{-1} y for a 9 x 15 system.
    const B = matrix64(9, 15, (i, j) => A.data[j * 9 + i]!);
    const z = Float64Array.from({ length: 9 }, () => rng.normal());
    const wide = ridgeSolve(B, z, lambda);
    const N = new Matrix(asRows(B));
    const viaCols = solve(
      N.transpose().mmul(N).add(Matrix.eye(15).mul(lambda)),
      N.transpose().mmul(Matrix.columnVector(Array.from(z))),
    ).getColumn(0);
    expect(maxAbs(wide, viaCols)).toBeLessThan(1e-12);
  });
});
