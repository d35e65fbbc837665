/**
 * Chebyshev interpolation on [-1, 1] (Trefethen, Approximation Theory and Approximation Practice,
 * ch. 3 and 8): for a function analytic near [-1, 1] the error falls geometrically in the degree.
 * Nodes of the first kind, coefficients by the discrete cosine sum, evaluation by Clenshaw.
 */
export function chebyshevInterpolant(f: (x: number) => number, n: number): (x: number) => number {
  const values = Array.from({ length: n }, (_, j) => f(Math.cos((Math.PI * (j + 0.5)) / n)));
  const coefficients = Array.from({ length: n }, (_, k) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += values[j]! * Math.cos((Math.PI * k * (j + 0.5)) / n);
    return ((k === 0 ? 1 : 2) * s) / n;
  });
  return (x: number) => {
    let b1 = 0;
    let b2 = 0;
    for (let k = n - 1; k >= 1; k--) {
      const b0 = 2 * x * b1 - b2 + coefficients[k]!;
      b2 = b1;
      b1 = b0;
    }
    return x * b1 - b2 + coefficients[0]!;
  };
}
