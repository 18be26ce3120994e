import { requireInteger, requireNumber } from "../../model/parameterError";
import { abounce } from "../../model/policy";
import type { SystemParams } from "../../model/system";
import { exactTwoQueueThreshold } from "../thresholds/exactTwoQueueThreshold";
import { requireIntegerThreshold, theorem2LambdaStar } from "../thresholds/theorem2LambdaStar";
import { exactDriftOfValidated } from "./exactDrift";
import { type Theorem2Set, theorem2SetOf } from "./theorem2ConditionCheck";
import { theorem2LyapunovFunction } from "./theorem2LyapunovFunction";

/** An interval of arrival rates; `from`/`to` are refined boundaries or the ends of the scanned range. */
export interface RateInterval {
  readonly from: number;
  readonly to: number;
}

/** The arrival rates at which condition (I) of Theorem 2's proof holds on a region, overall and set by set. */
export interface Theorem2ConditionOneRates {
  readonly migrationPenalty: number;
  readonly threshold: number;
  readonly maxTotal: number;
  /** Theorem 2's lambda*(K, C). */
  readonly lambdaStar: number;
  /** The exact two-queue threshold (`exactTwoQueueThreshold`). */
  readonly exactThreshold: number;
  /** The scan: at each grid rate, whether (I) holds on the whole region and the sets where it fails. */
  readonly grid: readonly { readonly arrivalRate: number; readonly holds: boolean; readonly failingSets: readonly Theorem2Set[] }[];
  /** Where (I) holds on the whole region (boundaries refined by bisection to `bisectionTolerance`). */
  readonly holdingIntervals: readonly RateInterval[];
  /** The same, set by set (A, B_0..B_C, U as in `theorem2ConditionCheck`). */
  readonly bySet: readonly { readonly set: Theorem2Set; readonly holdingIntervals: readonly RateInterval[] }[];
}

/**
 * The set of arrival rates lambda in (lo, hi) for which condition (I) of the proof of Theorem 2
 * (Delta V(q) >= 0 for q != 0, exact drift of `theorem2LyapunovFunction` under ABOUNCE(C, infinity), n = 2)
 * holds on every state with q1 + q2 <= N, and the same for each set of the proof. The rates are scanned on
 * `gridPoints` equally spaced interior points of (lo, hi); wherever the verdict changes between neighbours the
 * boundary is refined by bisection on the verdict (which locates one change in that cell; a cell holding two
 * changes would be seen as none, so use a fine grid). An interval touching the scanned range's end reports the
 * outermost grid point, not a refined boundary.
 *
 * Cost O((gridPoints + number of boundaries * log2(1/bisectionTolerance)) * N^2) exact drifts.
 *
 * @param options migrationPenalty: K, integer >= 1; threshold: C, integer >= K; maxTotal: N, integer in
 *   [1, 2000]; range: [lo, hi] with 0 <= lo < hi <= 1 (default [0, 1]); gridPoints: integer in [2, 10000]
 *   (default 99); bisectionTolerance in (0, 0.01] (default 1e-7); tolerance >= 0 (default 1e-9)
 * @returns the scan, the holding intervals overall and per set
 * @throws ParameterError naming the parameter at fault
 * @example
 * const r = theorem2ConditionOneRates({ migrationPenalty: 2, threshold: 2, maxTotal: 30 });
 * r.holdingIntervals // => []  (B_0 fails for every lambda < 1)
 * r.bySet.find((s) => s.set === "A")!.holdingIntervals // => [{ from: 0.8603796..., to: 0.99 }]
 */
export function theorem2ConditionOneRates(options: {
  readonly migrationPenalty: number;
  readonly threshold: number;
  readonly maxTotal: number;
  readonly range?: readonly [number, number];
  readonly gridPoints?: number;
  readonly bisectionTolerance?: number;
  readonly tolerance?: number;
}): Theorem2ConditionOneRates {
  const K = requireInteger("migrationPenalty (K)", options.migrationPenalty, 1);
  const C = requireIntegerThreshold(options.threshold, K);
  const N = requireInteger("maxTotal (N)", options.maxTotal, 1, 2000);
  const range = options.range ?? [0, 1];
  const lo = requireNumber("range[0]", range[0], 0, 1, { loInclusive: true });
  const hi = requireNumber("range[1]", range[1], lo, 1, { hiInclusive: true });
  const G = requireInteger("gridPoints", options.gridPoints ?? 99, 2, 10_000);
  const bisectionTolerance = requireNumber("bisectionTolerance", options.bisectionTolerance ?? 1e-7, 0, 0.01, { hiInclusive: true });
  const tolerance = requireNumber("tolerance", options.tolerance ?? 1e-9, 0, Infinity, { loInclusive: true });

  const sets: Theorem2Set[] = ["A", ...Array.from({ length: C + 1 }, (_, l) => `B_${l}`), "U"];
  const members = new Map<Theorem2Set, number[][]>(sets.map((s) => [s, []]));
  for (let total = 1; total <= N; total++) {
    for (let q1 = total; q1 >= 0; q1--) members.get(theorem2SetOf(q1, total - q1, C))!.push([q1, total - q1]);
  }
  const present = sets.filter((s) => members.get(s)!.length > 0);

  const holdsOn = (set: Theorem2Set, lambda: number): boolean => {
    const V = theorem2LyapunovFunction(lambda, C);
    const params: SystemParams = { queues: 2, arrivalRate: lambda, migrationPenalty: K, policy: abounce(C, Infinity) };
    for (const q of members.get(set)!) if (exactDriftOfValidated(V, q, params) < -tolerance) return false;
    return true;
  };
  const holdsAll = (lambda: number): boolean => present.every((s) => holdsOn(s, lambda));

  const rates = Array.from({ length: G }, (_, k) => lo + ((hi - lo) * (k + 1)) / (G + 1));
  const verdicts = new Map<Theorem2Set, boolean[]>(present.map((s) => [s, rates.map((r) => holdsOn(s, r))]));
  const overall = rates.map((_, k) => present.every((s) => verdicts.get(s)![k] === true));

  const intervals = (flags: readonly boolean[], predicate: (lambda: number) => boolean): RateInterval[] => {
    const out: RateInterval[] = [];
    const refine = (a: number, b: number, holdsAtA: boolean): number => {
      let x = a;
      let y = b;
      while (y - x > bisectionTolerance) {
        const mid = 0.5 * (x + y);
        if (predicate(mid) === holdsAtA) x = mid;
        else y = mid;
      }
      return 0.5 * (x + y);
    };
    let start: number | undefined;
    for (let k = 0; k < flags.length; k++) {
      const here = flags[k] === true;
      const before = k > 0 && flags[k - 1] === true;
      if (here && !before) start = k === 0 ? (rates[0] as number) : refine(rates[k - 1] as number, rates[k] as number, false);
      if (!here && before && start !== undefined) {
        out.push({ from: start, to: refine(rates[k - 1] as number, rates[k] as number, true) });
        start = undefined;
      }
    }
    if (start !== undefined) out.push({ from: start, to: rates[rates.length - 1] as number });
    return out;
  };

  return {
    migrationPenalty: K,
    threshold: C,
    maxTotal: N,
    lambdaStar: theorem2LambdaStar(K, C),
    exactThreshold: exactTwoQueueThreshold(K, C).criticalArrivalRate,
    grid: rates.map((r, k) => ({ arrivalRate: r, holds: overall[k] === true, failingSets: present.filter((s) => verdicts.get(s)![k] !== true) })),
    holdingIntervals: intervals(overall, holdsAll),
    bySet: present.map((s) => ({ set: s, holdingIntervals: intervals(verdicts.get(s)!, (l) => holdsOn(s, l)) })),
  };
}
