/** regimes: the lab's guided exercises (src/lab/exercise.ts). Each run's expected verdicts hold on the certificate's
 * own cells (test/lab/exercises.test.ts). */
import type { LabExercise } from '../../src/index.ts';

export const exercises: readonly LabExercise[] = [
  {
    id: 'mean-field-moves',
    question:
      'Train two-layer networks in the mean-field scaling (readout 1/n) at widths 256-4096 with 5 seeds (a few ' +
      'seconds). Does the tangent kernel still freeze as n grows?',
    run: { arm: 'mean-field', widths: [256, 512, 1024, 2048, 4096], seeds: 5 },
    expect: { 'kernel-moves-mean-field': 'supported' },
    answer:
      'No: its relative change stays Theta(1) at every width (a slope of 0). In the mean-field limit the neurons ' +
      'move by O(1) and the network learns features (Chizat & Bach; Mei, Montanari & Nguyen): the kernel regime is ' +
      'one parametrization, not a law of wide networks.',
  },
  {
    id: 'lazy-or-not',
    question:
      'Now the NTK parametrization at widths 256-2048 with 8 seeds (under a minute). Does the kernel move, and can ' +
      'every parametrization of the plan be put in exactly one class, kernel regime or feature learning?',
    run: { arm: 'ntk', widths: [256, 512, 1024, 2048], seeds: 8 },
    expect: { 'kernel-fixed-ntk': 'supported', dichotomy: 'supported' },
    answer:
      "The NTK-parametrized kernel's change vanishes (o(1)), and with the certificate's cells of the " +
      'other arms (muP, ' +
      'mean-field, standard with a stable rate) the dichotomy of Yang & Hu holds: each is in exactly one class.',
  },
  {
    id: 'mup-features',
    question:
      'Train in muP at widths 256-2048 with 8 seeds (under a minute). Do hidden features and the ' +
      'kernel move by Theta(1)?',
    run: { arm: 'mup', widths: [256, 512, 1024, 2048], seeds: 8 },
    expect: { 'coord-mup': 'supported', 'kernel-moves-mup': 'supported' },
    answer:
      'Yes: in muP the per-coordinate change of the hidden pre-activations after a few steps is ' +
      'Theta(1) (slope 0) and ' +
      'so is the kernel change: maximal feature learning at every width, the property muP is built for.',
  },
  {
    id: 'standard-rate-diverges',
    question:
      'Break a hypothesis: standard parametrization with a rate that does not shrink with the width, at 256, 512 and ' +
      '1024, 5 seeds (a few seconds). What happens?',
    run: { arm: 'sp', widths: [256, 512, 1024], seeds: 5 },
    expect: { 'kernel-fixed-sp-stable': 'invalid' },
    answer:
      'Training diverges (the kernel grows like n under a fixed rate), so the claims made for the stable standard ' +
      'parametrization cannot be judged. Stability needs a rate of order 1/n in SP, which is why SP never learns ' +
      'features at large width.',
  },
];
