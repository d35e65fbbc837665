/**
 * Deep matrix factorization (Arora, Cohen, Hu & Luo 2019; Razin & Cohen 2020): gradient descent on the factors of
 * W = W_L ... W_1 (square n x n, float64) fitting observed entries of a matrix, and what is measured on the result:
 * singular values (one-sided Jacobi), the effective rank of Roy & Vetterli (2007), the nuclear norm, and the
 * minimum-nuclear-norm completion (soft-impute with continuation, Mazumder, Hastie & Tibshirani 2010) it is compared
 * with.
 * Matrices are row-major Float64Arrays; the products are preallocated so a step allocates nothing.
 */
import type { RandomStream } from '../../random/rng.ts';

export interface Svd {
  /** Descending singular values. */
  values: Float64Array;
  /** Left singular vectors as columns (row-major n x n). */
  U: Float64Array;
  /** Right singular vectors as columns (row-major n x n). */
  V: Float64Array;
}

/**
 * Singular value decomposition of a square matrix by one-sided Jacobi rotations (Hestenes): columns of A V are
 * orthogonalised pairwise until every pair's cosine is below 1e-15; the singular values are their norms. Accurate to
 * roundoff relative to each singular value's own size for well-scaled columns, unlike the eigenvalues of A^T A.
 * `start`, an orthogonal matrix close to the right singular vectors, saves most sweeps in an iteration.
 */
export function svd(A: Float64Array, n: number, start?: Float64Array): Svd {
  // With a starting orthogonal V0 (e.g. the previous iterate's right vectors) the rotations start from A V0.
  const V = start ? Float64Array.from(start) : new Float64Array(n * n);
  const B = new Float64Array(n * n);
  if (start) mulNN(B, A, start, n);
  else {
    B.set(A);
    for (let i = 0; i < n; i++) V[i * n + i] = 1;
  }
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < n; i++) {
          const bp = B[i * n + p]!;
          const bq = B[i * n + q]!;
          alpha += bp * bp;
          beta += bq * bq;
          gamma += bp * bq;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const bp = B[i * n + p]!;
          const bq = B[i * n + q]!;
          B[i * n + p] = c * bp - s * bq;
          B[i * n + q] = s * bp + c * bq;
          const vp = V[i * n + p]!;
          const vq = V[i * n + q]!;
          V[i * n + p] = c * vp - s * vq;
          V[i * n + q] = s * vp + c * vq;
        }
      }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += B[i * n + j]! ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, j) => j).sort((a, b) => norms[b]! - norms[a]!);
  const values = Float64Array.from(order, (j) => norms[j]!);
  const U = new Float64Array(n * n);
  const Vs = new Float64Array(n * n);
  order.forEach((j, k) => {
    const s = norms[j]!;
    for (let i = 0; i < n; i++) {
      U[i * n + k] = s > 0 ? B[i * n + j]! / s : 0;
      Vs[i * n + k] = V[i * n + j]!;
    }
  });
  return { values, U, V: Vs };
}

/** exp of the entropy of the normalised singular values (Roy & Vetterli 2007): between 1 and the rank. */
export function effectiveRank(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  if (!(total > 0)) return NaN;
  let entropy = 0;
  for (let i = 0; i < values.length; i++) {
    const p = values[i]! / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

export function nuclearNorm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/**
 * C = A B for square n x n matrices, four columns of C per pass so each row of A is read once per four outputs and the
 * sums stay in registers (about twice the speed of a plain triple loop at n = 16).
 */
export function mulNN(C: Float64Array, A: Float64Array, B: Float64Array, n: number): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n4; j += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < n; k++) {
        const a = A[row + k]!;
        const b = k * n + j;
        s0 += a * B[b]!;
        s1 += a * B[b + 1]!;
        s2 += a * B[b + 2]!;
        s3 += a * B[b + 3]!;
      }
      C[row + j] = s0;
      C[row + j + 1] = s1;
      C[row + j + 2] = s2;
      C[row + j + 3] = s3;
    }
    for (let j = n4; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A[row + k]! * B[k * n + j]!;
      C[row + j] = s;
    }
  }
}

/** T = A^T (n x n). */
function transposeInto(T: Float64Array, A: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) T[j * n + i] = A[i * n + j]!;
}

/** C = A^T B, through a transposed copy of A in `scratch`. */
function mulTN(C: Float64Array, A: Float64Array, B: Float64Array, n: number, scratch: Float64Array): void {
  transposeInto(scratch, A, n);
  mulNN(C, scratch, B, n);
}

/** C = A B^T, through a transposed copy of B in `scratch`. */
function mulNT(C: Float64Array, A: Float64Array, B: Float64Array, n: number, scratch: Float64Array): void {
  transposeInto(scratch, B, n);
  mulNN(C, A, scratch, n);
}

/** The observed entries of an n x n matrix: their flat indices and target values. */
export interface Observations {
  n: number;
  indices: Int32Array;
  values: Float64Array;
}

export interface FactorizationRun {
  /** The end-to-end matrix W_L ... W_1 when training stopped. */
  product: Float64Array;
  /** The factors W_1, ..., W_L when training stopped. */
  factors: Float64Array[];
  /** Training loss 1/2 sum over observed entries of (W_ij - M_ij)^2 at each recorded step. */
  losses: { step: number; loss: number; product?: Float64Array }[];
  steps: number;
  finalLoss: number;
  /** Whether the loss reached the tolerance within the budget. */
  converged: boolean;
}

export interface FactorizationOptions {
  depth: number;
  /** Initial factors (row-major), e.g. from `gaussianFactors`. */
  factors: Float64Array[];
  learningRate: number;
  maxSteps: number;
  /** Stop once the loss is at most this. */
  lossTol: number;
  /** Record the loss (and product, with `keepProducts`) where this says so (and at the stop). */
  record?: (step: number, loss: number) => boolean;
  keepProducts?: boolean;
}

/** Entries i.i.d. N(0, std^2) for each of `depth` n x n factors. */
export function gaussianFactors(n: number, depth: number, std: number, rng: RandomStream): Float64Array[] {
  return Array.from({ length: depth }, () => Float64Array.from({ length: n * n }, () => std * rng.normal()));
}

/** The end-to-end product W_L ... W_1. */
export function productOf(factors: readonly Float64Array[], n: number): Float64Array {
  let P = Float64Array.from(factors[0]!);
  const tmp = new Float64Array(n * n);
  for (let j = 1; j < factors.length; j++) {
    mulNN(tmp, factors[j]!, P, n);
    P = Float64Array.from(tmp);
  }
  return P;
}

/**
 * Full-batch gradient descent on L = 1/2 sum_{(i,j) observed} ((W_L ... W_1)_ij - M_ij)^2 over all factors at once:
 * dL/dW_j = (W_L ... W_{j+1})^T G (W_{j-1} ... W_1)^T with G the residual on the observed entries.
 */
export function trainFactorization(obs: Observations, options: FactorizationOptions): FactorizationRun {
  const { n } = obs;
  const L = options.depth;
  const W = options.factors.map((f) => Float64Array.from(f));
  if (W.length !== L || W.some((f) => f.length !== n * n))
    throw new RangeError(`trainFactorization: ${L} factors of ${n} x ${n} expected`);
  const size = n * n;
  // prefix[j] = W_j ... W_1 (prefix[0] unused: the identity), suffix[j] = W_L ... W_{j+1} (suffix[L-1]: identity).
  const prefix = Array.from({ length: L }, () => new Float64Array(size));
  const suffix = Array.from({ length: L }, () => new Float64Array(size));
  const G = new Float64Array(size);
  const tmp = new Float64Array(size);
  const scratch = new Float64Array(size);
  const grads = Array.from({ length: L }, () => new Float64Array(size));
  const losses: FactorizationRun['losses'] = [];
  const eta = options.learningRate;
  let step = 0;
  let loss = NaN;
  for (; ; step++) {
    prefix[0]!.set(W[0]!);
    for (let j = 1; j < L; j++) mulNN(prefix[j]!, W[j]!, prefix[j - 1]!, n);
    const E = prefix[L - 1]!;
    G.fill(0);
    loss = 0;
    for (let k = 0; k < obs.indices.length; k++) {
      const idx = obs.indices[k]!;
      const r = E[idx]! - obs.values[k]!;
      G[idx] = r;
      loss += 0.5 * r * r;
    }
    const stop = !(loss > options.lossTol) || step >= options.maxSteps;
    if (options.record?.(step, loss) || stop)
      losses.push({ step, loss, ...(options.keepProducts ? { product: Float64Array.from(E) } : {}) });
    if (stop) break;
    if (L === 1) {
      for (let i = 0; i < size; i++) W[0]![i]! -= eta * G[i]!;
      continue;
    }
    // suffix[L - 1] = I; suffix[j] = suffix[j + 1] W_{j+2} in 1-based terms: W_L ... W_{j+2}.
    suffix[L - 2]!.set(W[L - 1]!);
    for (let j = L - 3; j >= 0; j--) mulNN(suffix[j]!, suffix[j + 1]!, W[j + 1]!, n);
    for (let j = 0; j < L; j++) {
      // A_j^T G with A_j = suffix[j] (identity for the last factor).
      const left = j === L - 1 ? G : (mulTN(tmp, suffix[j]!, G, n, scratch), tmp);
      if (j === 0) grads[0]!.set(left);
      else mulNT(grads[j]!, left, prefix[j - 1]!, n, scratch);
    }
    for (let j = 0; j < L; j++) {
      const w = W[j]!;
      const g = grads[j]!;
      for (let i = 0; i < size; i++) w[i]! -= eta * g[i]!;
    }
    if (!Number.isFinite(loss)) break;
  }
  return {
    product: Float64Array.from(prefix[L - 1]!),
    factors: W,
    losses,
    steps: step,
    finalLoss: loss,
    converged: loss <= options.lossTol,
  };
}

export interface NuclearCompletion {
  X: Float64Array;
  /** ||X||_* */
  nuclear: number;
  /** <Lambda, M_obs> for the dual certificate Lambda (supported on the observed entries, scaled to ||Lambda||_op <= 1):
   * a lower bound on the optimum. */
  dualBound: number;
  /** max |X_ij - M_ij| over the observed entries. */
  infeasibility: number;
  iterations: number;
}

/** X = sum_k max(0, s_k - tau) u_k v_k^T (singular value soft-thresholding). */
function shrink(Z: Float64Array, n: number, tau: number, into: Float64Array, start?: Float64Array): Float64Array {
  const { values, U, V } = svd(Z, n, start);
  into.fill(0);
  for (let k = 0; k < n; k++) {
    const s = values[k]! - tau;
    if (s <= 0) break;
    for (let i = 0; i < n; i++) {
      const u = s * U[i * n + k]!;
      const row = i * n;
      for (let j = 0; j < n; j++) into[row + j]! += u * V[j * n + k]!;
    }
  }
  return V;
}

/**
 * The minimum-nuclear-norm completion min ||X||_* subject to X_ij = M_ij on the observed entries, by ADMM on the split
 * X = Y (X <- SVT_{1/rho}(Y - U), Y <- X + U with the observed entries reset, U <- U + X - Y; rho adapted by residual
 * balancing, starting from 1 / (rhoScale sigma_1(observed part))). The scaled dual rho U is
 * supported on the observed entries; divided by its spectral norm (when above 1) it is a feasible dual point, so
 * `dualBound` <= the optimum <= `nuclear` certifies how far from optimal the returned X is (the duality gap).
 * Stops when the relative gap and the infeasibility are below `tol` or after `maxIterations`.
 */
export function minNuclearCompletion(
  obs: Observations,
  tol = 1e-7,
  maxIterations = 20000,
  rhoScale = 1,
): NuclearCompletion {
  const { n } = obs;
  const size = n * n;
  const observed = new Float64Array(size);
  const mask = new Uint8Array(size);
  obs.indices.forEach((idx, k) => {
    observed[idx] = obs.values[k]!;
    mask[idx] = 1;
  });
  const scale = svd(observed, n).values[0]!;
  const X = new Float64Array(size);
  const Y = Float64Array.from(observed);
  const U = new Float64Array(size);
  const Z = new Float64Array(size);
  let rho = 1 / (rhoScale * (scale || 1));
  let primal = 0;
  let dualResidual = 0;
  let right: Float64Array | undefined;
  let result: NuclearCompletion = { X, nuclear: 0, dualBound: 0, infeasibility: 0, iterations: 0 };
  for (let it = 1; it <= maxIterations; it++) {
    for (let i = 0; i < size; i++) Z[i] = Y[i]! - U[i]!;
    right = shrink(Z, n, 1 / rho, X, right);
    let infeasibility = 0;
    for (let i = 0; i < size; i++) {
      const y = mask[i] ? observed[i]! : X[i]! + U[i]!;
      dualResidual += (y - Y[i]!) ** 2;
      Y[i] = y;
      U[i]! += X[i]! - y;
      primal += (X[i]! - y) ** 2;
      if (mask[i]) infeasibility = Math.max(infeasibility, Math.abs(X[i]! - y));
    }
    // Residual balancing (Boyd et al. 2011, Section 3.4.1): keep the primal and dual residuals within a factor 10 by
    // doubling or halving rho (the scaled dual U is rescaled with it). It changes the speed, not the solution.
    if (it % 10 === 0) {
      const r = Math.sqrt(primal);
      const sd = rho * Math.sqrt(dualResidual);
      const factor = r > 10 * sd ? 2 : sd > 10 * r ? 0.5 : 1;
      if (factor !== 1) {
        rho *= factor;
        for (let i = 0; i < size; i++) U[i]! /= factor;
      }
      primal = 0;
      dualResidual = 0;
    }
    if (it % 25 !== 0 && it !== maxIterations) continue;
    // The dual certificate: X minimises ||X||_* + rho/2 ||X - Y + U||^2, so Lambda = -rho U is a subgradient of the
    // nuclear norm at X (zero off the mask); scaled into the unit spectral-norm ball it is dual feasible.
    const lambda = Float64Array.from(U, (u) => -rho * u);
    const op = svd(lambda, n).values[0]!;
    const shrinkBy = Math.max(1, op);
    let dual = 0;
    for (let i = 0; i < size; i++) if (mask[i]) dual += (lambda[i]! / shrinkBy) * observed[i]!;
    const nuclear = nuclearNorm(svd(X, n).values);
    result = { X: Float64Array.from(X), nuclear, dualBound: dual, infeasibility, iterations: it };
    if (nuclear - dual <= tol * nuclear && infeasibility <= tol * (scale || 1)) break;
  }
  return result;
}
