import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";

/** What a precision-driven run aims for: the 95% half-width of one estimate relative to its mean. */
export interface PrecisionTarget {
  /** gamma: stop once the 95% half-width is at most gamma x |mean| (relative error gamma), in (0, 1). */
  readonly relativeHalfWidth: number;
  /** Which estimate: "meanDelay" (default) or "meanQueueLength". */
  readonly of?: "meanDelay" | "meanQueueLength";
}

/** A precision target after validation. */
export interface ResolvedPrecision {
  readonly relativeHalfWidth: number;
  readonly of: "meanDelay" | "meanQueueLength";
  /** The whole run's budget, warm-ups included, in events. */
  readonly maxEvents: number;
}

/** Default budget of a precision-driven run, in events (all replications, warm-ups included): about a minute per core. */
export const DEFAULT_PRECISION_MAX_EVENTS = 2_000_000_000;
/** Replications of the first round when `replications` is not given. */
export const DEFAULT_PRECISION_REPLICATIONS = 10;

/**
 * Validates a precision target and its budget (undefined when the run has none). Cost O(1).
 *
 * @param precision the target, or undefined
 * @param maxEvents the budget in events, warm-ups included (default DEFAULT_PRECISION_MAX_EVENTS)
 * @param trackDelays whether delays are tracked (a mean-delay target needs them)
 * @throws ParameterError naming "precision.relativeHalfWidth" (outside (0, 1)), "precision.of" or "maxEvents"
 * @example
 * resolvePrecision({ relativeHalfWidth: 0.02 }, 1e8, true) // => { relativeHalfWidth: 0.02, of: "meanDelay", maxEvents: 100000000 }
 */
export function resolvePrecision(precision: PrecisionTarget | undefined, maxEvents: number | undefined, trackDelays: boolean): ResolvedPrecision | undefined {
  if (precision === undefined) {
    if (maxEvents !== undefined) throw new ParameterError("maxEvents", maxEvents, "absent without a precision target (it bounds a precision-driven run)");
    return undefined;
  }
  if (precision === null || typeof precision !== "object") throw new ParameterError("precision", precision, "{ relativeHalfWidth, of }");
  const gamma = requireNumber("precision.relativeHalfWidth", precision.relativeHalfWidth, 0, 1);
  const of = precision.of ?? "meanDelay";
  if (of !== "meanDelay" && of !== "meanQueueLength") throw new ParameterError("precision.of", of, '"meanDelay" or "meanQueueLength"');
  if (of === "meanDelay" && !trackDelays) throw new ParameterError("precision.of", of, '"meanQueueLength" when delays are not tracked');
  const budget = requireInteger("maxEvents", maxEvents ?? DEFAULT_PRECISION_MAX_EVENTS, 1, 2 ** 52);
  return { relativeHalfWidth: gamma, of, maxEvents: budget };
}
