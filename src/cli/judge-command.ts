/** `tdlv judge`: the rate rules of verify on measurements made anywhere (CSV in, verdicts out). */
import { readTextFile } from './read-file.ts';
import { UNSIGNED_DECIMAL, UsageError } from '../errors.ts';
import { DEFAULT_RATE_TOL } from '../stats/level.ts';
import { judgeDataset, parseClaim, parseMeasurements, CLAIM_FORMS } from '../verify/judge.ts';
import { defineCommand } from './args.ts';

const MAX_BYTES = 64 * 1024 * 1024;

function readData(path: string | undefined): string {
  if (!path)
    throw new UsageError(
      '--data',
      path,
      'a path to a CSV file with the header width,seed,value (or dataset,width,seed,value)',
    );
  return readTextFile(path, '--data', 'a readable CSV file', MAX_BYTES);
}

function parseTol(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RATE_TOL;
  const t = text.trim();
  if (!UNSIGNED_DECIMAL.test(t) || !(Number(t) >= 0) || Number(t) > 5)
    throw new UsageError('--tol', text, 'a decimal number in [0, 5] (tolerance on the slope)');
  return Number(t);
}

export const judgeCommand = defineCommand({
  name: 'judge',
  summary: 'judge a claimed rate on measurements made anywhere (CSV of width, seed, value), with the rules of verify',
  usage: [
    'tdlv judge --data measurements.csv --claim "O(n^-1)" [--tol 0.15] [--json]',
    '',
    '  --data   CSV with the header width,seed,value, or dataset,width,seed,value (each ' +
      'dataset judged apart, in file order);',
    '           one row per independent network; widths and values positive',
    `  --claim  ${CLAIM_FORMS}`,
    `  --tol    tolerance on the slope (default ${DEFAULT_RATE_TOL}); o(1) is judged as O(n^-tol)`,
    '  --json   {"results": [{"dataset", "claim", "verdict", "slope": {"estimate", "ci": [lo, hi]}, "reason"}]}',
    '',
    'Rules (docs/verdicts.md): least-squares slope of per-network log values on log ' +
      'width, a width-clustered t interval,',
    'one-sided 5% tests against the tolerance, the largest three widths able to refute; at least 3 seeds per width,',
    '3 widths and 15 networks. Calibration: npm run calibrate.',
  ].join('\n'),
  options: {
    data: { type: 'string' },
    claim: { type: 'string' },
    tol: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ values, positionals }, io) {
    if (positionals.length)
      throw new UsageError('judge', positionals[0], 'no positional arguments (use --data and --claim)');
    const spec = parseClaim(values.claim);
    const tol = parseTol(values.tol);
    const datasets = parseMeasurements(readData(values.data));
    const results = datasets.map((d) => judgeDataset(d, spec, tol).result);
    if (values.json) {
      io.out(JSON.stringify({ results }));
      return 0;
    }
    for (const r of results) {
      const ci = r.slope.ci[0] === null ? 'n/a' : `[${r.slope.ci[0].toFixed(3)}, ${r.slope.ci[1]!.toFixed(3)}]`;
      io.out(
        `${r.dataset ? `${r.dataset}: ` : ''}${r.claim}: ${r.verdict.toUpperCase()}  slope ` +
          `${r.slope.estimate === null ? 'n/a' : r.slope.estimate.toFixed(3)} ${ci}`,
      );
      io.out(`  ${r.reason}`);
    }
    return 0;
  },
});
