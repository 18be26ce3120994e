import type { TwoQueueGrid } from "./twoQueueGrid";

/**
 * One application of the Bellman operator of the two-queue migration MDP on the truncated grid (see
 * twoQueueGrid.ts for the chain):
 *   (T h)(x, y) = (x + y)/2 + a min(h(x+1, y), h(x, y+K)) + a min(h(x, y+1), h(x+K, y)) + s h(x-1, y) + s h(x, y-1),
 * with every coordinate capped to 0..N. Writes T h into `out` and returns min and max of T h - h (the Odoni
 * bounds: for any h, min (T h - h) <= g*_N <= max (T h - h), where g*_N is the optimal average cost of the
 * truncated MDP; A. R. Odoni, "On finding the maximal gain for Markov decision processes", Operations Research
 * 17, 1969; Puterman, "Markov Decision Processes", 1994, Sec. 8.5). Both hold for any h when every stationary
 * policy is unichain: the optimal policy sigma* has pi*(T h - h) <= pi*(T_sigma* h - h) = g*_N, and the policy
 * sigma greedy for h has g_sigma = pi_sigma(T h - h), with g*_N <= g_sigma.
 *
 * Exact symmetry: if h(x, y) = h(y, x) then (T h)(x, y) = (T h)(y, x) bit for bit, because the swapped state
 * exchanges the two min terms and the two service terms, and floating-point addition is commutative. So the
 * iterates stay exactly symmetric and ties between the queues are exact ties.
 *
 * Hot loop, no allocation. Cost O(N^2).
 */
export function bellmanSweep(grid: TwoQueueGrid, h: Float64Array, out: Float64Array): { lower: number; upper: number } {
  const { side: M, truncation: N, migrationPenalty: K, arrivalProbability: a, serviceProbability: s } = grid;
  let lower = Infinity;
  let upper = -Infinity;
  const lastRow = N * M;
  for (let x = 0; x < M; x++) {
    const row = x * M;
    for (let y = 0; y < M; y++) {
      const i = row + y;
      const here = h[i]!;
      const stay1 = x < N ? h[i + M]! : here;
      const migrate1 = y + K <= N ? h[i + K]! : h[row + N]!;
      const stay2 = y < N ? h[i + 1]! : here;
      const migrate2 = x + K <= N ? h[i + K * M]! : h[lastRow + y]!;
      const down1 = x > 0 ? h[i - M]! : here;
      const down2 = y > 0 ? h[i - 1]! : here;
      const value = (x + y) / 2 +
        a * ((stay1 < migrate1 ? stay1 : migrate1) + (stay2 < migrate2 ? stay2 : migrate2)) +
        s * (down1 + down2);
      out[i] = value;
      const diff = value - here;
      if (diff < lower) lower = diff;
      if (diff > upper) upper = diff;
    }
  }
  return { lower, upper };
}

/** The outcome of relative value iteration. */
export interface RelativeValueIterationResult {
  /** Relative values, normalised to h(0, 0) = 0. */
  readonly relativeValues: Float64Array;
  /** Odoni bounds on the optimal average cost of the truncated MDP at the last sweep. */
  readonly lowerBound: number;
  readonly upperBound: number;
  readonly iterations: number;
  /** Whether upper - lower <= tolerance max(1, |lower|) was reached within maxIterations. */
  readonly converged: boolean;
}

/**
 * Relative value iteration h <- T h - (T h)(0, 0) from h = 0 (Puterman 1994, Sec. 8.5), until the Odoni
 * bounds are within `tolerance` (relative). It converges because every stationary policy is unichain and
 * aperiodic: from any state the services empty both queues with positive probability, and (0, 0) has a
 * self-loop (fictitious services). Cost O(N^2) per sweep; sweeps grow like the relaxation time of the chain
 * (at N = 100: about 1,300 sweeps at lambda = 0.5 and 17,000 at lambda = 0.9).
 */
export function relativeValueIteration(grid: TwoQueueGrid, tolerance: number, maxIterations: number): RelativeValueIterationResult {
  const n = grid.states;
  let h = new Float64Array(n);
  let next = new Float64Array(n);
  let lower = -Infinity;
  let upper = Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    const bounds = bellmanSweep(grid, h, next);
    iterations++;
    lower = bounds.lower;
    upper = bounds.upper;
    const reference = next[0]!;
    for (let i = 0; i < n; i++) next[i] = next[i]! - reference;
    const swap = h;
    h = next;
    next = swap;
    if (upper - lower <= tolerance * Math.max(1, Math.abs(lower))) {
      converged = true;
      break;
    }
  }
  return { relativeValues: h, lowerBound: lower, upperBound: upper, iterations, converged };
}

/**
 * The decision table that is greedy for h: an arrival at a queue of length own (other queue: target) migrates
 * iff h(own, target + K) < h(own + 1, target) - tieTolerance (coordinates capped; own is the first coordinate,
 * which by the symmetry of h is the same as the second). Ties stay. Cost O(N^2).
 */
export function greedyDecisions(grid: TwoQueueGrid, h: Float64Array, tieTolerance: number): Uint8Array {
  const { side: M, truncation: N, migrationPenalty: K } = grid;
  const table = new Uint8Array(M * M);
  for (let own = 0; own < M; own++) {
    for (let target = 0; target < M; target++) {
      const stay = h[Math.min(own + 1, N) * M + target]!;
      const migrate = h[own * M + Math.min(target + K, N)]!;
      table[own * M + target] = migrate < stay - tieTolerance * Math.max(1, Math.abs(stay)) ? 1 : 0;
    }
  }
  return table;
}
