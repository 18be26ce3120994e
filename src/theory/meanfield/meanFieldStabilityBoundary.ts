import { type PolicySpec, policyProperties, sampleCount } from "../../model/policy";
import { ParameterError, requireNumber } from "../../model/parameterError";
import { buildMeanFieldSystem } from "./buildMeanFieldSystem";
import { type FrontMotion, type FrontMotionOptions, meanFieldFrontMotion } from "./meanFieldFrontMotion";
import { type MeanFieldFixedPoint, meanFieldFixedPoint } from "./meanFieldFixedPoint";
import type { MeanFieldParams, MeanFieldSystem, MeanFieldVariant } from "./meanFieldSystem";

/** Options of `meanFieldStabilityBoundary`. */
export interface StabilityBoundaryOptions {
  /** Lower end of the search, in (0, 1): must give a descending front. Default min(0.5, 1/K) (Theorem 1's 1/K). */
  readonly lower?: number;
  /** Upper end of the search, in (lower, 1): should give an ascending front. Default 0.999. */
  readonly upper?: number;
  /** Bisection stops when each bracket is narrower than this; in [1e-8, 0.1], default 1e-4. */
  readonly tolerance?: number;
  /** Also bracket the lower edge of the pinning interval (largestDescending); default true. */
  readonly pinningInterval?: boolean;
  /** Passed to meanFieldFrontMotion. */
  readonly front?: FrontMotionOptions;
}

/** The mean-field stability boundary of ABOUNCE and how it was bracketed. */
export interface MeanFieldStabilityBoundary {
  readonly label: string;
  /**
   * Largest lambda verified not to escape (front descending or pinned): fixed points of finite mean exist
   * here. NaN when even `lower` escapes.
   */
  readonly largestFiniteMean: number;
  /** Smallest lambda verified to escape (front ascending): no fixed point of finite mean. NaN when `upper` does not escape. */
  readonly smallestEscaping: number;
  /** Largest lambda verified to have a descending front (below the pinning interval). NaN when `lower` is not descending or pinningInterval is false. */
  readonly largestDescending: number;
  /** Smallest lambda verified to have a pinned (or ascending) front; with largestDescending it brackets the pinning interval's lower edge. */
  readonly smallestNotDescending: number;
  /** The fixed point reached from the empty state at largestDescending (well resolved; undefined when NaN). */
  readonly fixedPointBelow?: MeanFieldFixedPoint;
  /** Each lambda tried and the front motion found there, in the order tried. */
  readonly trials: ReadonlyArray<{ readonly arrivalRate: number; readonly motion: FrontMotion; readonly averageVelocity: number }>;
  /** The criterion, in words. */
  readonly criterion: string;
}

/**
 * The mean-field stability boundary of ABOUNCE(C, d): the largest lambda for which the ODE system has a
 * fixed point of finite mean, by bisection on lambda with the front criterion of `meanFieldFrontMotion`.
 *
 * Criterion. A fixed point of finite mean exists iff the mass does not escape: a front far from empty (every
 * queue busy) must not ascend, i.e. its effective load lambda (1 + (K - 1) p_mig) must not exceed 1 (units are
 * conserved, so the mean length of a front moves at lambda (1 + (K - 1) p_mig) - 1; ABOUNCE's rule depends on
 * own - target only, so p_mig of a front does not depend on its height). On the integer lattice the front is
 * pinned (speed exactly 0) on an interval [lambda_1, lambda_2]: below lambda_1 it descends to the fixed point
 * near empty; inside, stationary fronts at every height are fixed points (of arbitrarily large mean), and the
 * one reached from the empty state is finite; above lambda_2 it ascends and no fixed point of finite mean
 * exists. So the boundary is lambda_2, bracketed by [largestFiniteMean, smallestEscaping]; lambda_1 is
 * bracketed by [largestDescending, smallestNotDescending]. The criterion needs no fixed point; inside the
 * pinning interval the relaxation from the empty state is slow (times of order 10^4) and several fixed points
 * coexist, which `meanFieldFixedPoint` resolves only one at a time.
 *
 * Measured (window W = 30, tolerance 1e-4): derived ABOUNCE(2,10), K = 2: lambda_1 in [0.78190, 0.78197],
 * lambda_2 in [0.78294, 0.78300]; the printed system (2) does not escape for lambda <= 0.999.
 *
 * Cost: about 25 front integrations at tolerance 1e-4, each 0.05 - 10 s (slowest next to the pinning edges);
 * 50 - 75 s for ABOUNCE(2,10), 3 s at tolerance 0.01 without the pinning interval.
 *
 * @param params K, an ABOUNCE policy (ParameterError for any other: the front criterion needs a rule that
 *   depends on own - target only), allowOutsidePaper; `variant` "derived" (default) or "printed" (eq. (2))
 * @param options search interval, tolerance, front options (ParameterError names a bad one)
 * @example
 * const b = meanFieldStabilityBoundary({ migrationPenalty: 2, policy: abounce(2, 10) }, { tolerance: 0.02, pinningInterval: false });
 * [b.largestFiniteMean, b.smallestEscaping] // => [0.7807, 0.7963] (a few seconds; the default tolerance gives [0.78294, 0.78300])
 */
export function meanFieldStabilityBoundary(
  params: Omit<MeanFieldParams, "arrivalRate"> & { readonly variant?: MeanFieldVariant },
  options: StabilityBoundaryOptions = {},
): MeanFieldStabilityBoundary {
  if (params === null || typeof params !== "object" || !isFrontCriterionPolicy(params.policy, params.migrationPenalty)) {
    throw new ParameterError("policy", params?.policy?.kind,
      "a sampling policy whose rule depends on own - target only (translation invariant, such as ABOUNCE; the front criterion needs it)");
  }
  const { variant, ...rest } = params;
  const K = params.migrationPenalty;
  const build = (lambda: number): MeanFieldSystem => buildMeanFieldSystem({ ...rest, arrivalRate: lambda }, variant ?? "derived");
  const probe = build(0.5); // validates K and the policy
  const lower = options.lower ?? Math.min(0.5, 1 / K);
  requireNumber("lower", lower, 0, 1);
  const upper = options.upper ?? 0.999;
  requireNumber("upper", upper, lower, 1);
  const tol = options.tolerance ?? 1e-4;
  requireNumber("tolerance", tol, 1e-8, 0.1, { loInclusive: true, hiInclusive: true });

  const trials: Array<{ arrivalRate: number; motion: FrontMotion; averageVelocity: number }> = [];
  const cache = new Map<number, FrontMotion>();
  const motionAt = (lambda: number): FrontMotion => {
    const known = cache.get(lambda);
    if (known !== undefined) return known;
    const r = meanFieldFrontMotion(build(lambda), options.front);
    trials.push({ arrivalRate: lambda, motion: r.motion, averageVelocity: r.averageVelocity });
    cache.set(lambda, r.motion);
    return r.motion;
  };
  // bisection on a predicate assumed false at a and true at b (narrowed first by the lambdas already tried)
  const bisect = (a: number, b: number, pred: (m: FrontMotion) => boolean): [number, number] => {
    for (const [lambda, m] of cache) {
      if (lambda > a && lambda < b) {
        if (pred(m)) b = lambda;
        else a = lambda;
      }
    }
    while (b - a > tol) {
      const mid = (a + b) / 2;
      if (pred(motionAt(mid))) b = mid;
      else a = mid;
    }
    return [a, b];
  };
  const ascending = (m: FrontMotion): boolean => m === "ascending";
  const notDescending = (m: FrontMotion): boolean => m !== "descending";

  let largestFiniteMean = NaN;
  let smallestEscaping = NaN;
  if (ascending(motionAt(lower))) {
    smallestEscaping = lower;
  } else if (!ascending(motionAt(upper))) {
    largestFiniteMean = upper;
  } else {
    [largestFiniteMean, smallestEscaping] = bisect(lower, upper, ascending);
  }
  let largestDescending = NaN;
  let smallestNotDescending = NaN;
  if (options.pinningInterval === false) {
    // skipped on request
  } else if (motionAt(lower) === "descending") {
    const top = Number.isNaN(smallestEscaping) ? upper : smallestEscaping;
    if (notDescending(motionAt(top))) [largestDescending, smallestNotDescending] = bisect(lower, top, notDescending);
    else largestDescending = top;
  } else {
    smallestNotDescending = lower;
  }
  const fixedPointBelow = Number.isNaN(largestDescending) ? undefined : meanFieldFixedPoint(build(largestDescending));
  const base = {
    label: probe.label.replace(/, lambda=.*$/, ""),
    largestFiniteMean,
    smallestEscaping,
    largestDescending,
    smallestNotDescending,
    trials,
    criterion:
      "front of busy queues (window of 2W levels, all queues starting at W): ascending (effective load > 1, mass escapes) " +
      "vs descending or pinned (a fixed point of finite mean exists); bisection on lambda to the stated tolerance",
  };
  return fixedPointBelow === undefined ? base : { ...base, fixedPointBelow };
}

/** A policy the front criterion applies to: it samples, and its rule depends on own - target only. */
function isFrontCriterionPolicy(policy: PolicySpec | undefined, migrationPenalty: number): boolean {
  if (policy === null || typeof policy !== "object" || typeof policy.kind !== "string") return false;
  try {
    return sampleCount(policy) > 0 && policyProperties(policy, migrationPenalty).translationInvariant;
  } catch {
    return false;
  }
}
