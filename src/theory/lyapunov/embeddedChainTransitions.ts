import { migrationRule, sampleCount } from "../../model/policy";
import { allSamplesAtLeast, validateSampling } from "../../model/sampling";
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
  const moves: ChainTransition[] = [];
  forEachTransition(q, params, ties, (probability, index, delta, event, origin) => {
    moves.push({ probability, index, delta, event, origin });
  });
  return moves;
}

/** What `forEachTransition` hands over for each move, in the order `embeddedChainTransitions` lists them. */
export type TransitionVisitor = (probability: number, index: number, delta: number, event: ChainTransition["event"], origin: number) => void;

/** Work arrays of forEachTransition for n queues (grown when n grows). */
interface TransitionScratch {
  order: Int32Array;
  rank: Int32Array;
  values: Float64Array;
  groupStart: Int32Array;
  candidateRanks: Int32Array;
  law: Float64Array;
  count: Float64Array;
  targets: Int32Array;
}

function transitionScratch(n: number): TransitionScratch {
  return {
    order: new Int32Array(n), rank: new Int32Array(n), values: new Float64Array(n), groupStart: new Int32Array(n + 1),
    candidateRanks: new Int32Array(n), law: new Float64Array(n + 1), count: new Float64Array(n + 2), targets: new Int32Array(n),
  };
}

let sharedScratch = transitionScratch(0);
let scratchBusy = false;

/**
 * The moves of `transitionsOfValidated`, handed to `visit` one by one instead of collected: the same moves,
 * probabilities computed by the same operations in the same order, so sums over them are bit-identical.
 * Allocates nothing per call (work arrays are kept between calls; a visitor that calls back in gets its
 * own), for scans over many states: the exact drift of Theorem 3's exhaustive maxima visits up to 10^6
 * states. Inputs already validated. Cost O(n^2) (ranking by insertion, then O(n) per arrival queue).
 */
export function forEachTransition(q: readonly number[], params: SystemParams, ties: "each" | "representative", visit: TransitionVisitor): void {
  const n = params.queues;
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const d = sampleCount(params.policy);
  const rule = migrationRule(params.policy, K);
  const scheme = validateSampling(params.sampling);
  const ownIsCandidate = scheme === "all";
  const pArrival = lambda / (n * (lambda + 1));
  const pService = 1 / (n * (lambda + 1));
  const reentered = scratchBusy;
  if (!reentered && sharedScratch.order.length < n) sharedScratch = transitionScratch(n);
  const w = reentered ? transitionScratch(n) : sharedScratch;
  scratchBusy = true;
  try {
    // Queues ordered by length, then index (insertion sort: n is small wherever this runs per state); the
    // distinct lengths in increasing order, each queue's rank, and where each rank's queues start in `order`.
    const { order, rank, values, groupStart, candidateRanks, law, count, targets } = w;
    for (let i = 0; i < n; i++) {
      const x = q[i] as number;
      let j = i;
      while (j > 0 && (q[order[j - 1] as number] as number) > x) {
        order[j] = order[j - 1] as number;
        j--;
      }
      order[j] = i;
    }
    let ranks = 0;
    for (let p = 0; p < n; p++) {
      const i = order[p] as number;
      const x = q[i] as number;
      if (ranks === 0 || values[ranks - 1] !== x) {
        values[ranks] = x;
        groupStart[ranks] = p;
        ranks++;
      }
      rank[i] = ranks - 1;
    }
    groupStart[ranks] = n;

    const m = ownIsCandidate ? n : Math.max(n - 1, 0);
    for (let i = 0; i < n; i++) {
      const own = q[i] as number;
      let stayMass = 1; // P(the arrival joins its own queue)
      if (d > 0 && n > 1) {
        stayMass = 0;
        // The law of the shortest sample's rank (shortestSampleLaw on the candidates' ranks, computed here
        // into the work arrays with the same operations).
        let max = 0;
        for (let j = 0, t = 0; j < n; j++) {
          if (ownIsCandidate || j !== i) {
            const r = rank[j] as number;
            candidateRanks[t++] = r;
            if (r > max) max = r;
          }
        }
        for (let l = 0; l <= max + 1; l++) count[l] = 0;
        for (let t = 0; t < m; t++) count[candidateRanks[t] as number]! += 1;
        let atLeast = m;
        let tail = 1; // G(0) = 1
        for (let l = 0; l <= max; l++) {
          atLeast -= count[l] as number;
          const next = allSamplesAtLeast(atLeast, m, d, scheme);
          law[l] = tail - next;
          tail = next;
        }
        for (let k = 0; k <= max; k++) {
          const pk = law[k] as number;
          if (!(pk > 0)) continue;
          if (!rule(own, values[k] as number)) {
            stayMass += pk;
            continue;
          }
          const groupSize = (groupStart[k + 1] as number) - (groupStart[k] as number);
          let targetCount = 0;
          for (let p = groupStart[k] as number; p < (groupStart[k + 1] as number); p++) {
            const j = order[p] as number;
            if (j !== i) targets[targetCount++] = j;
          }
          // Under "all" the own queue is one of the group's equally likely choices; choosing it means staying.
          const share = (pArrival * pk * targetCount) / (ownIsCandidate ? groupSize : targetCount);
          if (ownIsCandidate && targetCount < groupSize) stayMass += (pk * (groupSize - targetCount)) / groupSize;
          if (targetCount === 0) continue;
          if (ties === "representative") {
            visit(share, targets[0] as number, K, "migration", i);
          } else {
            for (let t = 0; t < targetCount; t++) visit(share / targetCount, targets[t] as number, K, "migration", i);
          }
        }
      }
      if (stayMass > 0) visit(pArrival * stayMass, i, 1, "arrival", i);
    }
    for (let i = 0; i < n; i++) {
      if ((q[i] as number) > 0) visit(pService, i, -1, "departure", i);
      else visit(pService, -1, 0, "idle", i);
    }
  } finally {
    if (!reentered) scratchBusy = false;
  }
}
