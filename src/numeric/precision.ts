/** Machine epsilons and the float32 floors below which tdlv refuses to fit a rate (DESIGN.md, precision policy). */
export const FLOAT32_EPS = 2 ** -23;
export const FLOAT64_EPS = 2 ** -52;

/**
 * Float32 floor of the observables of a training run: a kernel summing n products carries ~ eps sqrt(n)
 * relative roundoff (twice, for a difference of two kernels); a weight updated T times carries ~ eps sqrt(T)
 * relative roundoff per entry, which bounds any measured relative weight change from below.
 */
export function trainingFloor(observable: string, width: number, steps: number): number {
  if (observable.startsWith('weightChange') || observable === 'paramDistance') return FLOAT32_EPS * Math.sqrt(steps);
  return 2 * FLOAT32_EPS * Math.sqrt(width);
}
