/** The small regression problems the theorems train on, drawn from addressed streams. */
import { spherePoints, stream } from '../../random/rng.ts';

/**
 * A small regression problem on the sphere: `train + test` points uniform on S^{d-1} from the stream
 * of `experiment`, and the smooth target y = x_1 + x_2 x_3 - sin(2 x_4) / 2 on the training points.
 */
export function sphereRegression(
  experiment: string,
  train: number,
  test: number,
  d: number,
): { X: number[][]; Y: number[][] } {
  const X = spherePoints(stream({ experiment, data: 'inputs' }), train + test, d);
  const Y = X.slice(0, train).map((x) => [x[0]! + x[1]! * x[2]! - 0.5 * Math.sin(2 * x[3]!)]);
  return { X, Y };
}
