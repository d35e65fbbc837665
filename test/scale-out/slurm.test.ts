/** Tests: Slurm: an array job of shards and a dependent merge job, for a sweep and for its audit. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

/**
 * A real Slurm: a private single-node cluster (munged, slurmctld, slurmd from the Debian packages, started by
 * scale-out/slurm/local-cluster.sh under this test's control), a smoke sweep submitted as a 2-task array with a
 * dependent merge job by scale-out/slurm/submit.sh, and the merged certificate compared with an unsharded run; then
 * that certificate replayed in full by a 2-slice audit array with a merge job (scale-out/slurm/audit.sh).
 */
const root = join(import.meta.dirname, '..', '..');
const scripts = join(root, 'scale-out', 'slurm');
const dir = mkdtempSync(join(tmpdir(), 'tdlv-slurm-'));
const cluster = join(dir, 'cluster');
const theorem = 'overparam-convergence';
const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const programs = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'];

/** The packages, installed when missing and this process may (root with apt-get, as in CI); otherwise why not. */
function slurmMissing(): string | null {
  if (programs.every(has)) return null;
  if (has('apt-get') && process.getuid?.() === 0) {
    spawnSync(
      'sh',
      [
        '-c',
        'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q munge ' +
          'slurmctld slurmd slurm-client',
      ],
      { stdio: 'ignore', timeout: 600_000 },
    );
    if (programs.every(has)) return null;
  }
  return (
    `Slurm is not installed and could not be (missing: ` +
    `${programs.filter((p) => !has(p)).join(', ')}; apt-get install munge slurmctld ` +
    `slurmd slurm-client as root)`
  );
}

/** Wait (up to 5 minutes) until none of the jobs is in the queue. */
async function drained(ids: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const queue = execFileSync('squeue', ['-h', '-j', ids.join(',')], { env, encoding: 'utf8' }).trim();
    if (!queue) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

let env: NodeJS.ProcessEnv | undefined;
afterAll(() => {
  if (env) spawnSync(join(scripts, 'local-cluster.sh'), ['stop', cluster], { stdio: 'ignore' });
});

describe('Slurm: an array job of shards and a dependent merge job', () => {
  it('a 2-task sweep array with a merge job equals an unsharded run; its sharded audit passes', async (ctx) => {
    const missing = slurmMissing();
    if (missing) {
      console.warn(`skipped: ${missing}`);
      ctx.skip();
      return;
    }
    const started = execFileSync(join(scripts, 'local-cluster.sh'), ['start', cluster], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const conf = /SLURM_CONF=(\S+)/.exec(started)![1]!;
    env = {
      ...process.env,
      SLURM_CONF: conf,
      CHECKPOINTS: join(dir, 'runs'),
      OUT: join(dir, 'out'),
      TDLV: `node ` + `${join(root, 'bin', 'tdlv.js')}`,
    };
    const ids = execFileSync(join(scripts, 'submit.sh'), [theorem, 'smoke', '2'], { cwd: dir, env, encoding: 'utf8' })
      .trim()
      .split(/\s+/);
    expect(ids.length).toBe(2);
    await drained(ids, env);
    const logs = readdirSync(dir)
      .filter((f) => f.endsWith('.out'))
      .map((f) => `${f}:\n` + `${readFileSync(join(dir, f), 'utf8').slice(-800)}`)
      .join('\n');
    expect(readdirSync(dir).filter((f) => /^tdlv-shard-\d+_[12]\.out$/.test(f)).length, logs).toBe(2);
    const merged = JSON.parse(readFileSync(join(dir, 'out', `${theorem}.smoke.json`), 'utf8'));
    expect(merged.shards, logs).toBe(2);
    const whole = await runCli([
      'verify',
      theorem,
      '--fidelity',
      'smoke',
      '--workers',
      '2',
      '--checkpoints',
      join(dir, 'whole-runs'),
      '--out',
      join(dir, 'whole'),
      '--json',
    ]);
    expect(whole.code).toBe(0);
    const w = JSON.parse(readFileSync(join(dir, 'whole', `${theorem}.smoke.json`), 'utf8'));
    const strip = (c: { arm: string; width: number; seed: number; status: string; observation: unknown }) => [
      c.arm,
      c.width,
      c.seed,
      c.status,
      c.observation,
    ];
    expect(merged.cells.map(strip)).toEqual(w.cells.map(strip));
    expect(merged.evaluation).toEqual(w.evaluation);
    // The merged certificate audited across the cluster too: a 2-slice replay array and a merge job.
    const audit = execFileSync(join(scripts, 'audit.sh'), [join(dir, 'out', `${theorem}.smoke.json`), '2'], {
      cwd: dir,
      env: { ...env, SHARD_DIR: join(dir, 'audit-runs') },
      encoding: 'utf8',
    })
      .trim()
      .split(/\s+/);
    await drained(audit, env);
    const auditLog = readFileSync(join(dir, `tdlv-audit-merge-${audit[1]}.out`), 'utf8');
    expect(auditLog).toMatch(new RegExp(`replay: ${merged.cells.length} cell\\(s\\) replayed, all reproduce`));
    expect(auditLog).toMatch(/audit passed/);
  }, 600_000);
});
