/** Tests: tdlv hermite (an activation's Hermite coefficients and the series of its dual kernels). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { reluHermite } from '../../src/symbolic/hermite.ts';

describe('tdlv hermite', () => {
  it('--json gives the closed-form relu coefficients, the series and the tails', async () => {
    const r = await runCli(['hermite', '--activation', 'relu', '--terms', '6', '--json']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.out);
    expect(e.method).toBe('closed form');
    expect(e.coefficients).toEqual(reluHermite(6));
    e.coefficients.forEach((a: number, k: number) => {
      expect(e.nngp[k]).toBeCloseTo(a * a, 15);
      expect(e.ntk[k]).toBeCloseTo((k + 1) * a * a, 15);
    });
    // E relu^2 = 1/2 and E relu'^2 = 1/2: the tails are what degree 6 leaves out of them.
    const kept = e.nngp.reduce((s: number, x: number) => s + x, 0);
    expect(e.nngpTail).toBeCloseTo(0.5 - kept, 12);
  });

  it('tanh by quadrature (with errors), and a hermite: activation round-trips its coefficients', async () => {
    const tanh = JSON.parse((await runCli(['hermite', '--activation', 'tanh', '--terms', '3', '--json'])).out);
    expect(tanh.method).toBe('quadrature');
    expect(tanh.errors.every((x: number) => x >= 0 && x < 1e-12)).toBe(true);
    const own = JSON.parse((await runCli(['hermite', '--activation', 'hermite:0.5,0,0.25', '--json'])).out);
    expect(own.coefficients.slice(0, 4)).toEqual([0.5, 0, 0.25, 0]);
    expect(own.nngpTail).toBeLessThan(1e-12);
  });

  it.each([
    [['hermite'], '--activation'],
    [['hermite', '--activation', 'relu', '--terms', '401'], '--terms'],
    [['hermite', '--activation', 'relu', '--terms', '-1'], '--terms'],
    [['hermite', '--activation', 'hermite:1,,2'], '--activation'],
    [['hermite', '--activation', 'expr:exp(z^2)', '--terms', '2'], '--activation'],
    [['hermite', '--activation', 'relu', 'extra'], 'hermite'],
  ])('%j is one line naming %s, exit 2', async (argv, argument) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain(argument);
  });
});
