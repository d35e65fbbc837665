/**
 * One number format for every report surface (pages, terminal tables, README tables): three decimals in [1e-3, 1e4),
 * three significant digits in exponent form outside it, and `missing` for a value that is not a finite number.
 */
export function formatNumber(x: number | null | undefined, missing = '—'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return missing;
  if (x === 0) return '0';
  return Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(3);
}

/** A size (a width, a depth, a scale): integers as they are (512, 16384), others to four significant digits. */
export function formatSize(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}
