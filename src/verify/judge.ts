/** The rules of verify applied to measurements made elsewhere (the engine of `tdlv judge`). */
import { DECIMAL, UsageError } from '../errors.ts';
import { DEFAULT_RATE_TOL } from '../stats/level.ts';
import {
  fitRate,
  withPairedSlopes,
  type Estimand,
  type RateFit,
  type SlopeInterval,
  type WidthSeries,
} from '../stats/rate-fit.ts';
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
  // A 5000-digit exponent parses to an infinity: refuse it rather than judge against it.
  if (!(Math.abs(exponent) <= 100)) throw new UsageError('--claim', text, `${CLAIM_FORMS}, with |P| <= 100`);
  const mode: RateMode = m[1] === 'O' ? 'upper' : m[1] === 'Omega' ? 'lower' : 'tight';
  return { mode, exponent };
}

export interface Dataset {
  name: string;
  series: WidthSeries;
  /** The first row whose value a log-scale fit cannot use (the dataset is judged `invalid`; the others are judged). */
  invalid?: string;
  /** The seed label of each value (seeds[k][i] names series.values[k][i]). */
  seeds?: string[][];
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
  const invalid = new Map<string, string>();
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
    const width = Number(widthText);
    if (!byName.has(name!)) {
      byName.set(name!, new Map());
      order.push(name!);
    }
    if (!DECIMAL.test(valueText!) || !Number.isFinite(Number(valueText)) || !(Number(valueText) > 0)) {
      // The dataset is invalid; the file and its other datasets are still judged.
      if (!invalid.has(name!))
        invalid.set(
          name!,
          `${where}, column ${withDataset ? 4 : 3} (value): got ${JSON.stringify(valueText)}; a rate is fitted on a ` +
            'log scale, so every value must be a positive finite decimal number',
        );
      continue;
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
    const series = { widths, values: widths.map((w) => [...byName.get(name)!.get(w)!.values()]) };
    const seeds = widths.map((w) => [...byName.get(name)!.get(w)!.keys()]);
    return { name, series, seeds, ...(invalid.has(name) ? { invalid: invalid.get(name)! } : {}) };
  });
}

export interface JudgeResult {
  dataset: string;
  claim: string;
  estimand: Estimand;
  verdict: VerdictValue;
  /** The effective exponent over the measured widths, its 95% interval, standard error and degrees of freedom. */
  slope: { estimate: number | null; ci: [number | null, number | null]; se: number | null; df: number | null };
  /** p-value of the test whose rejection means supported (null when a guard decided). */
  pSupport: number | null;
  /** The fit over the largest three widths, and between adjacent widths. */
  tail: { widths: number[]; estimate: number | null; ci: [number | null, number | null] } | null;
  local: { from: number; to: number; estimate: number | null; ci: [number | null, number | null] }[];
  /** The design behind the verdict. */
  design: { widths: number[]; seedsPerWidth: number[]; networks: number };
  lackOfFit: { F: number | null; df: number; df2: number | null; p: number | null; tau2: number } | null;
  reason: string;
  warnings: string[];
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);
const interval = (s: SlopeInterval) => ({
  estimate: finiteOrNull(s.estimate),
  ci: [finiteOrNull(s.ci[0]), finiteOrNull(s.ci[1])] as [number | null, number | null],
});

/** Why a dataset cannot be fitted paired (a seed missing at some width), or null. */
function pairingProblem(dataset: Dataset): string | null {
  const first = new Set(dataset.seeds?.[0] ?? []);
  for (const [k, labels] of (dataset.seeds ?? []).entries()) {
    const here = new Set(labels);
    const missing = [...first].find((s) => !here.has(s)) ?? labels.find((s) => !first.has(s));
    if (missing !== undefined)
      return (
        `--paired needs the same seeds at every width: seed ${JSON.stringify(missing)} is not at both widths ` +
        `${dataset.series.widths[0]} and ${dataset.series.widths[k]}`
      );
  }
  return null;
}

/** The paired fit: values reordered so that index i is the same seed at every width (see pairedSlope). */
function pairedFit(dataset: Dataset, clustered: RateFit): RateFit {
  const order = [...dataset.seeds![0]!].sort();
  const values = dataset.series.values.map((g, k) => order.map((s) => g[dataset.seeds![k]!.indexOf(s)]!));
  return withPairedSlopes(clustered, { widths: dataset.series.widths, values });
}

export function judgeDataset(
  dataset: Dataset,
  spec: ClaimSpec,
  tol = DEFAULT_RATE_TOL,
  estimand: Estimand = 'geometric',
  paired = false,
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
    estimand,
  };
  const claimText = `${rateClaimText(spec.mode, spec.exponent)} tol ${tol}`;
  const design = {
    widths: dataset.series.widths,
    seedsPerWidth: dataset.series.values.map((g) => g.length),
    networks: dataset.series.values.reduce((t, g) => t + g.length, 0),
  };
  const unpaired = paired ? pairingProblem(dataset) : null;
  const invalidReason = dataset.invalid ?? unpaired ?? undefined;
  if (invalidReason) {
    const verdict: Verdict = {
      claim: 'judge',
      kind: 'rate',
      arm: dataset.name,
      verdict: 'invalid',
      estimate: NaN,
      ci: null,
      reason: invalidReason,
      evidence: {},
    };
    const none = { estimate: null, ci: [null, null] as [null, null] };
    return {
      verdict,
      result: {
        dataset: dataset.name,
        claim: claimText,
        estimand,
        verdict: 'invalid',
        slope: { ...none, se: null, df: null },
        pSupport: null,
        tail: null,
        local: [],
        design,
        lackOfFit: null,
        reason: invalidReason,
        warnings: [],
      },
    };
  }
  const clustered = fitRate(dataset.series, { estimand });
  const fit = paired ? pairedFit(dataset, clustered) : clustered;
  const verdict = rateVerdict(claim, fit);
  const lof = fit.lackOfFit;
  return {
    verdict,
    result: {
      dataset: dataset.name,
      claim: claimText,
      estimand,
      verdict: verdict.verdict,
      slope: { ...interval(fit.slope), se: finiteOrNull(fit.slope.se), df: finiteOrNull(fit.slope.df) },
      pSupport: verdict.pSupport === undefined ? null : finiteOrNull(verdict.pSupport),
      tail: fit.tail ? { widths: fit.tail.widths, ...interval(fit.tail) } : null,
      local: fit.local.map((l) => ({ from: l.from, to: l.to, ...interval(l) })),
      design,
      lackOfFit: {
        F: finiteOrNull(lof.F),
        df: lof.df,
        df2: finiteOrNull(lof.df2),
        p: finiteOrNull(lof.p),
        tau2: lof.tau2,
      },
      reason: verdict.reason,
      warnings: verdict.warnings ?? [],
    },
  };
}
