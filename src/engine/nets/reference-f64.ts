/** A float64 plain-TypeScript twin of the tensor network, for tests at small widths. */
import { layerShapes, type Mlp, type MlpSpec } from './mlp.ts';
import { RandomStream, type StreamAddress } from '../../random/rng.ts';

/**
 * A float64 plain-TypeScript twin of the tensor network, for small widths only: the independent
 * route against which the float32 tensor code is tested (forward pass, and the NTK through a
 * finite-difference Jacobian over every parameter).
 */
export interface ReferenceParams {
  weights: number[][][]; // [layer][n_in][n_out]
  biases: (number[] | null)[];
}

/** Same draws as initMlp (same streams, same order), rounded to float32 as the tensors are. */
export function referenceInit(spec: MlpSpec, address: StreamAddress): ReferenceParams {
  const bias = spec.sigmaB2 > 0;
  const shapes = layerShapes(spec);
  return {
    weights: shapes.map((s, l) => {
      const flat = new RandomStream(address, `W${l + 1}`).fillNormal(new Float32Array(s.nIn * s.nOut), s.weightInitStd);
      return Array.from({ length: s.nIn }, (_, i) => Array.from(flat.subarray(i * s.nOut, (i + 1) * s.nOut)));
    }),
    biases: shapes.map((s, l) =>
      bias
        ? Array.from(new RandomStream(address, `b${l + 1}`).fillNormal(new Float32Array(s.nOut), s.biasInitStd))
        : null,
    ),
  };
}

/** The float32 parameters of a tensor network, as float64 arrays (exact: every float32 is a float64). */
export function referenceParamsOf(net: Mlp): ReferenceParams {
  return {
    weights: net.layers.map((layer) => layer.W.arraySync()),
    biases: net.layers.map((layer) => (layer.b ? layer.b.arraySync() : null)),
  };
}

export function referenceForward(spec: MlpSpec, p: ReferenceParams, x: number[]): number[] {
  const shapes = layerShapes(spec);
  let h = x;
  shapes.forEach((s, l) => {
    const z = new Array<number>(s.nOut).fill(0);
    for (let j = 0; j < s.nOut; j++) {
      let acc = 0;
      for (let i = 0; i < s.nIn; i++) acc += h[i]! * p.weights[l]![i]![j]!;
      z[j] = s.weightScale * acc + (p.biases[l] ? s.biasScale * p.biases[l]![j]! : 0);
    }
    h = l < shapes.length - 1 ? z.map(spec.activation.f) : z;
  });
  return h;
}

/** Every parameter as a flat list of [get, set] handles, in a fixed order. */
function parameterHandles(p: ReferenceParams): { get: () => number; set: (v: number) => void }[] {
  const handles: { get: () => number; set: (v: number) => void }[] = [];
  p.weights.forEach((W, l) => {
    W.forEach((row) => row.forEach((_, j) => handles.push({ get: () => row[j]!, set: (v) => (row[j] = v) })));
    const b = p.biases[l];
    if (b) b.forEach((_, j) => handles.push({ get: () => b[j]!, set: (v) => (b[j] = v) }));
  });
  return handles;
}

/** Jacobian of output `output` w.r.t. all parameters at each input, by central differences (float64). */
export function referenceJacobian(
  spec: MlpSpec,
  p: ReferenceParams,
  X: number[][],
  output = 0,
  step = 1e-6,
): number[][] {
  const handles = parameterHandles(p);
  const J = X.map(() => new Array<number>(handles.length).fill(0));
  handles.forEach((h, k) => {
    const v = h.get();
    h.set(v + step);
    const plus = X.map((x) => referenceForward(spec, p, x)[output]!);
    h.set(v - step);
    const minus = X.map((x) => referenceForward(spec, p, x)[output]!);
    h.set(v);
    X.forEach((_, i) => (J[i]![k] = (plus[i]! - minus[i]!) / (2 * step)));
  });
  return J;
}

/** Brute-force NTK J J^T from the finite-difference Jacobian. */
export function referenceNtk(spec: MlpSpec, p: ReferenceParams, X: number[][], output = 0): number[][] {
  const J = referenceJacobian(spec, p, X, output);
  return J.map((a) => J.map((b) => a.reduce((s, v, k) => s + v * b[k]!, 0)));
}
