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

/**
 * A slice of input space for kernel pictures (Jacot et al. 2018, Figure 1): `count` angles gamma evenly spaced from
 * -pi to pi (count odd, so gamma = 0 is the middle one) and the points x(gamma) = (cos gamma, sin gamma) of the unit
 * circle, preceded by x_0 = (1, 0): row 0 of a kernel on `points` is K(x_0, x(gamma)) at column 1 + k.
 */
export function circleSlice(count: number): { gammas: number[]; points: number[][] } {
  const gammas = Array.from({ length: count }, (_, k) => -Math.PI + (2 * Math.PI * k) / (count - 1));
  return { gammas, points: [[1, 0], ...gammas.map((g) => [Math.cos(g), Math.sin(g)])] };
}
