/**
 * ||mean(v) - target||^2 - sum_e Var(v_e) / B for B independent replicate vectors v: an unbiased estimate
 * of the squared distance between the population mean and `target`, the Monte Carlo noise of the sample
 * mean removed (E ||mean - mu||^2 = ||E v - mu||^2 + tr Cov(v) / B).
 */
export function meanSquaredExcess(vectors: readonly (readonly number[])[], target: readonly number[]): number {
  const B = vectors.length;
  let excess = 0;
  target.forEach((t, e) => {
    let sum = 0;
    for (const v of vectors) sum += v[e]!;
    const mean = sum / B;
    let squares = 0;
    for (const v of vectors) squares += (v[e]! - mean) ** 2;
    excess += (mean - t) ** 2 - squares / (B - 1) / B;
  });
  return excess;
}
