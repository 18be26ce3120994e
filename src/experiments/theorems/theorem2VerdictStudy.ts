import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { abounce } from "../../model/policy";
import type { SystemParams } from "../../model/system";
import { exactTwoQueueThreshold } from "../../theory/thresholds/exactTwoQueueThreshold";
import { requireIntegerThreshold, theorem2LambdaStar } from "../../theory/thresholds/theorem2LambdaStar";
import { twoQueueDifferenceLaw } from "../../theory/thresholds/twoQueueDifferenceLaw";
import type { CacheOptions } from "../resultCache";
import { type StudyPoint, simulatePoints } from "../simulatePoints";

/** One simulated rate of the Theorem 2 study, beside what Theorem 2 and the exact threshold predict. */
export interface Theorem2VerdictRow {
  readonly migrationPenalty: number;
  readonly threshold: number;
  /** Theorem 2's lambda*(K, C). */
  readonly lambdaStar: number;
  /** The exact two-queue threshold lambda_c (`exactTwoQueueThreshold`). */
  readonly exactThreshold: number;
  readonly arrivalRate: number;
  /** "between": lambda* < lambda < lambda_c (Theorem 2 and the exact threshold disagree); "above": lambda > lambda_c. */
  readonly region: "between" | "above";
  /** lambda = lambda* + gapFraction (lambda_c - lambda*) for "between" rows, else null. */
  readonly gapFraction: number | null;
  /** lambda = lambda_c + offset for "above" rows, else null. */
  readonly offset: number | null;
  /** Post-warm-up events per replication used for this rate. */
  readonly eventsPerReplication: number;
  /**
   * The mean growth of the work per queue per unit time while both queues are long:
   * (lambda (2 + (K - 1) P(|D| > C)) - 2) / 2, with P from the D-chain's stationary law (`twoQueueDifferenceLaw`).
   * Negative below lambda_c (the system then does not stay long), positive above.
   */
  readonly predictedGrowthPerQueue: number;
  /** P(|D| > C)/2: the fraction of arrivals that migrate while both queues are long. */
  readonly predictedMigratingFraction: number;
  /** The simulation (verdict, growth rate and means with 95% intervals). */
  readonly point: StudyPoint;
}

/**
 * Simulates ABOUNCE(C, infinity) with n = 2 at arrival rates between Theorem 2's lambda* and the exact
 * threshold lambda_c (where Theorem 2 claims null recurrence or transience and the exact threshold says
 * positive recurrence) and above lambda_c (where both say unstable), and pairs each simulation with the exact
 * long-queue predictions. Every run starts empty (Section II), uses the embedded-chain clock (`clock:
 * "events"`, exact for rates and means) and no delay tracking; verdicts come from `stabilityVerdict` (a 95%
 * test with band +-`stabilityTolerance` per queue per unit time).
 *
 * Budgets. Near lambda_c a stable system's level fluctuates on a scale that grows like 1/(lambda_c - lambda),
 * so the growth-rate interval of a run of T events shrinks like 1/((lambda_c - lambda) T). A rate between the
 * thresholds therefore gets `eventsTimesDistance / (lambda_c - lambda)` events per replication (rounded,
 * clamped to [minEvents, maxEvents]); a rate above lambda_c gets `aboveEvents`.
 * Cost: the simulations (sum of budgets times replications, about 1e7 events per second and core for n = 2),
 * each cached under `study` as in `simulatePoints`; the theory is O(C + K) per rate.
 *
 * @param options pairs: [K, C] with K an integer >= 2 and C an integer >= K; gapFractions: each in (0, 1);
 *   aboveOffsets: each > 0 with lambda_c + offset < 1; eventsTimesDistance > 0; aboveEvents, minEvents
 *   (default 1e5), maxEvents (default 2^40): integers >= 1; replications (default 4), seed (default 1; the k-th rate of the plan uses seed + k, so rates are independent), study
 *   (default "theorem2-verdicts"), stabilityTolerance (default the simulator's, 1e-3), cache, onProgress(done, total)
 * @returns one row per (pair, rate): the pair's "between" rates first, then its "above" rates
 * @throws ParameterError naming the option at fault, before any simulation
 * @example
 * const rows = await theorem2VerdictStudy({ pairs: [[3, 5]], gapFractions: [0.5], aboveOffsets: [0.01],
 *   eventsTimesDistance: 2e5, aboveEvents: 4e6, replications: 4, seed: 1 });
 * rows.map((r) => [r.arrivalRate, r.point.stability.verdict, r.predictedGrowthPerQueue])
 * // => [[0.90208, "stable", -0.01082], [0.92235, "unstable", 0.01053]]   (rounded; 19,466,808 events per
 * //    replication at the first rate, about 4 s in all)
 */
export async function theorem2VerdictStudy(options: {
  readonly pairs: readonly (readonly [number, number])[];
  readonly gapFractions: readonly number[];
  readonly aboveOffsets: readonly number[];
  readonly eventsTimesDistance: number;
  readonly aboveEvents: number;
  readonly minEvents?: number;
  readonly maxEvents?: number;
  readonly replications?: number;
  readonly seed?: number;
  readonly study?: string;
  readonly stabilityTolerance?: number;
  readonly cache?: CacheOptions;
  readonly onProgress?: (done: number, total: number) => void;
}): Promise<Theorem2VerdictRow[]> {
  if (!Array.isArray(options.pairs) || options.pairs.length === 0) {
    throw new ParameterError("pairs", options.pairs, "a non-empty array of [K, C] pairs");
  }
  const scale = requireNumber("eventsTimesDistance", options.eventsTimesDistance, 0, Infinity);
  const aboveEvents = requireInteger("aboveEvents", options.aboveEvents, 1, 2 ** 50);
  const minEvents = requireInteger("minEvents", options.minEvents ?? 1e5, 1, 2 ** 50);
  const maxEvents = requireInteger("maxEvents", options.maxEvents ?? 2 ** 40, minEvents, 2 ** 50);
  const replications = requireInteger("replications", options.replications ?? 4, 1, 10_000);
  const seed = requireInteger("seed", options.seed ?? 1, 0, 0xffffffff);
  if (!Array.isArray(options.gapFractions)) throw new ParameterError("gapFractions", options.gapFractions, "an array of numbers in (0, 1)");
  if (!Array.isArray(options.aboveOffsets)) throw new ParameterError("aboveOffsets", options.aboveOffsets, "an array of numbers in (0, 1)");
  for (const f of options.gapFractions) requireNumber("gapFractions", f, 0, 1);
  for (const o of options.aboveOffsets) requireNumber("aboveOffsets", o, 0, 1);

  interface Plan {
    readonly row: Omit<Theorem2VerdictRow, "point">;
    readonly system: SystemParams;
  }
  const plans: Plan[] = [];
  for (const pair of options.pairs) {
    const K = requireInteger("migrationPenalty (K)", pair[0], 2);
    const C = requireIntegerThreshold(pair[1], K);
    const lambdaStar = theorem2LambdaStar(K, C);
    const lambdaC = exactTwoQueueThreshold(K, C).criticalArrivalRate;
    const add = (lambda: number, region: "between" | "above", gapFraction: number | null, offset: number | null, events: number): void => {
      const law = twoQueueDifferenceLaw(lambda, K, C);
      plans.push({
        row: {
          migrationPenalty: K, threshold: C, lambdaStar, exactThreshold: lambdaC, arrivalRate: lambda, region,
          gapFraction, offset, eventsPerReplication: events,
          predictedGrowthPerQueue: (law.workInflowRate - 2) / 2,
          predictedMigratingFraction: law.migratingArrivalFraction,
        },
        system: { queues: 2, arrivalRate: lambda, migrationPenalty: K, policy: abounce(C, Infinity) },
      });
    };
    for (const f of options.gapFractions) {
      const lambda = lambdaStar + f * (lambdaC - lambdaStar);
      const events = Math.min(maxEvents, Math.max(minEvents, Math.round(scale / (lambdaC - lambda))));
      add(lambda, "between", f, null, events);
    }
    for (const o of options.aboveOffsets) {
      const lambda = lambdaC + o;
      if (!(lambda < 1)) {
        throw new ParameterError("aboveOffsets", o, `an offset with lambda_c + offset < 1 (lambda_c = ${lambdaC} for K = ${K}, C = ${C})`);
      }
      add(lambda, "above", null, o, aboveEvents);
    }
  }

  const rows: Theorem2VerdictRow[] = [];
  options.onProgress?.(0, plans.length);
  for (const [k, plan] of plans.entries()) {
    const [point] = await simulatePoints(options.study ?? "theorem2-verdicts", [plan.system], {
      events: plan.row.eventsPerReplication,
      replications,
      seed: (seed + k) % 2 ** 32,
      clock: "events",
      trackDelays: false,
      ...(options.stabilityTolerance !== undefined ? { stabilityTolerance: options.stabilityTolerance } : {}),
      ...(options.cache !== undefined ? { cache: options.cache } : {}),
    });
    rows.push({ ...plan.row, point: point as StudyPoint });
    options.onProgress?.(rows.length, plans.length);
  }
  return rows;
}
