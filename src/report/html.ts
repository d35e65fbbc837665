/** The page shell of reports: escaping, verdict badges, styles for screen, phone and print. */
import type { VerdictValue } from '../verify/verdicts.ts';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Verdict colours: Okabe-Ito hues (bluish green, vermillion, blue, grey), darkened for white badge text; they stay
 * apart under the common colour-vision deficiencies (refuted red and inconclusive brown were about 9 Delta-E apart
 * under deuteranopia), and plots add a shape per verdict.
 */
export const BADGE: Record<VerdictValue, string> = {
  supported: '#00785a',
  refuted: '#b8460a',
  inconclusive: '#005a8c',
  invalid: '#6e7781',
};

export function verdictBadge(v: VerdictValue): string {
  // Defence in depth: a page only renders audited certificates, but a badge never writes an unknown value raw.
  const known = Object.hasOwn(BADGE, v);
  return `<span class="badge" style="background:${known ? BADGE[v] : '#6e7781'}">${escapeHtml(String(v))}</span>`;
}

const STYLE =
  `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #1f2328; }
table { border-collapse: collapse; margin: 1em 0; display: block; overflow-x: auto; max-width: 100%; ` +
  `position: relative; }
th, td { border-bottom: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, span.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { color: white; border-radius: 10px; padding: 1px 8px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.muted { color: #656d76; } .small { font-size: 12px; } p, li, figcaption { overflow-wrap: anywhere; }
.tag { background: #ddf4ff; border-radius: 6px; padding: 0 6px; font-size: 12px; }
.plots { display: flex; flex-wrap: wrap; gap: 1em; } figure { margin: 0; min-width: 0; max-width: 100%; }
figcaption { font-size: 12px; color: #656d76; max-width: 480px; }
.panel-row { display: flex; flex-wrap: wrap; gap: 0.5em; } figure.wide figcaption { max-width: 960px; }
.display { margin: 0.3em 0; overflow-x: auto; overflow-y: hidden; position: relative; } code { background: ` +
  `#f6f8fa; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
svg.marks { max-width: 100%; height: auto; min-width: calc(var(--plot-width, 0px) * 0.82); }
.plot-frame { max-width: 100%; overflow-x: auto; overflow-y: hidden; } .katex-display { overflow-x: auto; ` +
  `overflow-y: hidden; }
.panel { max-width: 100%; min-width: 0; } details { margin: 0.8em 0; } summary { cursor: pointer; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
section.findings { border: 1px solid #d0d7de; border-left: 4px solid #0969da; border-radius: 6px; ` +
  `padding: 0.2em 1em; ` +
  `margin: 1em 0; background: #f6f8fa; }
section.findings table { background: white; } p.refused { border-left: 4px solid #cf222e; padding-left: 0.8em; }
@media (max-width: 600px) { body { margin: 1em auto; padding: 0 0.6em; font-size: 14px; } th, td { padding: 4px 5px; }
  table.findings-table, table.findings-table tbody, table.findings-table tr, table.findings-table td { display: block; }
  table.findings-table thead { display: none; } table.findings-table tr { border-bottom: 2px solid #d0d7de; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; } table.stack td { border: 0; }
  table.stack tr { border-bottom: 1px solid #d0d7de; padding: 4px 0; }
  table.stack thead { display: none; }
  table.findings-table td[data-label]::before, table.stack td[data-label]::before { content: attr(data-label); ` +
  `display: block; font-size: 12px; ` +
  `color: #656d76; } }
.readout { position: absolute; z-index: 10; background: #1f2328; color: white; font-size: 12px; padding: 2px 6px; ` +
  `border-radius: 4px; pointer-events: none; max-width: 320px; }
.toggles { display: flex; flex-wrap: wrap; gap: 0.3em 0.6em; align-items: center; font-size: 12px; ` +
  `margin: 0.3em 0; color: #656d76; }
.toggles button { font: inherit; padding: 1px 8px; border-radius: 10px; border: 1px solid #8c959f; ` +
  `background: #f6f8fa; cursor: pointer; } .toggles button[aria-pressed=false] { text-decoration: line-through; ` +
  `opacity: 0.6; } .toggles select { font: inherit; max-width: 10em; }
@media print { .readout, .toggles { display: none; }
  body { max-width: none; margin: 0; font-size: 11pt; } a { color: inherit; text-decoration: none; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; break-inside: avoid; } figure, tr, .display, .panel ` +
  `{ break-inside: avoid; page-break-inside: avoid; }
  .panel-row { gap: 0; } .panel-row .panel { max-width: 49%; } .panel-row.steps .panel { max-width: 24.5%; }
  .plots figure { max-width: 49%; }
  table { display: table; width: 100%; font-size: 9pt; overflow: visible; } td, th { overflow-wrap: anywhere; }
  svg.marks { max-width: 100%; min-width: 0; } footer { display: none; } details > *:not(summary) { display: block; }
  td.name { overflow-wrap: normal; white-space: nowrap; }
  /* The claims list above the verdict table prints each claim's title and statement once. */
  .print-hide { display: none; }
}
`;

/**
 * Hover (or tap) read-outs on the plots: the label Vega writes on every point (its width, value and series) shown
 * beside the pointer. The SVG stays static for print and for readers without scripts.
 */
const READOUT_SCRIPT = `(() => {
  const tip = document.createElement('div');
  tip.className = 'readout';
  tip.hidden = true;
  document.body.append(tip);
  const at = (e) => e.target instanceof Element && e.target.closest('svg.marks [aria-roledescription="point"]');
  const show = (e) => {
    const mark = at(e);
    if (!mark) return void (tip.hidden = true);
    tip.textContent = mark.getAttribute('aria-label') || '';
    tip.style.left = Math.min(e.pageX + 12, document.documentElement.scrollWidth - 330) + 'px';
    tip.style.top = e.pageY + 12 + 'px';
    tip.hidden = !tip.textContent;
  };
  document.addEventListener('pointerover', show);
  document.addEventListener('pointerdown', show);
})();`;

/**
 * Toggles above every figure whose marks name a series (an arm, a layer) or a seed: show or hide each series (its
 * points, lines and interval bars), and
 * highlight one seed's networks (its points solid, the other seeds' faded; the points are not joined, since a seed
 * label at two widths is one network only in a paired design). Made by the script, so print and readers without
 * scripts get the static figure.
 */
const TOGGLES_SCRIPT = `(() => {
  const label = (m) => m.getAttribute('aria-label') || '';
  const field = (m, name) => (new RegExp('(?:^|; )' + name + ': ([^;]*)').exec(label(m)) || [])[1];
  for (const fig of document.querySelectorAll('figure')) {
    // Points, lines and interval bars (rule marks): a hidden series leaves none of its marks behind.
    const marks = [...fig.querySelectorAll('svg.marks [aria-roledescription="point"], ' +
      'svg.marks [aria-roledescription="line mark"], svg.marks [aria-roledescription="rule mark"]')];
    const series = [...new Set(marks.map((m) => field(m, 'series')).filter((s) => s !== undefined))];
    const seeded = marks.filter((m) => field(m, 'seed') !== undefined);
    const seeds = [...new Set(seeded.map((m) => field(m, 'seed')))].sort((a, b) => a - b);
    if (series.length < 2 && seeds.length < 2) continue;
    const bar = document.createElement('div');
    bar.className = 'toggles';
    const hidden = new Set();
    const apply = () => marks.forEach((m) => (m.style.display = hidden.has(field(m, 'series')) ? 'none' : ''));
    if (series.length >= 2) {
      bar.append('Show:');
      for (const s of series) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = s;
        b.setAttribute('aria-pressed', 'true');
        b.onclick = () => {
          const off = !hidden.has(s);
          off ? hidden.add(s) : hidden.delete(s);
          b.setAttribute('aria-pressed', String(!off));
          apply();
        };
        bar.append(b);
      }
    }
    if (seeds.length >= 2) {
      const pick = document.createElement('select');
      pick.setAttribute('aria-label', 'follow a seed across widths');
      pick.append(new Option('all seeds', ''), ...seeds.map((s) => new Option('seed ' + s, s)));
      pick.onchange = () => {
        const chosen = pick.value;
        for (const m of seeded) {
          const on = chosen === '' || field(m, 'seed') === chosen;
          m.style.opacity = chosen === '' ? '' : on ? '1' : '0.12';
          m.style.strokeWidth = chosen !== '' && on ? '2.5' : '';
        }
      };
      bar.append('Highlight:', pick);
    }
    fig.prepend(bar);
  }
})();`;

const FOOTER =
  'Generated by tdlv. Every number on this page is recomputed by <code>tdlv audit</code> from the raw observations ' +
  'in the certificate.';

/**
 * A self-contained page: KaTeX CSS and fonts are expected in ./katex beside it. `extra.style` adds to the shared style
 * and `extra.footer` replaces the footer's sentence (HTML).
 */
export function page(title: string, body: string, extra: { style?: string; footer?: string } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — tdlv</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="katex/katex.min.css">
<style>${STYLE}${extra.style ?? ''}</style></head>
<body>
${body}
<footer class="muted small"><p>${extra.footer ?? FOOTER}</p></footer>
<script>${READOUT_SCRIPT}</script>
<script>${TOGGLES_SCRIPT}</script>
</body></html>
`;
}
