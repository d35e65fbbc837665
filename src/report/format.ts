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

/** The id of a page element drawn for `key` (a figure's title, an observable), for links within the page. */
export function anchorId(kind: 'figure' | 'observable', key: string): string {
  return `${kind}-${key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}

/** What a page calls an observable: the statement's label, else its identifier in words (ntkChange: ntk change). */
export function observableLabel(labels: Partial<Record<string, string>> | undefined, observable: string): string {
  return labels?.[observable] ?? observable.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
