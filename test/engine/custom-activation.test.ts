/** Tests: user-supplied activations (expr:<formula in z>). */
import { describe, expect, it } from 'vitest';
import { parseActivation } from '../../src/engine/nets/activations.ts';
import { analyticKernels } from '../../src/engine/kernels/analytic-kernels.ts';
import { empiricalNtk } from '../../src/engine/nets/empirical-ntk.ts';
import { relativeFrobenius } from '../../src/numeric/linalg.ts';
import { disposeMlp, initMlp } from '../../src/engine/nets/mlp.ts';
import { spherePoints, stream } from '../../src/random/rng.ts';
import { UsageError } from '../../src/errors.ts';
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

  it('rejects formulas that do not parse or are not real-valued', () => {
    expect(() => parseActivation('expr:tanh(z')).toThrow(UsageError);
    expect(() => parseActivation('expr:sqrt(z)')).toThrow(/differentiable/);
  });
});
