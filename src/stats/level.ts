/**
 * The statistical level of every verdict, read from this one place.
 *
 * CONFIDENCE is the level of the two-sided intervals that are printed (95%). Decisions are one-sided
 * tests at ALPHA = 1 - CONFIDENCE = 5%: "supported" rejects "the claim is false beyond its tolerance"
 * with a one-sided 95% bound (for a two-sided claim, two one-sided tests: TOST), so a claim that is
 * false beyond its tolerance is called supported at most 5% of the time when the model holds.
 */
export const CONFIDENCE = 0.95;
export const ALPHA = 1 - CONFIDENCE;

/** Fewest seeds (independent networks) at each width before a rate is judged: each width's variance needs 2 degrees of
 * freedom. */
export const MIN_SEEDS = 3;
/** Fewest widths for a slope (a line through 2 points has no lack-of-fit check). */
export const MIN_WIDTHS = 3;
/** Fewest independent networks behind a supported or refuted Monte Carlo verdict (smoke runs stay inconclusive). */
export const MIN_NETWORKS = 15;
/** Default tolerance on a slope (the rate claims of the built-in theorems; `tdlv judge --tol` overrides it). */
export const DEFAULT_RATE_TOL = 0.15;
