/**
 * Tests: the lab (reports/lab.html) in a real browser (the Debian chromium, driven by puppeteer-core). It loads with
 * no request leaving the machine; the address hook reproduces certificate cells of every lab theorem; an exercise runs
 * to its expected verdicts; a run can be cancelled; it fits a phone's 420 px; a user's theorem
 * (examples/custom-theorem) gets a lab of its own that reproduces its certificate; a setting typed in (a free knob)
 * gives Node's bits at that setting and is judged alone. Skips where no chromium is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { labPage } from '../../src/lab/lab-html.ts';
import { copyKatexAssets } from '../../src/report/build.ts';
import { bestCertificate } from '../../src/report/audited.ts';
import { LAB_THEOREMS, REPRODUCTION_CELLS } from '../../theorems/lab.ts';
import { agreement } from '../../src/lab/exercise.ts';
import { runCli } from '../helpers/cli.ts';
import { initBackend } from '../../src/engine/runtime/backend.ts';
import { check as ntkConstancy } from '../../theorems/ntk-constancy/check.ts';

const root = join(import.meta.dirname, '..', '..');
const browserPath = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0,
);

let browser: Browser | undefined;
let url = '';
/** Requests that left the machine (anything but file:, blob: and data:), over every page this file opens. */
const outside: string[] = [];

async function open(query: string, width = 1400, base = url): Promise<Page> {
  const page = await browser!.newPage();
  await page.setViewport({ width, height: 900 });
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (/^(file|blob|data):/.test(r.url())) void r.continue();
    else {
      outside.push(r.url());
      void r.abort();
    }
  });
  await page.goto(`${base}${query}`, { waitUntil: 'load' });
  return page;
}

const waitFor = (page: Page, state: string) =>
  page.waitForFunction(
    (s) => document.body.dataset.labState === s || document.body.dataset.labState === 'error',
    {
      timeout: 110_000,
    },
    state,
  );

describe.skipIf(!browserPath)('the lab in a real browser', () => {
  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'tdlv-lab-'));
    copyKatexAssets(out);
    writeFileSync(join(out, 'lab.html'), await labPage(LAB_THEOREMS, join(root, 'proofs-numeric')));
    url = pathToFileURL(join(out, 'lab.html')).href;
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({ executablePath: browserPath, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    expect(outside).toEqual([]);
  });

  // REPRODUCTION_CELLS: one cell of every lab theorem, the ntk-constancy (tanh, width 512) first. Every
  // observable must be bit-identical: the worker computes Math's elementary functions and pow (which ** is lowered to)
  // as Node 20 does (src/numeric/libm.ts).
  it('reproduces a certificate cell of every lab theorem from its address', async () => {
    expect(new Set(REPRODUCTION_CELLS.map((c) => c.theorem))).toEqual(
      new Set(LAB_THEOREMS.map((t) => t.check.statement.id)),
    );
    const report: string[] = [];
    for (const { theorem, arm, width, seed } of REPRODUCTION_CELLS) {
      const page = await open(`?theorem=${theorem}&arm=${arm}&width=${width}&seed=${seed}&run=1`);
      await waitFor(page, 'done');
      const got = JSON.parse((await page.evaluate(() => document.body.dataset.labResult)) ?? '{}');
      await page.close();
      const cell = bestCertificate(join(root, 'proofs-numeric'), theorem)!.cells.find(
        (c) => c.arm === arm && c.width === width && c.seed === seed,
      )!;
      expect(Object.keys(got).sort()).toEqual(Object.keys(cell.observation).sort());
      const a = agreement(got, cell.observation);
      expect(a.differing, theorem).toEqual([]);
      report.push(`${theorem}/${arm}/${width}/${seed}: ${a.identical}/${a.total} bit-identical`);
    }
    console.log(`lab cells against the certificates: ${report.join('; ')}`);
  });

  it('runs an exercise to its expected verdicts, and a run can be cancelled', async () => {
    const page = await open('?theorem=regimes');
    await page.click('[data-run-exercise="mean-field-moves"]');
    await waitFor(page, 'done');
    const outcome = await page.$eval('[data-exercise="mean-field-moves"] .outcome', (e) =>
      e.getAttribute('data-exercise-outcome'),
    );
    expect(outcome).toBe('as-expected');
    const verdict = await page.$eval('[data-claim="kernel-moves-mean-field"] [data-verdict]', (e) =>
      e.getAttribute('data-verdict'),
    );
    expect(verdict).toBe('supported');
    // Cancel: a run of 40 cells stopped after its first keeps that cell and leaves the page usable.
    await page.select('#lab-arm', 'ntk');
    await page.$eval('#lab-seeds', (e) => ((e as HTMLInputElement).value = '8'));
    await page.click('#lab-run');
    await page.waitForFunction(() => JSON.parse(document.body.dataset.labCells ?? '[]').length >= 1, {
      timeout: 60_000,
    });
    await page.click('#lab-cancel');
    expect(await page.evaluate(() => document.body.dataset.labState)).toBe('cancelled');
    expect(await page.$eval('#lab-status', (e) => e.textContent)).toMatch(/Cancelled after \d+ of 24 cells/);
    await page.close();
  });

  it('fits a phone: no horizontal overflow at 420 px', async () => {
    const page = await open('?theorem=ntk-constancy', 420);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it("a user's theorem gets a lab of its own: its certificate's cells from the address, its exercise", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdlv-user-lab-'));
    const example = './examples/custom-theorem/theorem.ts';
    const certs = join(dir, 'certs');
    const args = ['--fidelity', 'smoke', '--workers', '1', '--out', certs, '--checkpoints', join(dir, 'runs')];
    expect((await runCli(['verify', example, ...args])).code).toBe(0);
    const reports = join(dir, 'reports');
    expect((await runCli(['report', '--theorem', example, '--certificates', certs, '--out', reports])).code).toBe(0);
    const base = pathToFileURL(join(reports, 'lab.html')).href;
    const cert = bestCertificate(certs, 'gelu-depth4-ntk-change')!;
    const page = await open('?theorem=gelu-depth4-ntk-change&arm=gelu&width=64&seed=1&run=1', 1400, base);
    await waitFor(page, 'done');
    const got = JSON.parse((await page.evaluate(() => document.body.dataset.labResult)) ?? '{}');
    const cell = cert.cells.find((c) => c.width === 64 && c.seed === 1)!;
    expect(agreement(got, cell.observation).differing).toEqual([]);
    await page.click('[data-run-exercise="too-few-networks"]');
    await waitFor(page, 'done');
    const outcome = await page.$eval('[data-exercise="too-few-networks"] .outcome', (e) =>
      e.getAttribute('data-exercise-outcome'),
    );
    expect(outcome).toBe('as-expected');
    await page.close();
  }, 120_000);

  it("a setting typed in gives Node's bits at that setting, judged without the certificate's cells", async () => {
    // ntk-constancy trains 128 steps; 16 steps at width 128 is an experiment no certificate ran.
    const cell = { arm: 'tanh' as const, width: 128, seed: 0 };
    await initBackend('wasm');
    const plan = ntkConstancy.plan('full');
    const node = (await ntkConstancy.cell({ cell, plan: { ...plan, settings: { ...plan.settings, steps: 16 } } })) as {
      observation: Record<string, number>;
    };
    const page = await open('?theorem=ntk-constancy&arm=tanh&width=128&seed=0&set-steps=16&run=1');
    await waitFor(page, 'done');
    const got = JSON.parse((await page.evaluate(() => document.body.dataset.labResult)) ?? '{}');
    expect(agreement(got, node.observation).differing).toEqual([]);
    expect(await page.$eval('#lab-results', (e) => e.textContent)).toContain('Settings changed (steps 16');
    // No grey (certificate) point is drawn beside the run's.
    expect(await page.$$eval('#lab-results circle[fill="#8c959f"]', (x) => x.length)).toBe(0);
    await page.close();
  }, 120_000);
});
