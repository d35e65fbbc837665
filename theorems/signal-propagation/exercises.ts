/** signal-propagation: the lab's guided exercises (src/lab/exercise.ts). Each run's expected verdicts hold on the
 * certificate's own cells (test/lab/exercises.test.ts). */
import type { LabExercise } from '../../src/index.ts';

export const exercises: readonly LabExercise[] = [
  {
    id: 'correlation-map',
    question:
      'Propagate two inputs through deep tanh networks in the chaotic phase at widths 64-1024 with 16 ' +
      'seeds (seconds). ' +
      'Does the layer-to-layer correlation follow the mean-field map, with a finite-width error that falls like 1/n?',
    run: { arm: 'chaotic', widths: [64, 128, 256, 512, 1024], seeds: 16 },
    expect: { 'correlation-map': 'supported' },
    answer:
      'Yes: the squared deviation of the empirical correlation from the map falls at least like n^-1 (Poole et al.; ' +
      'Schoenholz et al.). The deterministic map is the infinite-width limit; 1/n is the size of the fluctuation.',
  },
  {
    id: 'cauchy-weights',
    question:
      'Break a hypothesis: Cauchy weights, widths 64-2048, 16 seeds (about a minute and a half). ' +
      'Does the correlation ' +
      'still follow the map?',
    run: { arm: 'cauchy', widths: [64, 128, 256, 512, 1024, 2048], seeds: 16 },
    expect: { 'correlation-map': 'refuted' },
    answer:
      'No: with infinite-variance weights the pre-activations are not Gaussian, the map derived for Gaussian fields ' +
      'does not apply, and the deviation stops falling with width. With fewer seeds the heavy tails make the verdict ' +
      'inconclusive: try 8 seeds to see how much the tails cost.',
  },
];
