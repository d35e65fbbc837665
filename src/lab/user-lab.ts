/**
 * The lab for a user's theorem module (`tdlv report --theorem PATH`): its check, the exercises it exports (optional,
 * `export const exercises: LabExercise[]`, checked like the built-ins'), and a worker bundled from it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importModule, moduleExport } from '../engine/runtime/typescript-loader.ts';
import { TheoremContractError } from '../verify/define.ts';
import type { TheoremCheck } from '../verify/experiment.ts';
import { bundleUserLabWorker } from './bundle.ts';
import { readExercises, type LabTheorem } from './exercise.ts';

export interface UserLab {
  theorems: LabTheorem[];
  /** The worker bundle that runs this theorem's cells. */
  worker: string;
}

/**
 * The module's lab, or why it has none (esbuild missing, or the module does not bundle for a browser). Exercises that
 * do not fit the theorem are the user's mistake: a one-line contract error.
 */
export async function userLab(path: string, check: TheoremCheck): Promise<UserLab | { none: string }> {
  const absolute = resolve(path);
  const mod = await importModule(pathToFileURL(absolute).href);
  const { exercises, problems } = readExercises(check, moduleExport(mod, 'exercises'));
  if (problems.length) throw new TheoremContractError(check.statement.id, problems[0]!, problems);
  try {
    return { theorems: [{ check, exercises }], worker: await bundleUserLabWorker(absolute) };
  } catch (error) {
    return { none: (error as Error).message.split('\n')[0]! };
  }
}
