/** Tests: user-supplied activations (expr:<formula in z>). */
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels } from '../../src/engine/kernels/analytic-kernels.ts';
import { empiricalNtk } from '../../src/engine/nets/empirical-ntk.ts';
import { relativeFrobenius } from '../../src/numeric/linalg.ts';
import { disposeMlp, initMlp } from '../../src/engine/nets/mlp.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';
import { UsageError } from '../../src/errors.ts';
import { hermiteByQuadrature, reluHermite } from '../../src/symbolic/hermite.ts';
import { useWasmBackend } from '../helpers/backend.ts';

useWasmBackend();
const X = spherePoints(stream({ test: 'custom-activation' }), 5, 4);

describe('user-supplied activations (expr:<formula in z>)', () => {
  it('expr:tanh(z) gives the tanh kernels by quadrature, and silu z / (1 + e^{-z}) runs', () => {
    const a = analyticKernels(X, { activation: parseActivation('expr:tanh(z)'), depth: 3, sigmaW2: 1.5, sigmaB2: 0.1 });
    const b = analyticKernels(X, { activation: parseActivation('tanh'), depth: 3, sigmaW2: 1.5, sigmaB2: 0.1 });
    expect(relativeFrobenius(a.ntk, b.ntk)).toBeLessThan(1e-13);
    const c = analyticKernels(X, {
      activation: parseActivation('expr:z / (1 + exp(-z))'),
      depth: 2,
      sigmaW2: 1,
      sigmaB2: 0.1,
    });
    expect(c.ntk.flat().every(Number.isFinite)).toBe(true);
  });

  it('the empirical NTK of an expr activation equals that of the built-in one (float32)', () => {
    const spec = (name: string) => ({
      inputDim: 4,
      widths: [32, 32],
      outputDim: 1,
      activation: parseActivation(name),
      parametrization: 'ntk' as const,
      sigmaW2: 1.5,
      sigmaB2: 0.1,
    });
    const netA = initMlp(spec('expr:tanh(z)'), { test: 'same' });
    const netB = initMlp(spec('tanh'), { test: 'same' });
    expect(relativeFrobenius(empiricalNtk(netA, X), empiricalNtk(netB, X))).toBeLessThan(1e-5);
    disposeMlp(netA);
    disposeMlp(netB);
  });

  it('kinks and jumps: max(z, 0), z (1 + sign z) / 2, (z + |z|) / 2 are relu; |z| and sqrt(z^2) its odd twin', () => {
    // Each formula's Hermite coefficients (its value over the whole line) and its derivative's (the derivative almost
    // everywhere: E[phi' h_k] = sqrt(k + 1) a_(k+1) by Stein) against relu's closed form.
    const relu = reluHermite(12);
    for (const name of ['expr:max(z, 0)', 'expr:z*(1+sign(z))/2', 'expr:(z+abs(z))/2']) {
      const phi = parseActivation(name);
      const a = hermiteByQuadrature(phi.f, 12).coefficients;
      const da = hermiteByQuadrature(phi.df, 11).coefficients;
      a.forEach((v, k) => expect(Math.abs(v - relu[k]!)).toBeLessThan(1e-11));
      da.forEach((v, k) => expect(Math.abs(v - Math.sqrt(k + 1) * relu[k + 1]!)).toBeLessThan(1e-11));
      expect([phi.df(-0.5), phi.df(0), phi.df(0.5)]).toEqual([0, 0.5, 1]);
    }
    // |z|: its Hermite coefficients a_2m = 2 a_2m(relu) (|z| = 2 relu(z) - z), its derivative sign(z) (0 at the jump).
    // Its 2D moments go through the nested rule that test/engine/gaussian-quadrature.test.ts checks at rho < 0 (a
    // formula costs seconds per moment there, so that check uses plain functions).
    const abs = hermiteByQuadrature(parseActivation('expr:abs(z)').f, 12).coefficients;
    abs.forEach((v, k) => expect(Math.abs(v - (k === 1 ? 0 : 2 * relu[k]!))).toBeLessThan(1e-11));
    expect(parseActivation('expr:abs(z)').df(0)).toBe(0);
    expect(parseActivation('expr:sqrt(z^2)').df(0)).toBe(0);
    expect(parseActivation('expr:sqrt(z^2)').df(-2)).toBe(-1);
  });

  it('rejects formulas that do not parse or are not real-valued', () => {
    expect(() => parseActivation('expr:tanh(z')).toThrow(UsageError);
    expect(() => parseActivation('expr:sqrt(z)')).toThrow(/differentiable/);
  });
});
