/**
 * preActivations, the entry point of a signal-propagation theorem: per-layer pre-activations of a real network against
 * the NNGP recursion (an independent route: the analytic kernel of the layer below), on hard inputs (large norms,
 * parallel and antipodal points), at depth 4, and the readout equal to the network's own forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernelsByDepth } from '../../src/engine/kernels/analytic-kernels.ts';
import { disposeMlp, forward, initMlp, preActivations } from '../../src/engine/nets/mlp.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();

const x = [3, -1, 2, 0.5];
const X = [x, x.map((v) => 2 * v), x.map((v) => -v), [0.1, 0.2, -0.3, 0.05], [10, 0, -10, 5]];

describe('preActivations: per-layer pre-activations of a network', () => {
  it.each(['relu', 'tanh', 'erf'])(
    '%s, depth 4, width 4096: the second-moment matrix over units of z^l matches Sigma^l from the recursion',
    (name) => {
      const activation = parseActivation(name);
      const spec = {
        inputDim: 4,
        widths: [4096, 4096, 4096, 4096],
        outputDim: 1,
        activation,
        sigmaW2: 2,
        sigmaB2: 0.1,
      };
      const net = initMlp({ ...spec, parametrization: 'ntk' }, { experiment: 'pre-activations', width: 4096, seed: 0 });
      const { pre, out } = preActivations(net, X);
      const direct = tf.tidy(() => forward(net, tf.tensor2d(X)).out.arraySync());
      disposeMlp(net);
      expect(out).toEqual(direct);
      expect(pre).toHaveLength(4);
      const byDepth = analyticKernelsByDepth(X, { activation, depth: 3, sigmaW2: 2, sigmaB2: 0.1 });
      for (let l = 1; l < 4; l++) {
        const z = pre[l]!;
        expect(z).toHaveLength(X.length);
        expect(z[0]).toHaveLength(4096);
        const Sigma = byDepth[l - 1]!.nngp; // the output kernel of a depth-l network is Sigma^{l+1}
        for (let i = 0; i < X.length; i++)
          for (let j = 0; j <= i; j++) {
            const m = z[i]!.reduce((s, v, k) => s + v * z[j]![k]!, 0) / 4096;
            // The mean over n conditionally iid units, and the kernel of the layer below, each fluctuate at relative
            // sqrt(2/n) of the diagonal scale: 4 combined sds, with l layers of accumulated fluctuation.
            const scale = Math.sqrt(Sigma[i]![i]! * Sigma[j]![j]!);
            expect(Math.abs(m - Sigma[i]![j]!) / scale, `${name} l=${l + 1} (${i},${j})`).toBeLessThan(
              4 * Math.sqrt((2 * (l + 1)) / 4096),
            );
          }
      }
    },
    60_000,
  );
});
