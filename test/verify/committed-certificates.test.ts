/**
 * Tests: every committed full certificate passes the audit's static checks (statement, plan, cells, observables, code
 * version, fits and verdicts recomputed from its raw cells), with no cell replayed (replays: `tdlv audit --replay N`).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { statements } from '../../theorems/registry.ts';
import { runCli } from '../helpers/cli.ts';

// Full certificates only: quick and smoke ones are local (.gitignore).
const certificates = readdirSync('proofs-numeric').filter((f) => /^[a-z0-9-]+\.json$/.test(f));

describe('the committed certificates', () => {
  it('are one per built-in theorem', () =>
    expect([...certificates].sort()).toEqual(statements.map((t) => `${t.id}.json`).sort()));
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
