import { ParameterError, requireInteger } from "../model/parameterError";

/** A simulated tail with its 95% intervals (a study cell's point has these fields). */
export interface TailWithIntervals {
  /** P(Q >= i), i = 0..; levels beyond the array were never reached (P = 0). */
  readonly tail: readonly number[];
  /** 95% intervals, level by level (null with one replication). */
  readonly tailCi95: ReadonlyArray<readonly [number, number]> | null;
}

function requireIntervals(name: string, t: TailWithIntervals): ReadonlyArray<readonly [number, number]> {
  if (t === null || typeof t !== "object" || !Array.isArray(t.tail)) throw new ParameterError(name, t, "a tail with its 95% intervals");
  if (!Array.isArray(t.tailCi95)) throw new ParameterError(`${name}.tailCi95`, t.tailCi95, "95% intervals of the tail (two or more replications)");
  return t.tailCi95;
}

/**
 * The level from which a tail is significantly lighter than a reference tail at every deeper level up to
 * `maxLevel`: the smallest i >= 1 such that, for every level j in [i, L - 1] with L = min(maxLevel,
 * reference levels), the upper 95% bound of P(Q >= j) lies below the reference's lower 95% bound (a level the
 * tail never reached counts as P = 0 with interval [0, 0]). Disjoint 95% intervals are a conservative test of
 * a difference at each level; NaN when the tail is not lighter even at level L - 1. Cost O(L).
 *
 * @param tail the tail compared (with intervals)
 * @param reference the reference tail (with intervals), for example no sharing's
 * @param maxLevel levels considered are below it: an integer >= 2; default every level of the reference
 * @returns the level, or NaN
 * @throws ParameterError for a tail without intervals or a bad maxLevel
 * @example
 * tailLighterFrom({ tail: [1, 0.9, 0.2, 0.01], tailCi95: [[1, 1], [0.89, 0.91], [0.19, 0.21], [0.009, 0.011]] },
 *   { tail: [1, 0.75, 0.56, 0.42], tailCi95: [[1, 1], [0.74, 0.76], [0.55, 0.57], [0.41, 0.43]] }) // => 2
 */
export function tailLighterFrom(tail: TailWithIntervals, reference: TailWithIntervals, maxLevel?: number): number {
  const ci = requireIntervals("tail", tail);
  const ref = requireIntervals("reference", reference);
  const top = Math.min(maxLevel === undefined ? reference.tail.length : requireInteger("maxLevel", maxLevel, 2), reference.tail.length, ref.length);
  let from = NaN;
  for (let i = top - 1; i >= 1; i--) {
    const upper = i < tail.tail.length ? (ci[i]?.[1] ?? NaN) : 0;
    const lower = ref[i]?.[0] ?? NaN;
    if (upper < lower) from = i;
    else break;
  }
  return from;
}
