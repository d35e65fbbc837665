/**
 * A statement's `sweep-map` figure (Schoenholz et al. 2017, Figure 5 style): where a swept setting succeeds, as a map
 * over (a per-size observable, multiple x size), e.g. the trainable region over (sigma_w^2, depth), with the
 * conjectured boundary and the measured one drawn over it. Each rectangle says its count of successful seeds, so the
 * map reads in print and without colour.
 */
import type { Certificate } from '../verify/certificate.ts';
import { armLabel, sizeAxis, type SweepMapFigure, type TheoremStatement } from '../verify/claims.ts';
import { armWidths } from '../verify/experiment.ts';
import { mean } from '../stats/moments.ts';
import { meanInterval } from '../stats/rate-fit.ts';
import { observableLabel } from './format.ts';
import { escapeHtml } from './html.ts';
import { prose } from './katex.ts';
import { renderSpec } from './plots.ts';

/** Edges halfway between neighbouring centres (in log units when `log`), the ends as far out as their neighbours. */
export function cellEdges(centres: number[], log: boolean): [number, number][] {
  const t = (v: number) => (log ? Math.log(v) : v);
  const u = (v: number) => (log ? Math.exp(v) : v);
  const c = centres.map(t);
  if (c.length === 1) return [[u(c[0]! - 0.5), u(c[0]! + 0.5)]];
  return c.map((v, i) => {
    const left = i > 0 ? (c[i - 1]! + v) / 2 : v - (c[1]! - v) / 2;
    const right = i < c.length - 1 ? (v + c[i + 1]!) / 2 : v + (v - c[i - 1]!) / 2;
    return [u(left), u(right)];
  });
}

export async function sweepMap(figure: SweepMapFigure, cert: Certificate, statement: TheoremStatement) {
  const sizes = armWidths(cert.plan, figure.arm);
  const columns = sizes
    .map((size) => {
      const cells = cert.cells.filter((c) => c.arm === figure.arm && c.width === size);
      const xs = cells.map((c) => c.observation[figure.x.observable]).filter((v): v is number => Number.isFinite(v));
      return { size, cells, x: xs.length ? mean(xs) : NaN };
    })
    .filter((c) => c.cells.length && Number.isFinite(c.x) && (!figure.x.log || c.x > 0))
    .sort((a, b) => a.x - b.x);
  if (!columns.length) return '';
  const xEdges = cellEdges(
    columns.map((c) => c.x),
    figure.x.log,
  );
  const yEdges = cellEdges(figure.y.multiples, true);
  const rects = columns.flatMap((col, i) =>
    figure.y.multiples.flatMap((_, k) => {
      const values = col.cells
        .map((c) => c.observation[figure.y.observables[k]!])
        .filter((v): v is number => v !== undefined && !Number.isNaN(v));
      if (!values.length) return [];
      const wins = values.filter((v) => v <= figure.success.atMost).length;
      const y = Math.sqrt(yEdges[k]![0] * yEdges[k]![1]) * col.size;
      return [
        {
          x: xEdges[i]![0],
          x2: xEdges[i]![1],
          y: yEdges[k]![0] * col.size,
          y2: yEdges[k]![1] * col.size,
          yc: y,
          share: wins / values.length,
          count: `${wins}/${values.length}`,
        },
      ];
    }),
  );
  const boundaries = (figure.boundaries ?? []).flatMap((b) =>
    columns.map((c) => ({ x: c.x, y: b.factor * c.size, label: b.label })),
  );
  const measured = figure.measured
    ? columns.flatMap((c) => {
        const v = c.cells
          .map((cell) => cell.observation[figure.measured!.observable])
          .filter((x): x is number => Number.isFinite(x));
        if (!v.length) return [];
        const m = meanInterval(v);
        const [low, high] = v.length > 1 ? m.ci : [m.estimate, m.estimate];
        return [{ x: c.x, y: m.estimate, low, high, label: figure.measured!.label }];
      })
    : [];
  const ys = rects.flatMap((r) => [r.y, r.y2]);
  const x = {
    field: 'x',
    type: 'quantitative',
    title: figure.x.label,
    scale: {
      type: figure.x.log ? 'log' : 'linear',
      domain: [Math.min(...xEdges.map((e) => e[0])), Math.max(...xEdges.map((e) => e[1]))],
      nice: false,
    },
    axis: { grid: false, values: columns.map((c) => c.x), format: '.3~g' },
  };
  const y = {
    field: 'y',
    type: 'quantitative',
    title: figure.y.label,
    scale: { type: 'log', domain: [Math.min(...ys), Math.max(...ys)], nice: false },
    axis: { grid: false },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: figure.title, anchor: 'start' },
    width: 480,
    height: 320,
    layer: [
      {
        data: { values: rects },
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x,
          x2: { field: 'x2' },
          y,
          y2: { field: 'y2' },
          color: {
            field: 'share',
            type: 'quantitative',
            title: 'share of seeds',
            // Diverging about one half: white where the seeds split, blue where they succeed, red where they fail.
            scale: { scheme: 'redblue', domain: [0, 1] },
          },
        },
      },
      {
        data: { values: rects },
        // At the rectangle's left edge: the measured boundary's diamonds sit on the column's centre.
        mark: { type: 'text', fontSize: 10, align: 'left', dx: 3 },
        encoding: {
          x,
          y: { ...y, field: 'yc' },
          text: { field: 'count' },
          color: { condition: { test: 'abs(datum.share - 0.5) > 0.3', value: 'white' }, value: 'black' },
        },
      },
      ...(boundaries.length
        ? [
            {
              data: { values: boundaries },
              mark: { type: 'line', point: true, strokeWidth: 2.5, strokeDash: [6, 3] },
              encoding: {
                x,
                y,
                detail: { field: 'label' },
                color: { value: '#D55E00' },
              },
            },
          ]
        : []),
      ...(measured.length
        ? [
            {
              data: { values: measured },
              mark: { type: 'rule', strokeWidth: 1.5 },
              encoding: { x, y: { ...y, field: 'low' }, y2: { field: 'high' }, color: { value: 'black' } },
            },
            {
              data: { values: measured },
              mark: { type: 'point', shape: 'diamond', filled: true, size: 80, stroke: 'white', strokeWidth: 1 },
              encoding: { x, y, color: { value: 'black' } },
            },
          ]
        : []),
    ],
  };
  const svg = await renderSpec(spec);
  const seeds = columns.map((c) => c.cells.length);
  const perColumn =
    Math.min(...seeds) === Math.max(...seeds)
      ? `${seeds[0]} seeds`
      : `${Math.min(...seeds)}-${Math.max(...seeds)} seeds`;
  const axis = sizeAxis(statement, figure.arm);
  return (
    `<figure class="wide">${svg}<figcaption>${prose(figure.title, escapeHtml)}: ${escapeHtml(
      armLabel(statement, figure.arm),
    )}, a column per ${prose(axis.text, escapeHtml)} placed at the mean over its seeds of ${escapeHtml(
      observableLabel(statement.observableLabels, figure.x.observable),
    )}, ${perColumn} each; a rectangle's colour and count are the seeds for which ${prose(
      figure.success.label,
      escapeHtml,
    )} (blue: all, red: none; its ${escapeHtml(figure.y.label)} may be rounded from the row's multiple of ${prose(
      axis.symbol,
      escapeHtml,
    )})` +
    (figure.boundaries ?? [])
      .map((b) => `; the dashed orange line is ${prose(b.label, escapeHtml)} at each column`)
      .join('') +
    (figure.measured
      ? `; black diamonds are ${prose(figure.measured.label, escapeHtml)}, the mean over seeds with a 95% t interval`
      : '') +
    `.</figcaption></figure>`
  );
}
