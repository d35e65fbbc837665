/**
 * The theorems the lab runs in a browser (issue 28), with their guided exercises. Static imports, unlike the registry's
 * lazy ones: the lab's worker is one bundle (src/lab/bundle.ts) and holds exactly these checks.
 */
import type { LabTheorem } from '../src/lab/exercise.ts';
import { check as ntkConstancy } from './ntk-constancy/check.ts';
import { exercises as ntkConstancyExercises } from './ntk-constancy/exercises.ts';
import { check as nngp } from './nngp-correspondence/check.ts';
import { exercises as nngpExercises } from './nngp-correspondence/exercises.ts';
import { check as linearization } from './linearization/check.ts';
import { exercises as linearizationExercises } from './linearization/exercises.ts';
import { check as regimes } from './regimes/check.ts';
import { exercises as regimesExercises } from './regimes/exercises.ts';
import { check as signalPropagation } from './signal-propagation/check.ts';
import { exercises as signalPropagationExercises } from './signal-propagation/exercises.ts';

export const LAB_THEOREMS: readonly LabTheorem[] = [
  { check: ntkConstancy, exercises: ntkConstancyExercises },
  { check: nngp, exercises: nngpExercises },
  { check: linearization, exercises: linearizationExercises },
  { check: regimes, exercises: regimesExercises },
  { check: signalPropagation, exercises: signalPropagationExercises },
];

/**
 * One certificate cell of each lab theorem whose reproduction in a browser is measured (test/lab/lab-browser.test.ts,
 * npm run bench:lab): the ntk-constancy tanh cell at width 512 first, then a cheap cell of each other theorem.
 */
export const REPRODUCTION_CELLS: readonly { theorem: string; arm: string; width: number; seed: number }[] = [
  { theorem: 'ntk-constancy', arm: 'tanh', width: 512, seed: 0 },
  { theorem: 'nngp-correspondence', arm: 'relu-L2', width: 128, seed: 1002 },
  { theorem: 'linearization', arm: 'tanh', width: 256, seed: 5001 },
  { theorem: 'regimes', arm: 'mean-field', width: 256, seed: 1000 },
  { theorem: 'signal-propagation', arm: 'chaotic', width: 64, seed: 1000 },
];
