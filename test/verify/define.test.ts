/** Tests: defineTheorem: the contract between a statement and its plan, checked before anything runs. */
import { describe, expect, it } from 'vitest';
import { fitRate } from '../../src/stats/rate-fit.ts';
import { contractErrors, defineTheorem } from '../../src/verify/define.ts';
import { judge, perArmPlan, type TheoremCheck } from '../../src/verify/experiment.ts';
import type { PeakClaim, RateClaim, TheoremStatement } from '../../src/verify/claims.ts';
import { theorems } from '../../theorems/index.ts';
import { rateVerdict } from '../../src/verify/verdicts.ts';

const claim: RateClaim = {
  kind: 'rate',
  id: 'c',
  title: 't',
  tex: 'x',
  hypotheses: ['h'],
  source: 's',
  theorem: true,
  standing: 'conjecture',
  arm: 'a',
  observable: 'o',
  mode: 'upper',
  exponent: -1,
  tol: 0.15,
};
const { mode: _m, exponent: _e, tol: _t, kind: _k, ...base } = claim;
const statement: TheoremStatement = {
  id: 'mine',
  title: 't',
  summary: 's',
  sources: [],
  hypotheses: [{ id: 'h', text: 'h' }],
  conventions: '',
  claims: [claim],
  ablations: [],
  experiment: '',
};
const module = (s: Partial<TheoremStatement>, extra: Partial<TheoremCheck> = {}): TheoremCheck => ({
  statement: { ...statement, ...s },
  plan: (f) => perArmPlan(f, { a: { widths: [8, 16, 32], seeds: 3 } }),
  cellModule: 'file:///x.js',
  cell: () => ({ observation: {} }),
  cellVersion: '1',
  ...extra,
});

describe('defineTheorem: the contract between a statement and its plan, checked before anything runs', () => {
  it('every built-in theorem keeps it (they are made by defineTheorem too)', () => {
    for (const t of theorems) expect(contractErrors(t), t.statement.id).toEqual([]);
  });
  it('every built-in ablation says why it should break its claim (optional for users, the rule for built-ins)', () => {
    const without = theorems.flatMap((t) => t.statement.ablations.filter((a) => !a.why).map((a) => a.id));
    expect(without).toEqual([]);
  });
  it.each<[string, TheoremCheck, RegExp]>([
    [
      'a claim on an arm the plan lacks',
      module({ claims: [{ ...claim, arm: 'b' }] }),
      /claim c names arm b, which the smoke plan lacks/,
    ],
    [
      'an unknown hypothesis',
      module({ claims: [{ ...claim, hypotheses: ['nope'] }] }),
      /claim c depends on hypothesis nope/,
    ],
    ['a claim defined twice', module({ claims: [claim, claim] }), /claim c is defined twice/],
    [
      'a peak at no setting',
      module({ claims: [{ ...base, kind: 'peak', at: 12 } satisfies PeakClaim] }),
      /puts its peak at 12/,
    ],
    [
      'a computed claim without an evaluator',
      module({ claims: [{ ...base, kind: 'computed' }] }),
      /claim c of kind computed needs a judge of the theorem's own \(judges\)/,
    ],
    [
      'an ablation of a missing arm',
      module({ ablations: [{ id: 'x', title: 'x', violates: ['h'], baseArm: 'a', arm: 'z', description: '' }] }),
      /ablation x names arm z/,
    ],
    [
      'an ablation pointing at a plot that does not draw its arm (the measurement plot of a claim on the base arm)',
      module(
        {
          ablations: [{ id: 'x', title: 'x', violates: ['h'], baseArm: 'a', arm: 'b', description: '', shownIn: 'o' }],
        },
        { plan: (f) => perArmPlan(f, { a: { widths: [8, 16, 32], seeds: 3 }, b: { widths: [8, 16], seeds: 2 } }) },
      ),
      /ablation x: shownIn: got "o", expected the title of a figure that draws arm b .*\(there is none\)/,
    ],
    [
      'a figure of a missing arm',
      module({
        figures: [
          {
            kind: 'curves',
            title: 'f',
            xLabel: 'x',
            yLabel: 'y',
            logX: false,
            logY: false,
            series: [{ label: 'l', arm: 'q', observable: 'o', factor: 1 }],
          },
        ],
      }),
      /figure "f" names arm q/,
    ],
    [
      'a cell module that is not a URL',
      module({}, { cellModule: './x.ts' }),
      /cellModule: got "\.\/x\.ts", expected the URL of the module exporting this check/,
    ],
    [
      'a rate mode outside its set (it used to build no test and pass)',
      module({ claims: [{ ...claim, mode: 'below' as never }] }),
      /^theorem mine: claim c: mode: got "below", expected one of "upper" \| "lower" \| "tight" \| "vanishes"$/,
    ],
    [
      'an unknown field',
      module({ claims: [{ ...claim, tolerance: 0.1 } as never] }),
      /^theorem mine: claim c: tolerance: got 0\.1, expected no such field$/,
    ],
    [
      'a missing required field',
      module({ claims: [{ ...base, kind: 'formula', predicted: 'p', relTol: 0.05, exact: true } as never] }),
      /^theorem mine: claim c: relTolReason: got nothing, expected a string$/,
    ],
    [
      'an unknown claim kind',
      module({ claims: [{ ...claim, kind: 'rates' } as never] }),
      /^theorem mine: claim c: kind: got "rates", expected one of "rate" \| "formula"/,
    ],
    [
      'a tolerance that is not positive',
      module({ claims: [{ ...claim, tol: 0 }] }),
      /^theorem mine: claim c: tol: got 0, expected a number > 0$/,
    ],
    [
      'a plan with a fractional width',
      module({}, { plan: (f) => perArmPlan(f, { a: { widths: [8, 16.5, 32], seeds: 3 } }) }),
      /^theorem mine: plan\('smoke'\): armPlans\.a\.widths\[1\]: got 16\.5, expected an integer/,
    ],
    [
      'a judge keyed by no claim of the statement',
      module({}, { judges: { d: judge('rate', () => ({}) as never) } }),
      /^theorem mine: judges: d: got a judge, expected a claim id of the statement \(c\)$/,
    ],
    [
      'a judge of another kind than its claim',
      module({}, { judges: { c: judge('formula', () => ({}) as never) } }),
      /^theorem mine: judges: c: got a judge for formula claims, expected one for rate claims$/,
    ],
    [
      'an unknown field of the check (a misspelt evaluateClaim)',
      module({}, { evaluateClaims: () => undefined } as never),
      /^theorem mine: evaluateClaims: got a function, expected no such field/,
    ],
    [
      'a phase diagram of an activation tdlv does not have',
      module({
        figures: [
          {
            kind: 'phase-diagram',
            title: 'phases',
            activation: 'softsign',
            sigmaW2: [1, 3],
            sigmaB2: [0, 1],
            points: [{ label: 'p', sigmaW2: 2, sigmaB2: 0.1, arms: ['a'] }],
          },
        ],
      }),
      /^theorem mine: figure "phases": activation: got "softsign", expected an activation name tdlv kernel accepts/,
    ],
    [
      'a sweep map with fewer observables than multiples',
      module({
        figures: [
          {
            kind: 'sweep-map',
            title: 'region',
            arm: 'a',
            x: { label: 'x', observable: 'o', log: false },
            y: { label: 'depth', multiples: [1, 2], observables: ['o'] },
            success: { label: 'it trains', atMost: 0.5 },
          },
        ],
      }),
      /^theorem mine: figure "region": y: got 2 multiples and 1 observables, expected one observable per multiple/,
    ],
    [
      'a plan that throws',
      module(
        {},
        {
          plan: () => {
            throw new Error('no plan');
          },
        },
      ),
      /plan\('smoke'\) throws: no plan/,
    ],
  ])('%s: one line naming it', (_, m, pattern) => {
    expect(() => defineTheorem(m)).toThrow(pattern);
    let message = '';
    try {
      defineTheorem(m);
    } catch (error) {
      message = (error as Error).message;
      expect((error as Error).name).toBe('UsageError');
    }
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^theorem mine: /);
  });
  it('a rate rule handed a mode outside its set throws rather than passing with no test', () => {
    const widths = [64, 128, 256, 512];
    const fit = fitRate({ widths, values: widths.map((n) => [1, 1.1, 0.9, 1.05].map((u) => u / n)) });
    expect(() => rateVerdict({ ...claim, mode: 'below' as never }, fit)).toThrow(/unknown rate mode: "below"/);
  });
  it('a consistent module is returned as is', () => {
    const m = module({});
    expect(defineTheorem(m)).toBe(m);
  });
});
