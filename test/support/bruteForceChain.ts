/**
 * Independent references for the exact solvers: the embedded chain of Section II built by brute force on the FULL
 * (unsorted) state space of n queues truncated at T, with the shortest sample found by enumerating every d-tuple
 * of sampled queues, and its stationary law by a dense LU solve or by power iteration. Nothing here uses the
 * package's one-step law, its lumping or its solver: only the decision rule is shared, as it must be
 * (migrationRule, the single copy of the rule), and the dense LU of the mean-field code.
 *
 * Truncation as in the package: a move that would take a queue above T is blocked (the chain stays put).
 * Ties: the target is uniform among the distinct sampled queues of minimal length; under "all" a sampled own
 * queue that is the target means the job stays.
 */
import { migrationRule, sampleCount, type PolicySpec } from "../../src/model/policy";
import type { SamplingScheme } from "../../src/model/sampling";
import { luSolveInPlace } from "../../src/theory/meanfield/luSolve";

export interface BruteForceSystem {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly policy: PolicySpec;
  readonly sampling?: SamplingScheme;
}

export interface BruteForceChain {
  readonly size: number;
  readonly decode: (s: number) => number[];
  readonly encode: (q: readonly number[]) => number;
  /** Sparse moves: from[k] -> to[k] with prob[k] (self-loops included). */
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly prob: Float64Array;
  /** P(an arrival migrates | state), by the rule's decision. */
  readonly migrate: Float64Array;
}

/** Every ordered d-tuple of candidates (with or without repetition). */
function tuples(candidates: number[], d: number, distinct: boolean): number[][] {
  if (d === 0) return [[]];
  const out: number[][] = [];
  for (const rest of tuples(candidates, d - 1, distinct)) {
    for (const c of candidates) if (!distinct || !rest.includes(c)) out.push([...rest, c]);
  }
  return out;
}

export function bruteForceChain(system: BruteForceSystem, T: number): BruteForceChain {
  const { queues: n, arrivalRate: lambda, migrationPenalty: K, policy } = system;
  const scheme = system.sampling ?? "others";
  const rule = migrationRule(policy, K);
  const d = sampleCount(policy);
  const size = (T + 1) ** n;
  const decode = (s: number): number[] => {
    const q: number[] = [];
    for (let i = 0; i < n; i++) {
      q.push(s % (T + 1));
      s = Math.floor(s / (T + 1));
    }
    return q;
  };
  const encode = (q: readonly number[]): number => q.reduceRight((s, x) => s * (T + 1) + x, 0);
  const from: number[] = [];
  const to: number[] = [];
  const prob: number[] = [];
  const migrate = new Float64Array(size);
  const pArrival = lambda / (lambda + 1);
  for (let s = 0; s < size; s++) {
    const q = decode(s);
    const add = (t: number[], p: number): void => {
      if (t.some((x) => x > T)) t = q;
      from.push(s);
      to.push(encode(t));
      prob.push(p);
    };
    for (let i = 0; i < n; i++) {
      const dq = q.slice();
      if (dq[i]! > 0) dq[i]!--;
      add(dq, 1 / (n * (lambda + 1)));
      if (d === 0) {
        const aq = q.slice();
        aq[i]!++;
        add(aq, pArrival / n);
        continue;
      }
      const candidates = q.map((_, j) => j).filter((j) => scheme === "all" || j !== i);
      const targetProb = new Map<number, number>();
      if (d === Infinity) {
        const min = Math.min(...candidates.map((j) => q[j]!));
        const at = candidates.filter((j) => q[j] === min);
        for (const j of at) targetProb.set(j, 1 / at.length);
      } else {
        const all = tuples(candidates, d, scheme === "others-without-replacement");
        for (const sampled of all) {
          const min = Math.min(...sampled.map((j) => q[j]!));
          const at = [...new Set(sampled.filter((j) => q[j] === min))];
          for (const j of at) targetProb.set(j, (targetProb.get(j) ?? 0) + 1 / all.length / at.length);
        }
      }
      for (const [j, p] of targetProb) {
        const aq = q.slice();
        if (j !== i && rule(q[i]!, q[j]!)) {
          aq[j]! += K;
          migrate[s]! += p / n;
        } else {
          aq[i]!++;
        }
        add(aq, (pArrival / n) * p);
      }
    }
  }
  return { size, decode, encode, from: Int32Array.from(from), to: Int32Array.from(to), prob: Float64Array.from(prob), migrate };
}

/** The stationary law by a dense LU solve of pi (P - I) = 0 with sum(pi) = 1 (one equation replaced). */
export function denseStationary(chain: BruteForceChain): Float64Array {
  const N = chain.size;
  const A = new Float64Array(N * N); // A = (P - I)^T, row j: sum_i pi_i (P_ij - delta_ij) = 0
  for (let k = 0; k < chain.from.length; k++) A[chain.to[k]! * N + chain.from[k]!]! += chain.prob[k]!;
  for (let j = 0; j < N; j++) A[j * N + j]! -= 1;
  const b = new Float64Array(N);
  for (let i = 0; i < N; i++) A[(N - 1) * N + i] = 1;
  b[N - 1] = 1;
  if (!luSolveInPlace(A, b, N)) throw new Error("dense solve failed");
  return b;
}

/** The stationary law by power iteration from the empty state (the reference the simulator tests used before). */
export function powerIterationStationary(chain: BruteForceChain, maxIterations = 20_000, change = 1e-14): Float64Array {
  const N = chain.size;
  let pi = new Float64Array(N);
  pi[0] = 1;
  let next = new Float64Array(N);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    next.fill(0);
    for (let k = 0; k < chain.from.length; k++) next[chain.to[k]!]! += pi[chain.from[k]!]! * chain.prob[k]!;
    let delta = 0;
    for (let s = 0; s < N; s++) delta += Math.abs(next[s]! - pi[s]!);
    [pi, next] = [next, pi];
    if (delta < change) break;
  }
  return pi;
}

/** Per-queue tail (averaged over queues), mean queue length and migration fraction of a law on the full space. */
export function lawSummary(chain: BruteForceChain, pi: Float64Array, T: number): { tail: number[]; mean: number; migrationFraction: number } {
  const tail = new Array<number>(T + 1).fill(0);
  let mean = 0;
  let migrationFraction = 0;
  for (let s = 0; s < chain.size; s++) {
    const q = chain.decode(s);
    for (const x of q) {
      for (let l = 0; l <= x; l++) tail[l]! += pi[s]! / q.length;
      mean += (pi[s]! * x) / q.length;
    }
    migrationFraction += pi[s]! * chain.migrate[s]!;
  }
  return { tail, mean, migrationFraction };
}
