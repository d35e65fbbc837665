/** `tdlv new`: a runnable theorem module (and a tsconfig.json) to start from. */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { defineCommand } from './args.ts';
import { theoremSkeleton, USER_TSCONFIG } from './skeleton.ts';

/** `tdlv new <id>`: a complete, runnable theorem module in the current folder (and a tsconfig.json when none exists).
 * */
export const newCommand = defineCommand({
  name: 'new',
  summary: 'write a runnable theorem module to start from (my-claim.ts), and a tsconfig.json where none exists',
  usage: `tdlv new <id> [--dir .]

Writes <dir>/<id>.ts: a statement with one rate claim (the empirical NTK of a relu network at initialization is within
O(n^-1/2) of its infinite-width limit), its plans and its cell function, ready for
  npx tdlv check ./<id>.ts       (validate the statement and plans, type-check where TypeScript is installed)
  npx tdlv verify ./<id>.ts --fidelity smoke
and a tsconfig.json beside it when the folder has none. The id is lowercase letters, digits and dashes.`,
  options: { dir: { type: 'string', default: '.' } },
  async run({ values, positionals }, io) {
    const [id, extra] = positionals;
    if (extra !== undefined) throw new UsageError('new', extra, 'one theorem id');
    if (id === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(id))
      throw new UsageError('new', id, 'a theorem id of lowercase letters, digits and dashes (e.g. my-claim)');
    const dir = resolve(values.dir!);
    if (!existsSync(dir)) throw new UsageError('--dir', values.dir, 'an existing folder');
    const file = join(dir, `${id}.ts`);
    if (existsSync(file)) throw new UsageError('new', id, `an id whose module does not exist yet (${file} does)`);
    writeFileSync(file, theoremSkeleton(id));
    io.out(`wrote ${file}`);
    const tsconfig = join(dir, 'tsconfig.json');
    if (!existsSync(tsconfig)) {
      writeFileSync(tsconfig, USER_TSCONFIG);
      io.out(`wrote ${tsconfig}`);
    }
    io.out(`next: npx tdlv check ./${id}.ts && npx tdlv verify ./${id}.ts --fidelity smoke`);
    return 0;
  },
});
