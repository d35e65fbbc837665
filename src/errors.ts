/**
 * A mistake in what the user asked for (bad argument, missing file, unknown id). The CLI prints
 * its message on one line and exits with code 2; it never shows a stack trace.
 */
export class UsageError extends Error {
  constructor(
    readonly argument: string,
    readonly value: unknown,
    readonly expected: string,
    /** The line itself, where "<argument>: got <value>; expected <expected>" does not read right. */
    line?: string,
  ) {
    super(line ?? `${argument}: got ${value === undefined ? 'nothing' : JSON.stringify(value)}; expected ${expected}`);
    this.name = 'UsageError';
  }
}

/** Plain decimal notation only: no hex (0x10), binary, Infinity or empty strings, which Number() would accept. */
export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** The same without a sign (tolerances). */
export const UNSIGNED_DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const strictNumber = (value: unknown) =>
  typeof value === 'string' ? (DECIMAL.test(value.trim()) ? Number(value) : NaN) : value;

export function requirePositiveInteger(argument: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  const n = strictNumber(value);
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0 || n > max) {
    throw new UsageError(argument, value, `a positive integer${max < Number.MAX_SAFE_INTEGER ? ` <= ${max}` : ''}`);
  }
  return n;
}

/** 0, 1, 2, ... in plain decimal: "00" and "+0" are refused like "0x0" (one spelling per number). */
export function requireNonNegativeInteger(argument: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value === 'string' && !/^(0|[1-9]\d*)$/.test(value.trim()))
    throw new UsageError(argument, value, `an integer from 0 to ${max} in plain decimal`);
  const n = strictNumber(value);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max)
    throw new UsageError(argument, value, `an integer from 0 to ${max} in plain decimal`);
  return n;
}

export function requirePositiveNumber(argument: string, value: unknown): number {
  const n = strictNumber(value);
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(argument, value, 'a finite number > 0');
  return n;
}

export function requireNonNegativeNumber(argument: string, value: unknown): number {
  const n = strictNumber(value);
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(argument, value, 'a finite number >= 0');
  }
  return n;
}

export function requireOneOf<T extends string>(argument: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new UsageError(argument, value, `one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** The default branch of an exhaustive switch: the compiler proves it unreachable; at run time it throws. */
export function unreachable(value: never, what: string): never {
  throw new Error(`unknown ${what}: ${JSON.stringify(value)}`);
}
