import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { type SystemParams, validateSystem } from "../../model/system";
import { type MeanEstimate, meanConfidenceInterval } from "../../statistics/confidenceInterval";
import { MONTE_CARLO_DRIFT_MAX_SAMPLES, MONTE_CARLO_DRIFT_WORK_LIMIT, requireChainArrivalRate, requireExactState } from "./chainBounds";
import { embeddedChainStepper } from "./embeddedChainStepper";
import { requireLyapunov } from "./exactDrift";
import type { LyapunovFunction } from "./lyapunovFunction";
import { requireState } from "./requireState";

/** A Monte Carlo drift estimate with its interval and how it was made. */
export interface MonteCarloDriftEstimate extends MeanEstimate {
  /** h, the number of steps of the embedded chain (1: the one-step drift). */
  readonly steps: number;
  /** The seed of the xoroshiro128+ stream. */
  readonly seed: number;
}

/**
 * Monte Carlo estimate of the h-step drift E[V(q(h)) | q(0) = q] - V(q) of the embedded chain (h = 1: the same
 * quantity as `exactDrift`), from `samples` independent paths simulated with `embeddedChainStepper` (explicit
 * sampling of the d queues, independent of the exact law). Each path's change V(q(h)) - V(q) is accumulated
 * from the per-step increments of V (no cancellation of large values); the interval is Student-t
 * (`meanConfidenceInterval`) over the i.i.d. path changes. The h-step drift is for functions whose one-step
 * drift is not negative everywhere but whose drift over h steps is. Reproducible from `seed` (one
 * xoroshiro128+ stream, paths drawn in order). Cost O(samples * h * (d + cost of an increment of V)): about
 * 0.5 microseconds plus 4-9 ns per queue per step. Bounds (refused before any work): lambda in [2^-33, 2^33]
 * (EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE, where the exact and the sampled event probabilities agree), queue
 * lengths within V's exact range after h steps of up to K units (requireExactState), samples <= 2^25
 * (memory), and a work samples x h x (1 + n / 100) <= MONTE_CARLO_DRIFT_WORK_LIMIT = 2e7 (about 10 s) unless
 * `force`.
 *
 * @param lyapunov V
 * @param state q (non-negative integers, length n; not mutated)
 * @param params the system (validated; lambda in [2^-33, 2^33])
 * @param options samples: integer in [2, 2^25] (default 10000); steps: h, integer in [1, 1e9] (default 1);
 *   seed: integer in [0, 2^31 - 1] (default 1); level in (0, 1) (default 0.95); force: lift the work limit
 * @returns mean, ci95 (at `level`), halfWidth, count, standardDeviation, steps, seed
 * @throws ParameterError naming the parameter at fault
 * @example
 * const V = theorem3LyapunovFunction(2);
 * const sys = { queues: 2, arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, Infinity) };
 * monteCarloDrift(V, [10, 10], sys, { samples: 100000, seed: 7 }).ci95 // => [0.74504, 0.99256]
 * exactDrift(V, [10, 10], sys) // => 0.9473... (inside the interval)
 */
export function monteCarloDrift(
  lyapunov: LyapunovFunction,
  state: readonly number[],
  params: SystemParams,
  options: { readonly samples?: number; readonly steps?: number; readonly seed?: number; readonly level?: number; readonly force?: boolean } = {},
): MonteCarloDriftEstimate {
  validateSystem(params);
  requireChainArrivalRate(params.arrivalRate);
  const q0 = requireState(state, params.queues);
  const V = requireLyapunov(lyapunov, params.queues);
  const samples = requireInteger("samples", options.samples ?? 10_000, 2, MONTE_CARLO_DRIFT_MAX_SAMPLES);
  const steps = requireInteger("steps", options.steps ?? 1, 1, 1e9);
  const seed = requireInteger("seed", options.seed ?? 1, 0, 2 ** 31 - 1);
  const level = requireNumber("level", options.level ?? 0.95, 0, 1);
  const force = options.force ?? false;
  if (typeof force !== "boolean") throw new ParameterError("force", force, "true or false");
  requireExactState(V, q0, params.migrationPenalty, steps);
  const perPath = steps * (1 + params.queues / 100);
  if (samples * perPath > MONTE_CARLO_DRIFT_WORK_LIMIT && !force) {
    const largest = Math.floor(MONTE_CARLO_DRIFT_WORK_LIMIT / perPath);
    const seconds = Math.round(samples * perPath * 0.5e-6);
    if (largest < 2) {
      const most = Math.floor(MONTE_CARLO_DRIFT_WORK_LIMIT / (2 * (1 + params.queues / 100)));
      throw new ParameterError("steps", steps, `at most ${most} with n = ${params.queues} (2 samples or more): samples x steps x (1 + n / 100) <= ${MONTE_CARLO_DRIFT_WORK_LIMIT} without force`,
        `this estimate would take about ${seconds} s; pass force: true (CLI --force), or fewer steps`);
    }
    throw new ParameterError("samples", samples,
      `at most ${largest} with ${steps} step(s) and n = ${params.queues}: samples x steps x (1 + n / 100) <= ${MONTE_CARLO_DRIFT_WORK_LIMIT} without force`,
      `this estimate would take about ${seconds} s; pass force: true (CLI --force), or fewer samples or steps`);
  }
  const step = embeddedChainStepper(params);
  const generator = xoroshiro128plus(seed);
  const changes = new Float64Array(samples);
  const q = q0.slice();
  for (let k = 0; k < samples; k++) {
    for (let i = 0; i < q.length; i++) q[i] = q0[i] as number;
    let change = 0;
    for (let t = 0; t < steps; t++) {
      const move = step(q, generator);
      // V(after) - V(before) = -(V(after - delta e_i) - V(after))
      if (move.index >= 0) change -= V.increment(q, move.index, -move.delta);
    }
    changes[k] = change;
  }
  return { ...meanConfidenceInterval(changes, level), steps, seed };
}
