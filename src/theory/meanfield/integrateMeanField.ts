import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { integrateDormandPrince } from "./dormandPrince";
import { meanFieldDrift } from "./meanFieldDrift";
import { meanFieldFixedPoint } from "./meanFieldFixedPoint";
import type { MeanFieldSystem } from "./meanFieldSystem";

/** Options of `integrateMeanField`. */
export interface MeanFieldTrajectoryOptions {
  /** Output times: finite, >= 0, strictly increasing (the integration starts at t = 0). Required. */
  readonly times: ArrayLike<number>;
  /**
   * Truncation level L (levels 0..L): integer in [1, 20000]. Default: 1.5 times the fixed point's truncation
   * level plus 8 when lambda < 1 and a fixed point of finite mean is found, else 256. Check `topLevelMax`.
   */
  readonly levels?: number;
  /** Initial state s_0..s_L (s_0 = 1, non-increasing, in [0, 1]); default the empty state (1, 0, 0, ...). */
  readonly initial?: ArrayLike<number>;
  /** Relative tolerance of the integrator: in [1e-13, 1e-3], default 1e-9 (absolute tolerance 1e-3 of it). */
  readonly relativeTolerance?: number;
}

/** A trajectory of the mean-field ODE at the requested times. */
export interface MeanFieldTrajectory {
  readonly label: string;
  readonly times: Float64Array;
  /** occupancy[k] = s(t_k), levels 0..L. */
  readonly occupancy: Float64Array[];
  /** sum_{i>=1} s_i(t_k): mean units per queue. */
  readonly meanQueueLength: Float64Array;
  /** L. */
  readonly levels: number;
  /** max_k s_L(t_k): the mass at the truncation level (units above L are lost; keep this small). */
  readonly topLevelMax: number;
}

/**
 * Integrates a mean-field system (Section IV) in time, by default from the empty state s = (1, 0, 0, ...),
 * the paper's initial condition, for transient curves. Dormand-Prince 5(4) with adaptive steps, stepping
 * exactly to each output time. The truncation at L is the buffer-L system (see derivedMeanFieldSystem);
 * `topLevelMax` tells whether it mattered.
 *
 * Cost: O(L min(K, L)) per right-hand side, 6 per step; steps grow to about 1 time unit near steady state,
 * so O(t_max) steps (plus a fixed-point solve when `levels` is not given).
 *
 * @param system a derived or printed system (any lambda > 0)
 * @param options output times (required), truncation, initial state, tolerance; ParameterError names a bad one
 * @example
 * const sys = derivedMeanFieldSystem({ arrivalRate: 0.5, migrationPenalty: 2, policy: noSharing() });
 * integrateMeanField(sys, { times: [0, 1, 50] }).meanQueueLength
 * // => Float64Array [0, 0.3347446662..., 0.9992418490...] (M/M/1 fluid from empty; its fixed point has mean 1)
 */
export function integrateMeanField(system: MeanFieldSystem, options: MeanFieldTrajectoryOptions): MeanFieldTrajectory {
  if (options === null || typeof options !== "object" || options.times === undefined) {
    throw new ParameterError("times", options?.times, "an increasing array of times >= 0");
  }
  const times = Float64Array.from(options.times);
  if (times.length === 0) throw new ParameterError("times", [], "an increasing array of times >= 0 (at least one)");
  for (let k = 0; k < times.length; k++) {
    const t = times[k] as number;
    if (!Number.isFinite(t) || t < 0 || (k > 0 && !(t > (times[k - 1] as number)))) {
      throw new ParameterError("times", Array.from(times), "finite, >= 0, strictly increasing", `entry ${k} = ${t}`);
    }
  }
  const rtol = options.relativeTolerance ?? 1e-9;
  requireNumber("relativeTolerance", rtol, 1e-13, 1e-3, { loInclusive: true, hiInclusive: true });
  let L: number;
  if (options.levels !== undefined) {
    L = requireInteger("levels", options.levels, 1, 20000);
  } else if (options.initial !== undefined) {
    L = options.initial.length - 1;
  } else {
    L = 256;
    if (system.arrivalRate < 1) {
      const fp = meanFieldFixedPoint(system);
      if (fp.converged) L = Math.ceil(1.5 * fp.truncationLevel) + 8;
    }
  }
  let s: Float64Array = new Float64Array(L + 1);
  if (options.initial !== undefined) {
    const init = options.initial;
    if (init.length !== L + 1) throw new ParameterError("initial", `length ${init.length}`, `length levels + 1 = ${L + 1}`);
    for (let i = 0; i <= L; i++) {
      const v = init[i] as number;
      const prev = i === 0 ? 1 : (init[i - 1] as number);
      if (!(v >= 0 && v <= 1) || (i === 0 && v !== 1) || v > prev) {
        throw new ParameterError("initial", `s_${i} = ${v}`, "s_0 = 1 and 1 >= s_1 >= s_2 >= ... >= 0");
      }
      s[i] = v;
    }
  } else {
    s[0] = 1;
  }
  const rhs = (y: Float64Array, out: Float64Array): void => void meanFieldDrift(system, y, out);
  const occupancy: Float64Array[] = [];
  const mean = new Float64Array(times.length);
  let t = 0;
  let h = 0.01;
  let topLevelMax = 0;
  for (let k = 0; k < times.length; k++) {
    const target = times[k] as number;
    if (target > t) {
      const r = integrateDormandPrince(rhs, s, t, target, { relativeTolerance: rtol, absoluteTolerance: rtol * 1e-3, initialStep: h });
      s = r.y;
      h = r.nextStep;
      t = target;
    }
    occupancy.push(Float64Array.from(s));
    let total = 0;
    for (let i = L; i >= 1; i--) total += s[i] as number;
    mean[k] = total;
    topLevelMax = Math.max(topLevelMax, s[L] as number);
  }
  return { label: system.label, times, occupancy, meanQueueLength: mean, levels: L, topLevelMax };
}
