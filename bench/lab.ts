/**
 * npm run bench:lab: the lab in headless Chromium against Node on the same machine. (1) REPRODUCTION_CELLS, run in the
 * page from their addresses, against the committed certificates (how many observables are bit-identical). (2) The
 * ntk-constancy cell (tanh, width 512, the full plan) timed in the page's worker and in Node, one after the other,
 * six seeds after a warm-up cell each; Node twice, with the kernels it picks (native AVX2 where they build) and, in a
 * child process with TDLV_NATIVE=0, with the WebAssembly kernels the page runs too. (3) Screenshots of the page after
 * an exercise, at 1400 and 420 px. Writes docs/lab-bench.json (`npm run readme` renders it into docs/lab.md) and
 * docs/lab-1400.png, docs/lab-420.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { initBackend } from '../src/engine/runtime/backend.ts';
import { nativeKernels } from '../src/engine/runtime/native-kernels.ts';
import { agreement } from '../src/lab/exercise.ts';
import { labPage } from '../src/lab/lab-html.ts';
import { bestCertificate } from '../src/report/audited.ts';
import { copyKatexAssets } from '../src/report/build.ts';
import { LAB_THEOREMS, REPRODUCTION_CELLS } from '../theorems/lab.ts';
import type { LabBenchFile } from './readme-figures.ts';

const root = join(import.meta.dirname, '..');
const SEEDS = 6;
const check = LAB_THEOREMS.find((t) => t.check.statement.id === 'ntk-constancy')!.check;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function nodeSeconds(): Promise<number[]> {
  await initBackend('wasm');
  const plan = bestCertificate(join(root, 'proofs-numeric'), 'ntk-constancy')!.plan;
  const out: number[] = [];
  for (let seed = 0; seed <= SEEDS; seed++) {
    const t0 = performance.now();
    await check.cell({ cell: { arm: 'tanh', width: 512, seed }, plan });
    out.push((performance.now() - t0) / 1000);
  }
  return out.slice(1);
}

// `tsx bench/lab.ts --node-seconds`: only the Node timing, as JSON (the parent runs it with TDLV_NATIVE=0).
if (process.argv.includes('--node-seconds')) {
  console.log(JSON.stringify({ seconds: await nodeSeconds(), kernels: nativeKernels().family.kernels }));
  process.exit(0);
}

function nodeSecondsWithWasmKernels(): { seconds: number[]; kernels: string } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'lab.ts'), '--node-seconds'], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, TDLV_NATIVE: '0' },
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number[]; kernels: string };
}

async function inPage<T>(browser: Browser, url: string, read: () => T): Promise<T> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.labState ?? ''), {
      timeout: 600_000,
    });
    return (await page.evaluate(read)) as T;
  } finally {
    await page.close();
  }
}

const out = mkdtempSync(join(tmpdir(), 'tdlv-lab-bench-'));
copyKatexAssets(out);
writeFileSync(join(out, 'lab.html'), await labPage(LAB_THEOREMS, join(root, 'proofs-numeric')));
const url = pathToFileURL(join(out, 'lab.html')).href;
const { default: puppeteer } = await import('puppeteer-core');
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
let file: LabBenchFile;
try {
  const reproduction: LabBenchFile['reproduction'] = [];
  for (const c of REPRODUCTION_CELLS) {
    const query = `?theorem=${c.theorem}&arm=${c.arm}&width=${c.width}&seed=${c.seed}&run=1`;
    const got = JSON.parse((await inPage(browser, url + query, () => document.body.dataset.labResult)) ?? '{}');
    const certified = bestCertificate(join(root, 'proofs-numeric'), c.theorem)!.cells.find(
      (x) => x.arm === c.arm && x.width === c.width && x.seed === c.seed,
    )!;
    reproduction.push({ ...c, ...agreement(got, certified.observation) });
  }
  // The page's run: the same cell at seeds 0..SEEDS (the first a warm-up), started from the controls.
  const timing = `?theorem=ntk-constancy&arm=tanh&width=512`;
  const page = await browser.newPage();
  await page.goto(url + timing);
  await page.$eval('#lab-seeds', (e, n) => ((e as HTMLInputElement).value = String(n)), SEEDS + 1);
  await page.click('#lab-run');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.labState ?? ''), {
    timeout: 600_000,
  });
  const cells = JSON.parse((await page.evaluate(() => document.body.dataset.labCells)) ?? '[]') as {
    seconds: number;
  }[];
  const pageSeconds = cells.map((c) => c.seconds).slice(1);
  await page.close();
  // (3) Screenshots for docs/lab.md: the regimes page after its first exercise, at a desktop's and a phone's width.
  const shot = await browser.newPage();
  await shot.setViewport({ width: 1400, height: 1000 });
  await shot.goto(`${url}?theorem=regimes`);
  await shot.click('[data-run-exercise="mean-field-moves"]');
  await shot.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.labState ?? ''), {
    timeout: 600_000,
  });
  for (const [width, height] of [
    [1400, 1900],
    [420, 2400],
  ] as const) {
    await shot.setViewport({ width, height });
    await shot.screenshot({ path: join(root, 'docs', `lab-${width}.png`) });
  }
  await shot.close();
  const nodeSecondsMeasured = await nodeSeconds();
  const wasm = nodeSecondsWithWasmKernels();
  file = {
    measuredAt: new Date().toISOString(),
    machine: `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${await browser.version()}`,
    reproduction,
    speed: {
      cell: 'ntk-constancy tanh, width 512, full plan (128 steps)',
      nodeSeconds: nodeSecondsMeasured,
      nodeKernels: nativeKernels().family.kernels,
      nodeWasmSeconds: wasm.seconds,
      pageSeconds,
      medianNode: median(nodeSecondsMeasured),
      medianNodeWasm: median(wasm.seconds),
      medianPage: median(pageSeconds),
    },
  };
} finally {
  await browser.close();
}
writeFileSync(join(root, 'docs', 'lab-bench.json'), JSON.stringify(file, null, 2) + '\n');
for (const r of file.reproduction)
  console.log(`${r.theorem}/${r.arm}/${r.width}/${r.seed}: ${r.identical} of ${r.total} observables bit-identical`);
console.log(
  `${file.speed.cell}: Node ${file.speed.medianNode.toFixed(3)} s (${file.speed.nodeKernels}), Node with the ` +
    `WebAssembly kernels ${file.speed.medianNodeWasm.toFixed(3)} s, page ${file.speed.medianPage.toFixed(3)} s ` +
    `(medians of ${SEEDS})`,
);
