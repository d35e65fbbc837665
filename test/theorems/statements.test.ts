/** Tests: every built-in statement is consistent with its plans, found by id, and free of control characters. */
import { describe, expect, it } from 'vitest';
import { figureArms } from '../../src/verify/claims.ts';
import { FIDELITIES, armWidths } from '../../src/verify/experiment.ts';
import { findTheorem, theorems } from '../../theorems/index.ts';

describe.each(theorems.map((t) => [t.statement.id, t] as const))('statement %s', (_id, t) => {
  const s = t.statement;
  it('every claim names known hypotheses, a source and TeX', () => {
    const ids = new Set(s.hypotheses.map((h) => h.id));
    for (const c of s.claims) {
      for (const h of c.hypotheses) expect(ids, `${c.id} uses ${h}`).toContain(h);
      expect(c.tex.length).toBeGreaterThan(0);
      expect(c.source.length).toBeGreaterThan(0);
    }
    expect(new Set(s.claims.map((c) => c.id)).size).toBe(s.claims.length);
  });
  it.each([...FIDELITIES])('every claim and ablation arm runs at %s fidelity', (fidelity) => {
    const plan = t.plan(fidelity);
    for (const c of s.claims) expect(plan.arms).toContain(c.arm);
    for (const a of s.ablations) {
      expect(plan.arms).toContain(a.arm);
      expect(
        s.claims.some((c) => c.arm === a.baseArm),
        `${a.id} has claims to re-evaluate`,
      ).toBe(true);
      for (const h of a.violates) expect(s.hypotheses.map((x) => x.id)).toContain(h);
    }
    for (const arm of plan.arms) expect(armWidths(plan, arm).length).toBeGreaterThan(0);
  });
  it('is found by id', () => expect(findTheorem(s.id)).toBe(t));
  it('names in words every arm a plot draws, every measured observable and every forest row (issue 24)', () => {
    const drawn = new Set([
      ...s.claims.flatMap((c) => (c.kind === 'rate' || c.kind === 'limit' ? [c.arm] : [])),
      ...s.ablations.map((a) => a.arm),
      ...(s.figures ?? []).flatMap(figureArms),
    ]);
    expect([...drawn].filter((arm) => s.armLabels?.[arm] === undefined)).toEqual([]);
    const measured = s.claims.flatMap((c) => (c.kind === 'rate' || c.kind === 'limit' ? [c.observable] : []));
    expect(measured.filter((o) => s.observableLabels?.[o] === undefined)).toEqual([]);
    const rows = s.claims.filter((c) => c.kind === 'rate' && c.label === undefined).map((c) => c.id);
    expect(rows).toEqual([]);
    if (rows.length === 0 && s.claims.some((c) => c.kind === 'rate'))
      expect(s.ablations.filter((a) => a.label === undefined).map((a) => a.id)).toEqual([]);
  });
  it('holds no control characters (a TeX backslash lost to a string escape, e.g. a form feed for \\frac)', () => {
    const strings: string[] = [];
    JSON.stringify(s, (_k, v: unknown) => (typeof v === 'string' && strings.push(v), v));
    // eslint-disable-next-line no-control-regex
    expect(strings.filter((x) => /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f]/.test(x))).toEqual([]);
  });
});
