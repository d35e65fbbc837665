/** `tdlv criticality`: the mean-field phase of a point of the (sigma_w^2, sigma_b^2) plane, and the edge of chaos. */
import { UNSIGNED_DECIMAL, UsageError } from '../errors.ts';
import { defineCommand } from './args.ts';

function nonNegative(argument: string, text: string | undefined, required: boolean): number | undefined {
  if (text === undefined) {
    if (required) throw new UsageError(argument, undefined, 'a decimal number >= 0');
    return undefined;
  }
  const t = text.trim();
  if (!UNSIGNED_DECIMAL.test(t) || !Number.isFinite(Number(t)) || Number(t) > 1e6)
    throw new UsageError(argument, text, 'a decimal number in [0, 1e6]');
  return Number(t);
}

/** Whether f throws the given error (the length map has no fixed point there). */
function divergesAt(f: () => unknown, kind: new (...args: never[]) => Error): boolean {
  try {
    f();
    return false;
  } catch (error) {
    if (error instanceof kind) return true;
    throw error;
  }
}

const fmt = (x: number | null) => (x === null ? 'none' : Number.isFinite(x) ? x.toPrecision(12) : String(x));

export const criticalityCommand = defineCommand({
  name: 'criticality',
  summary: 'the mean-field phase (ordered, critical, chaotic) and depth scales of an activation, or its edge of chaos',
  usage: [
    'tdlv criticality --activation A --sigma-b2 B [--sigma-w2 W] [--json]',
    '',
    '  --activation  relu, erf, tanh, gelu, identity, poly1..poly8, expr:... or hermite:... (as tdlv kernel)',
    '  --sigma-b2    the bias variance sigma_b^2 >= 0',
    '  --sigma-w2    the weight variance sigma_w^2 > 0; without it, the point on the critical line (chi_1 = 1)',
    '  --json        {"activation", "sigmaB2", "sigmaW2", "sigmaW2Critical", "phase", "qStar", "chi1", "cStar",',
    '                 "chiC", "xiC", "xiQ"} (an infinite depth scale is the string "Infinity")',
    '',
    'Mean-field maps of z = sigma_w W phi(z_prev) / sqrt(n) + sigma_b b (Poole et al. 2016; Schoenholz et al. 2017):',
    "q* the fixed point of the length map, chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2], c* the stable fixed point of",
    'the correlation map and chi_c its slope there, xi_c = -1/ln chi_c and xi_q the depth scales. Closed forms for',
    'relu and erf, adaptive quadrature otherwise, accurate to about 1e-12 relative.',
  ].join('\n'),
  options: {
    activation: { type: 'string' },
    'sigma-b2': { type: 'string' },
    'sigma-w2': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError('criticality', positionals[0], 'no positional arguments');
    if (values.activation === undefined)
      throw new UsageError('--activation', undefined, 'an activation: relu, erf, tanh, gelu, identity, ...');
    const { parseActivation } = await import('../engine/nets/activations.ts');
    const { criticalSigmaW2, lengthFixedPoint, meanFieldPoint, NoFixedPointError } =
      await import('../engine/kernels/mean-field.ts');
    const phi = parseActivation(values.activation);
    const sigmaB2 = nonNegative('--sigma-b2', values['sigma-b2'], true)!;
    const given = nonNegative('--sigma-w2', values['sigma-w2'], false);
    if (given === 0) throw new UsageError('--sigma-w2', values['sigma-w2'], 'a decimal number in (0, 1e6]');
    let point;
    try {
      const sigmaW2 = given ?? criticalSigmaW2(phi, sigmaB2);
      if (
        given === undefined &&
        sigmaB2 > 0 &&
        divergesAt(() => lengthFixedPoint(phi, sigmaW2 * (1 + 1e-9), sigmaB2), NoFixedPointError)
      )
        // The line is where q* diverges (relu or identity with a bias): chi_1 -> 1 from the ordered side.
        point = {
          activation: phi.name,
          sigmaW2,
          sigmaB2,
          sigmaW2Critical: sigmaW2,
          phase: 'critical' as const,
          qStar: Infinity,
          chi1: 1,
          cStar: 1,
          chiC: 1,
          xiC: Infinity,
          xiQ: Infinity,
        };
      else point = meanFieldPoint(phi, sigmaW2, sigmaB2);
      // On the line by construction: the phase is critical whatever roundoff says of chi_1.
      if (given === undefined) point = { ...point, phase: 'critical' as const };
    } catch (error) {
      if (error instanceof NoFixedPointError)
        throw new UsageError(
          given === undefined ? '--sigma-b2' : '--sigma-w2',
          given === undefined ? values['sigma-b2'] : values['sigma-w2'],
          `a point where ${phi.name} has a mean-field fixed point (${error.message})`,
        );
      throw error;
    }
    if (values.json) {
      io.out(JSON.stringify(point, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
      return 0;
    }
    io.out(
      `${phi.name} at sigma_b^2 = ${sigmaB2}: edge of chaos at sigma_w^2 = ${fmt(point.sigmaW2Critical)}` +
        (given === undefined ? '' : `; sigma_w^2 = ${given} is ${point.phase}`),
    );
    io.out(
      `  q* = ${fmt(point.qStar)}  chi_1 = ${fmt(point.chi1)}  c* = ${fmt(point.cStar)}  chi_c = ${fmt(point.chiC)}` +
        `  xi_c = ${fmt(point.xiC)}  xi_q = ${fmt(point.xiQ)}`,
    );
    return 0;
  },
});
