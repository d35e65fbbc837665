/** The statement-declared figures (coordinate checks, sweep curves, ensembles vs the GP, phase diagrams) as SVG. */
import type { Certificate } from '../verify/certificate.ts';
import { mean, variance } from '../stats/moments.ts';
import { meanInterval, median } from '../stats/rate-fit.ts';
import {
  armLabel,
  sizeAxis,
  type CellCurvesFigure,
  type KernelSliceFigure,
  type CellTableFigure,
  type CoordinateLawFigure,
  type CoordCheckFigure,
  type CurvesFigure,
  type EnsembleGpFigure,
  type StatementFigure,
  type SweepCurveFigure,
  type TheoremStatement,
} from '../verify/claims.ts';
import { armWidths } from '../verify/experiment.ts';
import { escapeHtml } from './html.ts';
import { anchorId, formatNumber, observableLabel } from './format.ts';
import { prose } from './katex.ts';
import { phaseDiagram } from './phase-diagram.ts';
import { sweepMap } from './sweep-map.ts';
import {
  curvesPlotSvg,
  gpBandPlotSvg,
  logLogPlotSvg,
  meanCurvesPlotSvg,
  sliceLinesPlotSvg,
  type PlotSeries,
} from './plots.ts';

/** The values of `observable` at each width of `arm`, per seed (missing where a run diverged before it). */
export function valuesByWidth(
  cert: Certificate,
  arm: string,
  observable: string,
): { widths: number[]; values: number[][]; seeds: number[][] } {
  const widths = armWidths(cert.plan, arm);
  const cells = widths.map((w) =>
    cert.cells.filter((c) => c.arm === arm && c.width === w && c.observation[observable] !== undefined),
  );
  return {
    widths,
    values: cells.map((cs) => cs.map((c) => c.observation[observable]!)),
    seeds: cells.map((cs) => cs.map((c) => c.seed)),
  };
}

async function coordCheck(figure: CoordCheckFigure, cert: Certificate, statement: TheoremStatement): Promise<string> {
  const rows: string[] = [];
  for (const arm of figure.arms) {
    const panels: string[] = [];
    const seriesAt = figure.steps.map((_, k) =>
      figure.layers
        .map((layer): PlotSeries => ({ label: layer.label, ...valuesByWidth(cert, arm, layer.observables[k]!) }))
        .filter((s) => s.values.some((v) => v.length)),
    );
    // One y range for the arm's row (the microsoft/mup layout: steps side by side on a shared axis).
    const all = seriesAt.flat().flatMap((s) => s.values.flat().filter((v) => Number.isFinite(v) && v > 0));
    const yDomain: [number, number] | undefined = all.length ? [Math.min(...all), Math.max(...all)] : undefined;
    const name = armLabel(statement, arm);
    for (const [k, step] of figure.steps.entries()) {
      panels.push(
        await logLogPlotSvg(`${name}, t = ${step}`, '|change| per coordinate', seriesAt[k]!, [], {
          width: 200,
          // Tall enough for the rotated y title (a longer title than the plot pushed the plot 50 px down).
          height: 180,
          ...(yDomain ? { yDomain } : {}),
          // The legend once per row, under its last panel (beside it, the panel was too wide to stay in the row).
          noLegend: k < figure.steps.length - 1,
          legendBelow: true,
        }),
      );
    }
    // A row per arm, one panel per step: four abreast in print (a page holds three arms instead of one and a half).
    rows.push(`<div class="panel-row steps">${panels.map((p) => `<div class="panel">${p}</div>`).join('')}</div>`);
  }
  return (
    `<figure class="wide">${rows.join('\n')}<figcaption>${prose(figure.title, escapeHtml)}: ` +
    `the average size of a coordinate's change since initialization after t steps, ` +
    `against width (log-log), a line per layer, the steps of a row on one y axis; faint points are seeds. A flat ` +
    `line is a ` +
    `width-independent update (muP), a falling one a vanishing update (kernel regime), a ` +
    `rising one an update that blows up.</figcaption></figure>`
  );
}

async function sweepCurves(figure: SweepCurveFigure, cert: Certificate, statement: TheoremStatement): Promise<string> {
  const panels: string[] = [];
  const sizes = new Set<string>();
  let floored = false;
  let diverged = false;
  let optimum = false;
  for (const arm of figure.arms) {
    const marks: { curve: string; x: number; y: number; shape: 'diamond' | 'cross' }[] = [];
    const axis = sizeAxis(statement, arm);
    const curves = armWidths(cert.plan, arm).map((w) => {
      const cells = cert.cells.filter((c) => c.arm === arm && c.width === w);
      const points = figure.x.values.map((x, k): [number, number] => {
        const vals = cells
          .map((c) => c.observation[figure.x.observables[k]!])
          .filter((v): v is number => v !== undefined && Number.isFinite(v));
        // Mean over the seeds that did not diverge at this rate, drawn only where none diverged.
        return [x, vals.length === cells.length && vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN];
      });
      return { label: `${axis.symbol} = ${w * axis.factor}`, points, cells };
    });
    // Marks on each width's curve: where it stops because a seed diverged (a cross at the first such x, at the height
    // the curve reached), and its optimum (a diamond at the mean over seeds, on the curve, interpolated in log y).
    for (const { label, points, cells } of curves) {
      const k = points.findIndex(([, y], i) => !Number.isFinite(y) && i > 0 && Number.isFinite(points[i - 1]![1]));
      if (k > 0 && figure.ends !== 'floor') {
        marks.push({ curve: label, x: points[k]![0], y: points[k - 1]![1], shape: 'cross' });
        diverged = true;
      }
      if (!figure.optimum) continue;
      const best = cells.map((c) => c.observation[figure.optimum!]).filter((v): v is number => Number.isFinite(v));
      if (!best.length) continue;
      const x = mean(best);
      const j = points.findIndex(([px], i) => i > 0 && px >= x && points[i - 1]![0] <= x);
      if (j < 0) continue;
      const [[x0, y0], [x1, y1]] = [points[j - 1]!, points[j]!];
      if (!(y0 > 0 && y1 > 0)) continue;
      const t = x1 === x0 ? 0 : (x - x0) / (x1 - x0);
      marks.push({ curve: label, x, y: Math.exp((1 - t) * Math.log(y0) + t * Math.log(y1)), shape: 'diamond' });
      optimum = true;
    }
    const all = cert.cells.filter((c) => c.arm === arm);
    for (const extra of figure.extra ?? []) {
      const points = figure.x.values.map((x, k): [number, number] => {
        const vals = all
          .map((c) => c.observation[extra.observables[k]!])
          .filter((v): v is number => v !== undefined && Number.isFinite(v));
        return [x, vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN];
      });
      curves.push({ label: extra.label, points, cells: [] });
    }
    const sequence = armWidths(cert.plan, arm).length;
    const floor = figure.yFloor;
    if (floor !== undefined) {
      for (const c of curves)
        c.points = c.points.map(([x, y]): [number, number] => {
          if (y < floor) floored = true;
          return [x, Number.isFinite(y) ? Math.max(y, floor) : y];
        });
      for (const m of marks) m.y = Math.max(m.y, floor);
    }
    const title = figure.titles?.[figure.arms.indexOf(arm)] ?? armLabel(statement, arm);
    panels.push(
      await curvesPlotSvg(title, figure.x.label, figure.yLabel, curves, {
        width: 320,
        height: 220,
        sequence,
        ...(figure.levels ? { levels: figure.levels } : {}),
        marks,
      }),
    );
    sizes.add(sizeAxis(statement, arm).text.replace(/ [^ ]+$/, ''));
  }
  const levels = (figure.levels ?? []).map((l) => `${l.label} (dashed)`);
  return (
    `<figure class="wide"><div ` +
    (`class="panel-row">${panels.map((p) => `<div class="panel">${p}</div>`).join('')}</div><figcaption>` +
      `${prose(figure.title, escapeHtml)}: `) +
    `mean over seeds, a curve per ${[...sizes].join(' or ')}` +
    `${levels.length ? `; ${levels.join(', ')}` : ''}` +
    `${floored ? `; means below ${figure.yFloor} are drawn at ${figure.yFloor}, the axis's floor` : ''}` +
    `${
      optimum
        ? `; a diamond marks each curve's optimum, the mean over its seeds of ` +
          `${escapeHtml(observableLabel(statement.observableLabels, figure.optimum!))}`
        : ''
    }` +
    `${diverged ? '; a cross marks where a curve stops because a seed diverged there' : ''}` +
    (figure.ends === 'floor'
      ? `; a curve ends where a seed's loss fell below the floor at which its run stopped.</figcaption></figure>`
      : `; a point is missing where some seed diverged.</figcaption></figure>`)
  );
}

async function curves(figure: CurvesFigure, cert: Certificate): Promise<string> {
  const series = figure.series.map((s) => {
    const { widths, values } = valuesByWidth(cert, s.arm, s.observable);
    const points = widths.flatMap((w, k) => {
      const v = values[k]!.filter(Number.isFinite);
      if (!v.length) return [];
      const m = meanInterval(v);
      const [low, high] = v.length > 1 ? m.ci : [m.estimate, m.estimate];
      return [{ x: w * s.factor, mean: m.estimate, low, high }];
    });
    return { label: s.label, points };
  });
  const reference = referenceCurve(figure, cert, series);
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const levels = (figure.levels ?? []).map((l) => ({
    label: l.label,
    points: [
      [Math.min(...xs), l.y],
      [Math.max(...xs), l.y],
    ] as [number, number][],
  }));
  const svg = await meanCurvesPlotSvg(
    figure.title,
    figure.xLabel,
    figure.yLabel,
    series,
    { logX: figure.logX, logY: figure.logY },
    {
      width: 520,
      height: 320,
      ...(reference ? { reference } : {}),
      ...(levels.length ? { levels } : {}),
      ...(figure.ordered ? { ordered: true } : {}),
    },
  );
  return (
    `<figure class="wide">${svg}<figcaption>${prose(figure.title, escapeHtml)}: means ` +
    `over seeds with 95% t intervals${
      reference
        ? `; ${prose(reference.label, escapeHtml)} is the exact curve on ${reference.points.length} points, ` +
          `cut at the plot's top where it diverges`
        : ''
    }${(figure.levels ?? [])
      .map((l) => `; the dashed line, at ${l.y}, is ${prose(l.label, escapeHtml)}`)
      .join('')}.</figcaption></figure>`
  );
}

/**
 * What a deterministic arm's first finished cell stored under `details[detail]` (a table, curves): unchecked, each
 * figure validates the shape it draws.
 */
function firstDetail(cert: Certificate, arm: string, detail: string): unknown {
  const cell = cert.cells.find((c) => c.arm === arm && c.status === 'ok');
  return (cell?.details as Record<string, unknown> | undefined)?.[detail];
}

/** The figure's exact curve from its arm's first finished cell, cut at 3x the largest measured interval end. */
function referenceCurve(
  figure: CurvesFigure,
  cert: Certificate,
  series: { points: { high: number }[] }[],
): { label: string; points: [number, number][] } | undefined {
  const ref = figure.reference;
  if (!ref) return undefined;
  const data = firstDetail(cert, ref.arm, ref.detail) as { x?: unknown; y?: unknown } | undefined;
  const { x, y } = data ?? {};
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return undefined;
  const top = 3 * Math.max(...series.flatMap((s) => s.points.map((p) => p.high)).filter(Number.isFinite));
  // A cut point stays as NaN: the plot breaks the line there instead of joining across the divergence.
  const points = (x as number[]).map((xi, k): [number, number] => {
    const yi = (y as number[])[k]!;
    return [xi, Number.isFinite(yi) && !(yi > top) ? yi : NaN];
  });
  return { label: ref.label, points };
}

async function ensembleGp(figure: EnsembleGpFigure, cert: Certificate, statement: TheoremStatement): Promise<string> {
  const verdictOf = (claim: string) => cert.evaluation.verdicts.find((v) => v.claim === claim);
  const verdict = verdictOf(figure.claim);
  type OverTime = { steps: number[]; mean: number[][]; sd: number[][]; checkpoints: number[] };
  const gp = (verdict?.evidence as { gp?: { mean: number[]; cov: number[][]; overTime?: OverTime } } | undefined)?.gp;
  const widths = armWidths(cert.plan, figure.arm);
  if (!gp || !widths.length)
    return (
      `<p class="muted small">${prose(figure.title, escapeHtml)}: no Gaussian-process ` +
      `prediction in the certificate.</p>`
    );
  const cellsAt = (w: number) => cert.cells.filter((c) => c.arm === figure.arm && c.width === w && c.status === 'ok');
  const summary = (v: number[]) => {
    const sd = Math.sqrt(variance(v));
    return { mean: mean(v), low: mean(v) - 2 * sd, high: mean(v) + 2 * sd };
  };
  const valuesOf = (cells: ReturnType<typeof cellsAt>, key: string) =>
    cells.map((c) => c.observation[key]).filter((x): x is number => x !== undefined && Number.isFinite(x));
  const ensembleLabel = (w: number) => `ensemble n = ${w} (${cellsAt(w).length} nets)`;
  const panels: string[] = [];
  const said: string[] = [];
  // Over training time, one panel per tracked test point: the GP at every step, the ensembles at the checkpoints.
  const overTime = gp.overTime;
  if (figure.timePrefix && overTime) {
    const tracked = overTime.mean[0]?.length ?? 0;
    for (let j = 0; j < tracked; j++) {
      const gpBand = {
        label: 'GP: mean ± 2 sd',
        points: overTime.steps.map((t, k) => ({
          x: t,
          mean: overTime.mean[k]![j]!,
          low: overTime.mean[k]![j]! - 2 * overTime.sd[k]![j]!,
          high: overTime.mean[k]![j]! + 2 * overTime.sd[k]![j]!,
        })),
      };
      const ensembles = widths.map((w) => ({
        label: ensembleLabel(w),
        points: overTime.checkpoints.flatMap((t, k) => {
          const v = valuesOf(cellsAt(w), `${figure.timePrefix}${k}:${j}`);
          return v.length > 1 ? [{ x: t, ...summary(v) }] : [];
        }),
      }));
      panels.push(
        await gpBandPlotSvg(
          `Test point ${j + 1} over training`,
          'gradient-descent step t',
          'output f_t(x)',
          gpBand,
          ensembles,
          {
            width: 340,
            height: 240,
            offset: 2,
            legendBelow: true,
          },
        ),
      );
    }
    said.push(
      `over training time at test point${tracked > 1 ? 's' : ''} ` +
        `${Array.from({ length: tracked }, (_, j) => j + 1).join(' and ')} (the first by index, chosen before any ` +
        `run), the Gaussian process's mean ± 2 sd at every step (grey band) and ` +
        `each width's ensemble mean ± 2 sd at the checkpoints`,
    );
  }
  // At the end of training, every test point (sorted by the GP mean): grey bars, and the largest width's ensemble.
  const order = gp.mean.map((_, i) => i).sort((a, b) => gp.mean[a]! - gp.mean[b]!);
  const largest = widths.at(-1)!;
  panels.push(
    await gpBandPlotSvg(
      'Every test point after training',
      'test point (sorted by the GP mean)',
      'output f(x) after training',
      {
        label: 'GP: mean ± 2 sd',
        points: order.map((i, r) => {
          const sd = Math.sqrt(Math.max(0, gp.cov[i]![i]!));
          return { x: r + 1, mean: gp.mean[i]!, low: gp.mean[i]! - 2 * sd, high: gp.mean[i]! + 2 * sd };
        }),
      },
      [
        {
          label: ensembleLabel(largest),
          points: order.flatMap((i, r) => {
            const v = valuesOf(cellsAt(largest), `${figure.prefix}${i}`);
            return v.length > 1 ? [{ x: r + 1, ...summary(v) }] : [];
          }),
        },
      ],
      {
        width: 340,
        height: 240,
        bars: true,
        integerX: true,
        legendBelow: true,
        sequence: { start: widths.length - 1, of: widths.length },
      },
    ),
  );
  said.push(
    `after training, every test point (sorted by the GP mean, not joined): the GP's mean ± 2 sd ` +
      `(grey bars and ticks) ` +
      `and the ensemble's at the largest width, n = ${largest}`,
  );
  // Across widths: the distance of the ensemble's mean and covariance from the GP's, with the verdicts' bounds.
  if (figure.covarianceClaim) {
    type Point = { width: number; estimate: number; ci: [number, number] };
    const pointsOf = (claim: string) => (verdictOf(claim)?.evidence as { points?: Point[] } | undefined)?.points ?? [];
    const series = [
      { label: 'mean: relative distance', claim: figure.claim },
      { label: 'covariance: relative distance (Frobenius)', claim: figure.covarianceClaim },
    ].map(({ label, claim }) => ({
      label,
      points: pointsOf(claim).map((q) => ({ x: q.width, mean: q.estimate, low: q.ci[0], high: q.ci[1] })),
    }));
    const tolerances = [figure.claim, figure.covarianceClaim].flatMap((claim, k) => {
      const c = statement.claims.find((x) => x.id === claim);
      const tol = c && 'tol' in c ? c.tol : undefined;
      return tol === undefined
        ? []
        : [
            {
              label: `${k ? 'covariance' : 'mean'} tolerance ${tol}`,
              points: [
                [widths[0]!, tol],
                [largest, tol],
              ] as [number, number][],
            },
          ];
    });
    panels.push(
      await meanCurvesPlotSvg(
        'Distance from the GP across widths',
        'width n',
        'relative distance',
        series,
        { logX: true, logY: false },
        {
          width: 340,
          height: 240,
          levels: tolerances,
          legendBelow: true,
        },
      ),
    );
    said.push(
      'across widths, the relative distance of the ensemble mean and covariance from the GP after training, ensemble ' +
        'noise subtracted, with the bounds their verdicts use (mean: 95% percentile interval; ' +
        'covariance: one-sided 95% ' +
        'bounds of the bootstrap-t)',
    );
  }
  return (
    `<figure class="wide"><div class="panel-row">${panels.map((p) => `<div class="panel">${p}</div>`).join('')}` +
    `</div><figcaption>${prose(figure.title, escapeHtml)}: ` +
    `${said.join('; ')}.</figcaption></figure>`
  );
}

/** A cell's histogram of its coordinates and the limit's density, as `coordinate-law` figures read them. */
interface CoordinateLaw {
  centres: number[];
  density: number[];
  limit: number[];
}
const isLaw = (x: unknown): x is CoordinateLaw =>
  typeof x === 'object' &&
  x !== null &&
  ['centres', 'density', 'limit'].every((k) => Array.isArray((x as Record<string, unknown>)[k]));

async function coordinateLaw(figure: CoordinateLawFigure, cert: Certificate, statement: TheoremStatement) {
  const panels: string[] = [];
  for (const arm of figure.arms) {
    const axis = sizeAxis(statement, arm);
    const widths = armWidths(cert.plan, arm);
    const lawOf = (c: (typeof cert.cells)[number]) =>
      (c.details as Record<string, unknown> | undefined)?.[figure.detail];
    const curves: { label: string; points: [number, number][] }[] = [];
    let limit: CoordinateLaw | undefined;
    for (const w of widths) {
      const laws = cert.cells
        .filter((c) => c.arm === arm && c.width === w)
        .map(lawOf)
        .filter(isLaw);
      if (!laws.length) continue;
      limit ??= laws[0];
      const centres = laws[0]!.centres;
      const points = centres.map((x, k): [number, number] => [x, mean(laws.map((l) => l.density[k]!))]);
      curves.push({ label: `${axis.symbol} = ${w * axis.factor} (${laws.length} nets)`, points });
    }
    if (!limit) continue;
    const sequence = curves.length;
    curves.push({
      label: 'limit (recursion)',
      points: limit.centres.map((x, k): [number, number] => [x, limit!.limit[k]!]),
    });
    panels.push(
      await curvesPlotSvg(armLabel(statement, arm), figure.xLabel, 'density', curves, {
        width: 320,
        height: 240,
        sequence,
      }),
    );
  }
  if (!panels.length)
    return (
      `<p class="muted small">${prose(figure.title, escapeHtml)}: no coordinate histograms in the ` + 'certificate.</p>'
    );
  return (
    `<figure class="wide"><div class="panel-row">${panels.map((p) => `<div class="panel">${p}</div>`).join('')}` +
    `</div><figcaption>${prose(figure.title, escapeHtml)}: the histogram of each network's n coordinates as a ` +
    `density, averaged over the seeds of a width (a curve per width, log density axis so the tails show), and the ` +
    `limiting law computed from the recursion (grey).</figcaption></figure>`
  );
}

async function cellCurves(figure: CellCurvesFigure, cert: Certificate, statement: TheoremStatement): Promise<string> {
  const data = firstDetail(cert, figure.arm, figure.detail) as
    { x?: unknown; curves?: { label?: unknown; y?: unknown }[] } | undefined;
  const x = data?.x;
  const valid =
    Array.isArray(x) &&
    Array.isArray(data?.curves) &&
    data.curves.every((c) => typeof c.label === 'string' && Array.isArray(c.y) && c.y.length === x.length);
  if (!valid) return `<p class="muted small">${prose(figure.title, escapeHtml)}: no curves in the certificate.</p>`;
  const curves = data!.curves!.map((c) => ({
    label: c.label as string,
    points: (x as number[]).map((xi, k): [number, number] => [xi, (c.y as number[])[k]!]),
  }));
  const svg = await curvesPlotSvg(figure.title, figure.xLabel, figure.yLabel, curves, {
    width: 520,
    height: 300,
    sequence: curves.length,
  });
  return (
    `<figure class="wide">${svg}<figcaption>${prose(figure.title, escapeHtml)} (computed by the cell of arm ` +
    `${escapeHtml(armLabel(statement, figure.arm))}; log axis, values of 0 left out).</figcaption></figure>`
  );
}

interface KernelSlice {
  x: number[];
  init: number[];
  /** Absent where the cell did not train (an ensemble's covariance at initialization). */
  trained?: number[];
  limit: number[];
}

function isSlice(d: unknown): d is KernelSlice {
  const s = d as Partial<KernelSlice> | undefined;
  const n = Array.isArray(s?.x) ? s.x.length : -1;
  const fits = (a: unknown) => Array.isArray(a) && a.length === n;
  return n > 0 && fits(s!.init) && fits(s!.limit) && (s!.trained === undefined || fits(s!.trained));
}

async function kernelSlice(figure: KernelSliceFigure, cert: Certificate, statement: TheoremStatement) {
  const axis = sizeAxis(statement, figure.arm);
  const widths = armWidths(cert.plan, figure.arm);
  const lines: { group: string; time: string; line: string; points: [number, number][] }[] = [];
  const groups: string[] = [];
  const spread: string[] = [];
  let limit: KernelSlice | undefined;
  for (const w of widths) {
    const cells = cert.cells.filter((c) => c.arm === figure.arm && c.width === w && c.status === 'ok');
    const slices = cells.map((c) => (c.details as Record<string, unknown> | undefined)?.[figure.detail]);
    const group = `${axis.symbol} = ${w * axis.factor} (${slices.filter(isSlice).length} ${figure.line.many})`;
    slices.forEach((s, i) => {
      if (!isSlice(s)) return;
      limit ??= s;
      const at = (ys: number[]) => s.x.map((x, k): [number, number] => [x, ys[k]!]);
      lines.push({ group, time: 'at initialization', line: `${w}/${cells[i]!.seed}/0`, points: at(s.init) });
      if (s.trained)
        lines.push({ group, time: 'after training', line: `${w}/${cells[i]!.seed}/T`, points: at(s.trained) });
    });
    const ok = slices.filter(isSlice);
    if (!ok.length) continue;
    groups.push(group);
    // What the reader should see, measured: the median over networks of the largest gap, relative to the limit's peak.
    const scale = Math.max(...ok[0]!.limit.map(Math.abs));
    const gap = (a: number[], b: number[]) => Math.max(...a.map((v, k) => Math.abs(v - b[k]!))) / scale;
    const trained = ok.flatMap((s) => (s.trained ? [gap(s.trained, s.init)] : []));
    spread.push(
      `${axis.symbol} = ${w * axis.factor}: ${median(ok.map((s) => gap(s.init, s.limit))).toFixed(3)} from the ` +
        `limit at initialization${trained.length ? `, ${median(trained).toFixed(3)} moved in training` : ''}`,
    );
  }
  if (!limit)
    return `<p class="muted small">${prose(figure.title, escapeHtml)}: no kernel slices in the certificate.</p>`;
  const reference = 'limit (infinite width)';
  const x = limit.x;
  lines.push({
    group: reference,
    time: '',
    line: 'limit',
    points: x.map((xi, k): [number, number] => [xi, limit!.limit[k]!]),
  });
  // The heading above the figure carries the title; the plot's own would be cut at a phone's width.
  const svg = await sliceLinesPlotSvg('', figure.xLabel, figure.yLabel, lines, groups, reference);
  const trains = lines.some((l) => l.time === 'after training');
  return (
    `<figure class="wide">${svg}<figcaption>${prose(figure.title, escapeHtml)}: each thin line is ` +
    `${escapeHtml(figure.line.one)} of arm ${escapeHtml(armLabel(statement, figure.arm))}` +
    `${trains ? ', solid at initialization and dashed after training' : ''}, a colour per width; the thick black ` +
    `line is the limiting kernel${figure.after ? ` (as in ${escapeHtml(figure.after)})` : ''}. The largest gap along ` +
    `the slice, relative to the limit's peak, median over the ${escapeHtml(figure.line.many)}: ` +
    `${spread.join('; ')}.</figcaption></figure>`
  );
}

async function cellTable(figure: CellTableFigure, cert: Certificate): Promise<string> {
  const data = firstDetail(cert, figure.arm, figure.detail) as { columns?: unknown; rows?: unknown } | undefined;
  const { columns, rows } = data ?? {};
  const valid =
    Array.isArray(columns) &&
    columns.every((c) => typeof c === 'string') &&
    Array.isArray(rows) &&
    rows.every((r) => Array.isArray(r) && r.length === columns.length);
  if (!valid) return `<p class="muted small">${prose(figure.title, escapeHtml)}: no table in the certificate.</p>`;
  return (
    dataTable(columns as string[], rows as (string | number)[][], { stack: true }) +
    `<p class="muted small">${prose(figure.caption, escapeHtml)}</p>`
  );
}

/**
 * A table of words and numbers, as evidence tables and tables cells computed are drawn: prose typeset, numbers in
 * the pages' format; `stack` lets a phone stack each row with its column names as labels.
 */
export function dataTable(columns: string[], rows: (string | number)[][], options: { stack?: boolean } = {}): string {
  const label = (k: number) => (options.stack ? ` data-label="${escapeHtml(columns[k]!)}"` : '');
  const cell = (v: string | number, k: number) =>
    typeof v === 'number'
      ? `<td class="num"${label(k)}>${Number.isInteger(v) ? v : formatNumber(v)}</td>`
      : `<td${label(k)}>${prose(v, escapeHtml)}</td>`;
  return (
    `<table${options.stack ? ' class="stack"' : ''}><thead><tr>` +
    `${columns.map((c) => `<th>${prose(c, escapeHtml)}</th>`).join('')}</tr></thead><tbody>` +
    `${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')}</tbody></table>`
  );
}

function figureHtml(figure: StatementFigure, cert: Certificate, statement: TheoremStatement): Promise<string> {
  switch (figure.kind) {
    case 'cell-curves':
      return cellCurves(figure, cert, statement);
    case 'kernel-slice':
      return kernelSlice(figure, cert, statement);
    case 'cell-table':
      return cellTable(figure, cert);
    case 'coordinate-law':
      return coordinateLaw(figure, cert, statement);
    case 'ensemble-gp':
      return ensembleGp(figure, cert, statement);
    case 'curves':
      return curves(figure, cert);
    case 'coord-check':
      return coordCheck(figure, cert, statement);
    case 'sweep-curves':
      return sweepCurves(figure, cert, statement);
    case 'phase-diagram':
      return phaseDiagram(figure, cert);
    case 'sweep-map':
      return sweepMap(figure, cert, statement);
  }
}

export async function statementFigures(statement: TheoremStatement, cert: Certificate): Promise<string> {
  if (!statement.figures?.length) return '';
  const parts: string[] = [];
  for (const f of statement.figures) {
    const data =
      f.kind === 'coord-check'
        ? ` <span class="muted small">(tidy records: <a ` +
          `href="${escapeHtml(statement.id)}.coord-check.csv">${escapeHtml(statement.id)}.coord-check.csv</a>)</span>`
        : '';
    parts.push(
      `<h3 id="${anchorId('figure', f.title)}">${prose(f.title, escapeHtml)}${data}</h3>` +
        (await figureHtml(f, cert, statement)),
    );
  }
  return `<h2>Figures</h2>${parts.join('\n')}`;
}

/**
 * The coordinate checks as tidy records, one per (arm, width, seed, step, layer), as microsoft/mup's get_coord_data
 * returns them: a CSV any plotting tool reads.
 */
export function coordCheckCsv(statement: TheoremStatement, cert: Certificate): string | undefined {
  const figures = (statement.figures ?? []).filter((f): f is CoordCheckFigure => f.kind === 'coord-check');
  if (!figures.length) return undefined;
  const lines = ['arm,width,seed,step,layer,mean_abs_change'];
  for (const figure of figures)
    for (const arm of figure.arms)
      for (const c of cert.cells.filter((x) => x.arm === arm))
        figure.steps.forEach((step, k) =>
          figure.layers.forEach((layer) => {
            const v = c.observation[layer.observables[k]!];
            if (v !== undefined) lines.push(`${arm},${c.width},${c.seed},${step},${JSON.stringify(layer.label)},${v}`);
          }),
        );
  return lines.join('\n') + '\n';
}
