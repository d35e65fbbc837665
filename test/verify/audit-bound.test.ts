/**
 * The audit's bound on a forgery's escape: one minus the smallest inclusion probability of a cell under the actual
 * draw procedure (stratified, budgeted), estimated by simulating it. Checked against the exact inclusion probability
 * of a stratified draw without a budget, and against the cases that are exact by construction.
 */
import { describe, expect, it } from 'vitest';
import { DRAW_SIMULATIONS, forgeryEscapeBound } from '../../src/verify/audit.ts';
import type { Certificate } from '../../src/verify/certificate.ts';
import type { CellResult } from '../../src/verify/experiment.ts';

const cell = (arm: string, width: number, seed: number): CellResult => ({
  arm,
  width,
  seed,
  status: 'ok',
  observation: { q: 1 },
  seconds: 1,
});
// 2 arms x 3 widths x 8 seeds: 6 strata of 8 cells.
const cells = ['a', 'b'].flatMap((arm) =>
  [8, 16, 32].flatMap((w) => Array.from({ length: 8 }, (_, s) => cell(arm, w, s))),
);
const certificate = { cells } as unknown as Certificate;

describe("the audit's bound on any forgery's escape", () => {
  it('a stratified draw of 12 cells takes 2 of each 8-cell stratum: every cell is drawn with probability 1/4', () => {
    const b = forgeryEscapeBound(certificate, { kind: 'random', count: 12, seed: 1 }, () => 1);
    // The least of 48 estimates, each of sd sqrt(3/16 / 400) ~ 0.022: a few sd below 1/4 at worst.
    expect(b.leastCovered!.inclusion).toBeGreaterThan(0.25 - 4 * Math.sqrt(3 / 16 / DRAW_SIMULATIONS));
    expect(b.leastCovered!.inclusion).toBeLessThanOrEqual(0.25);
    expect(b.anyForgery).toBeCloseTo(1 - b.leastCovered!.inclusion, 12);
  });
  it('a budget that no width-32 cell fits leaves those cells undrawn: the bound is 1', () => {
    const b = forgeryEscapeBound(certificate, { kind: 'random', count: 48, seed: 1, budgetSeconds: 100 }, (c) =>
      c.width === 32 ? 1000 : 1,
    );
    expect(b.anyForgery).toBe(1);
    expect(b.leastCovered!.cell).toMatch(/^[ab]\/32\/\d$/);
  });
  it('replaying every cell leaves no escape; naming some leaves the others', () => {
    expect(forgeryEscapeBound(certificate, { kind: 'all' }, () => 1).anyForgery).toBe(0);
    expect(forgeryEscapeBound(certificate, { kind: 'cells', cells: [cells[0]!] }, () => 1).anyForgery).toBe(1);
  });
});

describe("issue 23's forgery of 96 cheap relu cells of ntk-constancy", () => {
  it('is caught by every default audit: each default draw replays a cell of every forged stratum', async () => {
    const { readCertificate } = await import('../../src/verify/certificate.ts');
    const { chooseReplayCells, DEFAULT_BUDGET_SECONDS, replayCost, strataOf } =
      await import('../../src/verify/audit.ts');
    const { check } = await import('../../theorems/ntk-constancy/check.ts');
    const cert = readCertificate(new URL('../../proofs-numeric/ntk-constancy.json', import.meta.url).pathname);
    // The forgery: every relu cell at widths 512-2048 (3 strata of 32, the cheapest relu cells), its recorded
    // seconds inflated a millionfold; draws read the theorem's cost model, never the recorded seconds.
    const forged = new Set(
      cert.cells.filter((c) => c.arm === 'relu' && c.width <= 2048).map((c) => `${c.arm}/${c.width}/${c.seed}`),
    );
    expect(forged.size).toBe(96);
    const inflated = {
      ...cert,
      cells: cert.cells.map((c) => (forged.has(`${c.arm}/${c.width}/${c.seed}`) ? { ...c, seconds: 1e6 } : c)),
    };
    const cost = replayCost(check, inflated);
    for (let seed = 0; seed < 200; seed++) {
      const drawn = chooseReplayCells(
        inflated,
        { kind: 'random', count: strataOf(inflated).length, seed, budgetSeconds: DEFAULT_BUDGET_SECONDS },
        cost,
      );
      expect(drawn.some((c) => forged.has(`${c.arm}/${c.width}/${c.seed}`))).toBe(true);
    }
  });
});
