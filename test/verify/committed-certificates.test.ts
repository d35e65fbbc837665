/**
 * Tests: every committed full certificate passes the audit's static checks (statement, plan, cells, observables, code
 * version, fits and verdicts recomputed from its raw cells), with no cell replayed (replays: `tdlv audit --replay N`).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const certificates = readdirSync('proofs-numeric').filter((f) => f.endsWith('.json') && !f.includes('.smoke.'));

describe('the committed certificates', () => {
  it('are ten', () => expect(certificates).toHaveLength(10));
  it.each(certificates)(
    '%s passes the static audit',
    async (file) => {
      const r = await runCli(['audit', `proofs-numeric/${file}`, '--replay', '0', '--json']);
      const out = JSON.parse(r.out) as { ok: boolean; problems: string[] };
      expect(out.problems).toEqual([]);
      expect(r.code).toBe(0);
    },
    120_000,
  );
});
