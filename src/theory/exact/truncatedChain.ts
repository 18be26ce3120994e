import type { SystemParams } from "../../model/system";
import { transitionsOfValidated } from "../lyapunov/embeddedChainTransitions";
import { enumerateSymmetricStates, symmetricStateCount, symmetricStateIndex } from "./symmetricStateSpace";

/**
 * The embedded chain of Section II truncated at T and lumped by symmetry, as a sparse matrix stored by columns.
 * Private to src/theory/exact.
 *
 * Truncation: a move that would take a queue above T (an arrival that joins a queue of length T, or a migration
 * whose K units would take the target above T) is blocked: the chain stays where it is (the move's probability
 * is added to the self-loop). Everything else is the exact one-step law of `transitionsOfValidated` (the single
 * copy of the model's law, for every policy and sampling scheme).
 *
 * Lumping: the law is invariant under any permutation of the queues (arrival rates, service rates, the sampling
 * schemes and the rule treat the queues alike, and the blocking rule is symmetric), so the chain of sorted
 * states is again a Markov chain (strong lumpability, Kemeny and Snell, Finite Markov Chains, 1960, Thm 6.3.2)
 * with P~(A, B) = sum over q' in B of P(q, q'), the same for every q in A. Its stationary law is the sum of the
 * full chain's over each orbit; the full chain's stationary law is unique (every state leads to the empty one
 * through departures) and therefore symmetric, so pi(q) = pi~(orbit of q) / |orbit|.
 */
export interface TruncatedChain {
  readonly queues: number;
  readonly truncation: number;
  /** The number of lumped states, C(T + n, n). */
  readonly size: number;
  /** Sorted lengths of each state, flat (state s at s n .. s n + n - 1). */
  readonly lengths: Int32Array;
  /** Total length of each state (the aggregation variable of the solver). */
  readonly total: Int32Array;
  /** Column storage of the off-diagonal part: the moves INTO state j are source[k], probability[k] for k in columnStart[j]..columnStart[j + 1] - 1. */
  readonly columnStart: Int32Array;
  readonly source: Int32Array;
  readonly probability: Float64Array;
  /** P(s, s): idle services and blocked moves. */
  readonly selfLoop: Float64Array;
  /** The probability per event that a move from s is blocked by the truncation. */
  readonly blocked: Float64Array;
  /** P(an arrival migrates | state s): the rule's decision, whether or not the move is then blocked. */
  readonly migration: Float64Array;
  /** The largest upward jump of the total length (1, or K when some arrival migrates). */
  readonly largestJump: number;
}

/**
 * Builds the lumped truncated chain. Cost O(C(T + n, n) n^2) time (one call of the one-step law per state) and
 * about 30 bytes per transition of memory; the caller checks the size first.
 *
 * @param params a validated system with n <= 3
 * @param truncation T >= 1
 */
export function buildTruncatedChain(params: SystemParams, truncation: number): TruncatedChain {
  const n = params.queues;
  const T = truncation;
  const size = symmetricStateCount(n, T);
  const lengths = enumerateSymmetricStates(n, T);
  const total = new Int32Array(size);
  const selfLoop = new Float64Array(size);
  const blocked = new Float64Array(size);
  const migration = new Float64Array(size);
  const arrivalProbability = params.arrivalRate / (params.arrivalRate + 1);

  // Row storage first (moves out of each state, duplicates merged), then transposed.
  let capacity = size * (n + 2);
  let rowTarget = new Int32Array(capacity);
  let rowProbability = new Float64Array(capacity);
  const rowStart = new Int32Array(size + 1);
  let used = 0;
  let largestJump = 1;
  const q = new Array<number>(n);
  const next = new Int32Array(n);
  const localTarget = new Int32Array(n * n + 2 * n);
  const localProbability = new Float64Array(n * n + 2 * n);

  for (let s = 0; s < size; s++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      q[i] = lengths[s * n + i] as number;
      sum += q[i] as number;
    }
    total[s] = sum;
    let local = 0;
    for (const move of transitionsOfValidated(q, params, "representative")) {
      const p = move.probability;
      if (move.event === "migration") migration[s]! += p / arrivalProbability;
      if (move.index < 0 || move.delta === 0) {
        selfLoop[s]! += p;
        continue;
      }
      const after = (q[move.index] as number) + move.delta;
      if (after > T) {
        selfLoop[s]! += p;
        blocked[s]! += p;
        continue;
      }
      if (move.delta > largestJump) largestJump = move.delta;
      for (let i = 0; i < n; i++) next[i] = i === move.index ? after : (q[i] as number);
      sortDescending(next, n);
      const t = symmetricStateIndex(next, n);
      let k = 0;
      while (k < local && localTarget[k] !== t) k++;
      if (k === local) {
        localTarget[local] = t;
        localProbability[local] = 0;
        local++;
      }
      localProbability[k]! += p;
    }
    if (used + local > capacity) {
      capacity = Math.max(2 * capacity, used + local);
      const grownTarget = new Int32Array(capacity);
      grownTarget.set(rowTarget.subarray(0, used));
      rowTarget = grownTarget;
      const grownProbability = new Float64Array(capacity);
      grownProbability.set(rowProbability.subarray(0, used));
      rowProbability = grownProbability;
    }
    for (let k = 0; k < local; k++) {
      rowTarget[used] = localTarget[k] as number;
      rowProbability[used] = localProbability[k] as number;
      used++;
    }
    rowStart[s + 1] = used;
  }

  // Transpose: count the moves into each state, then place them.
  const columnStart = new Int32Array(size + 1);
  for (let k = 0; k < used; k++) columnStart[(rowTarget[k] as number) + 1]! += 1;
  for (let j = 0; j < size; j++) columnStart[j + 1]! += columnStart[j] as number;
  const fill = columnStart.slice(0, size);
  const source = new Int32Array(used);
  const probability = new Float64Array(used);
  for (let s = 0; s < size; s++) {
    for (let k = rowStart[s] as number; k < (rowStart[s + 1] as number); k++) {
      const j = rowTarget[k] as number;
      const at = fill[j]!++;
      source[at] = s;
      probability[at] = rowProbability[k] as number;
    }
  }
  return { queues: n, truncation: T, size, lengths, total, columnStart, source, probability, selfLoop, blocked, migration, largestJump };
}

/** Sorts the first n entries of a small array in decreasing order (insertion sort; n <= 3). */
function sortDescending(x: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = x[i] as number;
    let j = i - 1;
    while (j >= 0 && (x[j] as number) < v) {
      x[j + 1] = x[j] as number;
      j--;
    }
    x[j + 1] = v;
  }
}
