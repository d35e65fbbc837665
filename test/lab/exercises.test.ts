/** Tests: the lab's guided exercises are consistent with their theorems and their expectations hold on the
 * certificates' own cells (the cells the lab reproduces bit for bit at the same addresses). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exerciseProblems, exerciseVerdicts, offeredWidths } from '../../src/lab/exercise.ts';
import { bestCertificate } from '../../src/report/audited.ts';
import { LAB_THEOREMS } from '../../theorems/lab.ts';
import { theorems } from '../../theorems/index.ts';

const root = join(import.meta.dirname, '..', '..');

describe('lab exercises', () => {
  it('name arms of the full plan and claims judged on them', () => {
    for (const t of LAB_THEOREMS) expect(exerciseProblems(t.check, t.exercises)).toEqual([]);
    for (const t of LAB_THEOREMS) expect(t.exercises.length).toBeGreaterThanOrEqual(2);
  });

  it('are the checks of the registry (the lab runs the very modules verify runs)', () => {
    for (const t of LAB_THEOREMS) expect(theorems).toContain(t.check);
  });

  it('catch a claim that is not judged on the arm, and an unknown arm', () => {
    const t = LAB_THEOREMS[0]!;
    const bad = [
      { ...t.exercises[0]!, expect: { 'change-smooth-erf': 'supported' as const } },
      { ...t.exercises[0]!, id: 'x', run: { arm: 'sigmoid', widths: [512], seeds: 1 } },
    ];
    const problems = exerciseProblems(t.check, bad);
    expect(problems[0]).toMatch(/claim change-smooth-erf is not judged on arm tanh/);
    expect(problems[1]).toMatch(/arm sigmoid is not an arm of the full plan/);
  });

  it("give their expected verdicts on the certificate's cells", () => {
    for (const t of LAB_THEOREMS) {
      const cert = bestCertificate(join(root, 'proofs-numeric'), t.check.statement.id)!;
      expect(cert.fidelity).toBe('full');
      for (const e of t.exercises) {
        const available = cert.cells.filter(
          (c) =>
            c.arm === e.run.arm &&
            e.run.widths.includes(c.width) &&
            c.seed >= (cert.plan.firstSeed ?? 0) &&
            c.seed < (cert.plan.firstSeed ?? 0) + e.run.seeds,
        );
        // Every cell of the run is a certificate cell: the expectation is checked on exactly the run.
        expect(available.length, `${t.check.statement.id}/${e.id}`).toBe(e.run.widths.length * e.run.seeds);
        const got = exerciseVerdicts(t.check, e, cert.cells, cert.plan);
        for (const [claim, verdict] of Object.entries(e.expect))
          expect(got[claim], `${t.check.statement.id}/${e.id}: ${claim}`).toBe(verdict);
      }
    }
  });

  it('offers halvings below the smallest width, and only the plan on a size axis', () => {
    const plan = LAB_THEOREMS[0]!.check.plan('full');
    expect(offeredWidths(plan, 'tanh', false)).toEqual([128, 256, 512, 1024, 2048, 4096, 8192]);
    expect(offeredWidths(plan, 'tanh', true)).toEqual([512, 1024, 2048, 4096, 8192]);
  });
});
