/** ntk-constancy: the lab's guided exercises (src/lab/exercise.ts). Each run's expected verdicts hold on the
 * certificate's own cells (test/lab/exercises.test.ts). */
import type { LabExercise } from '../../src/index.ts';

export const exercises: readonly LabExercise[] = [
  {
    id: 'kernel-change-rate',
    question:
      'Train tanh networks at widths 512, 1024, 2048 and 4096 with 5 seeds each (about 4 minutes). Does the tangent ' +
      'kernel stop moving as the width grows, and does its change halve with every doubling of n?',
    run: { arm: 'tanh', widths: [512, 1024, 2048, 4096], seeds: 5 },
    expect: { 'change-vanishes': 'supported', 'change-lee-bound': 'supported', 'change-smooth-tanh': 'inconclusive' },
    answer:
      'The change vanishes and falls at least like n^-1/2 (Jacot et al., Lee et al.): both are ' +
      'supported. The measured ' +
      'slope sits near -0.9, but 20 networks give an interval too wide to place it within 0.15 of -1, so the smooth ' +
      'rate n^-1 is inconclusive here; the certificate (32 seeds, widths to 8192) supports it. Halving per doubling ' +
      'is a slope of -1 on this plot.',
  },
  {
    id: 'relu-breaks-smoothness',
    question:
      'Break a hypothesis: the n^-1 rate needs a smooth activation. Run the relu arm at widths 512-4096 with 8 seeds ' +
      '(about 6 minutes). Which claim of the tanh arm fails on relu, and which survive?',
    run: { arm: 'relu', widths: [512, 1024, 2048, 4096], seeds: 8 },
    expect: { 'change-smooth-tanh': 'refuted', 'change-vanishes': 'supported', 'change-lee-bound': 'supported' },
    answer:
      "relu's kink at 0 makes the second derivative a delta: neurons whose pre-activation crosses 0 change the " +
      'kernel by O(1) each, and the change falls only like n^-0.7. The n^-1 claim is refuted; the kernel still ' +
      'stops moving (o(1)) and the n^-1/2 bound, which needs only a Lipschitz derivative, still holds.',
  },
  {
    id: 'standard-parametrization-diverges',
    question:
      'Train in the standard parametrization with one learning rate for every width (the rate that suits width 512) ' +
      'at widths 512, 1024 and 2048, 5 seeds (about a minute). What happens at width 2048?',
    run: { arm: 'tanh-standard', widths: [512, 1024, 2048], seeds: 5 },
    expect: { 'change-vanishes': 'invalid' },
    answer:
      'In the standard parametrization the largest eigenvalue of the tangent kernel grows like n, so a fixed rate ' +
      'that is stable at 512 exceeds 2/lambda_max at larger widths and gradient descent diverges. No rate can be ' +
      'judged (invalid): the NTK parametrization, or a rate scaled like 1/n, is a hypothesis of the theorem.',
  },
];
