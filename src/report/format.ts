/**
 * One number format for every report surface (pages, terminal tables, README tables): three decimals in [1e-3, 1e4),
 * three significant digits in exponent form outside it, and `missing` for a value that is not a finite number.
 */
export function formatNumber(x: number | null | undefined, missing = '—'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return missing;
  if (x === 0) return '0';
  return Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(3);
}
