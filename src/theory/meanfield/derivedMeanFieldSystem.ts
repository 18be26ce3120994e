import { migrationRule } from "../../model/policy";
import {
  OccupancyBuffers, type MeanFieldParams, type MeanFieldSystem, type OccupancyView, meanFieldLabel, validateMeanFieldParams,
} from "./meanFieldSystem";

/**
 * The mean-field ODE system derived from a policy's actual decision rule (`migrationRule`, the single copy of
 * the rule in the package), for any policy: ABOUNCE, MBOUNCE, SQ(d), no sharing, custom rules.
 * The paper prints its own systems, eqs. (1) and (2); `printedMeanFieldSystem` implements those, and where
 * the two differ the derived one is the one that follows from Section II's rules (the README's Theory section
 * gives the differences and their size).
 *
 * Derivation (formal, as in Section IV: n -> infinity, asymptotic independence of queues assumed).
 * Let s_i be the fraction of queues with >= i units (s_0 = 1), so a uniformly chosen queue has exactly j
 * units with probability s_j - s_{j+1}. Each queue receives Poisson(lambda) arrivals. An arrival at a queue
 * with j units samples d of the other queues with replacement; in the limit each sample independently has
 * >= l units with probability s_l, so the shortest sampled length M satisfies P(M >= l) = s_l^d and
 * P(M = m) = s_m^d - s_{m+1}^d. The arrival migrates iff rule(j, M); then the target goes from M to M + K
 * (raising s_{M+1}, ..., s_{M+K} by 1/n each); otherwise its own queue goes from j to j + 1 (raising
 * s_{j+1}). Each non-empty queue loses a unit at rate 1 (lowering s_j for a queue at exactly j). Summing
 * the expected changes of n s_i over the n queues and letting n -> infinity (time not rescaled: each queue
 * sees O(1) events per unit time):
 *
 *   ds_i/dt = lambda (s_{i-1} - s_i) stay(i-1)                                            [stayUp_i]
 *           + lambda sum_{m = max(0, i-K)}^{i-1} (s_m^d - s_{m+1}^d) own(m)                [migrationUp_i]
 *           - (s_i - s_{i+1}),                                        i >= 1,
 *
 *   stay(j) = sum_{m : not rule(j, m)} (s_m^d - s_{m+1}^d)   (P(an arrival at a j-queue stays)),
 *   own(m)  = sum_{j : rule(j, m)} (s_j - s_{j+1})            (P(the arrival's own queue would send it to an m-queue)).
 *
 * The first line is the only way to cross from i-1 to i by a staying arrival; the second collects every
 * migrated batch landing on a queue with m units, i-K <= m <= i-1, which is exactly the set of batches
 * whose K units carry the target across level i. The sums over m and j are evaluated over the maximal
 * intervals on which the rule is constant, so each costs O(1) per interval (telescoping: the sum of
 * s_m^d - s_{m+1}^d over a <= m <= b is s_a^d - s_{b+1}^d); for the built-in rules every row and column
 * is one interval and ds/dt costs O(L min(K, L)).
 *
 * Special cases:
 * - No sharing: rule is never true, stay = 1, and the system is the M/M/1 occupancy ODE with fixed point
 *   s_i = lambda^i.
 * - SQ(d) (K = 1, rule own > target): stay(i-1) = s_{i-1}^d and own(i-1) = s_i, which adds up to
 *   ds_i/dt = lambda (s_{i-1}^{d+1} - s_i^{d+1}) - (s_i - s_{i+1}): the supermarket model with d + 1
 *   choices (own queue plus d samples), fixed point s_i = lambda^(((d+1)^i - 1)/d).
 * - d = Infinity: i* is the shortest of all other queues. In the limit the shortest queue has the lowest
 *   occupied level, the smallest l with s_{l+1} < 1: with s_1 < 1 (a positive fraction of empty queues) the
 *   minimum is 0 with probability 1. This is the d -> infinity limit of s_l^d (1 if s_l = 1, else 0), which is
 *   what `occupancyView` uses. The right-hand side is then discontinuous where some s_l reaches 1; fixed
 *   points of finite mean have s_1 = unit load < 1, so they lie where it is smooth.
 *
 * Truncation at level L (the state has levels 0..L): s_{L+1} = 0. This is the mean-field limit of queues with
 * a buffer of L units: an arrival at a full queue and units of a batch that would go above L are lost.
 * Level sets of the rule are computed for j, m in 0..L (L^2 rule calls, cached per L).
 *
 * Numerics: differences of s and of s^d near 1 are taken from the complements 1 - s (see occupancyView), so
 * fixed points where every queue is busy (1 - s_1 far below 1e-16) keep their level balances.
 *
 * Cost: construction 64^2 rule calls (the translation-invariance check); first use at a new truncation L:
 * O(L^2) rule calls; each ds/dt O(L min(K, L)).
 *
 * @param params lambda > 0, K integer >= 1, a policy valid for K (C >= K, alpha > 1, d integer >= 1 or
 *   Infinity, sqd needs K = 1, unless allowOutsidePaper)
 * @returns the system; throws ParameterError on bad parameters
 * @example
 * const sys = derivedMeanFieldSystem({ arrivalRate: 0.5, migrationPenalty: 1, policy: shortestOfD(1) });
 * const s = Float64Array.from([1, 0.5, 0.125, 0]); // lambda^(2^i - 1) up to level 2, s_3 = 0 instead of 0.5^7
 * meanFieldDrift(sys, s) // => Float64Array [0, 0, -0.0078125, 0.0078125] (levels 1 balance; 2 and 3 feel s_3)
 */
export function derivedMeanFieldSystem(params: MeanFieldParams): MeanFieldSystem {
  const samples = validateMeanFieldParams(params);
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const rule = migrationRule(params.policy, K);
  const tables = new Map<number, RuleTables>();
  const tablesFor = (L: number): RuleTables => {
    let t = tables.get(L);
    if (t === undefined) {
      t = buildRuleTables(rule, L);
      if (tables.size > 8) tables.clear();
      tables.set(L, t);
    }
    return t;
  };

  // One view and two work arrays, refilled at each call (no allocation per evaluation of ds/dt; see
  // OccupancyBuffers). The methods below do not call one another, so one set serves them all.
  const view = new OccupancyBuffers();
  let own = new Float64Array(0);
  let P = new Float64Array(0);
  const prepare = (s: Float64Array, complement?: Float64Array): { v: OccupancyView; t: RuleTables; L: number } => {
    const L = s.length - 1;
    return { v: view.fill(s, samples, complement), t: tablesFor(L), L };
  };
  // sum over the intervals [a, b] of row r of P(a <= min <= b), or of column r of P(a <= own <= b)
  const sampled = (v: OccupancyView, iv: Int32Array, start: Int32Array, r: number): number => {
    let total = 0;
    for (let k = start[r] as number; k < (start[r + 1] as number); k += 2) total += v.aDiff(iv[k] as number, (iv[k + 1] as number) + 1);
    return total;
  };
  const owned = (v: OccupancyView, iv: Int32Array, start: Int32Array, r: number): number => {
    let total = 0;
    for (let k = start[r] as number; k < (start[r + 1] as number); k += 2) total += v.sDiff(iv[k] as number, (iv[k + 1] as number) + 1);
    return total;
  };

  let translationInvariant = true;
  for (let j = 0; j < 64 && translationInvariant; j++) {
    for (let m = 0; m < 64; m++) {
      if (rule(j + 1, m + 1) !== rule(j, m)) {
        translationInvariant = false;
        break;
      }
    }
  }
  const system: MeanFieldSystem = {
    variant: "derived",
    translationInvariant,
    label: meanFieldLabel("derived", params),
    arrivalRate: lambda,
    migrationPenalty: K,
    policy: params.policy,
    samples,
    upwardRates(s, stayUp, migrationUp, complement) {
      const { v, t, L } = prepare(s, complement);
      if (own.length !== L + 1) {
        own = new Float64Array(L + 1);
        P = new Float64Array(L + 1);
      }
      for (let m = 0; m <= L; m++) {
        own[m] = owned(v, t.colMigrate, t.colStart, m);
        P[m] = v.aDiff(m, m + 1);
      }
      stayUp[0] = 0;
      migrationUp[0] = 0;
      for (let i = 1; i <= L; i++) {
        stayUp[i] = lambda * v.sDiff(i - 1, i) * sampled(v, t.rowStay, t.rowStayStart, i - 1);
        let up = 0;
        for (let m = Math.max(0, i - K); m <= i - 1; m++) {
          const o = own[m] as number;
          if (o !== 0) up += (P[m] as number) * o;
        }
        migrationUp[i] = lambda * up;
      }
    },
    arrivalOutcomes(s) {
      const { v, t, L } = prepare(s);
      let stay = 0;
      let migrate = 0;
      for (let j = 0; j <= L; j++) {
        const w = v.sDiff(j, j + 1);
        if (w === 0) continue;
        stay += w * sampled(v, t.rowStay, t.rowStayStart, j);
        migrate += w * sampled(v, t.rowMigrate, t.rowMigrateStart, j);
      }
      return { stay, migrate };
    },
    fifoJobDelay(s) {
      const { v, t, L } = prepare(s);
      // cumMP[m] = sum_{l < m} l P(min = l), so sum_{a..b} (m + K) P(m) = cumMP[b+1] - cumMP[a] + K P(a <= min <= b).
      const cumMP = new Float64Array(L + 2);
      for (let m = 0; m <= L; m++) cumMP[m + 1] = (cumMP[m] as number) + m * v.aDiff(m, m + 1);
      let delay = 0;
      for (let j = 0; j <= L; j++) {
        const w = v.sDiff(j, j + 1);
        if (w === 0) continue;
        let e = (j + 1) * sampled(v, t.rowStay, t.rowStayStart, j);
        const iv = t.rowMigrate;
        for (let k = t.rowMigrateStart[j] as number; k < (t.rowMigrateStart[j + 1] as number); k += 2) {
          const a = iv[k] as number;
          const b = iv[k + 1] as number;
          e += (cumMP[b + 1] as number) - (cumMP[a] as number) + K * v.aDiff(a, b + 1);
        }
        delay += w * e;
      }
      return delay;
    },
  };
  return system;
}

/**
 * The rule's level sets on [0, L]^2 as maximal intervals, stored flat: for row j the intervals of m with
 * rule(j, m) (rowMigrate) and without (rowStay); for column m the intervals of j with rule(j, m) (colMigrate).
 * Intervals are pairs [a, b] (inclusive) in the Int32Arrays, the pairs of row j in [start[j], start[j+1]).
 */
interface RuleTables {
  rowMigrate: Int32Array;
  rowMigrateStart: Int32Array;
  rowStay: Int32Array;
  rowStayStart: Int32Array;
  colMigrate: Int32Array;
  colStart: Int32Array;
}

function buildRuleTables(rule: (own: number, target: number) => boolean, L: number): RuleTables {
  const R = new Uint8Array((L + 1) * (L + 1));
  for (let j = 0; j <= L; j++) for (let m = 0; m <= L; m++) R[j * (L + 1) + m] = rule(j, m) ? 1 : 0;
  const collect = (get: (outer: number, inner: number) => number, want: number): [Int32Array, Int32Array] => {
    const pairs: number[] = [];
    const start = new Int32Array(L + 2);
    for (let o = 0; o <= L; o++) {
      start[o] = pairs.length;
      let a = -1;
      for (let x = 0; x <= L + 1; x++) {
        const inSet = x <= L && get(o, x) === want;
        if (inSet && a < 0) a = x;
        if (!inSet && a >= 0) {
          pairs.push(a, x - 1);
          a = -1;
        }
      }
    }
    start[L + 1] = pairs.length;
    return [Int32Array.from(pairs), start];
  };
  const [rowMigrate, rowMigrateStart] = collect((j, m) => R[j * (L + 1) + m] as number, 1);
  const [rowStay, rowStayStart] = collect((j, m) => R[j * (L + 1) + m] as number, 0);
  const [colMigrate, colStart] = collect((m, j) => R[j * (L + 1) + m] as number, 1);
  return { rowMigrate, rowMigrateStart, rowStay, rowStayStart, colMigrate, colStart };
}
