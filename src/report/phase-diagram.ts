/**
 * The phase diagram of a statement's `phase-diagram` figure (Schoenholz et al. 2017, Fig. 1 style): the correlation
 * depth scale xi_c over the (sigma_w^2, sigma_b^2) plane as a heat map, the critical line chi_1 = 1, and the points
 * the experiment ran at. Deterministic: computed from tdlv's mean-field maps when the page is built, not sampled.
 */
import { criticalSigmaW2, depthScales } from '../engine/kernels/mean-field.ts';
import { parseActivation } from '../engine/nets/activations.ts';
import type { Certificate } from '../verify/certificate.ts';
import type { PhaseDiagramFigure } from '../verify/claims.ts';
import { escapeHtml } from './html.ts';
import { prose } from './katex.ts';
import { renderSpec } from './plots.ts';

/** Grid cells per axis: 28 x 18 maps at about 15 ms each (the maps' adaptive quadrature at 1e-12). */
const GRID = { w: 28, b: 18 };
/** xi_c above this many layers is drawn as the cap: at the critical line it diverges. */
const XI_CAP = 100;

export async function phaseDiagram(figure: PhaseDiagramFigure, cert: Certificate): Promise<string> {
  const phi = parseActivation(figure.activation);
  const [w0, w1] = figure.sigmaW2;
  const [b0, b1] = figure.sigmaB2;
  const dw = (w1 - w0) / GRID.w;
  const db = (b1 - b0) / GRID.b;
  const cells: object[] = [];
  for (let i = 0; i < GRID.w; i++) {
    for (let j = 0; j < GRID.b; j++) {
      const sigmaW2 = w0 + (i + 0.5) * dw;
      const sigmaB2 = b0 + (j + 0.5) * db;
      let xi: number;
      try {
        xi = depthScales(phi, sigmaW2, sigmaB2).xiC;
      } catch {
        continue; // no fixed point (the length map diverges): left blank
      }
      // Each cell overlaps its neighbours by 1% so that no seam shows between them when printed.
      cells.push({
        w: sigmaW2 - 0.505 * dw,
        w2: sigmaW2 + 0.505 * dw,
        b: sigmaB2 - 0.505 * db,
        b2: sigmaB2 + 0.505 * db,
        xi: Math.min(XI_CAP, Math.max(1, xi)),
      });
    }
  }
  const line: object[] = [];
  for (let j = 0; j <= 12; j++) {
    const sigmaB2 = b0 + ((b1 - b0) * j) / 12;
    try {
      const w = criticalSigmaW2(phi, sigmaB2);
      if (w >= w0 && w <= w1) line.push({ w, b: sigmaB2 });
    } catch {
      // no critical point at this bias in range
    }
  }
  const ran = new Set(cert.cells.map((c) => c.arm));
  const shown = figure.points
    .filter((p) => p.arms.some((a) => ran.has(a)))
    .map((p) => ({
      w: p.sigmaW2 === 'critical' ? criticalSigmaW2(phi, p.sigmaB2) : p.sigmaW2,
      b: p.sigmaB2,
      label: p.label,
    }));
  // A label goes below its point when an earlier point sits within 8% of the axes of it (two labels would overlap).
  const near = (p: { w: number; b: number }, q: { w: number; b: number }) =>
    Math.abs(p.w - q.w) < 0.08 * (w1 - w0) && Math.abs(p.b - q.b) < 0.08 * (b1 - b0);
  const points = shown.map((p, i) => ({ ...p, below: shown.slice(0, i).some((q) => near(p, q)) }));
  const x = {
    field: 'w',
    type: 'quantitative',
    title: 'sigma_w^2',
    scale: { domain: [w0, w1], nice: false },
    axis: { grid: false },
  };
  const y = {
    field: 'b',
    type: 'quantitative',
    title: 'sigma_b^2',
    scale: { domain: [b0, b1], nice: false },
    axis: { grid: false },
  };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: figure.title, anchor: 'start' },
    width: 480,
    height: 300,
    layer: [
      {
        data: { values: cells },
        mark: { type: 'rect', strokeWidth: 0, clip: true },
        encoding: {
          x,
          x2: { field: 'w2' },
          y,
          y2: { field: 'b2' },
          color: {
            field: 'xi',
            type: 'quantitative',
            title: 'xi_c (layers)',
            scale: { type: 'log', scheme: 'viridis', domain: [1, XI_CAP] },
          },
        },
      },
      {
        data: { values: line },
        mark: { type: 'line', color: 'white', strokeWidth: 2.5 },
        encoding: { x, y, order: { field: 'b', type: 'quantitative' } },
      },
      {
        data: { values: points },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: '#E69F00', stroke: 'black' },
        encoding: { x, y },
      },
      ...[false, true].map((below) => ({
        data: { values: points.filter((p) => p.below === below) },
        mark: { type: 'text', align: 'left', dx: 8, dy: below ? 12 : -6, fontSize: 11, color: 'white' },
        encoding: { x, y, text: { field: 'label' } },
      })),
    ],
  };
  const svg = await renderSpec(spec);
  return (
    `<figure class="wide">${svg}<figcaption>${prose(figure.title, escapeHtml)}: the correlation depth scale ` +
    `ξ_c = -1 / ln χ_c of ${escapeHtml(phi.name)} networks (colour, log scale, capped at ${XI_CAP} layers), the ` +
    `critical line χ_1 = 1 where it diverges (white), and the points the experiment ran at (diamonds). Ordered ` +
    `phase to the left of the line (c* = 1), chaotic to the right. Computed from the mean-field maps when this ` +
    `page was built.</figcaption></figure>`
  );
}
