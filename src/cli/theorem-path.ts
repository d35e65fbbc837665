/** A theorem argument is a path (./my-theorem.ts, dir/theorem.js) rather than a built-in id when it names a file. */
export function isTheoremPath(argument: string): boolean {
  return /[\\/]/.test(argument) || /\.(c|m)?(t|j)s$/.test(argument);
}
