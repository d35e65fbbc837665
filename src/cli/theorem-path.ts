/** A theorem argument is a path (./my-theorem.ts, dir/theorem.js) rather than a built-in id when it names a file. */
export function isTheoremPath(argument: string): boolean {
  return /[\\/]/.test(argument) || /\.(c|m)?(t|j)s$/.test(argument);
}

/** The module path a theorem argument names, or undefined for a built-in id (certificates record the path). */
export function modulePath(argument: string | undefined): string | undefined {
  return argument !== undefined && isTheoremPath(argument) ? argument : undefined;
}
