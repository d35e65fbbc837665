/** The one learning-rate rule of the theorems that train: a step set by the top eigenvalue of a tangent kernel. */
import { maxEigenvalue, type Dense } from '../../numeric/linalg.ts';

/**
 * Full-batch gradient descent's step from a tangent kernel: eta = factor / lambda_max of
 * the loss's Hessian in function space, on the tangent kernel `kernel` of the m training points. For the mean loss
 * (1 / 2m) sum_i ||f(x_i) - y_i||^2 (the default, `gradientDescentStep`'s) that Hessian is Theta / m, so
 * eta = factor m / lambda_max(Theta); for the summed loss (1 / 2) sum_i ... (Du et al. 2019) it is Theta itself. The
 * linearized dynamics contract along every eigenvector when eta lambda_max < 2, so factor 1 is a stable step at the
 * kernel it is computed from, and divergence is expected beyond factor 2.
 */
export function kernelLearningRate(kernel: Dense, options: { factor?: number; loss?: 'mean' | 'sum' } = {}): number {
  const factor = options.factor ?? 1;
  return (options.loss === 'sum' ? factor : factor * kernel.length) / maxEigenvalue(kernel);
}
