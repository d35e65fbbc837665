/** `tdlv judge`: the rate rules of verify on measurements made anywhere (CSV in, verdicts out). */
import { readTextFile } from './read-file.ts';
import { UNSIGNED_DECIMAL, UsageError } from '../errors.ts';
import { DEFAULT_RATE_TOL } from '../stats/level.ts';
import { judgeDataset, parseClaim, parseMeasurements, CLAIM_FORMS } from '../verify/judge.ts';
import { defineCommand } from './args.ts';
import { ESTIMANDS, type Estimand } from '../stats/rate-fit.ts';
import { toolInfo } from '../verify/certificate.ts';
import type { VerdictValue } from '../verify/verdicts.ts';

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

/** The verdict as an exit status, worst dataset first: refuted 3, invalid 5, inconclusive 4, all supported 0. */
export function exitCode(verdicts: VerdictValue[]): number {
  if (verdicts.includes('refuted')) return 3;
  if (verdicts.includes('invalid')) return 5;
  if (verdicts.includes('inconclusive')) return 4;
  return 0;
}

/** A name from the user's file, with control characters (ANSI and OSC escape sequences) shown as \u escapes. */
export const printable = (text: string) =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const judgeCommand = defineCommand({
  name: 'judge',
  summary: 'judge a claimed rate on measurements made anywhere (CSV of width, seed, value), with the rules of verify',
  usage: [
    'tdlv judge --data measurements.csv --claim "O(n^-1)" [--tol 0.15] [--estimand geometric|mean] [--json] ' +
      '[--exit-code]',
    '',
    '  --data   CSV with the header width,seed,value, or dataset,width,seed,value (each ' +
      'dataset judged apart, in file order);',
    '           one row per independent network; widths and values positive',
    `  --claim  ${CLAIM_FORMS}`,
    `  --tol    tolerance on the slope (default ${DEFAULT_RATE_TOL}); o(1) is judged as O(n^-tol)`,
    '  --estimand  geometric (default: the rate of the typical value, exp E[log Q]) or mean (the rate of E[Q])',
    '  --paired    seeds are shared across widths (the same seed label at every width shares data or a draw): a',
    "           paired fit of each seed's slope, t over seeds; without it the width-clustered interval is valid",
    '           but wider',
    '  --json   {"tool": {"name", "version", "commit"}, "results": [{"dataset", "claim", "estimand", "verdict", ' +
      '"slope": {"estimate", "ci", "se", "df"},',
    '           "pSupport", "tail", "local", "design": {"widths", "seedsPerWidth", "networks"}, "lackOfFit", ' +
      '"reason", "warnings": [...]}]}',
    '  --exit-code  exit with the verdict (worst dataset): 0 supported, 3 refuted, 4 inconclusive, 5 invalid',
    '  A dataset with a value that is not a positive finite number is judged invalid (line and column named); the',
    '  others are judged.',
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
    estimand: { type: 'string', default: 'geometric' },
    paired: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'exit-code': { type: 'boolean', default: false },
  },
  async run({ values, positionals }, io) {
    if (positionals.length)
      throw new UsageError('judge', positionals[0], 'no positional arguments (use --data and --claim)');
    const spec = parseClaim(values.claim);
    const tol = parseTol(values.tol);
    const estimand = values.estimand as Estimand;
    if (!(ESTIMANDS as readonly string[]).includes(estimand))
      throw new UsageError('--estimand', values.estimand, ESTIMANDS.join(' or '));
    const datasets = parseMeasurements(readData(values.data));
    if (values.paired && estimand === 'mean')
      throw new UsageError('--estimand', 'mean', 'geometric with --paired (the paired fit is of log values)');
    const results = datasets.map((d) => judgeDataset(d, spec, tol, estimand, values.paired).result);
    const code = values['exit-code'] ? exitCode(results.map((r) => r.verdict)) : 0;
    if (values.json) {
      const { name, version, commit } = toolInfo();
      io.out(JSON.stringify({ tool: { name, version, commit }, results }));
      return code;
    }
    const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
    for (const r of results) {
      const ci = r.slope.ci[0] === null ? 'n/a' : `[${f(r.slope.ci[0])}, ${f(r.slope.ci[1])}]`;
      io.out(
        `${r.dataset ? `${printable(r.dataset)}: ` : ''}${r.claim}: ${r.verdict.toUpperCase()}  slope ` +
          `${f(r.slope.estimate)} ${ci}`,
      );
      io.out(`  ${printable(r.reason)}`);
      if (r.local.length)
        io.out(`  local slopes: ${r.local.map((l) => `${l.from}-${l.to} ${f(l.estimate)}`).join(', ')}`);
      for (const w of r.warnings) io.out(`  warning: ${printable(w)}`);
    }
    return code;
  },
});
