/** `tdlv hermite`: an activation's Hermite coefficients and the Taylor series of its dual kernels (Mehler). */
import { UsageError, requireNonNegativeInteger } from '../errors.ts';
import { defineCommand } from './args.ts';

/** Terms above this take long by quadrature (each coefficient is an adaptive integral of a degree-K oscillation). */
const MAX_TERMS = 400;

export const hermiteCommand = defineCommand({
  name: 'hermite',
  summary: "an activation's Hermite coefficients and the Taylor series of its NNGP and NTK on the sphere (Mehler)",
  usage: [
    'tdlv hermite --activation A [--terms K] [--json]',
    '',
    '  --activation  relu, erf, tanh, gelu, identity, poly1..poly8, expr:... or hermite:a0,a1,... (as tdlv kernel)',
    `  --terms       the highest degree K (0..${MAX_TERMS}; default 12)`,
    '  --json        {"activation", "method", "coefficients", "errors", "nngp", "ntk", "nngpTail", "derivativeTail"}',
    '',
    'phi = sum_k a_k He_k(z) / sqrt(k!) with a_k = E[phi(Z) He_k(Z)] / sqrt(k!), Z ~ N(0, 1): closed forms for relu,',
    "erf and polynomials, adaptive quadrature otherwise (errors: each coefficient's estimated absolute error). By",
    "Mehler's formula, for unit-variance pre-activations at correlation rho: E[phi(u) phi(v)] = sum_k a_k^2 rho^k",
    '(nngp) and the NTK of one hidden layer (sigma_w^2 = 1, no bias) is sum_k (k + 1) a_k^2 rho^k (ntk). The tails',
    "are what the series leave out at rho = 1: E[phi^2] - sum a_k^2 and E[phi'^2] - sum k a_k^2.",
  ].join('\n'),
  options: {
    activation: { type: 'string' },
    terms: { type: 'string', default: '12' },
    json: { type: 'boolean', default: false },
  },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError('hermite', positionals[0], 'no positional arguments');
    if (values.activation === undefined)
      throw new UsageError('--activation', undefined, 'an activation: relu, erf, tanh, gelu, identity, ...');
    const K = requireNonNegativeInteger('--terms', values.terms, MAX_TERMS);
    const { parseActivation } = await import('../engine/nets/activations.ts');
    const { hermiteExpansion } = await import('../engine/kernels/hermite-expansion.ts');
    const { NonFiniteIntegrand } = await import('../numeric/gaussian-quadrature.ts');
    const phi = parseActivation(values.activation);
    let expansion;
    try {
      expansion = hermiteExpansion(phi, K);
    } catch (error) {
      if (error instanceof NonFiniteIntegrand)
        throw new UsageError(
          '--activation',
          values.activation,
          `an activation in L^2 of the Gaussian (${error.message})`,
        );
      throw error;
    }
    if (values.json) {
      io.out(JSON.stringify(expansion));
      return 0;
    }
    const g = (x: number) => (x === 0 ? '0' : x.toExponential(12));
    io.out(`${phi.name}: Hermite coefficients to degree ${K} (${expansion.method})`);
    io.out('   k  a_k                   nngp a_k^2            ntk (k+1) a_k^2');
    expansion.coefficients.forEach((a, k) =>
      io.out(
        `${String(k).padStart(4)}  ${g(a).padEnd(20)}  ${g(expansion.nngp[k]!).padEnd(20)}  ${g(expansion.ntk[k]!)}`,
      ),
    );
    io.out(`  tails at rho = 1: nngp ${g(expansion.nngpTail)}, derivative ${g(expansion.derivativeTail)}`);
    return 0;
  },
});
