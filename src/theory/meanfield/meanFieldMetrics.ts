import type { MeanFieldSystem } from "./meanFieldSystem";

/** Performance measures read off a mean-field state (normally a fixed point). */
export interface MeanFieldMetrics {
  /** sum_{i>=1} s_i: mean number of units (exp(1) jobs) per queue. */
  readonly meanQueueLength: number;
  /** P(an arrival joins its own queue). */
  readonly stayProbability: number;
  /** p_mig = P(an arrival is sent to another queue as K units). */
  readonly migrationProbability: number;
  /**
   * 1 - stay - migrate: the fraction of arrivals the system's terms neither keep nor send. 0 (to rounding)
   * for the derived system; positive for the printed systems (1), (2), whose stay and migration terms follow
   * different rules.
   */
  readonly unaccountedArrivalProbability: number;
  /** lambda (stay + K migrate): units arriving per queue per unit time; lambda (1 + (K-1) p_mig) when derived. */
  readonly unitArrivalRate: number;
  /** s_1: units served per queue per unit time. At a fixed point it equals unitArrivalRate (conservation). */
  readonly unitThroughput: number;
  /**
   * Little's law for units: meanQueueLength / unitArrivalRate, the mean time a unit spends in the system.
   * Holds for any work-conserving discipline. This is a per-unit delay: a migrated job contributes K units.
   */
  readonly meanUnitDelay: number;
  /**
   * Mean time from a job's arrival to the completion of its last unit, under FIFO service (derived systems
   * only; NaN for the printed ones, which follow no single rule):
   *   sum_j (s_j - s_{j+1}) [ stay(j) (j + 1) + sum_{m : rule(j,m)} P(min = m) (m + K) ],
   * because under FIFO with exp(1) services a job that finds j units ahead (memorylessness makes the one in
   * service a fresh exp(1)) leaves after j + 1 services, and a migrated job's K units leave after m + K
   * services of the target, m its length. Arrivals see the stationary marginal (PASTA) and samples are
   * independent of it (the mean-field independence assumption). With K = 1 it equals meanUnitDelay
   * (Little's law for jobs); with K > 1 it is a different quantity and depends on the discipline.
   */
  readonly meanJobDelayFifo: number;
  /** Words saying which delay is which (for tables and the CLI). */
  readonly delayDefinition: string;
}

/**
 * The performance measures of a mean-field state: mean queue length, migration probability, unit
 * throughput, per-unit delay by Little's law and per-job FIFO delay (definitions on `MeanFieldMetrics`).
 * Cost O(L min(K, L)).
 *
 * @param system a derived or printed system
 * @param s a state, length L + 1, s[0] = 1, non-increasing, in [0, 1] (not mutated); at a state that is
 *   not a fixed point the numbers are those of the instant, and unitArrivalRate differs from unitThroughput
 * @example
 * const sys = derivedMeanFieldSystem({ arrivalRate: 0.5, migrationPenalty: 2, policy: noSharing() });
 * const s = Float64Array.from({ length: 60 }, (_, i) => 0.5 ** i);
 * meanFieldMetrics(sys, s).meanUnitDelay // => 2 (M/M/1: 1/(1 - lambda) = 2)
 */
export function meanFieldMetrics(system: MeanFieldSystem, s: Float64Array): MeanFieldMetrics {
  const L = s.length - 1;
  let mean = 0;
  for (let i = L; i >= 1; i--) mean += s[i] as number; // smallest first
  const { stay, migrate } = system.arrivalOutcomes(s);
  const lambda = system.arrivalRate;
  const K = system.migrationPenalty;
  const unitArrivalRate = lambda * (stay + K * migrate);
  const fifo = system.fifoJobDelay(s);
  return {
    meanQueueLength: mean,
    stayProbability: stay,
    migrationProbability: migrate,
    unaccountedArrivalProbability: 1 - stay - migrate,
    unitArrivalRate,
    unitThroughput: L >= 1 ? (s[1] as number) : 0,
    meanUnitDelay: mean / unitArrivalRate,
    meanJobDelayFifo: fifo,
    delayDefinition:
      "meanUnitDelay = mean units per queue / (lambda (stay + K p_mig)) (Little's law per unit, any work-conserving " +
      "discipline); meanJobDelayFifo = mean time from a job's arrival to the completion of its last unit under FIFO " +
      (system.variant === "derived" ? "(equal to meanUnitDelay when K = 1)" : "(not defined for the printed system)"),
  };
}
