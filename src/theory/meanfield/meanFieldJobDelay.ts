import type { PolicySpec } from "../../model/policy";
import { derivedMeanFieldSystem } from "./derivedMeanFieldSystem";
import { type MeanFieldFixedPointOptions, meanFieldFixedPoint } from "./meanFieldFixedPoint";

/** The mean-field (n -> infinity) delay of a policy, or why there is none. */
export interface MeanFieldJobDelay {
  /** True when the derived system has a fixed point of finite mean reached from the empty state. */
  readonly converged: boolean;
  /** Mean time from a job's arrival to the completion of its last unit under FIFO (NaN when not converged). */
  readonly meanJobDelay: number;
  /** Mean units per queue (NaN when not converged). */
  readonly meanQueueLength: number;
  /** P(an arrival migrates) (NaN when not converged). */
  readonly migrationProbability: number;
  /** Why there is no delay, when not converged. */
  readonly failure: string | null;
}

/**
 * The per-job FIFO delay of the mean-field limit of a policy: the fixed point that the ODE derived from the
 * policy's rule (derivedMeanFieldSystem, Section IV's method applied to Section II's rules) reaches from the
 * empty state (meanFieldFixedPoint), read through meanFieldMetrics.meanJobDelayFifo, which is the quantity
 * the simulator's meanDelay estimates (arrival to the departure of the job's last unit, FIFO queues).
 * Without a fixed point of finite mean (ABOUNCE beyond its mean-field stability boundary) the delay is NaN and
 * `failure` says why. Cost: one fixed point, milliseconds to a few seconds (slow when mass escapes slowly).
 *
 * @param params lambda in (0, 1), K an integer >= 1, a policy valid for K (ParameterError otherwise)
 * @param options passed to meanFieldFixedPoint
 * @example
 * meanFieldJobDelay({ arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, 10) }).meanJobDelay // => 9.4189... (no sharing: 10)
 */
export function meanFieldJobDelay(
  params: { readonly arrivalRate: number; readonly migrationPenalty: number; readonly policy: PolicySpec },
  options: MeanFieldFixedPointOptions = {},
): MeanFieldJobDelay {
  const system = derivedMeanFieldSystem({ arrivalRate: params.arrivalRate, migrationPenalty: params.migrationPenalty, policy: params.policy });
  const fp = meanFieldFixedPoint(system, options);
  if (!fp.converged) {
    return { converged: false, meanJobDelay: NaN, meanQueueLength: NaN, migrationProbability: NaN, failure: fp.failure ?? "no fixed point of finite mean" };
  }
  return {
    converged: true,
    meanJobDelay: fp.metrics.meanJobDelayFifo,
    meanQueueLength: fp.metrics.meanQueueLength,
    migrationProbability: fp.metrics.migrationProbability,
    failure: null,
  };
}
