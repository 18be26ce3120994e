import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { migrationRule, sampleCount } from "../../model/policy";
import { validateSampling } from "../../model/sampling";
import { type SystemParams, validateSystem } from "../../model/system";
import { requireChainArrivalRate } from "./chainBounds";

/** What one step of the embedded chain did: queue `index` changed by `delta` (index -1: a self-loop). */
export interface ChainStep {
  readonly index: number;
  readonly delta: number;
}

/**
 * A sampler of one step of the embedded chain of Section II (uniformized at rate n(lambda + 1)), for Monte
 * Carlo drift estimates; not the package simulator. Validates `params` once and returns a closure that
 * mutates the state it is given IN PLACE and returns the move it made.
 *
 * One step: queue i uniform on {0..n-1}; an arrival w.p. lambda/(lambda + 1), else a service completion (a
 * self-loop when q_i = 0). An arrival draws d queues explicitly by the system's sampling scheme (default:
 * uniformly WITH replacement from the n - 1 others; "all": with replacement from all n; "others-without-
 * replacement": d distinct others, by a partial Fisher-Yates shuffle), and i* is the first sampled queue of
 * minimal length (the samples are exchangeable, so i* is then uniform among the candidates of that length);
 * for d = infinity i* is uniform among the shortest candidates. `migrationRule(policy, K)(q_i, q_i*)`
 * decides: K jobs to i*, or one job to i (also when i* is the arrival's own queue, under "all"). Drawing the
 * samples explicitly (not through `shortestSampleLaw`) makes Monte Carlo an independent check of the exact
 * law. Cost per step O(d) (O(n) for d = infinity); draws 2 + d numbers from the generator.
 *
 * @param params the system (validated once; lambda in [2^-33, 2^33], see EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE)
 * @returns step(state, generator): mutates `state` (non-negative integers, length n, not checked per step)
 * @throws ParameterError naming the system parameter at fault
 * @example
 * const step = embeddedChainStepper({ queues: 2, arrivalRate: 0.9, migrationPenalty: 2, policy: abounce(2, Infinity) });
 * import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
 * const q = [10, 0];
 * step(q, xoroshiro128plus(1)) // => { index: 0, delta: -1 } (seed 1: a service at the first queue)
 * q // => [9, 0]
 */
export function embeddedChainStepper(params: SystemParams): (state: number[], generator: RandomGenerator) => ChainStep {
  validateSystem(params);
  requireChainArrivalRate(params.arrivalRate);
  const n = params.queues;
  const K = params.migrationPenalty;
  const d = sampleCount(params.policy);
  const rule = migrationRule(params.policy, K);
  const pArrival = params.arrivalRate / (params.arrivalRate + 1);
  const scheme = validateSampling(params.sampling);
  const ownIsCandidate = scheme === "all";
  const others = Int32Array.from({ length: Math.max(n - 1, 0) }, (_, k) => k); // offsets, for sampling without replacement
  return (state, generator) => {
    const i = uniformInt(generator, 0, n - 1);
    if (uniformFloat64(generator) >= pArrival) {
      if ((state[i] as number) > 0) {
        state[i] = (state[i] as number) - 1;
        return { index: i, delta: -1 };
      }
      return { index: -1, delta: 0 };
    }
    const own = state[i] as number;
    if (d > 0 && n > 1) {
      let target = -1;
      if (d === Infinity) {
        let min = Infinity;
        let ties = 0;
        for (let j = 0; j < n; j++) {
          if (j === i && !ownIsCandidate) continue;
          const x = state[j] as number;
          if (x < min) { min = x; ties = 1; } else if (x === min) ties += 1;
        }
        let pick = uniformInt(generator, 0, ties - 1);
        for (let j = 0; j < n; j++) {
          if ((j === i && !ownIsCandidate) || (state[j] as number) !== min) continue;
          if (pick === 0) { target = j; break; }
          pick -= 1;
        }
      } else if (scheme === "others-without-replacement") {
        let min = Infinity;
        for (let s = 0; s < d; s++) {
          const k = uniformInt(generator, s, n - 2); // partial Fisher-Yates over the offsets of the others
          const u = others[k] as number;
          others[k] = others[s] as number;
          others[s] = u;
          const j = u < i ? u : u + 1;
          if ((state[j] as number) < min) { min = state[j] as number; target = j; }
        }
      } else {
        let min = Infinity;
        for (let s = 0; s < d; s++) {
          let j: number;
          if (ownIsCandidate) j = uniformInt(generator, 0, n - 1);
          else {
            const u = uniformInt(generator, 0, n - 2);
            j = u < i ? u : u + 1;
          }
          if ((state[j] as number) < min) { min = state[j] as number; target = j; }
        }
      }
      if (target >= 0 && target !== i && rule(own, state[target] as number)) {
        state[target] = (state[target] as number) + K;
        return { index: target, delta: K };
      }
    }
    state[i] = own + 1;
    return { index: i, delta: 1 };
  };
}
