import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { requireIntegerThreshold } from "./theorem2LambdaStar";

/**
 * The stationary law of the queue difference D = q1 - q2 of ABOUNCE(C, infinity) with n = 2 while both
 * queues are non-empty (the "D-chain"), in closed form up to one scalar root.
 *
 * P(D = j) = P(D = -j) (the chain is symmetric); for 0 <= j <= C it is `centre[j]`; for j = C + 1 + m,
 * m >= 0, it is `tailConstant * tailRatio^m`.
 */
export interface TwoQueueDifferenceLaw {
  /** lambda, the arrival rate per queue. */
  readonly arrivalRate: number;
  /** K. */
  readonly migrationPenalty: number;
  /** C. */
  readonly threshold: number;
  /** P(D = j) for j = 0..C (the same as P(D = -j)). */
  readonly centre: Float64Array;
  /** c = P(D = C + 1) = P(D = -(C + 1)). */
  readonly tailConstant: number;
  /** sigma in (0, 1): P(D = C + 1 + m) = c sigma^m. */
  readonly tailRatio: number;
  /** P(|D| > C): the long-run fraction of events at which an arrival at the longer queue would migrate. */
  readonly probabilityDifferenceExceedsThreshold: number;
  /** P(|D| > C) / 2: the long-run fraction of arrivals that migrate (only arrivals at the longer queue can). */
  readonly migratingArrivalFraction: number;
  /** lambda (2 + (K - 1) P(|D| > C)): long-run work brought per unit time (exp(1) job equivalents). */
  readonly workInflowRate: number;
  /** The largest absolute residual of the balance equations pi = pi P over |D| <= C + K + 2 (a self-check). */
  readonly balanceResidual: number;
}

/**
 * The exact stationary law of the D-chain (n = 2, ABOUNCE(C, infinity), both queues non-empty).
 *
 * The chain. Uniformize the continuous-time system at rate 2(lambda + 1): each event is an arrival at queue
 * 1 or at queue 2 with probability a = lambda / (2(lambda + 1)) each, or a service completion at queue 1 or 2
 * with probability s = 1 / (2(lambda + 1)) each (a + s = 1/2). With n = 2 and d = infinity, i* is the other
 * queue, and an arrival at queue i migrates exactly when q_i > q_i* + C (the rule of `migrationRule`), which
 * for the integer D means D > C for an arrival at 1 and D < -C for an arrival at 2. While both queues are
 * non-empty every service completion moves D by one, so D is a Markov chain of its own:
 *   |D| <= C:  D -> D + 1 w.p. a + s = 1/2,  D -> D - 1 w.p. 1/2;
 *   D > C:     D -> D - K w.p. a (arrival at 1 migrates, queue 2 receives K),
 *              D -> D - 1 w.p. a + s (arrival at 2, or service at 1),  D -> D + 1 w.p. s (service at 2);
 *   D < -C:    the mirror image.
 *
 * Positive recurrence. The chain is irreducible on Z (steps of +-1 are always possible). Outside the
 * finite set |D| <= C the mean step is -a(K + 1) sign(D) < 0 and the steps are bounded, so |D| is a
 * Foster-Lyapunov function: E[|D_1| - |D_0| | D_0] <= -a(K + 1) for |D_0| > C + K and bounded elsewhere.
 * Hence the chain is positive recurrent for every lambda > 0 and its stationary law pi is unique; by the
 * symmetry D -> -D, pi(j) = pi(-j).
 *
 * The tail is exactly geometric (no truncation). For j >= C + 2 the balance equation
 *   pi(j) = s pi(j - 1) + (1/2) pi(j + 1) + a pi(j + K)
 * involves only states > C (we need C >= K so that no jump from the negative side lands above C). Its
 * solutions pi(j) = z^j satisfy g(z) = s + z^2/2 + a z^(K+1) - z = 0. g(0) = s > 0, g(1) = 0, g'(1) = (K+1)a > 0
 * and g is convex on [0, inf), so g has exactly one root sigma in (0, 1). On |z| = r with sigma < r < 1,
 * |s + z^2/2 + a z^(K+1)| <= s + r^2/2 + a r^(K+1) < r = |z| (because g(r) < 0), so by Rouche's theorem
 * z - (s + z^2/2 + a z^(K+1)) has exactly one zero, sigma, in |z| < r: sigma is the only root in the open unit
 * disc. A summable solution of the order-(K+1) recurrence can use only roots inside the unit disc, hence
 * pi(C + 1 + m) = c sigma^m for all m >= 0. sigma is found by Newton's method from z = 0, which increases
 * monotonically to sigma for a convex decreasing-then-crossing g (no overshoot), to full double precision.
 *
 * The centre. Balance at j = C + 1 (inflow from C w.p. 1/2, from C + 2 w.p. 1/2, from C + 1 + K w.p. a) with
 * the geometric tail and 1 = s/sigma + sigma/2 + a sigma^K gives c = pi(C) sigma / (2 s). Balance at
 * 0 <= j <= C - 1 (inflows from j +- 1 w.p. 1/2 each, and from j + K w.p. a when j + K > C) gives the
 * forward recurrence pi(j + 1) = 2 pi(j) - pi(j - 1) - 2 a c sigma^(j + K - C - 1) [j >= C + 1 - K], with
 * pi(-1) = pi(1), so pi(1) = pi(0). Every pi(j) is therefore x + c B_j with x = pi(0), B_0 = B_1 = 0; the
 * link c = (x + c B_C) sigma / (2 s) fixes x / c, and normalization
 * pi(0) + 2 sum_{1..C} pi(j) + 2 c / (1 - sigma) = 1 fixes the scale. The balance at j = C is then implied
 * (one balance equation is always redundant); `balanceResidual` reports it and the others as a check.
 * Cost O(C + K + Newton iterations); allocates the centre array.
 *
 * Range: C <= TWO_QUEUE_MAX_THRESHOLD = 2^24 (16.8 million). The law holds two arrays of C + 1 doubles
 * (256 MB at the bound, and about 6 s of work); the recurrence itself stays accurate (B_j changes only in
 * its last K steps), so the bound is one of memory: a C near 1e308 would otherwise fail with "Invalid typed
 * array length".
 *
 * @param arrivalRate lambda > 0 (finite), jobs per unit time per queue
 * @param migrationPenalty K, an integer >= 1
 * @param threshold C, an integer with K <= C <= 2^24
 * @returns the law, with P(|D| > C) and the work inflow rate
 * @throws ParameterError naming "arrivalRate (lambda)", "migrationPenalty (K)" or "threshold (C)"
 * @example
 * const law = twoQueueDifferenceLaw(0.9, 2, 2);
 * law.probabilityDifferenceExceedsThreshold // => 0.2362845095814567
 * law.workInflowRate // => 2.012656058623311 (above 2: the total grows at lambda = 0.9)
 */
export function twoQueueDifferenceLaw(arrivalRate: number, migrationPenalty: number, threshold: number): TwoQueueDifferenceLaw {
  const lambda = requireNumber("arrivalRate (lambda)", arrivalRate, 0, Infinity);
  const K = requireInteger("migrationPenalty (K)", migrationPenalty, 1);
  const C = requireIntegerThreshold(threshold, K);
  requireTwoQueueThreshold(C, K);
  const a = lambda / (2 * (lambda + 1));
  const s = 1 / (2 * (lambda + 1));
  const sigma = tailRoot(a, s, K);

  // B_j: the coefficient of c in pi(j) = x + c B_j (the coefficient of x is 1 for every j <= C).
  const B = new Float64Array(C + 1);
  for (let j = 1; j < C; j++) {
    const source = j >= C + 1 - K ? 2 * a * Math.pow(sigma, j + K - C - 1) : 0;
    B[j + 1] = 2 * (B[j] as number) - (B[j - 1] as number) - source;
  }
  // Link c = (x + c B_C) sigma / (2 s)  =>  x = c (2 s / sigma - B_C). Take c = 1, then normalize.
  const x = 2 * s / sigma - (B[C] as number);
  const centre = new Float64Array(C + 1);
  let total = 0;
  for (let j = 0; j <= C; j++) {
    centre[j] = x + (B[j] as number);
    total += (j === 0 ? 1 : 2) * (centre[j] as number);
  }
  total += 2 / (1 - sigma);
  for (let j = 0; j <= C; j++) centre[j] = (centre[j] as number) / total;
  const tailConstant = 1 / total;
  const pTail = 2 * tailConstant / (1 - sigma);

  const pi = (j: number): number => {
    const m = Math.abs(j);
    return m <= C ? (centre[m] as number) : tailConstant * Math.pow(sigma, m - C - 1);
  };
  const up = (j: number): number => (j > C ? s : j < -C ? a + s : 0.5); // P(j -> j + 1)
  const down = (j: number): number => (j > C ? a + s : j < -C ? s : 0.5); // P(j -> j - 1)
  let residual = 0;
  for (let j = 0; j <= C + K + 2; j++) {
    let inflow = pi(j - 1) * up(j - 1) + pi(j + 1) * down(j + 1);
    if (j + K > C) inflow += a * pi(j + K);
    if (j - K < -C) inflow += a * pi(j - K);
    residual = Math.max(residual, Math.abs(inflow - pi(j)));
  }

  return {
    arrivalRate: lambda,
    migrationPenalty: K,
    threshold: C,
    centre,
    tailConstant,
    tailRatio: sigma,
    probabilityDifferenceExceedsThreshold: pTail,
    migratingArrivalFraction: pTail / 2,
    workInflowRate: lambda * (2 + (K - 1) * pTail),
    balanceResidual: residual,
  };
}

/** Largest C of the two-queue law (memory: two arrays of C + 1 doubles, 256 MB at 2^24). */
export const TWO_QUEUE_MAX_THRESHOLD = 2 ** 24;

/** Throws unless K <= C <= TWO_QUEUE_MAX_THRESHOLD (C already checked to be an integer >= K). */
export function requireTwoQueueThreshold(threshold: number, migrationPenalty: number): number {
  if (threshold > TWO_QUEUE_MAX_THRESHOLD) {
    throw new ParameterError("threshold (C)", threshold, `an integer in [K, 2^24] = [${migrationPenalty}, ${TWO_QUEUE_MAX_THRESHOLD}]`,
      "the exact two-queue law holds two arrays of C + 1 doubles (256 MB at 2^24)");
  }
  return threshold;
}

/**
 * P(D = j) under a law from `twoQueueDifferenceLaw`, for any integer j. Cost O(1).
 *
 * @param law the law
 * @param difference j, an integer (q1 - q2)
 * @returns the probability (0 for a non-integer j)
 * @example
 * differenceLawProbability(twoQueueDifferenceLaw(0.9, 2, 2), -1) // => 0.16788636207103508
 */
export function differenceLawProbability(law: TwoQueueDifferenceLaw, difference: number): number {
  if (!Number.isInteger(difference)) return 0;
  const m = Math.abs(difference);
  return m <= law.threshold ? (law.centre[m] as number) : law.tailConstant * Math.pow(law.tailRatio, m - law.threshold - 1);
}

/** The root in (0, 1) of g(z) = s + z^2/2 + a z^(K+1) - z, by Newton's method from 0 (monotone for convex g). */
function tailRoot(a: number, s: number, K: number): number {
  let z = 0;
  for (let it = 0; it < 100_000; it++) {
    const g = s + 0.5 * z * z + a * Math.pow(z, K + 1) - z;
    const dg = z + (K + 1) * a * Math.pow(z, K) - 1;
    const next = z - g / dg;
    if (!(next > z) || next >= 1) return z; // converged to double precision (monotone sequence stalls)
    z = next;
  }
  return z;
}
