/** Tests: Kubernetes manifests (Indexed Job of shards, merge Job, shared volume). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard } from '../../src/verify/shard.ts';

const dir = join(import.meta.dirname, '..', '..', 'scale-out');

/**
 * No cluster here: the manifests are checked for what the scale-out depends on, and each container's command line is
 * run by sh with the variables Kubernetes sets (tdlv replaced by echo) to see the shard and merge arguments it makes.
 */
describe('Kubernetes manifests (Indexed Job of shards, merge Job, shared volume)', () => {
  const sweep = readFileSync(join(dir, 'kubernetes', 'sweep.yaml'), 'utf8');
  const merge = readFileSync(join(dir, 'kubernetes', 'merge.yaml'), 'utf8');
  const command = (yaml: string) => /- exec node \/opt\/tdlv\/bin\/tdlv\.js (.*)$/m.exec(yaml)![1]!;
  const env = (yaml: string) =>
    Object.fromEntries(
      [...yaml.matchAll(/\{ name: (\w+), value: "?([^"}]+?)"? \}/g)].map((m) => [m[1]!, m[2]!.trim()]),
    );

  it(
    'the sweep is an Indexed Job whose completions equal SHARDS, and each index becomes ' + '--shard index+1/SHARDS',
    () => {
      expect(sweep).toMatch(/completionMode: Indexed/);
      const vars = env(sweep);
      expect(Number(/completions: (\d+)/.exec(sweep)![1])).toBe(Number(vars.SHARDS));
      for (const index of [0, 7]) {
        const out = execFileSync('sh', ['-c', `echo ${command(sweep)}`], {
          env: { ...process.env, ...vars, JOB_COMPLETION_INDEX: String(index) },
          encoding: 'utf8',
        }).trim();
        const shard = /--shard (\S+)/.exec(out)![1]!;
        expect(parseShard(shard)).toEqual({ index: index + 1, count: Number(vars.SHARDS) });
        expect(out).toContain('--checkpoints /work/runs');
      }
    },
  );
  it(
    'the merge reads the same checkpoints and theorem, both mount the shared claim, and ' +
      'the image is built from the Dockerfile',
    () => {
      const out = execFileSync('sh', ['-c', `echo ${command(merge)}`], {
        env: { ...process.env, ...env(merge) },
        encoding: 'utf8',
      }).trim();
      expect(out).toBe(
        `merge ${env(sweep).THEOREM} --fidelity ${env(sweep).FIDELITY} --checkpoints ` +
          `/work/runs --out /work/proofs-numeric`,
      );
      for (const yaml of [sweep, merge]) expect(yaml).toMatch(/claimName: tdlv-work/);
      expect(readFileSync(join(dir, 'kubernetes', 'volume.yaml'), 'utf8')).toMatch(
        /name: tdlv-work[\s\S]*ReadWriteMany/,
      );
      const docker = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      expect(docker).toMatch(/RUN npm ci/);
      expect(docker).toMatch(/ENTRYPOINT \["node", "\/opt\/tdlv\/bin\/tdlv\.js"\]/);
    },
  );
});
