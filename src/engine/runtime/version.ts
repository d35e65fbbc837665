/**
 * The version of the numerical engine's floating-point results. Bumped whenever a change makes the same cell compute
 * different float32 roundoff (an operation reordered or fused), not when it only gets faster with the same results.
 * Every cell records it; an audit demands a bit-identical replay only of cells computed by this engine on this backend,
 * and judges older cells by the cross-engine tolerance REPLAY_TOLERANCE.other (cells without a record are engine 1).
 *   1  tfjs kernels, scalars applied to the weight gradient
 *   2  scalars folded into the [m, n] deltas before the rank-m update product (issue 15)
 */
export const ENGINE_VERSION = '2';

/**
 * Replay tolerances. The same engine on the same backend must reproduce a cell bit for bit (relative 1e-12). Another
 * engine or backend reproduces an observable when its relative error is <= 1e-3 or its difference is <= 1% of the
 * observable's seed-to-seed standard deviation at that arm and width: training grows float32 roundoff in tiny and
 * cancelling quantities (a residual decayed to 1e-4 moves by 1e-2 relative) but never near the Monte Carlo noise the
 * verdicts' intervals carry.
 */
export const REPLAY_TOLERANCE = { same: 1e-12, other: 1e-3, otherSeedSd: 0.01 } as const;
