/** Reading the input points of `tdlv kernel` (a JSON array of equal-length vectors). */
import { readTextFile } from './read-file.ts';
import { UsageError } from '../errors.ts';

/** Read a JSON array of equal-length numeric input vectors. */
export function readInputs(path: string | undefined, argument = '--inputs'): number[][] {
  if (!path) throw new UsageError(argument, path, 'a path to a JSON file holding an array of input vectors');
  const text = readTextFile(path, argument, 'a readable JSON file of input vectors', 64 * 1024 * 1024);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(argument, path, 'valid JSON (the file does not parse)');
  }
  if (!Array.isArray(data) || data.length === 0)
    throw new UsageError(argument, path, 'a non-empty JSON array of input vectors');
  const d = Array.isArray(data[0]) ? data[0].length : -1;
  data.forEach((row, i) => {
    if (!Array.isArray(row) || row.length === 0 || row.length !== d) {
      throw new UsageError(
        argument,
        path,
        `rows of equal, non-zero length (row ${i} has ` +
          `${Array.isArray(row) ? row.length : 'no'} entries, row 0 has ${d})`,
      );
    }
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new UsageError(argument, path, `finite numbers (entry [${i}][${j}] is ${JSON.stringify(v)})`);
    });
  });
  return data as number[][];
}
