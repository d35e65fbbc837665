/** nngp-correspondence: the lab's guided exercises (src/lab/exercise.ts). Each run's expected verdicts hold on the
 * certificate's own cells (test/lab/exercises.test.ts). */
import type { LabExercise } from '../../src/index.ts';

export const exercises: readonly LabExercise[] = [
  {
    id: 'gaussian-limit',
    question:
      'Sample 1000 deep tanh networks (4 hidden layers, with biases) per cell at widths 8, 32 and ' +
      '128, 5 seeds (a few ' +
      'seconds). Does the covariance of their outputs approach the NNGP kernel?',
    run: { arm: 'tanh-L4-b', widths: [8, 32, 128], seeds: 5 },
    expect: { 'covariance-limit': 'supported' },
    answer:
      'Yes: the relative error of the empirical covariance against the NNGP recursion falls below the 2% margin. ' +
      'This rule pools every arm of the plan (24 activations, depths and bias settings): the other arms keep the ' +
      "certificate's cells, and the worst arm at the largest width decides.",
  },
  {
    id: 'cauchy-weights',
    question:
      'Break a hypothesis: draw the weights from a Cauchy distribution (infinite variance) and run widths 8, 32 and ' +
      '128 with 5 seeds (under a second). Is the wide network still a Gaussian process with the NNGP kernel?',
    run: { arm: 'cauchy', widths: [8, 32, 128], seeds: 5 },
    expect: { 'covariance-limit': 'refuted', 'kurtosis-rate': 'refuted' },
    answer:
      'No. The central limit theorem behind the NNGP needs finite variance; with Cauchy weights the sum over neurons ' +
      'converges to a stable, heavy-tailed law, the sample covariance does not settle, and the excess kurtosis does ' +
      'not fall like 1/n: both claims are refuted.',
  },
];
