/**
 * npm run bench:quadrature
 * Milliseconds per Gram entry (the two moments E[phi phi] and E[phi' phi'] of one layer) of the quadrature route,
 * for activations without a closed form, across the variance of the pre-activations and their correlation.
 * Variance q = sigma_w^2 |x|^2 / d + sigma_b^2 at the first layer: q = 200 is |x|^2 / d = 100 at sigma_w^2 = 2.
 */
import { parseActivation } from '../src/engine/nets/activations.ts';
import { pairMoments } from '../src/engine/kernels/analytic-kernels.ts';

const variances = [0.02, 0.3, 1, 3, 8, 40, 200];
const correlations = [-0.999, -0.5, 0, 0.3, 0.9, 0.999, 0.999999];
console.log(`ms per entry (two moments), q2 = 1.1 q; worst and median over correlations ${correlations.join(', ')}`);
console.log('activation  ' + variances.map((q) => `q=${q}`.padStart(14)).join(''));
for (const name of ['tanh', 'gelu']) {
  const activation = parseActivation(name);
  let cells: string[] = [];
  // Three passes (the first compiles the code); the last is printed.
  for (let pass = 0; pass < 3; pass++) {
    cells = [];
    for (const q of variances) {
      pairMoments(activation, q, 1.1 * q, 0.1 * q); // second moments memoised, code warmed
      const times = correlations.map((rho) => {
        const start = performance.now();
        pairMoments(activation, q, 1.1 * q, rho * q * Math.sqrt(1.1));
        return performance.now() - start;
      });
      times.sort((a, b) => a - b);
      cells.push(`${times.at(-1)!.toFixed(1)} / ${times[times.length >> 1]!.toFixed(1)}`.padStart(14));
    }
  }
  console.log(name.padEnd(12) + cells.join(''));
}
