/**
 * Tests: a report never renders what a certificate says of itself without its static audit (issue 24's hostile
 * certificates): script in verdict fields, a claim the statement lacks, a relabelled fidelity, a missing folder.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const ORIGINAL = readFileSync('proofs-numeric/overparam-convergence.json', 'utf8');
const PAYLOAD = '<img src=x onerror=alert(1)>';

async function reportOf(edit: (cert: Record<string, any>) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'tdlv-hostile-report-'));
  mkdirSync(join(dir, 'certs'));
  const cert = JSON.parse(ORIGINAL);
  edit(cert);
  writeFileSync(join(dir, 'certs', 'overparam-convergence.json'), JSON.stringify(cert));
  const r = await runCli(['report', '--certificates', join(dir, 'certs'), '--out', join(dir, 'out')]);
  const page = r.code === 0 ? readFileSync(join(dir, 'out', 'overparam-convergence.html'), 'utf8') : '';
  const index = r.code === 0 ? readFileSync(join(dir, 'out', 'index.html'), 'utf8') : '';
  return { r, page, index };
}

describe('hostile certificates in tdlv report', () => {
  it('the honest certificate is rendered with its findings first', async () => {
    const { r, page } = await reportOf(() => {});
    expect(r.code).toBe(0);
    expect(page).toContain('<h2>Findings</h2>');
    expect(page).not.toContain('fails its static audit');
  }, 60_000);
  it.each([
    ['script in a verdict', (c: Record<string, any>) => (c.evaluation.verdicts[0].verdict = PAYLOAD)],
    ['script in a reason', (c: Record<string, any>) => (c.evaluation.verdicts[0].reason = PAYLOAD)],
    ['a claim the statement lacks', (c: Record<string, any>) => (c.evaluation.verdicts[0].claim = 'no-such-claim')],
    ['a relabelled fidelity', (c: Record<string, any>) => (c.fidelity = 'quick')],
  ])(
    '%s: the page says the certificate fails its static audit and shows none of it',
    async (_, edit) => {
      const { r, page, index } = await reportOf(edit);
      expect(r.code).toBe(0);
      expect(page).toContain('fails its static audit, so nothing of it is shown');
      expect(page).not.toContain('<img');
      expect(index).toContain('fails its static audit');
    },
    60_000,
  );
  it('a certificates folder that does not exist is one line, exit 2', async () => {
    const r = await runCli([
      'report',
      '--certificates',
      '/nonexistent/certs',
      '--out',
      mkdtempSync(join(tmpdir(), 'x-')),
    ]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--certificates: got "\/nonexistent\/certs"; expected a folder of certificates/);
  });
});
