/**
 * The lab page's script (issue 28), bundled by src/lab/bundle.ts into reports/lab.html: the controls, the Web Worker
 * that runs tdlv's engine, the plots, the verdict tables and the guided exercises. Numbers and verdicts come from the
 * worker (tdlv's own code); this script only shows them.
 */
import { BADGE, escapeHtml } from '../report/html.ts';
import { formatNumber, observableLabel } from '../report/format.ts';
import type { VerdictValue } from '../verify/verdicts.ts';
import type { Cell, Settings } from '../verify/experiment.ts';
import { labPlan } from './plan.ts';
import type {
  FromWorker,
  LabArm,
  LabCell,
  LabData,
  LabPageExercise,
  LabTheoremData,
  LabVerdictRow,
  ToWorker,
} from './protocol.ts';

const data = JSON.parse(document.getElementById('lab-data')!.textContent!) as LabData;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const theoremSelect = $<HTMLSelectElement>('lab-theorem');
const armSelect = $<HTMLSelectElement>('lab-arm');
const widthsBox = $<HTMLDivElement>('lab-widths');
const seedsInput = $<HTMLInputElement>('lab-seeds');
const freshInput = $<HTMLInputElement>('lab-fresh');
const runButton = $<HTMLButtonElement>('lab-run');
const cancelButton = $<HTMLButtonElement>('lab-cancel');
const progress = $<HTMLProgressElement>('lab-progress');
const status = $<HTMLParagraphElement>('lab-status');
const armInfo = $<HTMLDivElement>('lab-arm-info');
const results = $<HTMLDivElement>('lab-results');
const exercisesBox = $<HTMLDivElement>('lab-exercises');
const settingsBox = $<HTMLDivElement>('lab-settings');

// ---- the worker ----------------------------------------------------------------------------------------------------

const wasmBytes = Uint8Array.from(atob($('lab-wasm').textContent!.trim()), (c) => c.charCodeAt(0));
const workerUrl = URL.createObjectURL(new Blob([$('lab-worker').textContent!], { type: 'text/javascript' }));
let worker: Worker;
let workerReady: Promise<void>;

function startWorker(): void {
  worker = new Worker(workerUrl);
  workerReady = new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'ready') resolve();
      else if (e.data.type === 'error') reject(new Error(e.data.message));
    };
  });
  const copy = wasmBytes.slice().buffer;
  worker.postMessage({ type: 'init', wasm: copy } satisfies ToWorker, [copy]);
}
startWorker();

// ---- state ---------------------------------------------------------------------------------------------------------

interface RunState {
  theorem: LabTheoremData;
  arm: LabArm;
  widths: number[];
  seeds: number;
  firstSeed: number;
  cells: LabCell[];
  rows: LabVerdictRow[];
  total: number;
  running: boolean;
  started: number;
  exercise?: LabPageExercise;
  /** The settings the cells ran at, and those that differ from the certificate's (then it is judged alone). */
  settings: Settings;
  changed: string[];
}
let current: RunState | null = null;

const theoremOf = (id: string) => data.theorems.find((t) => t.id === id)!;
const selectedTheorem = () => theoremOf(theoremSelect.value);
const selectedArm = () => selectedTheorem().arms.find((a) => a.name === armSelect.value)!;
const chosenWidths = () =>
  [...widthsBox.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => Number(i.value));

function setState(state: 'idle' | 'running' | 'done' | 'cancelled' | 'error'): void {
  document.body.dataset.labState = state;
  runButton.disabled = state === 'running';
  cancelButton.disabled = state !== 'running';
}

// ---- controls ------------------------------------------------------------------------------------------------------

function fillTheorems(): void {
  theoremSelect.innerHTML = data.theorems
    .map((t) => `<option value="${escapeHtml(t.id)}">${escapeHtml(t.id)}: ${escapeHtml(t.title)}</option>`)
    .join('');
}

function fillArms(): void {
  const t = selectedTheorem();
  const plain = t.arms.filter((a) => !a.ablation && a.claims.length);
  const ablations = t.arms.filter((a) => a.ablation);
  const others = t.arms.filter((a) => !a.ablation && !a.claims.length);
  const options = (arms: LabArm[]) =>
    arms.map((a) => `<option value="${escapeHtml(a.name)}">${escapeHtml(a.name)}</option>`).join('');
  armSelect.innerHTML =
    `<optgroup label="arms the claims are made on">${options(plain)}</optgroup>` +
    `<optgroup label="break a hypothesis (ablations)">${ablations
      .map(
        (a) =>
          `<option value="${escapeHtml(a.name)}">${escapeHtml(a.ablation!.title)} (${escapeHtml(a.name)})</option>`,
      )
      .join('')}</optgroup>` +
    (others.length
      ? `<optgroup label="other arms (pooled by a rule; no claim of their own)">${options(others)}</optgroup>`
      : '');
}

function fillWidths(preset?: readonly number[]): void {
  const arm = selectedArm();
  const on = new Set(preset ?? arm.certificate.widths.slice(0, 3));
  widthsBox.innerHTML = arm.widths
    .map(
      (w) =>
        `<label class="width"><input type="checkbox" value="${w}"${on.has(w) ? ' checked' : ''}> ` +
        `${escapeHtml(axisValue(arm, w))}</label>`,
    )
    .join(' ');
  const t = selectedTheorem();
  const violated = arm.ablation
    ? `<p><b>Hypothesis dropped:</b> ${arm.ablation.violates
        .map((h) => escapeHtml(t.statement.hypotheses.find((x) => x.id === h)?.text ?? h))
        .join('; ')}. ${escapeHtml(arm.ablation.description)} The claims of arm ` +
      `<code>${escapeHtml(arm.ablation.baseArm)}</code> are judged on these cells.</p>`
    : '';
  armInfo.innerHTML =
    violated +
    `<p class="muted small">The certificate ran this arm at ${arm.certificate.widths
      .map((w) => axisValue(arm, w))
      .join(', ')} with ${arm.certificate.seeds} seeds (${escapeHtml(t.plan.fidelity)} plan, commit ` +
    `${escapeHtml(t.certificate.commit.slice(0, 10))}). Seeds ${arm.certificate.firstSeed}, ` +
    `${arm.certificate.firstSeed + 1}, ... at those widths reproduce its cells bit for ` +
    `bit; "fresh seeds" draws networks it never ran.</p>`;
}

/** One input per plan setting (the knobs every cell reads: steps, data sizes ...), at the certificate's values. */
function fillSettings(values: Settings = selectedTheorem().plan.settings): void {
  const entries = Object.entries(selectedTheorem().plan.settings);
  settingsBox.closest('fieldset')!.hidden = !entries.length;
  settingsBox.innerHTML = entries
    .map(([name, certified]) => {
      const v = values[name] ?? certified;
      const input =
        typeof certified === 'boolean'
          ? `<input type="checkbox" data-setting="${escapeHtml(name)}"${v ? ' checked' : ''}>`
          : `<input type="${typeof certified === 'number' ? 'number' : 'text'}" step="any" ` +
            `data-setting="${escapeHtml(name)}" value="${escapeHtml(String(v))}">`;
      return `<label class="setting">${escapeHtml(name)} ${input}</label>`;
    })
    .join(' ');
}

/** The settings typed in, or the first one that is not a value of its kind. */
function chosenSettings(): { settings: Settings; changed: string[] } | { problem: string } {
  const certified = selectedTheorem().plan.settings;
  const settings: Settings = {};
  for (const input of settingsBox.querySelectorAll<HTMLInputElement>('input[data-setting]')) {
    const name = input.dataset.setting!;
    const kind = typeof certified[name];
    if (kind === 'boolean') settings[name] = input.checked;
    else if (kind === 'number') {
      const v = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(v))
        return { problem: `Setting ${name}: got "${input.value}", expected a finite number.` };
      settings[name] = v;
    } else settings[name] = input.value;
  }
  const changed = Object.keys(certified).filter((k) => !Object.is(settings[k], certified[k]));
  return { settings, changed };
}

function axisValue(arm: LabArm, w: number): string {
  return arm.axis.factor === 1 ? String(w) : formatNumber(w * arm.axis.factor);
}

// ---- running -------------------------------------------------------------------------------------------------------

/** Run cells of the selected arm; `only` runs one address (the test hook). */
async function run(only?: Cell, exercise?: LabPageExercise): Promise<void> {
  const theorem = selectedTheorem();
  const arm = selectedArm();
  const widths = only ? [only.width] : chosenWidths();
  const seeds = only ? 1 : Math.max(1, Math.min(64, Math.floor(Number(seedsInput.value)) || 1));
  // The certificate's seeds start at its plan's firstSeed; fresh seeds follow them.
  const first = arm.certificate.firstSeed;
  const firstSeed = only ? only.seed : freshInput.checked ? first + arm.certificate.seeds : first;
  if (!widths.length) {
    status.textContent = 'Choose at least one width.';
    return;
  }
  const chosen = chosenSettings();
  if ('problem' in chosen) {
    status.textContent = chosen.problem;
    return;
  }
  const cells: Cell[] = widths.flatMap((width) =>
    Array.from({ length: seeds }, (_, s) => ({ arm: arm.name, width, seed: firstSeed + s })),
  );
  current = {
    theorem,
    arm,
    widths,
    seeds,
    firstSeed,
    cells: [],
    rows: [],
    total: cells.length,
    running: true,
    started: performance.now(),
    exercise,
    ...chosen,
  };
  const state = current;
  setState('running');
  progress.max = cells.length;
  progress.value = 0;
  status.textContent = 'Starting the engine (WebAssembly) ...';
  render();
  try {
    await workerReady;
  } catch (error) {
    status.textContent = `The engine did not start: ${(error as Error).message}`;
    setState('error');
    return;
  }
  if (current !== state) return;
  await new Promise<void>((resolve) => {
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (current !== state) return;
      const m = e.data;
      if (m.type === 'cell') {
        state.cells.push(m.result);
        state.rows = m.rows;
        progress.value = state.cells.length;
        const left = state.total - state.cells.length;
        status.textContent =
          `${state.cells.length} of ${state.total} cells done (last: ${axisValue(arm, m.result.width)}, seed ` +
          `${m.result.seed}, ${m.result.seconds.toFixed(2)} s)` +
          (left ? ' ...' : '.');
        if (only) document.body.dataset.labResult = JSON.stringify(m.result.observation);
        // The addresses and seconds of the cells run so far (what the tests and the benchmark read).
        document.body.dataset.labCells = JSON.stringify(
          state.cells.map(({ arm, width, seed, seconds }) => ({ arm, width, seed, seconds })),
        );
        render();
      } else if (m.type === 'done') {
        state.running = false;
        const seconds = (performance.now() - state.started) / 1000;
        status.textContent = `Done: ${state.total} cells in ${seconds.toFixed(1)} s.`;
        setState('done');
        render();
        resolve();
      } else if (m.type === 'error') {
        state.running = false;
        status.textContent = `A cell failed: ${m.message}`;
        setState('error');
        resolve();
      }
    };
    // At settings the certificate did not run, its cells measure something else: the run is judged alone.
    const others = chosen.changed.length ? [] : theorem.cells.filter((c) => c.arm !== arm.name);
    worker.postMessage({
      type: 'run',
      theorem: theorem.id,
      arm: arm.name,
      plan: { ...labPlan(theorem.plan, arm.name, widths, seeds), settings: chosen.settings },
      cells,
      others,
    } satisfies ToWorker);
  });
}

function cancel(): void {
  if (!current?.running) return;
  current.running = false;
  worker.terminate();
  startWorker();
  status.textContent = `Cancelled after ${current.cells.length} of ${current.total} cells (kept below).`;
  setState('cancelled');
  render();
}

// ---- rendering -----------------------------------------------------------------------------------------------------

const badge = (v: VerdictValue) =>
  `<span class="badge" style="background:${BADGE[v] ?? '#6e7781'}">${escapeHtml(v)}</span>`;
const interval = (estimate: number, ci: [number, number] | null) =>
  `<span class="num">${formatNumber(estimate)}${ci ? ` [${formatNumber(ci[0])}, ${formatNumber(ci[1])}]` : ''}</span>`;

function render(): void {
  const theorem = selectedTheorem();
  const arm = selectedArm();
  const state = current && current.theorem.id === theorem.id && current.arm.name === arm.name ? current : null;
  const rows = new Map((state?.rows ?? []).map((r) => [r.claim, r]));
  results.innerHTML = arm.claims
    .map((c) => {
      const claim = theorem.claims.find((x) => x.id === c.id)!;
      const row = rows.get(c.id);
      const observable = row?.observable ?? claim.observable;
      const yours = row
        ? `${badge(row.verdict)} ${interval(row.estimate, row.ci)}`
        : '<span class="muted">run cells to judge</span>';
      const alone = state?.changed.length
        ? `<p class="small"><b>Settings changed</b> (${state.changed
            .map(
              (k) =>
                `${escapeHtml(k)} ${escapeHtml(String(state.settings[k]))}, the certificate's ` +
                `${escapeHtml(String(theorem.plan.settings[k]))}`,
            )
            .join('; ')}): the certificate's cells measure another experiment, so they are not drawn and your ` +
          `cells are judged alone.</p>`
        : '';
      const pooled = row?.poolsOtherArms
        ? '<p class="muted small">This rule also reads the certificate\u2019s cells of the other arms.</p>'
        : '';
      const findings = row
        ? `<table class="findings-table"><tbody><tr><td data-label="the theorem guarantees">` +
          `${row.findings.guarantees}</td><td data-label="your run measures">${row.findings.measures}</td>` +
          `<td data-label="your verdict means">${row.findings.means}</td></tr></tbody></table>` +
          `<p class="small"><b>Reason:</b> ${escapeHtml(row.reason)}</p>` +
          row.warnings.map((w) => `<p class="small muted">Warning: ${escapeHtml(w)}</p>`).join('')
        : '';
      return (
        `<article class="claim" data-claim="${escapeHtml(c.id)}"><h3>${escapeHtml(c.id)}: ` +
        `${claim.titleHtml}</h3>` +
        (c.ablation
          ? `<p class="small"><span class="tag">ablation ${escapeHtml(c.ablation)}</span> a claim of arm ` +
            `<code>${escapeHtml(claim.arm)}</code>, judged here with one of its hypotheses dropped</p>`
          : '') +
        `<p class="small muted">${escapeHtml(claim.standing)} \u00b7 ${claim.sourceHtml}</p>` +
        alone +
        `<div class="claim-body">` +
        plotSvg(theorem, arm, observable, state?.cells ?? [], row, !state?.changed.length) +
        `<table class="verdicts"><tbody><tr><th>certificate</th><td>${badge(c.verdict)} ` +
        `${interval(c.estimate, c.ci)}</td></tr><tr><th>your run</th><td data-verdict="${row?.verdict ?? ''}">` +
        `${yours}</td></tr></tbody></table></div>${pooled}${findings}</article>`
      );
    })
    .join('');
  renderExercises();
}

/** Plot of one observable against width: the certificate's cells (grey), the run's (blue), its fit and the claim. */
function plotSvg(
  theorem: LabTheoremData,
  arm: LabArm,
  observable: string,
  mine: LabCell[],
  row: LabVerdictRow | undefined,
  withCertificate: boolean,
): string {
  const W = 460;
  const H = 260;
  const m = { l: 58, r: 12, t: 12, b: 40 };
  const certCells = withCertificate ? theorem.cells.filter((c) => c.arm === arm.name) : [];
  const value = (c: LabCell) => c.observation[observable];
  const pts = [
    ...certCells.map((c) => ({ w: c.width, y: value(c), seed: c.seed, mine: false })),
    ...mine.map((c) => ({ w: c.width, y: value(c), seed: c.seed, mine: true })),
  ].filter(
    (p): p is { w: number; y: number; seed: number; mine: boolean } => p.y !== undefined && Number.isFinite(p.y),
  );
  const label = (p: (typeof pts)[number]) =>
    `aria-roledescription="point" aria-label="${escapeHtml(arm.axis.symbol)} = ${escapeHtml(axisValue(arm, p.w))}; ` +
    `${escapeHtml(observable)}: ${formatNumber(p.y)}; ${p.mine ? 'your run' : 'certificate'}, seed ${p.seed}"`;
  const widths = [...new Set([...arm.widths, ...pts.map((p) => p.w)])].filter((w) => w > 0).sort((a, b) => a - b);
  if (!widths.length) return '';
  const logY = pts.length > 0 && pts.every((p) => p.y > 0);
  const ty = (y: number) => (logY ? Math.log10(y) : y);
  const ys = pts.map((p) => ty(p.y));
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (y1 - y0 < 1e-12) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = (y1 - y0) * 0.06;
  [y0, y1] = [y0 - pad, y1 + pad];
  const [x0, x1] = [Math.log2(widths[0]!) - 0.3, Math.log2(widths[widths.length - 1]!) + 0.3];
  const X = (w: number) => m.l + ((Math.log2(w) - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (v: number) => H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b);
  const jitter = (i: number) => ((i * 0.618) % 1) * 8 - 4;
  const xTicks = widths
    .map(
      (w) =>
        `<line x1="${X(w)}" x2="${X(w)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#656d76"/>` +
        `<text x="${X(w)}" y="${H - m.b + 16}" text-anchor="middle">${escapeHtml(axisValue(arm, w))}</text>`,
    )
    .join('');
  const yTickValues: number[] = [];
  if (logY) for (let k = Math.ceil(y0); k <= Math.floor(y1); k++) yTickValues.push(k);
  if (yTickValues.length < 2) {
    // Less than two decades in view: five evenly spaced ticks instead (a decade tick beside them would overlap).
    yTickValues.length = 0;
    for (let k = 0; k <= 4; k++) yTickValues.push(y0 + ((y1 - y0) * k) / 4);
  }
  const yTicks = [...new Set(yTickValues)]
    .map(
      (v) =>
        `<line x1="${m.l - 4}" x2="${W - m.r}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eaeef2"/>` +
        `<text x="${m.l - 6}" y="${Y(v) + 4}" text-anchor="end">${formatNumber(logY ? 10 ** v : v)}</text>`,
    )
    .join('');
  const dots = pts
    .map((p, i) =>
      p.mine
        ? `<circle class="point" ${label(p)} cx="${X(p.w) + jitter(i)}" cy="${Y(ty(p.y))}" r="3.2" ` +
          `fill="#0969da" fill-opacity="0.8"/>`
        : `<circle class="point" ${label(p)} cx="${X(p.w) + jitter(i)}" cy="${Y(ty(p.y))}" r="2" fill="#8c959f" ` +
          `fill-opacity="0.45"/>`,
    )
    .join('');
  let lines = '';
  if (row?.line && logY && row.line.widths.length >= 2) {
    const { logPrefactor, slope, widths: fw, points } = row.line;
    const at = (w: number, s: number, c: number) => (c + s * Math.log(w)) / Math.LN10;
    const [a, b] = [fw[0]!, fw[fw.length - 1]!];
    lines +=
      `<line x1="${X(a)}" y1="${Y(at(a, slope, logPrefactor))}" x2="${X(b)}" y2="${Y(at(b, slope, logPrefactor))}" ` +
      `stroke="#0969da" stroke-width="2"/>` +
      points
        .map((p, k) =>
          p > 0
            ? `<rect x="${X(fw[k]!) - 4}" y="${Y(Math.log10(p)) - 4}" width="8" height="8" fill="white" ` +
              `stroke="#0969da" stroke-width="1.5"/>`
            : '',
        )
        .join('');
    if (row.claimedSlope !== undefined) {
      const meanLogW = fw.reduce((s, w) => s + Math.log(w), 0) / fw.length;
      const c = logPrefactor + (slope - row.claimedSlope) * meanLogW;
      lines +=
        `<line x1="${X(a)}" y1="${Y(at(a, row.claimedSlope, c))}" x2="${X(b)}" ` +
        `y2="${Y(at(b, row.claimedSlope, c))}" stroke="#1f2328" stroke-dasharray="5 4"/>`;
    }
  }
  const yLabel = `${observableLabel(theorem.statement.observableLabels, observable)}${logY ? ' (log scale)' : ''}`;
  return (
    `<figure class="lab-plot"><svg class="marks" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" ` +
    `aria-label="${escapeHtml(observable)} against ${escapeHtml(arm.axis.text)}" font-size="11" ` +
    `font-family="system-ui, sans-serif" fill="#1f2328">${yTicks}${xTicks}` +
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#656d76"/>${dots}${lines}` +
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(arm.axis.text)} ` +
    `(log scale)</text><text transform="translate(12 ${(H - m.b + m.t) / 2}) rotate(-90)" text-anchor="middle">` +
    `${escapeHtml(yLabel)}</text></svg><figcaption>Grey: the certificate\u2019s cells. Blue: your cells; squares ` +
    `are the per-width points the rule fits, the blue line its fit, the dashed line the claimed slope through ` +
    `the fit\u2019s centre.</figcaption></figure>`
  );
}

function renderExercises(): void {
  const theorem = selectedTheorem();
  exercisesBox.innerHTML = theorem.exercises
    .map((e) => {
      const done = current && current.exercise?.id === e.id && current.theorem.id === theorem.id ? current : null;
      let outcome = '';
      if (done && !done.running && done.cells.length === done.total) {
        const got = new Map(done.rows.map((r) => [r.claim, r.verdict]));
        const checks = Object.entries(e.expect).map(([claim, want]) => {
          const ok = got.get(claim) === want;
          return (
            `<li class="${ok ? 'ok' : 'miss'}">${ok ? '\u2713' : '\u2717'} <code>${escapeHtml(claim)}</code>: ` +
            `expected ${badge(want)}, your run ${got.has(claim) ? badge(got.get(claim)!) : 'not judged'}</li>`
          );
        });
        const allOk = Object.entries(e.expect).every(([claim, want]) => got.get(claim) === want);
        outcome =
          `<ul class="outcome" data-exercise-outcome="${allOk ? 'as-expected' : 'different'}">${checks.join('')}</ul>` +
          `<p>${e.answerHtml}</p>`;
      }
      return (
        `<li class="exercise" data-exercise="${escapeHtml(e.id)}"><p>${e.questionHtml}</p>` +
        `<button type="button" data-run-exercise="${escapeHtml(e.id)}">Run this</button> ` +
        `<span class="muted small">arm ${escapeHtml(e.run.arm)}, widths ${e.run.widths.join(', ')}, ` +
        `${e.run.seeds} seeds (${e.run.widths.length * e.run.seeds} cells)</span>${outcome}</li>`
      );
    })
    .join('');
}

exercisesBox.addEventListener('click', (ev) => {
  const id = (ev.target as HTMLElement).dataset.runExercise;
  if (!id || current?.running) return;
  const e = selectedTheorem().exercises.find((x) => x.id === id)!;
  armSelect.value = e.run.arm;
  fillWidths(e.run.widths);
  seedsInput.value = String(e.run.seeds);
  freshInput.checked = false;
  fillSettings();
  void run(undefined, e);
});

theoremSelect.addEventListener('change', () => {
  fillArms();
  fillWidths();
  fillSettings();
  render();
});
armSelect.addEventListener('change', () => {
  fillWidths();
  render();
});
runButton.addEventListener('click', () => void run());
cancelButton.addEventListener('click', cancel);

// ---- start: the address hook ?theorem=ID&arm=ARM&width=N&seed=S&run=1 (and set-NAME=VALUE for a setting) --------

fillTheorems();
const params = new URLSearchParams(location.search);
const asked = params.get('theorem');
if (asked && data.theorems.some((t) => t.id === asked)) theoremSelect.value = asked;
fillArms();
const askedArm = params.get('arm');
if (askedArm && selectedTheorem().arms.some((a) => a.name === askedArm)) armSelect.value = askedArm;
const askedWidth = Number(params.get('width'));
fillWidths(Number.isInteger(askedWidth) && askedWidth >= 0 && params.has('width') ? [askedWidth] : undefined);
const askedSettings: Settings = {};
for (const [key, value] of params)
  if (key.startsWith('set-')) askedSettings[key.slice(4)] = value === 'true' ? true : value === 'false' ? false : value;
fillSettings({ ...selectedTheorem().plan.settings, ...askedSettings });
setState('idle');
render();
if (params.get('run') === '1') {
  const seed = Number(params.get('seed') ?? 0);
  if (!params.has('width') || !Number.isInteger(askedWidth) || !Number.isInteger(seed) || seed < 0)
    status.textContent = 'The address needs width=N and seed=S (non-negative integers) with run=1.';
  else void run({ arm: armSelect.value, width: askedWidth, seed });
}
