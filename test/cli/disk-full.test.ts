/**
 * A full disk (a 64 KiB tmpfs, mounted where the suite runs as root, as CI does; skipped where mount is refused):
 * replacing a file keeps the old one whole, and a sweep that fills the disk with its checkpoint stops with one line,
 * keeping the cells already written.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/json.ts';
import { runCli } from '../helpers/cli.ts';

const mountPoint = mkdtempSync(join(tmpdir(), 'tdlv-full-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.log('disk-full tests skipped: mounting a tmpfs was refused (they need root)');
}
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
});

describe.skipIf(!mounted)('a full disk', () => {
  it('writeFileAtomic: ENOSPC is one usage error, the old file is untouched and no temporary file is left', () => {
    const dir = join(mountPoint, 'atomic');
    mkdirSync(dir);
    const path = join(dir, 'cert.json');
    writeFileSync(path, '{"old": true}\n');
    expect(() => writeFileAtomic(path, 'x'.repeat(200_000), '--out')).toThrow(
      /^--out: got ".*cert\.json"; expected a writable disk with free space \(ENOSPC; nothing was overwritten\)$/,
    );
    expect(readFileSync(path, 'utf8')).toBe('{"old": true}\n');
    expect(readdirSync(dir)).toEqual(['cert.json']);
  });

  it('a sweep whose checkpoint fills the disk stops with one line; the cells written so far are kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdlv-full-module-'));
    const module = join(dir, 'theorem.mjs');
    writeFileSync(
      module,
      `const claim = { kind: 'rate', id: 'c', title: 't', tex: 'x', hypotheses: [], source: 's', theorem: true,
  standing: 'conjecture', arm: 'a', observable: 'q', mode: 'upper', exponent: -1, tol: 0.15 };
export function runCell({ cell }) {
  return { ...cell, status: 'ok', observation: { q: 1 / cell.width }, details: 'x'.repeat(12000), seconds: 0 };
}
export const check = {
  statement: { id: 'full-disk', title: 't', summary: '', sources: [], hypotheses: [], conventions: '', claims: [claim],
    ablations: [], experiment: '' },
  plan: (fidelity) => ({ fidelity, arms: ['a'], widths: [8, 16, 32, 64], seeds: 4, settings: {} }),
  cellModule: import.meta.url, cell: runCell, cellVersion: '1',
};
`,
    );
    const checkpoints = join(mountPoint, 'runs');
    const r = await runCli(['verify', module, '--fidelity', 'smoke', '--workers', '1', '--checkpoints', checkpoints]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(
      /--checkpoints: .*expected a writable disk with free space \(ENOSPC; the cells written so far/,
    );
    const lines = readFileSync(join(checkpoints, 'full-disk.smoke.jsonl'), 'utf8').split('\n');
    expect(lines.filter((l) => l.includes('"sha"')).length).toBeGreaterThan(0);
  });
});
