import { requireInteger, requireNumber } from "../../model/parameterError";
import { integrateDormandPrince } from "./dormandPrince";
import { meanFieldDrift } from "./meanFieldDrift";
import type { MeanFieldSystem } from "./meanFieldSystem";

/** How a front (every queue at the same length, far from empty) evolves under the mean-field ODE. */
export type FrontMotion = "ascending" | "descending" | "pinned" | "undecided";

/** Options of `meanFieldFrontMotion`. */
export interface FrontMotionOptions {
  /** Half-width W of the window of levels kept around the front: integer in [10, 1000], default 30. */
  readonly window?: number;
  /** Displacement (levels) that decides "ascending"/"descending": (0, W/2], default 3. */
  readonly displacement?: number;
  /** max |ds/dt| below which the front counts as stationary ("pinned"): > 0, default 1e-9. */
  readonly stationaryTolerance?: number;
  /** Time budget: > 0, default 1e5 (then "undecided"). */
  readonly maxTime?: number;
}

/** Result of `meanFieldFrontMotion`. */
export interface FrontMotionResult {
  readonly motion: FrontMotion;
  /** Net displacement of the mean queue length (levels) when the run stopped. */
  readonly displacement: number;
  /** Time integrated. */
  readonly time: number;
  /** displacement / time: the front's average speed (levels per unit time). */
  readonly averageVelocity: number;
  /** The front's occupancy profile in the window when the run stopped (s_0..s_{2W}, levels relative to the window). */
  readonly profile: Float64Array;
}

/**
 * Whether the mean-field mass escapes to infinity, decided on a front far from the empty state: all queues
 * start at length W in a window of 2W levels, the ODE is integrated, and the window is re-centred on the front
 * (an exact shift of the levels) whenever it drifts by more than 4 levels. The front is
 * - "ascending" when its mean length has risen by more than `displacement` levels,
 * - "descending" when it has fallen by more than that,
 * - "pinned" when max |ds/dt| drops below `stationaryTolerance`: a stationary front, i.e. a fixed point in
 *   which every queue is busy, which exists at every height,
 * - "undecided" when maxTime runs out first.
 *
 * Why this decides stability. Far from empty (s_1 = 1 to double precision) every queue is busy, so the mean
 * length moves at d/dt sum_i s_i = lambda (1 + (K - 1) p_mig) - 1 (conservation of units), and for a rule that
 * depends on own - target only (ABOUNCE, the printed system (2) above level K) nothing else depends on the
 * height. An ascending front has effective load > 1 and never returns; a descending one has effective load < 1
 * and comes down to the fixed point near empty. On the lattice of queue lengths a front can also be pinned
 * (propagation failure of discrete travelling waves): its speed is exactly 0 for a whole interval of lambda,
 * and stationary fronts at every height are fixed points of arbitrarily large mean. For a rule that is not
 * translation invariant (MBOUNCE) the answer describes the height W only.
 *
 * Cost: O(L min(K, L)) per right-hand side, L = 2W; the time to decide grows near the edges of the pinning
 * interval (stick-slip motion); typically 0.05 - 1 s.
 *
 * @param system a derived or printed system (any lambda > 0)
 * @param options window, decision thresholds and time budget; ParameterError names a bad option
 * @example
 * const sys = derivedMeanFieldSystem({ arrivalRate: 0.79, migrationPenalty: 2, policy: abounce(2, 10) });
 * meanFieldFrontMotion(sys).motion // => "ascending"
 */
export function meanFieldFrontMotion(system: MeanFieldSystem, options: FrontMotionOptions = {}): FrontMotionResult {
  const W = options.window ?? 30;
  requireInteger("window", W, 10, 1000);
  const threshold = options.displacement ?? 3;
  requireNumber("displacement", threshold, 0, W / 2, { hiInclusive: true });
  const stationary = options.stationaryTolerance ?? 1e-9;
  requireNumber("stationaryTolerance", stationary, 0, Infinity);
  const maxTime = options.maxTime ?? 1e5;
  requireNumber("maxTime", maxTime, 0, Infinity);

  const L = 2 * W;
  let s: Float64Array = new Float64Array(L + 1);
  for (let i = 0; i <= W; i++) s[i] = 1;
  const rhs = (y: Float64Array, out: Float64Array): void => void meanFieldDrift(system, y, out);
  const positionOf = (y: Float64Array): number => {
    let total = 0;
    for (let i = L; i >= 1; i--) total += y[i] as number;
    return total;
  };
  const start = positionOf(s);
  let shifted = 0;
  let time = 0;
  let h = 0.01;
  let motion: FrontMotion = "undecided";
  while (time < maxTime) {
    let decided: FrontMotion | undefined;
    const r = integrateDormandPrince(rhs, s, time, maxTime, { relativeTolerance: 1e-12, absoluteTolerance: 1e-16, initialStep: h },
      (t, y, dy) => {
        const local = positionOf(y) - start;
        const moved = shifted + local;
        if (moved > threshold) decided = "ascending";
        else if (moved < -threshold) decided = "descending";
        else if (t > 10) {
          let m = 0;
          for (let i = 1; i <= L; i++) m = Math.max(m, Math.abs(dy[i] as number));
          if (m < stationary) decided = "pinned";
        }
        return decided !== undefined || Math.abs(local) > 4;
      });
    s = r.y;
    time = r.t;
    h = r.nextStep;
    if (decided !== undefined) {
      motion = decided;
      break;
    }
    if (r.reason !== "stopped") break;
    // re-centre: shift the profile by delta levels (s_i <- s_{i+delta}, 1 below the window, 0 above)
    const delta = Math.round(positionOf(s) - start);
    const next = new Float64Array(L + 1);
    for (let i = 0; i <= L; i++) {
      const j = i + delta;
      next[i] = j <= 0 ? 1 : j > L ? 0 : (s[j] as number);
    }
    next[0] = 1;
    s = next;
    shifted += delta;
  }
  const displacement = shifted + positionOf(s) - start;
  return { motion, displacement, time, averageVelocity: time > 0 ? displacement / time : 0, profile: s };
}
