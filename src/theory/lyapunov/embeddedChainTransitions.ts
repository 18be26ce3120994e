import { migrationRule, sampleCount } from "../../model/policy";
import { validateSampling } from "../../model/sampling";
import { shortestSampleLaw } from "../../model/shortestSample";
import { type SystemParams, validateSystem } from "../../model/system";
import { requireChainArrivalRate } from "./chainBounds";
import { requireState } from "./requireState";

/** One possible move of the embedded chain from a state: q -> q + delta e_index with `probability`. */
export interface ChainTransition {
  /** The probability of this move (the moves of one state sum to 1). */
  readonly probability: number;
  /** The queue whose length changes (0-based), or -1 for the self-loop of a service event at an empty queue. */
  readonly index: number;
  /** The change of that queue's length: +1 (arrival joins), +K (migration), -1 (service), 0 (self-loop). */
  readonly delta: number;
  /** What happened. */
  readonly event: "arrival" | "migration" | "departure" | "idle";
  /** The queue where the job arrived (for arrivals and migrations), or the serving queue, or -1. */
  readonly origin: number;
}

/**
 * The exact one-step law of the embedded chain of Section II, uniformized at rate n(lambda + 1): each event is
 * an arrival at queue i w.p. lambda / (n(lambda + 1)) or a service completion at queue i w.p. 1/(n(lambda + 1))
 * (a self-loop when q_i = 0). An arrival at i samples d queues by the system's sampling scheme (default: d of
 * the other n - 1 with replacement; see src/model/sampling.ts); i* is the shortest sampled queue;
 * `migrationRule(policy, K)(q_i, q_i*)` decides whether K jobs go to i* or one job joins i.
 *
 * The law of the LENGTH of i* is `shortestSampleLaw` (applied to the ranks of the candidates' lengths, which
 * gives the same law over distinct lengths at a cost independent of the lengths' size). Given that length, i*
 * is equally likely to be any candidate of that length (the samples are exchangeable). Under the "all" scheme
 * the arrival's own queue is a candidate; when it is i*, the job stays (one unit joins i). With
 * `ties: "each"` every such queue is listed with an equal share of the probability (needed for a V that is not
 * permutation invariant); with `ties: "representative"` the lowest-index one carries the whole probability
 * (enough for a symmetric V, since V(q + K e_j) is then the same for every j of that length).
 *
 * Cost O(n log n + n^2): for each arrival queue, O(n) to rank the others and O(n) to list targets; at most
 * n^2 + 2n moves. Allocates the returned array.
 *
 * @param state the queue lengths q (non-negative integers, length n; not mutated)
 * @param params the system (validated with `validateSystem`; lambda in [2^-33, 2^33], see EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE)
 * @param ties "each" (default) or "representative"
 * @returns the moves with their probabilities
 * @throws ParameterError naming "state" or the system parameter at fault
 * @example
 * embeddedChainTransitions([3, 0], { queues: 2, arrivalRate: 1, migrationPenalty: 2, policy: abounce(2, Infinity) })
 * // => [ {probability: 0.25, index: 1, delta: 2, event: "migration", origin: 0},
 * //      {probability: 0.25, index: 1, delta: 1, event: "arrival", origin: 1},
 * //      {probability: 0.25, index: 0, delta: -1, event: "departure", origin: 0},
 * //      {probability: 0.25, index: -1, delta: 0, event: "idle", origin: 1} ]
 */
export function embeddedChainTransitions(
  state: readonly number[],
  params: SystemParams,
  ties: "each" | "representative" = "each",
): ChainTransition[] {
  validateSystem(params);
  requireChainArrivalRate(params.arrivalRate);
  const n = params.queues;
  const q = requireState(state, n);
  return transitionsOfValidated(q, params, ties);
}

/** The same as `embeddedChainTransitions` for inputs already validated (internal fast path). */
export function transitionsOfValidated(q: readonly number[], params: SystemParams, ties: "each" | "representative"): ChainTransition[] {
  const n = params.queues;
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const d = sampleCount(params.policy);
  const rule = migrationRule(params.policy, K);
  const scheme = validateSampling(params.sampling);
  const ownIsCandidate = scheme === "all";
  const pArrival = lambda / (n * (lambda + 1));
  const pService = 1 / (n * (lambda + 1));
  const moves: ChainTransition[] = [];

  // Distinct lengths in increasing order, the rank of each queue, and the queues of each rank.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (q[x] as number) - (q[y] as number) || x - y);
  const values: number[] = [];
  const rank = new Int32Array(n);
  const groups: number[][] = [];
  for (const i of order) {
    const x = q[i] as number;
    if (values.length === 0 || values[values.length - 1] !== x) {
      values.push(x);
      groups.push([]);
    }
    rank[i] = values.length - 1;
    (groups[groups.length - 1] as number[]).push(i);
  }

  const candidateRanks = new Int32Array(ownIsCandidate ? n : Math.max(n - 1, 0));
  for (let i = 0; i < n; i++) {
    const own = q[i] as number;
    let stayMass = 1; // P(the arrival joins its own queue)
    if (d > 0 && n > 1) {
      stayMass = 0;
      for (let j = 0, t = 0; j < n; j++) if (ownIsCandidate || j !== i) candidateRanks[t++] = rank[j] as number;
      const law = shortestSampleLaw(candidateRanks, d, scheme);
      for (let k = 0; k < law.length; k++) {
        const pk = law[k] as number;
        if (!(pk > 0)) continue;
        if (!rule(own, values[k] as number)) {
          stayMass += pk;
          continue;
        }
        const group = groups[k] as number[];
        const targets = group.filter((j) => j !== i);
        // Under "all" the own queue is one of the group's equally likely choices; choosing it means staying.
        const share = (pArrival * pk * targets.length) / (ownIsCandidate ? group.length : targets.length);
        if (ownIsCandidate && targets.length < group.length) stayMass += (pk * (group.length - targets.length)) / group.length;
        if (targets.length === 0) continue;
        if (ties === "representative") {
          moves.push({ probability: share, index: targets[0] as number, delta: K, event: "migration", origin: i });
        } else {
          for (const j of targets) {
            moves.push({ probability: share / targets.length, index: j, delta: K, event: "migration", origin: i });
          }
        }
      }
    }
    if (stayMass > 0) moves.push({ probability: pArrival * stayMass, index: i, delta: 1, event: "arrival", origin: i });
  }
  for (let i = 0; i < n; i++) {
    if ((q[i] as number) > 0) moves.push({ probability: pService, index: i, delta: -1, event: "departure", origin: i });
    else moves.push({ probability: pService, index: -1, delta: 0, event: "idle", origin: i });
  }
  return moves;
}
