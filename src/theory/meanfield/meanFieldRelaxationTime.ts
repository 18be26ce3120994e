import { requireNumber } from "../../model/parameterError";
import { integrateMeanField } from "./integrateMeanField";
import { meanFieldFixedPoint } from "./meanFieldFixedPoint";
import type { MeanFieldSystem } from "./meanFieldSystem";

/** How long the mean-field transient from the empty state takes to settle. */
export interface MeanFieldRelaxation {
  /** First grid time t from which |mean(u) - mean*| <= tolerance x mean* holds for every grid time u in [t, 2t] (NaN when none <= maxTime). */
  readonly time: number;
  /** mean*: the fixed point's mean units per queue (NaN without a fixed point). */
  readonly fixedPointMean: number;
  readonly reached: boolean;
}

/**
 * The time the mean-field ODE needs, from the empty state (the simulator's initial state and the paper's
 * s_i(0) = 0), to bring the mean queue length within a relative `tolerance` of its fixed point, for choosing
 * simulation warm-ups: a run of n queues follows this transient up to O(1/sqrt(n)) fluctuations, so
 * statistics should start a few relaxation times later. Evaluated on a geometric grid (ratio 2^(1/8)) from
 * 0.5 up to `maxTime`; the time returned is the first grid time from which the criterion holds for every grid
 * time up to twice it (a transient that settles, leaves and settles again counts from its last settling
 * within that window). Cost: one fixed point plus an integration to about twice the relaxation time
 * (well under a second at moderate load; tens of seconds near lambda = 1, where transients last thousands of time units).
 *
 * @param system a derived or printed system with lambda in (0, 1)
 * @param options tolerance in (0, 1) (default 1e-3); maxTime > 0.5 (default 2e4 time units)
 * @example
 * meanFieldRelaxationTime(derivedMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) })).time
 * // => 82.99... (the fixed point's mean is 2.2354)
 */
export function meanFieldRelaxationTime(system: MeanFieldSystem, options: { readonly tolerance?: number; readonly maxTime?: number } = {}): MeanFieldRelaxation {
  const tolerance = requireNumber("tolerance", options.tolerance ?? 1e-3, 0, 1);
  const maxTime = requireNumber("maxTime", options.maxTime ?? 2e4, 0.5, 1e7);
  const fp = meanFieldFixedPoint(system);
  if (!fp.converged) return { time: NaN, fixedPointMean: NaN, reached: false };
  const target = fp.metrics.meanQueueLength;
  const levels = Math.max(fp.truncationLevel + 8, Math.ceil(1.5 * fp.truncationLevel));
  const ratio = 2 ** (1 / 8);
  // Integrate grid point by grid point (the ODE is autonomous, so each step restarts at time 0 from the
  // previous state) and stop once the criterion has held from t_k up to 2 t_k, or at maxTime.
  let state: Float64Array = new Float64Array(levels + 1);
  state[0] = 1;
  let t = 0;
  let settledAt = NaN;
  for (let next = 0.5; next <= maxTime * (1 + 1e-12); next *= ratio) {
    const trajectory = integrateMeanField(system, { times: [next - t], initial: state });
    state = trajectory.occupancy[0] as Float64Array;
    // The integrator's rounding can leave deep levels (~1e-70) a hair out of order; restore 1 >= s_1 >= s_2 >= ... >= 0,
    // a change far below any tolerance, so the state is a valid initial condition for the next piece.
    state[0] = 1;
    for (let i = 1; i < state.length; i++) state[i] = Math.min(Math.max(state[i] as number, 0), state[i - 1] as number);
    t = next;
    const ok = Math.abs((trajectory.meanQueueLength[0] as number) - target) <= tolerance * target;
    if (!ok) settledAt = NaN;
    else if (Number.isNaN(settledAt)) settledAt = t;
    if (!Number.isNaN(settledAt) && t >= 2 * settledAt) break;
  }
  if (Number.isNaN(settledAt)) return { time: NaN, fixedPointMean: target, reached: false };
  return { time: settledAt, fixedPointMean: target, reached: true };
}
