/** The rules of verify applied to measurements made elsewhere (the engine of `tdlv judge`). */
import { DECIMAL, UsageError } from '../errors.ts';
import { DEFAULT_RATE_TOL } from '../stats/level.ts';
import { fitRate, type WidthSeries } from '../stats/rate-fit.ts';
import type { RateClaim, RateMode } from './claims.ts';
import { rateClaimText, rateVerdict, type Verdict, type VerdictValue } from './verdicts.ts';

/**
 * `tdlv judge`: the rate rules of `tdlv verify` applied to measurements made anywhere (PyTorch, JAX, a paper's table).
 * Each row is one independent network (width, seed, value); each dataset is judged on its own.
 */
export interface ClaimSpec {
  mode: RateMode;
  exponent: number;
}

/** The claimed exponent P: a signed decimal without exponent notation. */
const EXPONENT = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)`;
const CLAIM = new RegExp(
  String.raw`^(O|Theta|Omega)\(\s*n\s*\^\s*(?:\{\s*(${EXPONENT})\s*\}|\(\s*(${EXPONENT})\s*\)|(${EXPONENT}))\s*\)$`,
);
export const CLAIM_FORMS =
  'O(n^P), Theta(n^P), Omega(n^P) with P a signed decimal (e.g. O(n^-1), Theta(n^-0.5)), or o(1)';

export function parseClaim(text: string | undefined): ClaimSpec {
  const s = (text ?? '').trim();
  if (s === 'o(1)') return { mode: 'vanishes', exponent: 0 };
  const m = CLAIM.exec(s);
  if (!m) throw new UsageError('--claim', text, CLAIM_FORMS);
  const exponent = Number(m[2] ?? m[3] ?? m[4]);
  const mode: RateMode = m[1] === 'O' ? 'upper' : m[1] === 'Omega' ? 'lower' : 'tight';
  return { mode, exponent };
}

export interface Dataset {
  name: string;
  series: WidthSeries;
}

/** Split one CSV line (commas; fields may be double-quoted with "" escapes). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(quoted ? field : field.trim());
  return out;
}

/** Parse `width,seed,value` (optionally with a leading `dataset` column) into datasets in file order. */
export function parseMeasurements(text: string, argument = '--data'): Dataset[] {
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0)
    throw new UsageError(
      argument,
      '',
      'a CSV file with the header width,seed,value (or dataset,width,seed,value) and at least one row',
    );
  const header = splitCsv(lines[headerIndex]!.replace(/^\uFEFF/, '')).map((h) => h.toLowerCase());
  const withDataset = header.length === 4 && header.join(',') === 'dataset,width,seed,value';
  if (!withDataset && header.join(',') !== 'width,seed,value') {
    throw new UsageError(
      `${argument} line ${headerIndex + 1} (header)`,
      lines[headerIndex],
      'the header width,seed,value or dataset,width,seed,value',
    );
  }
  const order: string[] = [];
  const byName = new Map<string, Map<number, Map<string, number>>>();
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const where = `${argument} line ${i + 1}`;
    const fields = splitCsv(raw);
    if (fields.length !== header.length)
      throw new UsageError(
        where,
        raw,
        `${header.length} comma-separated fields (${header.join(',')}), found ${fields.length}`,
      );
    const [name, widthText, seed, valueText] = withDataset ? fields : ['', ...fields];
    if (!DECIMAL.test(widthText!) || !(Number(widthText) > 0) || !Number.isFinite(Number(widthText)))
      throw new UsageError(`${where} (width)`, widthText, 'a positive finite decimal number');
    if (seed === '') throw new UsageError(`${where} (seed)`, seed, 'a non-empty seed identifier');
    if (!DECIMAL.test(valueText!) || !Number.isFinite(Number(valueText)) || !(Number(valueText) > 0))
      throw new UsageError(
        `${where} (value)`,
        valueText,
        'a positive finite decimal number (a rate is fitted on a log scale)',
      );
    const width = Number(widthText);
    if (!byName.has(name!)) {
      byName.set(name!, new Map());
      order.push(name!);
    }
    const widths = byName.get(name!)!;
    if (!widths.has(width)) widths.set(width, new Map());
    const seeds = widths.get(width)!;
    if (seeds.has(seed!))
      throw new UsageError(
        `${where} (seed)`,
        seed,
        `a seed not already used at width ` +
          `${width}${withDataset ? ` in dataset ${JSON.stringify(name)}` : ''} (each row is ` +
          `one independent network)`,
      );
    seeds.set(seed!, Number(valueText));
  }
  if (!order.length) throw new UsageError(argument, 'no rows', 'at least one row after the header');
  return order.map((name) => {
    const widths = [...byName.get(name)!.keys()].sort((a, b) => a - b);
    return { name, series: { widths, values: widths.map((w) => [...byName.get(name)!.get(w)!.values()]) } };
  });
}

export interface JudgeResult {
  dataset: string;
  claim: string;
  verdict: VerdictValue;
  slope: { estimate: number | null; ci: [number | null, number | null] };
  reason: string;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export function judgeDataset(
  dataset: Dataset,
  spec: ClaimSpec,
  tol = DEFAULT_RATE_TOL,
): { result: JudgeResult; verdict: Verdict } {
  const claim: RateClaim = {
    id: 'judge',
    kind: 'rate',
    title: '',
    tex: '',
    hypotheses: [],
    source: 'user measurements',
    theorem: true,
    standing: 'conjecture',
    arm: dataset.name,
    observable: 'value',
    mode: spec.mode,
    exponent: spec.exponent,
    tol,
  };
  const verdict = rateVerdict(claim, fitRate(dataset.series));
  const ci = verdict.ci ?? [NaN, NaN];
  return {
    verdict,
    result: {
      dataset: dataset.name,
      claim: `${rateClaimText(spec.mode, spec.exponent)} tol ${tol}`,
      verdict: verdict.verdict,
      slope: { estimate: finiteOrNull(verdict.estimate), ci: [finiteOrNull(ci[0]), finiteOrNull(ci[1])] },
      reason: verdict.reason,
    },
  };
}
