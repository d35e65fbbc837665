/** Vega-Lite plots rendered to static SVG in Node: log-log rate plots, curves, forest plots. */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { GREEK_LETTERS, isGreekName } from './greek.ts';

/**
 * Log-log plots of a quantity against width, rendered to SVG in Node (Vega-Lite -> Vega, no browser).
 * Layers: per-seed values (faint), per-width centres joined by a line (the geometric means the fit uses when there is
 * a fit, arithmetic means otherwise), the fitted power law, and the claimed slope anchored at the first centre
 * (dashed).
 */
export interface PlotSeries {
  label: string;
  widths: number[];
  /** values[k]: per-seed values at widths[k]. */
  values: number[][];
  /** seeds[k][i]: the seed label of values[k][i] (the pages' seed highlight reads it from the point's label). */
  seeds?: number[][];
  /** The fit and the per-width points it used (geometric means: the fit is on log values). */
  fit?: { slope: number; logPrefactor: number; points: number[]; ci?: [number, number] };
}

/** The per-width point a series is drawn through: the fit's own point when there is a fit, else the arithmetic mean. */
export function seriesCentre(s: PlotSeries, k: number): number | undefined {
  if (s.fit && Number.isFinite(s.fit.points[k])) return s.fit.points[k];
  // A width the fit did not use is drawn at its arithmetic mean, like a series without a fit.
  const vals = s.values[k]!.filter((v) => Number.isFinite(v) && v > 0);
  return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : undefined;
}

export interface ClaimedLine {
  label: string;
  /** The series (arm) it is claimed for: drawn in that series' colour. */
  series: string;
  exponent: number;
  /** Anchor point (width, value) the claimed n^p line passes through. */
  anchor: [number, number];
}

export interface PlotOptions {
  xLabel?: string;
  width?: number;
  height?: number;
  /** The legend under the plot, one entry per line (panels set side by side), instead of to its right. */
  legendBelow?: boolean;
}

/** The legend configuration of `PlotOptions`. */
const legendConfig = (options: PlotOptions) => ({
  labelLimit: 360,
  ...(options.legendBelow ? { orient: 'bottom', direction: 'vertical' } : {}),
});

export async function logLogPlotSvg(
  title: string,
  yLabel: string,
  series: PlotSeries[],
  claimed: ClaimedLine[],
  options: PlotOptions & {
    /** A y range shared with the other panels of a figure. */
    yDomain?: [number, number];
    /** Draw no legend (a row of panels shows it once). */
    noLegend?: boolean;
  } = {},
): Promise<string> {
  const xLabel = options.xLabel ?? 'width n';
  const seeds: object[] = [];
  const means: object[] = [];
  const lines: object[] = [];
  for (const s of series) {
    s.widths.forEach((n, k) => {
      s.values[k]!.forEach((v, i) => {
        if (!(Number.isFinite(v) && v > 0)) return;
        const seed = s.seeds?.[k]?.[i];
        // The point's label (its aria-label: hover read-outs, toggles) in Vega's own form, with the seed when known.
        const desc = `${xLabel}: ${n}; ${yLabel}: ${Number(v.toPrecision(12))}; series: ${s.label}`;
        seeds.push({ n, q: v, series: s.label, desc: seed === undefined ? desc : `${desc}; seed: ${seed}` });
      });
      const centre = seriesCentre(s, k);
      if (centre !== undefined) means.push({ n, q: centre, series: s.label });
    });
    if (s.fit && Number.isFinite(s.fit.slope)) {
      for (const n of [s.widths[0]!, s.widths[s.widths.length - 1]!])
        lines.push({
          n,
          q: Math.exp(s.fit.logPrefactor) * n ** s.fit.slope,
          series: s.label,
          line: `${s.label} fit`,
          style: 'fitted',
        });
    }
  }
  const allWidths = series.flatMap((s) => s.widths);
  const [nMin, nMax] = [Math.min(...allWidths), Math.max(...allWidths)];
  for (const c of claimed) {
    for (const n of [nMin, nMax])
      lines.push({
        n,
        q: c.anchor[1] * (n / c.anchor[0]) ** c.exponent,
        series: c.series,
        line: c.label,
        style: 'claimed',
      });
  }
  // The fitted slope and its interval, and the claims, printed under the title (one line per series).
  const fmt = (x: number) => x.toFixed(2);
  const described = series.some(
    (s) => (s.fit && Number.isFinite(s.fit.slope)) || claimed.some((c) => c.series === s.label),
  );
  const subtitle = !described
    ? []
    : series.flatMap((s) => {
        const fit =
          s.fit && Number.isFinite(s.fit.slope)
            ? `fit slope ${fmt(s.fit.slope)}${s.fit.ci ? ` [${fmt(s.fit.ci[0])}, ${fmt(s.fit.ci[1])}]` : ''}`
            : 'no fit';
        const claims = claimed.filter((c) => c.series === s.label).map((c) => c.label);
        return [`${s.label}: ${fit}${claims.length ? `; ${claims.join('; ')}` : ''}`];
      });
  const x = {
    field: 'n',
    type: 'quantitative',
    title: xLabel,
    scale: { type: 'log', base: 2 },
    // Every size is labelled: without thousands separators (4096, not 4,096; 0.125 stays) the doublings fit a 200 px
    // panel, where the greedy overlap rule used to hide the largest but one.
    axis: { values: [...new Set(allWidths)].sort((a, b) => a - b), format: '~r', labelOverlap: false },
  };
  const y = {
    field: 'q',
    type: 'quantitative',
    title: yLabel,
    scale: { type: 'log', nice: false, padding: 6, ...(options.yDomain ? { domain: options.yDomain } : {}) },
  };
  const color = { field: 'series', type: 'nominal', title: null, ...(options.noLegend ? { legend: null } : {}) };
  // The legend names only the line styles drawn (a coordinate check has neither a fit nor a claim).
  const DASHES = { fitted: [6, 4], claimed: [2, 3] } as const;
  const styles = (['fitted', 'claimed'] as const).filter((st) =>
    lines.some((l) => (l as { style: string }).style === st),
  );
  const dash = {
    field: 'style',
    type: 'nominal',
    title: null,
    scale: { domain: styles, range: styles.map((st) => DASHES[st]) },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    // No subtitle when there is nothing to say (an empty one left a blank band above every coordinate-check panel).
    title: { text: title, ...(subtitle.length ? { subtitle, subtitleFontSize: 10 } : {}), anchor: 'start' },
    width: options.width ?? 420,
    height: options.height ?? 280,
    config: { legend: legendConfig(options) },
    layer: [
      {
        data: { values: seeds },
        mark: { type: 'point', opacity: 0.35, size: 18 },
        encoding: { x, y, color, description: { field: 'desc' } },
      },
      { data: { values: means }, mark: { type: 'line', point: true }, encoding: { x, y, color } },
      ...(styles.length
        ? [
            {
              data: { values: lines },
              mark: { type: 'line', strokeWidth: 1.5 },
              encoding: { x, y, color, strokeDash: dash, detail: { field: 'line' } },
            },
          ]
        : []),
    ],
  };
  return renderSpec(spec);
}

const SUB: Record<string, string> = {
  0: '₀',
  1: '₁',
  2: '₂',
  3: '₃',
  4: '₄',
  5: '₅',
  6: '₆',
  7: '₇',
  8: '₈',
  9: '₉',
  a: 'ₐ',
  e: 'ₑ',
  i: 'ᵢ',
  j: 'ⱼ',
  k: 'ₖ',
  l: 'ₗ',
  m: 'ₘ',
  n: 'ₙ',
  o: 'ₒ',
  p: 'ₚ',
  r: 'ᵣ',
  s: 'ₛ',
  t: 'ₜ',
  // Unicode has no subscript b, c or w: sigma_w^2 -> σw², sigma_b^2 -> σb², xi_c -> ξc.
  b: 'b',
  c: 'c',
  w: 'w',
  x: 'ₓ',
  '+': '₊',
  '-': '₋',
};
const SUP: Record<string, string> = {
  0: '⁰',
  1: '¹',
  2: '²',
  3: '³',
  4: '⁴',
  5: '⁵',
  6: '⁶',
  7: '⁷',
  8: '⁸',
  9: '⁹',
  '-': '⁻',
  '+': '⁺',
  '(': '⁽',
  ')': '⁾',
  // U+141F, the superscript solidus of fonts that draw n⁻¹ᐟ².
  '/': 'ᐟ',
  n: 'ⁿ',
  i: 'ⁱ',
  k: 'ᵏ',
  l: 'ˡ',
  t: 'ᵗ',
  L: 'ᴸ',
};
/** An exponent in halves as a fraction (-0.5 -> -1/2, 1.5 -> 3/2), which has a superscript form; others as written. */
const halves = (text: string) => {
  const x = Number(text);
  return /\./.test(text) && Number.isInteger(2 * x) ? `${2 * x}/2` : text;
};
const mapAll = (text: string, table: Record<string, string>) =>
  [...text].every((c) => c in table) ? [...text].map((c) => table[c]).join('') : undefined;

/**
 * Plot text is SVG text, which KaTeX cannot typeset: plain-text math becomes Unicode (eta_0 -> η₀, n^-1 -> n⁻¹,
 * n^-0.5 and n^-1/2 -> n⁻¹ᐟ²,
 * log2 -> log₂); a script with characters Unicode has no small form for is left as written.
 */
export function unicodeMath(text: string): string {
  return (
    text
      // O(n^0) is O(1).
      .replace(/\b(O|Theta|Omega)\(([A-Za-z]+)\^0\)/g, '$1(1)')
      .replace(/\blog2\(/g, 'log₂(')
      .replace(/\bsqrt\(/g, '√(')
      .replace(/\|\|/g, '‖')
      .replace(/<=/g, '≤')
      .replace(/>=/g, '≥')
      // beta-hat -> β̂ (a combining circumflex on the letter).
      .replace(/\b([A-Za-z]+)-hat\b/g, (m, w: string) => `${isGreekName(w) ? GREEK_LETTERS[w]! : w}\u0302`)
      .replace(/(?<![A-Za-z])([A-Za-z]+)(?![A-Za-z])/g, (w) => (isGreekName(w) ? GREEK_LETTERS[w]! : w))
      .replace(
        /_\{([^{}]*)\}|_([A-Za-z0-9])(?![A-Za-z0-9])/g,
        (m, braced: string | undefined, single: string | undefined) => mapAll(braced ?? single!, SUB) ?? m,
      )
      .replace(
        /\^\{([^{}]*)\}|\^(-?[0-9]+(?:\.[0-9]+|\/[0-9])?|[A-Za-z])(?![A-Za-z0-9.])/g,
        (m, braced: string | undefined, single: string | undefined) => mapAll(halves(braced ?? single!), SUP) ?? m,
      )
  );
}

/** Every title and series label of a spec (and its data) through unicodeMath. */
function unicodeSpec(value: unknown, key = ''): unknown {
  if (typeof value === 'string')
    // A scale's domain too: the series names it lists must stay equal to the converted data, or marks lose colour.
    return ['title', 'text', 'subtitle', 'series', 'line', 'label', 'desc', 'domain'].includes(key)
      ? unicodeMath(value)
      : value;
  if (Array.isArray(value)) return value.map((v) => unicodeSpec(v, key === 'values' ? '' : key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unicodeSpec(v, k)]));
  return value;
}

/** A Vega-Lite spec to static SVG (Greek names in titles as Unicode). */
export async function renderSpec(spec: object): Promise<string> {
  const unicode = unicodeSpec(spec) as object;
  const view = new vega.View(vega.parse(vl.compile(unicode as vl.TopLevelSpec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return legibleSvg(svg);
}

/**
 * Two repairs of Vega's SVG for a reader. (1) Vega hides an axis label that would overlap its neighbour (opacity 0)
 * but keeps its tick, so a tick stands unlabelled (often the largest width's): such labels and their ticks are
 * removed, and every tick left is labelled. (2) On a phone a plot shrinks with the page until its 10 px text is
 * unreadable: it may shrink to 82% of its size (10 px text stays at least 8 px), beyond which its frame scrolls
 * sideways (`--plot-width`, read by the stylesheet, which lets print shrink it freely).
 */
const AXIS_TICKS_AND_LABELS = new RegExp(
  String.raw`(<g class="mark-rule role-axis-tick"[^>]*>)((?:<line[^>]*><\/line>|<line[^>]*\/>)*)(<\/g>)([\s\S]*?)` +
    String.raw`(<g class="mark-text role-axis-label"[^>]*>)((?:<text[^>]*>[^<]*<\/text>|<text[^>]*\/>)*)(<\/g>)`,
  'g',
);

export function legibleSvg(svg: string): string {
  const axes = svg.replace(
    AXIS_TICKS_AND_LABELS,
    (m, tickOpen: string, ticks: string, tickClose: string, between: string, labelOpen: string, labels: string) => {
      const tickList = ticks.match(/<line[^>]*(?:><\/line>|\/>)/g) ?? [];
      // A log axis's minor ticks carry empty labels (<text/>): kept, they are meant to be unlabelled.
      const labelList = labels.match(/<text[^>]*(?:\/>|>[^<]*<\/text>)/g) ?? [];
      if (tickList.length !== labelList.length) return m;
      const keep = labelList.map((l) => !/opacity="0"/.test(l));
      if (keep.every(Boolean)) return m;
      return (
        tickOpen +
        tickList.filter((_, i) => keep[i]).join('') +
        tickClose +
        between +
        labelOpen +
        labelList.filter((_, i) => keep[i]).join('') +
        '</g>'
      );
    },
  );
  const width = /<svg[^>]*\swidth="([0-9.]+)"/.exec(axes)?.[1];
  const framed = width ? axes.replace(/<svg /, `<svg style="--plot-width: ${Math.ceil(Number(width))}px" `) : axes;
  return `<div class="plot-frame">${framed}</div>`;
}

/** The k-th of n colours of an ordered sweep (widths, smallest first): viridis, short of its palest yellow. */
function sequentialColour(k: number, n: number): string {
  return (vega.scheme('viridis') as (t: number) => string)(n === 1 ? 0 : (0.85 * k) / (n - 1));
}

/** A log axis over many decades (a diverging run) labels large values as powers of ten, not 10,000,000,000. */
const LARGE_AS_POWERS =
  "datum.value >= 1e5 ? replace(format(datum.value, '.0e'), 'e+', 'e') : format(datum.value, '~g')";

/** A constant level (a threshold, a null risk) as a vega layer: a dashed line through `values`. */
const dashedLayer = (values: object[], encoding: object) => ({
  data: { values },
  mark: { type: 'line', strokeWidth: 1.2, strokeDash: [6, 4] },
  encoding,
});

/**
 * Curves y(x) on a linear x axis and a log y axis, one per series (e.g. the loss against log2 of the learning rate per
 * width). The first `sequence` curves are an ordered sweep (widths, smallest first): a sequential palette (viridis, its
 * pale end cut off for contrast on white); any further curve (a bound, a reference) is drawn in dark grey.
 */
export async function curvesPlotSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  curves: { label: string; points: [number, number][] }[],
  options: PlotOptions & {
    sequence?: number;
    /** Dashed horizontal lines across the x range, in dark grey. */
    levels?: { label: string; y: number }[];
    /**
     * Marks on a curve (its colour, no legend entry of their own; the caption says what they are): a diamond at an
     * optimum, a cross where the curve stops because a seed diverged.
     */
    marks?: { curve: string; x: number; y: number; shape: 'diamond' | 'cross' }[];
  } = {},
): Promise<string> {
  const sequence = options.sequence ?? 0;
  const xs = curves.flatMap((c) => c.points.map(([x]) => x)).filter(Number.isFinite);
  const levelCurves = (options.levels ?? []).map((l) => ({
    label: l.label,
    points: [
      [Math.min(...xs), l.y],
      [Math.max(...xs), l.y],
    ] as [number, number][],
  }));
  const range = curves.map((_, k) =>
    k < sequence ? sequentialColour(k, sequence) : ['#333333', '#888888'][(k - sequence) % 2]!,
  );
  const values = curves.flatMap((c) =>
    c.points.filter(([, y]) => Number.isFinite(y) && y > 0).map(([x, y]) => ({ x, y, series: c.label })),
  );
  const levelValues = levelCurves.flatMap((c) => c.points.map(([x, y]) => ({ x, y, series: c.label })));
  const all = [...curves, ...levelCurves];
  const levelRange = levelCurves.map(() => '#555555');
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    sort: null,
    ...(sequence || levelCurves.length
      ? { scale: { domain: all.map((c) => c.label), range: [...range, ...levelRange] } }
      : {}),
  };
  const x = { field: 'x', type: 'quantitative', title: xLabel };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: yLabel,
    scale: { type: 'log' },
    axis: { labelExpr: LARGE_AS_POWERS },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: options.width ?? 420,
    height: options.height ?? 280,
    config: { legend: legendConfig(options) },
    layer: [
      { data: { values }, mark: { type: 'line', point: true }, encoding: { x, y, color } },
      ...(levelValues.length ? [dashedLayer(levelValues, { x, y, color })] : []),
      ...(['diamond', 'cross'] as const).flatMap((shape) => {
        const marks = (options.marks ?? []).filter((m) => m.shape === shape && m.y > 0 && Number.isFinite(m.x));
        if (!marks.length) return [];
        // A diamond filled in its curve's colour, outlined dark; a cross in its curve's colour.
        // The same field and scale as the lines' colour: vega-lite merges them into the lines' legend.
        const own = color;
        return [
          {
            data: { values: marks.map((m) => ({ x: m.x, y: m.y, series: m.curve })) },
            mark:
              shape === 'diamond'
                ? { type: 'point', shape, size: 130, filled: true, stroke: '#1f2328', strokeWidth: 1.5, opacity: 1 }
                : { type: 'point', shape, size: 70, filled: false, strokeWidth: 2, opacity: 1 },
            encoding: { x, y, ...(shape === 'diamond' ? { fill: own } : { stroke: own }) },
          },
        ];
      }),
    ],
  };
  return renderSpec(spec);
}

/**
 * A Gaussian-process prediction against ensembles (Lee et al. 2019): the GP's mean +- 2 sd as a grey band with its
 * mean line (over a continuous x such as training time) or as grey bars with a tick (over categories such as test
 * points, `bars`), and each ensemble's mean +- 2 sd as a point with a bar, in a sequential palette (widths, smallest
 * first), shifted by `offset` in x so that bars do not overlap. Ensembles are never joined by lines.
 */
export async function gpBandPlotSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  gp: { label: string; points: { x: number; mean: number; low: number; high: number }[] },
  ensembles: { label: string; points: { x: number; mean: number; low: number; high: number }[] }[],
  options: PlotOptions & {
    bars?: boolean;
    offset?: number;
    integerX?: boolean;
    /** The ensembles' places in a longer sweep (colours match panels that draw the whole sweep). */
    sequence?: { start: number; of: number };
  } = {},
): Promise<string> {
  const n = ensembles.length;
  const seq = options.sequence ?? { start: 0, of: n };
  const shift = (k: number) => (n > 1 ? ((k - (n - 1) / 2) * (options.offset ?? 0)) / Math.max(1, (n - 1) / 2) : 0);
  const values = [
    ...gp.points.map((p) => ({ ...p, series: gp.label })),
    ...ensembles.flatMap((e, k) => e.points.map((p) => ({ ...p, x: p.x + shift(k), series: e.label }))),
  ].filter((v) => [v.x, v.mean, v.low, v.high].every(Number.isFinite));
  const domain = [gp.label, ...ensembles.map((e) => e.label)];
  const range = ['#6e7781', ...ensembles.map((_, k) => sequentialColour(seq.start + k, seq.of))];
  const color = { field: 'series', type: 'nominal', title: null, sort: null, scale: { domain, range } };
  const x = {
    field: 'x',
    type: 'quantitative',
    title: xLabel,
    ...(options.integerX ? { axis: { tickMinStep: 1, format: 'd' } } : {}),
  };
  const y = { field: 'mean', type: 'quantitative', title: yLabel, scale: { zero: false } };
  const isGp = { field: 'series', equal: gp.label };
  const notGp = { not: isGp };
  const gpLayers = options.bars
    ? [
        {
          transform: [{ filter: isGp }],
          mark: { type: 'rule', strokeWidth: 7, opacity: 0.35 },
          encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
        },
        { transform: [{ filter: isGp }], mark: { type: 'tick', thickness: 2, size: 12 }, encoding: { x, y, color } },
      ]
    : [
        {
          transform: [{ filter: isGp }],
          mark: { type: 'area', opacity: 0.25 },
          encoding: { x, y: { field: 'low', type: 'quantitative', title: yLabel }, y2: { field: 'high' }, color },
        },
        { transform: [{ filter: isGp }], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color } },
      ];
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: options.width ?? 420,
    height: options.height ?? 280,
    config: { legend: legendConfig(options) },
    data: { values },
    layer: [
      ...gpLayers,
      {
        transform: [{ filter: notGp }],
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
      },
      {
        transform: [{ filter: notGp }],
        mark: { type: 'point', filled: true, size: 30 },
        encoding: { x, y, color },
      },
    ],
  };
  return renderSpec(spec);
}

/**
 * Thin lines against x on linear axes, one per network and time: a colour per group (viridis, in the order given), a
 * dash per time, and the reference (`group` equal to `reference`) thick and black (a kernel slice: Jacot et al. 2018,
 * Figure 1).
 */
export async function sliceLinesPlotSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  lines: { group: string; time: string; line: string; points: [number, number][] }[],
  groups: string[],
  reference: string,
  options: PlotOptions = {},
): Promise<string> {
  const domain = [...groups, reference];
  const range = [...groups.map((_, k) => sequentialColour(k, groups.length)), '#000'];
  const times = [...new Set(lines.filter((l) => l.group !== reference).map((l) => l.time))];
  const values = lines.flatMap((l) =>
    l.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => ({ x, y, ...l })),
  );
  const x = { field: 'x', type: 'quantitative', title: xLabel };
  const y = { field: 'y', type: 'quantitative', title: yLabel, scale: { zero: false } };
  const color = {
    field: 'group',
    type: 'nominal',
    title: null,
    sort: null,
    scale: { domain, range },
    legend: { labelLimit: 260 },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: options.width ?? 520,
    height: options.height ?? 300,
    data: { values },
    layer: [
      {
        transform: [{ filter: { field: 'group', oneOf: groups } }],
        mark: { type: 'line', strokeWidth: 1, opacity: 0.55 },
        encoding: {
          x,
          y,
          color,
          strokeDash: {
            field: 'time',
            type: 'nominal',
            title: null,
            sort: null,
            scale: { domain: times, range: times.map((_, k) => (k === 0 ? [1, 0] : [5, 3])) },
            // One time (an ensemble at initialization) needs no dash legend.
            ...(times.length > 1 ? {} : { legend: null }),
          },
          detail: { field: 'line' },
        },
      },
      {
        transform: [{ filter: { field: 'group', equal: reference } }],
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: { x, y, color },
      },
    ],
  };
  return renderSpec(spec);
}

/** A curve's drawable points, numbered by segment: a point that cannot be drawn (NaN, off a log axis) starts a new
 * one. */
function referenceSegments(
  reference: { label: string; points: [number, number][] },
  drawable: (x: number, y: number) => boolean,
): { x: number; mean: number; series: string; segment: number }[] {
  let segment = 0;
  return reference.points.flatMap(([x, y]) => {
    if (drawable(x, y)) return [{ x, mean: y, series: reference.label, segment }];
    segment++;
    return [];
  });
}

/** Means with interval bars against x, a line per series (linear or log axes). */
export async function meanCurvesPlotSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  series: { label: string; points: { x: number; mean: number; low: number; high: number }[] }[],
  axes: { logX: boolean; logY: boolean },
  options: PlotOptions & {
    reference?: { label: string; points: [number, number][] };
    /** Constant levels: dashed lines (each a curve of two points). */
    levels?: { label: string; points: [number, number][] }[];
    /** The series are an ordered sweep of one size (smallest first): a sequential palette. */
    ordered?: boolean;
  } = {},
): Promise<string> {
  const ok = (v: number) => Number.isFinite(v) && (!axes.logY || v > 0);
  const values = series.flatMap((s) =>
    s.points
      .filter((p) => ok(p.mean) && (!axes.logX || p.x > 0))
      .map((p) => ({ ...p, low: ok(p.low) ? p.low : p.mean, series: s.label })),
  );
  // On a log x axis every measured size is labelled (vega's greedy overlap rule hid the largest width), as in the
  // log-log plots, where there are few enough of them to fit.
  const xs = [...new Set(values.map((v) => v.x))].sort((a, b) => a - b);
  // Sizes below 1 (a ratio such as L / n = 2/256) to three significant digits, not 0.0078125.
  const labelExpr = "datum.value < 1 ? format(datum.value, '.3~g') : format(datum.value, '~r')";
  const axis = axes.logX && xs.length <= 12 ? { axis: { values: xs, labelExpr, labelOverlap: false } } : {};
  const x = {
    field: 'x',
    type: 'quantitative',
    title: xLabel,
    scale: axes.logX ? { type: 'log', base: 2 } : {},
    ...axis,
  };
  const yScale = axes.logY ? { type: 'log' } : { zero: false };
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    sort: null,
    ...(options.ordered
      ? {
          scale: {
            domain: [
              ...series.map((s) => s.label),
              ...(options.reference ? [options.reference.label] : []),
              ...(options.levels ?? []).map((l) => l.label),
            ],
            range: [
              ...series.map((_, k) => sequentialColour(k, series.length)),
              ...(options.reference ? ['#333333'] : []),
              ...(options.levels ?? []).map(() => '#555555'),
            ],
          },
        }
      : {}),
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: options.width ?? 420,
    height: options.height ?? 280,
    config: { legend: legendConfig(options) },
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: {
            field: 'mean',
            type: 'quantitative',
            title: yLabel,
            scale: yScale,
            ...(axes.logY ? { axis: { labelExpr: LARGE_AS_POWERS } } : {}),
          },
          color,
        },
      },
      {
        mark: { type: 'rule' },
        encoding: { x, y: { field: 'low', type: 'quantitative', scale: yScale }, y2: { field: 'high' }, color },
      },
      // An exact curve: a line without points, drawn densely (it may break where it diverges).
      ...(options.reference
        ? [
            {
              data: { values: referenceSegments(options.reference, (px, py) => ok(py) && (!axes.logX || px > 0)) },
              mark: { type: 'line', strokeWidth: 1.5 },
              encoding: {
                x,
                y: { field: 'mean', type: 'quantitative', scale: yScale },
                color,
                detail: { field: 'segment' },
              },
            },
          ]
        : []),
      ...(options.levels ?? []).map((level) =>
        dashedLayer(
          referenceSegments(level, (px, py) => ok(py) && (!axes.logX || px > 0)),
          {
            x,
            y: { field: 'mean', type: 'quantitative', scale: yScale },
            color,
          },
        ),
      ),
    ],
  };
  return renderSpec(spec);
}

/** One row of a forest plot: a fitted slope with its interval beside the claimed region (exponent and tolerance). */
export interface ForestRow {
  label: string;
  estimate: number;
  low: number;
  high: number;
  /** The claimed region of the slope: [from, to] (an open end is drawn to the plot's edge with an arrow). */
  claimedFrom: number | null;
  claimedTo: number | null;
  /** The claimed exponent itself (a tick inside the region), or null (o(1)). */
  claimed: number | null;
  verdict: string;
}

/** Verdict shapes: the verdict is read from the mark's shape and the legend's text, not from its colour alone. */
const VERDICT_SHAPES: Record<string, string> = {
  supported: 'circle',
  refuted: 'cross',
  inconclusive: 'diamond',
  invalid: 'square',
};

/** Every rate claim's fitted slope and 95% interval against its claimed region, coloured by verdict. */
export async function forestPlotSvg(
  rows: ForestRow[],
  colours: Record<string, string>,
  xLabel: string,
): Promise<string> {
  const finite = rows
    .flatMap((r) => [r.low, r.high, r.estimate, r.claimedFrom ?? NaN, r.claimedTo ?? NaN])
    .filter(Number.isFinite);
  const lo = Math.min(...finite) - 0.1;
  const hi = Math.max(...finite) + 0.1;
  const data = rows.map((r) => ({
    ...r,
    claimedFrom: r.claimedFrom ?? lo,
    claimedTo: r.claimedTo ?? hi,
    openLeft: r.claimedFrom === null,
    openRight: r.claimedTo === null,
    edgeLeft: lo,
    edgeRight: hi,
    low: Number.isFinite(r.low) ? r.low : lo,
    high: Number.isFinite(r.high) ? r.high : hi,
  }));
  const y = { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 720 } };
  // Only the verdicts drawn get a legend entry.
  const verdicts = Object.keys(colours).filter((v) => rows.some((r) => r.verdict === v));
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 380,
    height: { step: 22 },
    data: { values: data },
    layer: [
      {
        mark: { type: 'bar', color: '#d0d7de', opacity: 0.6, height: 14 },
        encoding: {
          y,
          x: { field: 'claimedFrom', type: 'quantitative', title: xLabel, scale: { domain: [lo, hi] } },
          x2: { field: 'claimedTo' },
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative' },
          x2: { field: 'high' },
          color: {
            field: 'verdict',
            type: 'nominal',
            title: 'verdict',
            scale: { domain: verdicts, range: verdicts.map((v) => colours[v]) },
          },
        },
      },
      // The claimed exponent: a dark tick inside its region.
      {
        transform: [{ filter: 'datum.claimed != null' }],
        mark: { type: 'tick', color: '#1f2328', thickness: 2, size: 14 },
        encoding: { y, x: { field: 'claimed', type: 'quantitative' } },
      },
      // A one-sided region runs on past the plot: an arrow at its open end.
      {
        transform: [{ filter: 'datum.openLeft' }],
        mark: { type: 'text', text: '\u25C0', color: '#8c959f', fontSize: 10, align: 'left' },
        encoding: { y, x: { field: 'edgeLeft', type: 'quantitative' } },
      },
      {
        transform: [{ filter: 'datum.openRight' }],
        mark: { type: 'text', text: '\u25B6', color: '#8c959f', fontSize: 10, align: 'right' },
        encoding: { y, x: { field: 'edgeRight', type: 'quantitative' } },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          y,
          x: { field: 'estimate', type: 'quantitative' },
          color: { field: 'verdict', type: 'nominal' },
          shape: {
            field: 'verdict',
            type: 'nominal',
            title: 'verdict',
            scale: { domain: verdicts, range: verdicts.map((v) => VERDICT_SHAPES[v] ?? 'circle') },
          },
        },
      },
    ],
  };
  return renderSpec(spec);
}

/**
 * The index's summary: one mark per theorem claim of every certificate, a row per theorem in reading order, its
 * verdict by shape and colour (the forest plots' encoding); a mark's label names its claim for the hover read-out.
 */
export async function verdictMatrixSvg(
  marks: { theorem: string; claim: string; k: number; verdict: string }[],
  colours: Record<string, string>,
): Promise<string> {
  const verdicts = Object.keys(colours).filter((v) => marks.some((m) => m.verdict === v));
  const encoding = { field: 'verdict', type: 'nominal', title: 'verdict' };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: { step: 16 },
    height: { step: 20 },
    data: { values: marks },
    mark: { type: 'point', filled: true, size: 90, opacity: 1 },
    encoding: {
      y: { field: 'theorem', type: 'nominal', sort: null, title: null, axis: { labelLimit: 300 } },
      x: {
        field: 'k',
        type: 'ordinal',
        title: 'theorem claims of each certificate',
        axis: { labels: false, ticks: false },
      },
      color: { ...encoding, scale: { domain: verdicts, range: verdicts.map((v) => colours[v]) } },
      shape: { ...encoding, scale: { domain: verdicts, range: verdicts.map((v) => VERDICT_SHAPES[v] ?? 'circle') } },
      tooltip: [{ field: 'theorem' }, { field: 'claim' }, { field: 'verdict' }],
    },
  };
  return renderSpec(spec);
}
