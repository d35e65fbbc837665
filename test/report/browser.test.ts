/** Tests: reports in a real browser. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { buildReports } from '../../src/report/build.ts';
import { bestCertificate } from '../../src/report/audited.ts';
import { countsText, groupCounts } from '../../src/report/claim-groups.ts';
import { theorems } from '../../theorems/index.ts';
import { LAB_THEOREMS } from '../../theorems/lab.ts';

/**
 * The reports as a reader sees them: headless Chromium (the Debian package, driven by puppeteer-core) opens every page
 * at a phone's 420 px and a desktop's 1400 px and fails on horizontal overflow, TeX markup left outside KaTeX, NaN,
 * undefined or [object Object] in a table, a caption or a plot, and plots without marks; on what a reader sees of a
 * plot (a tick left without its label, a legend entry without its mark, text under 8 px on the phone, identifiers or
 * ASCII math instead of words); on a verdict badge outside the viewport; and, printed to A4 PDF and read back by
 * pdftotext, on a page with almost no words. Screenshots and PDFs go to the folder the test prints. `.ci/run` installs
 * chromium and poppler-utils; where no browser can be found the test says so and skips.
 */
const root = join(import.meta.dirname, '..', '..');
const browserPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0,
);
/** poppler's pdftotext reads the printed pages back (`.ci/run` installs poppler-utils; without it no print check). */
const pdftotext = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).status === 0 ? 'pdftotext' : undefined;

/**
 * Identifiers a reader must not meet in plot text: every built-in's hyphenated arm, claim and ablation ids (tanh-lr,
 * change-smooth-tanh); one-word ids (tanh, relu) are words. "mean-field" is English as well as an arm.
 */
const IDENTIFIERS = [
  ...new Set(
    theorems.flatMap((t) => {
      const s = t.statement;
      return [...t.plan('full').arms, ...s.claims.map((c) => c.id), ...s.ablations.map((a) => a.id)].filter(
        (id) => id.includes('-') && id !== 'mean-field',
      );
    }),
  ),
];

interface PageCheck {
  overflow: number;
  rawTex: string[];
  badValues: string[];
  emptyPlots: string[];
  /** Verdict badges that sit (partly) outside the viewport. */
  offscreenBadges: number;
  /** Plots with an axis label Vega hid for overlap (its tick left unlabelled). */
  hiddenLabels: string[];
  /** Legend entries drawn without a visible mark. */
  legendWithoutMark: string[];
  /** Lines and points drawn with neither a stroke nor a fill (a series whose colour the scale does not know). */
  invisibleMarks: string[];
  /** Plot text rendered smaller than 8 px. */
  smallText: string[];
  /** Plot text or a series toggle with an identifier or ASCII math (camelCase, dz2_t4, <=, sqrt(, ||, ^). */
  plotIdentifiers: string[];
  /** The findings' first line and where it and the first verdict badge sit. */
  findings: { text: string; top: number; badgeRight: number; badgeBottom: number } | null;
}

/**
 * What a reader sees of the page open in the browser (run inside it by page.evaluate, so it reads nothing from this
 * module): `ids` are the identifiers a reader must not meet in plot text (hyphenated arm, claim and ablation ids).
 */
function inspectPage(ids: string[]): PageCheck {
  const rawTex: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement?.closest('.katex, script, style, code, pre')) continue;
    const greek = '(?:alpha|beta|gamma|eta|theta|lambda|mu|nu|sigma|phi|rho|tau|omega)';
    const m = new RegExp(String.raw`\\[a-zA-Z]{2,}|[\w)][\^_]\{|\b${greek}[\^_]\w`).exec(n.textContent ?? '');
    if (m) rawTex.push((n.textContent ?? '').slice(Math.max(0, m.index - 25), m.index + 25));
  }
  const badValues = [...document.querySelectorAll('td, th, figcaption, svg text, .num')]
    .map((e) => e.textContent ?? '')
    .filter((t) => /\bNaN\b|\bundefined\b|\[object Object\]|\bInfinity\b/.test(t))
    .map((t) => t.slice(0, 60));
  if (/\bundefined\b|\[object Object\]/.test(document.body.innerText))
    badValues.push('undefined or [object Object] in the text');
  // Float noise (0.050000000000000044) and sizes printed as measurements (512.000→1024.000).
  const noise = /\b\d+\.\d{8,}\b|\b\d+\.000→/.exec(document.body.innerText);
  if (noise) badValues.push(`a number as the machine wrote it: "${noise[0]}"`);
  const emptyPlots = [...document.querySelectorAll('svg.marks')]
    .filter(
      (s) =>
        /Infinity|NaN/.test(s.getAttribute('aria-label') ?? '') ||
        s.querySelectorAll('.mark-symbol path, .mark-line path, .mark-rule line, .mark-rect path, circle.point')
          .length === 0,
    )
    .map((s) => (s.getAttribute('aria-label') ?? 'a plot').slice(0, 80));
  // What a reader sees of the plots: every tick labelled, every legend entry with its mark, text of at
  // least 8 px, words instead of identifiers; and every verdict within the viewport.
  const hiddenLabels: string[] = [];
  const legendWithoutMark: string[] = [];
  const smallText: string[] = [];
  const plotIdentifiers: string[] = [];
  const invisibleMarks: string[] = [];
  const identifier = /\b[a-z]+[A-Z][a-z]+\w*\b|\b\w+_t\d+\b|<=|>=|sqrt\(|\|\||\^[\w({-]/;
  for (const svg of document.querySelectorAll('svg.marks')) {
    const name = (svg.getAttribute('aria-label') ?? svg.querySelector('text')?.textContent ?? 'a plot').slice(0, 60);
    if (svg.querySelector('.role-axis-label text[opacity="0"]')) hiddenLabels.push(name);
    const none = (v: string | null) => !v || v === 'none' || v === 'transparent';
    const unpainted = [...svg.querySelectorAll('.mark-line path, .mark-symbol path')].filter(
      (p) => none(p.getAttribute('stroke')) && none(p.getAttribute('fill')),
    ).length;
    if (unpainted) invisibleMarks.push(`${name}: ${unpainted} mark(s)`);
    // A symbol legend's entry is a label beside its symbol (one group each, under one parent); a gradient
    // legend has labels along its colour bar instead.
    for (const label of svg.querySelectorAll('.role-legend-label')) {
      if (label.closest('.role-legend')?.querySelector('.role-legend-gradient')) continue;
      const symbol = label.parentElement?.querySelector('.role-legend-symbol path');
      const paint = (a: string) => {
        const v = symbol?.getAttribute(a);
        return v !== null && v !== undefined && v !== 'none' && v !== 'transparent';
      };
      if (!symbol || symbol.getAttribute('opacity') === '0' || !(paint('fill') || paint('stroke')))
        legendWithoutMark.push(`${name}: ${label.textContent}`);
    }
    const box = svg.getBoundingClientRect();
    const viewBox = (svg as SVGSVGElement).viewBox.baseVal;
    const scale = viewBox && viewBox.width ? box.width / viewBox.width : 1;
    for (const t of svg.querySelectorAll('text')) {
      if (t.getAttribute('opacity') === '0' || !t.textContent) continue;
      const px = parseFloat(t.getAttribute('font-size') ?? getComputedStyle(t).fontSize) * scale;
      if (px < 7.95) smallText.push(`${name}: "${t.textContent}" at ${px.toFixed(1)} px`);
      const words = t.textContent.split(/[\s,;:()·]+/);
      if (identifier.test(t.textContent) || words.some((w) => ids.includes(w)))
        plotIdentifiers.push(`${name}: "${t.textContent}"`);
    }
  }
  // The series toggles above a figure name what its legend names: words, not identifiers or ASCII math.
  for (const b of document.querySelectorAll('.toggles button'))
    if (identifier.test(b.textContent ?? '') || ids.includes(b.textContent ?? ''))
      plotIdentifiers.push(`a toggle: "${b.textContent}"`);
  const offscreenBadges = [...document.querySelectorAll('.badge')].filter((b) => {
    const r = b.getBoundingClientRect();
    return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5);
  }).length;
  const box = document.querySelector('section.findings');
  const badge = box?.querySelector('.badge');
  const first = box?.querySelector('p b');
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    rawTex,
    badValues,
    emptyPlots,
    offscreenBadges,
    hiddenLabels,
    legendWithoutMark,
    invisibleMarks,
    smallText,
    plotIdentifiers,
    findings:
      box && first
        ? {
            text: first.textContent ?? '',
            top: first.getBoundingClientRect().top,
            badgeRight: badge ? badge.getBoundingClientRect().right : 0,
            badgeBottom: badge ? badge.getBoundingClientRect().bottom : 0,
          }
        : null,
  };
}

/** The defects a reader would see, from what `inspectPage` found (`want`: the first line the findings must say). */
function pageFailures(r: PageCheck, where: string, width: number, want: string | undefined): string[] {
  const failures: string[] = [];
  if (r.overflow > 0) failures.push(`${where}: ${r.overflow} px of horizontal overflow`);
  if (r.rawTex.length) failures.push(`${where}: raw TeX outside KaTeX (${r.rawTex.length}), e.g. "${r.rawTex[0]}"`);
  if (r.badValues.length) failures.push(`${where}: ${r.badValues.length} bad value(s), e.g. "${r.badValues[0]}"`);
  if (r.emptyPlots.length) failures.push(`${where}: ${r.emptyPlots.length} empty plot(s), e.g. "${r.emptyPlots[0]}"`);
  if (r.offscreenBadges) failures.push(`${where}: ${r.offscreenBadges} verdict badge(s) outside the viewport`);
  for (const [what, list] of [
    ['plot(s) with a tick whose label Vega hid', r.hiddenLabels],
    ['legend entr(ies) without a mark', r.legendWithoutMark],
    ['plot(s) with marks drawn in no colour', r.invisibleMarks],
    ['plot text(s) under 8 px', r.smallText],
    ['plot text(s) with an identifier or ASCII math', r.plotIdentifiers],
  ] as const)
    if (list.length) failures.push(`${where}: ${list.length} ${what}, e.g. ${list[0]}`);
  // The first screen says what was found, with the certificate's counts; the verdict is on screen on a phone.
  if (want !== undefined) {
    if (!r.findings) failures.push(`${where}: no findings box`);
    else {
      if (r.findings.text !== want) failures.push(`${where}: findings say "${r.findings.text}", not "${want}"`);
      if (width === 1400 && r.findings.top > 900) failures.push(`${where}: the findings start below the first screen`);
      if (r.findings.badgeRight > width) failures.push(`${where}: the first verdict badge is off-screen`);
    }
  }
  return failures;
}

/** The page printed to A4 and read back by pdftotext: a page (almost) without words is a defect. */
async function printFailures(page: Page, pdf: string, file: string): Promise<string[]> {
  await page.pdf({ path: pdf, format: 'A4' });
  const text = spawnSync(pdftotext!, ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout ?? '';
  const pages = text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim());
  return pages.flatMap((p, i) => {
    const words = p.split(/\s+/).filter((w) => /[A-Za-z]{2,}/.test(w)).length;
    return words < 10 ? [`${file} in print: page ${i + 1} of ${pages.length} has ${words} words`] : [];
  });
}

/** The pages from the committed certificates, built once for both tests. */
let built: Promise<string> | undefined;
function reports(): Promise<string> {
  built ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'tdlv-reports-'));
    await buildReports(theorems, join(root, 'proofs-numeric'), out, { lab: LAB_THEOREMS });
    return out;
  })();
  return built;
}

/** What a page's findings must say first: the theorem claims' counts of its certificate. */
function expectedFindings(): Map<string, string> {
  const out = new Map<string, string>();
  const totals = { supported: 0, refuted: 0, inconclusive: 0, invalid: 0 };
  for (const t of theorems) {
    const cert = bestCertificate(join(root, 'proofs-numeric'), t.statement.id);
    if (!cert) continue;
    const counts = groupCounts(t.statement, cert.evaluation.verdicts).theorem;
    out.set(`${t.statement.id}.html`, `Theorem claims: ${countsText(counts)}.`);
    for (const v of Object.keys(totals) as (keyof typeof totals)[]) totals[v] += counts[v];
  }
  // The index's first screen sums them, counted here from the certificates rather than read from the page's builder.
  out.set('index.html', `Over all ${theorems.length} theorems, theorem claims: ${countsText(totals)}.`);
  return out;
}

describe('reports in a real browser', () => {
  it('every page at 420 px and 1400 px: no overflow, no raw TeX, no NaN or undefined, no empty plot', async (ctx) => {
    if (!browserPath) {
      console.warn('skipped: no chromium found (apt-get install chromium)');
      ctx.skip();
      return;
    }
    const out = await reports();
    const shots = join(out, 'screenshots');
    mkdirSync(shots);
    console.log(`report screenshots: ${shots}`);
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu'] });
    const failures: string[] = [];
    const findings = expectedFindings();
    try {
      const page = await browser.newPage();
      for (const file of readdirSync(out).filter((f) => f.endsWith('.html'))) {
        for (const width of [420, 1400]) {
          await page.setViewport({ width, height: 900 });
          await page.goto(pathToFileURL(join(out, file)).href, { waitUntil: 'load' });
          const r: PageCheck = await page.evaluate(inspectPage, IDENTIFIERS);
          await page.screenshot({ path: join(shots, `${file.replace('.html', '')}-${width}.png`), fullPage: false });
          const where = `${file} at ${width} px`;
          failures.push(...pageFailures(r, where, width, findings.get(file)));
          // Hovering a point reads out its width and value (the label Vega wrote on it).
          if (file === 'ntk-constancy.html' && width === 1400) {
            const point = await page.$('svg.marks [aria-roledescription="point"]');
            await point?.scrollIntoView();
            await point?.hover();
            const readout = await page.$eval('.readout', (e) =>
              (e as HTMLElement).hidden ? '' : (e.textContent ?? ''),
            );
            const label = await point?.evaluate((e) => e.getAttribute('aria-label'));
            if (!label || readout !== label) failures.push(`${where}: hover read-out "${readout}", not "${label}"`);
          }
          // Hiding a series hides its interval bars too, and every line of a dense reference curve (the HMRT figure).
          if (file === 'double-descent.html' && width === 1400) {
            const left = await page.evaluate(() => {
              const fig = [...document.querySelectorAll('figure')].find((f) =>
                [...f.querySelectorAll('.toggles button')].some((b) => b.textContent!.startsWith('asymptotic')),
              )!;
              const visible = (s: string) =>
                [...fig.querySelectorAll('svg.marks [aria-label]')].filter(
                  (m) =>
                    (m as SVGElement).style.display !== 'none' &&
                    new RegExp(`(^|; )series: ${s}(;|$)`).test(m.getAttribute('aria-label')!),
                ).length;
              const buttons = [...fig.querySelectorAll('.toggles button')] as HTMLButtonElement[];
              return buttons.map((b) => {
                const name = b.textContent!.replace(/[()]/g, '.');
                const before = visible(name);
                b.click();
                const after = visible(name);
                b.click();
                return { name, before, after };
              });
            });
            for (const l of left)
              if (!(l.before > 0) || l.after !== 0)
                failures.push(`${where}: the toggle of ${l.name} left ${l.after} of ${l.before} marks visible`);
          }
          // Series and seed toggles: hiding regimes' first series hides its marks; highlighting a seed fades the
          // other seeds' points and keeps the chosen one's.
          if (file === 'regimes.html' && width === 1400) {
            const got = await page.evaluate(() => {
              // The first measurement plot: series and seed toggles (a curves figure has series toggles only).
              const fig = [...document.querySelectorAll('figure')].find(
                (f) => f.querySelector('.toggles button + button') && f.querySelector('.toggles select'),
              )!;
              const button = fig.querySelector('.toggles button') as HTMLButtonElement;
              const series = button.textContent!;
              const marks = [...fig.querySelectorAll('svg.marks [aria-roledescription="point"]')] as SVGElement[];
              const mine = marks.filter((m) => m.getAttribute('aria-label')!.includes(`series: ${series}`));
              button.click();
              const hidden = mine.every((m) => m.style.display === 'none');
              const others = marks.filter((m) => !mine.includes(m)).every((m) => m.style.display === '');
              const pick = fig.querySelector('.toggles select') as HTMLSelectElement;
              pick.value = pick.options[1]!.value;
              pick.dispatchEvent(new Event('change'));
              const seeded = marks.filter((m) => / seed: \d+$/.test(m.getAttribute('aria-label')!));
              const chosen = seeded.filter((m) => m.getAttribute('aria-label')!.endsWith(`seed: ${pick.value}`));
              return {
                hidden,
                others,
                faded: seeded.filter((m) => m.style.opacity === '0.12').length,
                solid: chosen.every((m) => m.style.opacity === '1') && chosen.length > 0,
                rest: seeded.length - chosen.length,
              };
            });
            if (!got.hidden || !got.others) failures.push(`${where}: the series toggle did not hide exactly its marks`);
            if (!got.solid || got.faded !== got.rest)
              failures.push(`${where}: the seed highlight: ${JSON.stringify(got)}`);
          }
        }
        // In print (A4), no page is (almost) empty: a heading split from its section, a lone line.
        if (pdftotext && file !== 'lab.html')
          failures.push(...(await printFailures(page, join(shots, file.replace('.html', '.pdf')), file)));
      }
    } finally {
      await browser.close();
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('fails on each defect a reader would see, reintroduced into a page that passes (mutation check)', async (ctx) => {
    if (!browserPath) {
      console.warn('skipped: no chromium found (apt-get install chromium)');
      ctx.skip();
      return;
    }
    const out = await reports();
    const file = 'ntk-constancy.html';
    const want = expectedFindings().get(file);
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu'] });
    // Each defect as an edit of the page in the browser (`text` is an argument: the edit runs there), and the failure
    // it must cause.
    const text = (selector: string, value: string) =>
      [
        (a: { selector: string; value: string }) => {
          document.querySelector(a.selector)!.textContent = a.value;
        },
        { selector, value },
      ] as const;
    const defects: [string, readonly [(a: { selector: string; value: string }) => void, object], RegExp][] = [
      [
        'a tick whose label is hidden',
        [() => document.querySelector('svg.marks .role-axis-label text')!.setAttribute('opacity', '0'), {}],
        /tick whose label Vega hid/,
      ],
      [
        'a legend entry without its mark',
        [() => document.querySelector('svg.marks .role-legend-symbol path')!.setAttribute('opacity', '0'), {}],
        /legend entr\(ies\) without a mark/,
      ],
      [
        'a series drawn in no colour',
        [() => document.querySelector('svg.marks .mark-line path')!.removeAttribute('stroke'), {}],
        /marks drawn in no colour/,
      ],
      [
        'plot text at 5 px',
        [() => document.querySelector('svg.marks text')!.setAttribute('font-size', '5'), {}],
        /under 8 px/,
      ],
      ['an observable id in plot text', text('svg.marks text', 'ntkChange'), /identifier or ASCII math/],
      ['an arm id in plot text', text('svg.marks text', 'tanh, tanh-standard'), /identifier or ASCII math/],
      ['a claim id in plot text', text('svg.marks text', 'change-smooth-tanh (tanh)'), /identifier or ASCII math/],
      ['ASCII math in plot text', text('svg.marks text', 'sqrt(N / n) <= 1'), /identifier or ASCII math/],
      ['ASCII math in a series toggle', text('.toggles button', 'N = d^1.5'), /identifier or ASCII math/],
      ['raw TeX in prose', text('figcaption', 'rate n^{-1/2} as \\frac{1}{n}'), /raw TeX/],
      ['a float as the machine wrote it', text('figcaption', 'step 0.050000000000000044'), /machine wrote it/],
      [
        "findings that are not the certificate's",
        text('section.findings p b', 'Theorem claims: 1 supported.'),
        /findings say/,
      ],
      [
        'a verdict badge off-screen',
        [
          () => {
            const b = document.querySelector('.badge') as HTMLElement;
            b.style.position = 'relative';
            b.style.left = '2000px';
          },
          {},
        ],
        /badge/,
      ],
      [
        'horizontal overflow',
        [() => document.body.insertAdjacentHTML('beforeend', '<div style="width: 3000px">wide</div>'), {}],
        /overflow/,
      ],
    ];
    const missed: string[] = [];
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 420, height: 900 });
      const load = () => page.goto(pathToFileURL(join(out, file)).href, { waitUntil: 'load' });
      await load();
      const clean = pageFailures(await page.evaluate(inspectPage, IDENTIFIERS), file, 420, want);
      expect(clean, 'the page passes before any edit').toEqual([]);
      for (const [name, [edit, args], failure] of defects) {
        await load();
        await page.evaluate(edit as (a: object) => void, args);
        const failures = pageFailures(await page.evaluate(inspectPage, IDENTIFIERS), file, 420, want);
        if (!failures.some((f) => failure.test(f))) missed.push(`${name}: got ${JSON.stringify(failures)}`);
      }
      // In print: a heading alone on its page.
      if (pdftotext) {
        await load();
        await page.evaluate(() =>
          document.body.insertAdjacentHTML(
            'afterbegin',
            '<h2 style="break-before: page; break-after: page">A lone heading</h2>',
          ),
        );
        const pdf = join(mkdtempSync(join(tmpdir(), 'tdlv-print-')), 'lone.pdf');
        if (!(await printFailures(page, pdf, file)).some((f) => / has \d+ words/.test(f)))
          missed.push('a page with almost no words in print');
      }
    } finally {
      await browser.close();
    }
    expect(missed).toEqual([]);
  }, 120_000);
});
