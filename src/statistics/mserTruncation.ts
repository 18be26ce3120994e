import { requireInteger } from "../model/parameterError";

/** The warm-up point chosen by MSER. */
export interface MserTruncation {
  /** Observations to discard from the start (a multiple of the batch size). */
  readonly truncatedObservations: number;
  /** Batches to discard (d*). */
  readonly truncatedBatches: number;
  /** Number of complete batches m formed from the series (trailing observations that do not fill a batch are ignored). */
  readonly batches: number;
  /** The minimised statistic MSER(d*) (NaN when fewer than two batches). */
  readonly statistic: number;
  /**
   * False when the minimum sits at the largest d allowed (floor(m / 2)) or fewer than 4 batches exist: the
   * series may still be in its transient, so the run is too short for the rule to find the warm-up.
   */
  readonly reliable: boolean;
}

/**
 * The MSER-b warm-up rule (White, "An effective truncation heuristic for bias reduction in simulation
 * output", Simulation 69(6), 1997; MSER-5 with b = 5: White, Cobb and Spratt, "A comparison of five
 * steady-state truncation heuristics for simulation", WSC 2000).
 *
 * The series X_1..X_N is cut into m = floor(N / b) batches of b consecutive observations with means Z_1..Z_m.
 * For each d in 0..floor(m / 2), MSER(d) = (1 / (m - d)^2) sum_{j = d+1}^{m} (Z_j - Zbar_d)^2, where Zbar_d is
 * the mean of Z_{d+1..m}; d* minimises it (the first minimiser on ties) and the rule discards the first b d*
 * observations. The statistic is the squared standard error of the truncated mean up to a constant: it trades
 * the bias of keeping a transient against the variance of discarding data. Restricting d to the first half
 * is the customary guard: a minimum there means the rule could not find the end of the transient.
 *
 * Cost O(N) time (suffix sums), O(m) memory.
 *
 * @param series the observations (not mutated); NaN entries make the statistic NaN
 * @param batchSize b, an integer >= 1; default 5 (MSER-5)
 * @throws ParameterError when batchSize is not a positive integer
 * @example
 * mserTruncation([9, 9, 9, 9, 9, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]).truncatedObservations // => 5
 */
export function mserTruncation(series: ArrayLike<number>, batchSize = 5): MserTruncation {
  requireInteger("batchSize", batchSize, 1);
  const m = Math.floor(series.length / batchSize);
  if (m < 2) {
    return { truncatedObservations: 0, truncatedBatches: 0, batches: m, statistic: NaN, reliable: false };
  }
  const z = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < batchSize; k++) s += series[j * batchSize + k] as number;
    z[j] = s / batchSize;
  }
  // Suffix sums of Z and Z^2, centred on the overall mean to limit cancellation.
  let centre = 0;
  for (let j = 0; j < m; j++) centre += z[j] as number;
  centre /= m;
  const limit = Math.floor(m / 2);
  let sum = 0;
  let sumSq = 0;
  const suffixSum = new Float64Array(m + 1);
  const suffixSq = new Float64Array(m + 1);
  for (let j = m - 1; j >= 0; j--) {
    const y = (z[j] as number) - centre;
    sum += y;
    sumSq += y * y;
    suffixSum[j] = sum;
    suffixSq[j] = sumSq;
  }
  let best = Infinity;
  let bestD = 0;
  for (let d = 0; d <= limit; d++) {
    const k = m - d;
    const s = suffixSum[d] as number;
    const ss = Math.max(0, (suffixSq[d] as number) - (s * s) / k);
    const statistic = ss / (k * k);
    if (statistic < best) {
      best = statistic;
      bestD = d;
    }
  }
  return {
    truncatedObservations: bestD * batchSize,
    truncatedBatches: bestD,
    batches: m,
    statistic: Number.isFinite(best) ? best : NaN,
    reliable: m >= 4 && bestD < limit,
  };
}
