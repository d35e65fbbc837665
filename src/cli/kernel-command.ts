/** `tdlv kernel`: analytic (and empirical) NNGP and NTK of a network at given inputs, as JSON. */
import { parseActivation } from '../engine/nets/activations.ts';
import { analyticKernels } from '../engine/kernels/analytic-kernels.ts';
import { DEFAULT_RELATIVE_TOLERANCE, NonFiniteIntegrand } from '../numeric/gaussian-quadrature.ts';
import { initBackend } from '../engine/runtime/backend.ts';
import { empiricalKernelStats, toMlpSpec, type PlainMlpSpec } from '../engine/kernels/kernel-monte-carlo.ts';
import { relativeFrobenius } from '../numeric/linalg.ts';
import { assertFits } from '../engine/runtime/memory.ts';
import { KERNEL_PARAMETRIZATIONS } from '../engine/nets/mlp.ts';
import { WorkerPool } from '../engine/runtime/pool.ts';
import {
  requireNonNegativeNumber,
  requireOneOf,
  requirePositiveInteger,
  requireNonNegativeInteger,
  UNSIGNED_DECIMAL,
  UsageError,
} from '../errors.ts';
import { defineCommand, POOL_OPTIONS, poolSettings } from './args.ts';
import { readInputs } from './inputs.ts';

const usage =
  `tdlv kernel --inputs X.json --depth L
            --activation relu|erf|tanh|gelu|identity|poly<k>|expr:<formula in z>|hermite:<a_0>,<a_1>,...
            [--sigma-w2 2] [--sigma-b2 0] [--parametrization ntk|standard]
            [--empirical --width 2048 --samples 50 --seed 0] [--workers N] [--backend auto|wasm|node|cpu]
            [--tolerance 1e-10] [--json]

Prints the infinite-width NNGP and NTK of a fully-connected network with L hidden layers and a dense
readout, on the inputs in X.json (a JSON array of input vectors), by the recursion of DESIGN.md
(closed forms for relu and erf; otherwise adaptive Gauss-Kronrod quadrature with error control, accurate to
--tolerance relative to the Cauchy-Schwarz scale of each moment, for any input norm and correlation). ` +
  `With --empirical it also draws
--samples networks of the given width and prints the Monte Carlo mean of their empirical kernels with
standard errors. --sigma-b2 0 means no bias. The standard-parametrization NTK grows with width, so it
needs --width. hermite:a_0,a_1,... is the polynomial sum_k a_k He_k(z) / sqrt(k!) (tdlv hermite prints an
activation's coefficients).`;

const options = {
  inputs: { type: 'string' },
  activation: { type: 'string', default: 'relu' },
  depth: { type: 'string' },
  'sigma-w2': { type: 'string', default: '2' },
  'sigma-b2': { type: 'string', default: '0' },
  parametrization: { type: 'string', default: 'ntk' },
  empirical: { type: 'boolean', default: false },
  width: { type: 'string' },
  samples: { type: 'string', default: '50' },
  seed: { type: 'string', default: '0' },
  ...POOL_OPTIONS,
  tolerance: { type: 'string', default: String(DEFAULT_RELATIVE_TOLERANCE) },
  json: { type: 'boolean', default: false },
} as const;

/** --tolerance: a decimal in [1e-13, 1e-3] (below 1e-13 float64 roundoff in the nested sums dominates). */
function parseTolerance(text: string): number {
  const t = text.trim();
  const x = Number(t);
  if (!UNSIGNED_DECIMAL.test(t) || !(x >= 1e-13 && x <= 1e-3))
    throw new UsageError('--tolerance', text, 'a relative tolerance between 1e-13 and 1e-3');
  return x;
}

function formatMatrix(name: string, A: number[][]): string {
  return `${name}\n${A.map((row) => row.map((v) => v.toPrecision(8).padStart(16)).join('')).join('\n')}`;
}

export const kernelCommand = defineCommand({
  name: 'kernel',
  summary: 'print analytic (and empirical) NNGP and NTK kernels as JSON',
  usage,
  options,
  async run({ values, positionals }, io) {
    if (positionals.length)
      throw new UsageError('kernel', positionals[0], 'no positional arguments (inputs come from --inputs)');
    const X = readInputs(values.inputs);
    const activation = parseActivation(values.activation!);
    const depth = requirePositiveInteger('--depth', values.depth, 1000);
    const sigmaW2 = requireNonNegativeNumber('--sigma-w2', values['sigma-w2']);
    const sigmaB2 = requireNonNegativeNumber('--sigma-b2', values['sigma-b2']);
    const parametrization = requireOneOf('--parametrization', values.parametrization, KERNEL_PARAMETRIZATIONS);
    const { workers, backend } = poolSettings(values);
    const relativeTolerance = parseTolerance(values.tolerance!);
    const width = values.width === undefined ? undefined : requirePositiveInteger('--width', values.width);
    if (values.empirical && width === undefined)
      throw new UsageError('--width', undefined, 'a positive integer width with --empirical');
    if (parametrization === 'standard' && width === undefined) {
      throw new UsageError(
        '--width',
        undefined,
        'a positive integer: the standard-parametrization NTK depends on the width',
      );
    }
    const widths = width === undefined ? undefined : new Array<number>(depth).fill(width);
    let analytic;
    try {
      analytic = analyticKernels(X, {
        activation,
        depth,
        sigmaW2,
        sigmaB2,
        parametrization,
        widths,
        relativeTolerance,
      });
    } catch (error) {
      if (error instanceof NonFiniteIntegrand)
        throw new UsageError(
          '--activation',
          values.activation,
          `an activation finite on the integration range (${error.message})`,
        );
      throw error;
    }
    // Never a wrong number with exit 0: a kernel that overflows or underflows float64 is an error naming the inputs.
    const bad = [...analytic.nngp.flat(), ...analytic.ntk.flat()].find((v) => !Number.isFinite(v));
    if (bad !== undefined) {
      throw new UsageError(
        '--inputs/--sigma-w2/--depth',
        `${values.inputs}, ${values['sigma-w2']}, ${depth}`,
        `inputs and scales whose kernels stay finite in float64 (an entry is ${bad})`,
      );
    }
    const result: Record<string, unknown> = {
      nngp: analytic.nngp,
      ntk: analytic.ntk,
      config: {
        activation: activation.name,
        depth,
        sigmaW2,
        sigmaB2,
        parametrization,
        inputs: X.length,
        inputDim: X[0]!.length,
      },
    };
    if (values.empirical) {
      const samples = requirePositiveInteger('--samples', values.samples, 100_000);
      const seed = requireNonNegativeInteger('--seed', values.seed, 2 ** 31 - 1);
      const spec: PlainMlpSpec = {
        inputDim: X[0]!.length,
        widths: widths!,
        outputDim: 1,
        activation: activation.name,
        parametrization,
        sigmaW2,
        sigmaB2,
      };
      const backendName = await initBackend(backend);
      assertFits(toMlpSpec(spec), X.length, backendName, workers);
      const pool = new WorkerPool({ size: workers, backend });
      try {
        const stats = await empiricalKernelStats(pool, { spec, X, samples, seed });
        result.empirical = {
          width,
          samples,
          seed,
          backend: backendName,
          nngp: stats.nngp,
          ntk: stats.ntk,
          relativeFrobeniusError: {
            nngp: relativeFrobenius(stats.nngp.mean, analytic.nngp),
            ntk: relativeFrobenius(stats.ntk.mean, analytic.ntk),
          },
        };
      } finally {
        await pool.close();
      }
    }
    if (values.json) io.out(JSON.stringify(result));
    else {
      io.out(formatMatrix('analytic NNGP', analytic.nngp));
      io.out(formatMatrix('analytic NTK', analytic.ntk));
      const emp = result.empirical as
        | {
            nngp: { mean: number[][]; stderr: number[][] };
            ntk: { mean: number[][]; stderr: number[][] };
            relativeFrobeniusError: { nngp: number; ntk: number };
          }
        | undefined;
      if (emp) {
        io.out(
          formatMatrix(
            `empirical NNGP (mean of ${values.samples}; relative Frobenius error ` +
              `${emp.relativeFrobeniusError.nngp.toPrecision(3)})`,
            emp.nngp.mean,
          ),
        );
        io.out(formatMatrix('  standard error', emp.nngp.stderr));
        io.out(
          formatMatrix(
            `empirical NTK (mean of ${values.samples}; relative Frobenius error ` +
              `${emp.relativeFrobeniusError.ntk.toPrecision(3)})`,
            emp.ntk.mean,
          ),
        );
        io.out(formatMatrix('  standard error', emp.ntk.stderr));
      }
    }
    return 0;
  },
});
