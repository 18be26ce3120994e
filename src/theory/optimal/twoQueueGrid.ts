import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import type { MigrationRule } from "../../model/policy";
import { SkylineLu } from "./skylineLu";

/**
 * The truncated two-queue chain shared by the optimal-rule MDP and the evaluation of fixed rules
 * (src/theory/optimal). Not in the package's barrel.
 *
 * The model: n = 2 queues, Poisson(lambda) arrivals at each, exp(1) service, d = infinity (the sampled queue is
 * the other one). Uniformized at rate 2(lambda + 1), one step is: an arrival at queue 1 or at queue 2 with
 * probability a = lambda / (2(lambda + 1)) each, a (possibly fictitious) service at queue 1 or queue 2 with
 * probability s = 1 / (2(lambda + 1)) each. An arrival at a queue of length `own` whose other queue has length
 * `target` either stays (own + 1) or migrates (target + K). Time averages of the continuous-time chain equal
 * step averages of the uniformized chain (holding times are i.i.d. Exp(2(lambda + 1)), independent of the path).
 *
 * Truncation to the grid {0..N}^2 by capping: a queue that would exceed N is set to N, the overflow is lost.
 * States are indexed x (N + 1) + y for (q1, q2) = (x, y). A rule is a table `migrate[own (N + 1) + target]`
 * (1: migrate), used for both queues, so every rule here treats the queues alike.
 */
export interface TwoQueueGrid {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  /** N: each queue holds 0..N units. */
  readonly truncation: number;
  /** N + 1. */
  readonly side: number;
  /** (N + 1)^2. */
  readonly states: number;
  /** a = lambda / (2 (lambda + 1)): probability of an arrival at a given queue per step. */
  readonly arrivalProbability: number;
  /** s = 1 / (2 (lambda + 1)): probability of a service event at a given queue per step. */
  readonly serviceProbability: number;
}

/** The largest truncation accepted. */
export const MAX_TRUNCATION = 400;

/** The largest LU accepted, in bytes (2 GiB): 8 bytes per entry of the lumped chain's envelope (skylineLu.ts). */
export const MAX_SOLVER_BYTES = 2 ** 31;

/**
 * Validates (lambda, K, N) and returns the grid. Cost O(N^2).
 *
 * @throws ParameterError naming "arrivalRate (lambda)" (0 < lambda < 1: for lambda >= 1 no rule is stable, the
 *   mean queue length is infinite for every rule), "migrationPenalty (K)" (an integer in [1, MAX_TRUNCATION / 4])
 *   or "truncation (N)" (an integer in [max(8, 4K), MAX_TRUNCATION] whose LU fits in MAX_SOLVER_BYTES)
 */
export function twoQueueGrid(arrivalRate: number, migrationPenalty: number, truncation: number): TwoQueueGrid {
  const lambda = requireNumber("arrivalRate (lambda)", arrivalRate, 0, 1);
  const K = requireInteger("migrationPenalty (K)", migrationPenalty, 1, MAX_TRUNCATION / 4);
  const minimum = Math.max(8, 4 * K);
  if (typeof truncation !== "number" || !Number.isInteger(truncation) || truncation < minimum || truncation > MAX_TRUNCATION) {
    throw new ParameterError("truncation (N)", truncation, `an integer in [${minimum}, ${MAX_TRUNCATION}] (at least max(8, 4K) for K = ${K})`);
  }
  const pattern = lumpedPattern(truncation + 1, truncation, K);
  const bytes = 8 * SkylineLu.storedEntries(pattern.firstColumn, pattern.firstRow);
  if (bytes > MAX_SOLVER_BYTES) {
    throw new ParameterError("truncation (N)", truncation,
      `a grid whose LU fits in ${MAX_SOLVER_BYTES / 2 ** 30} GiB: N = ${truncation} with K = ${K} needs ${(bytes / 2 ** 30).toFixed(2)} GiB`);
  }
  const side = truncation + 1;
  return {
    arrivalRate: lambda,
    migrationPenalty: K,
    truncation,
    side,
    states: side * side,
    arrivalProbability: lambda / (2 * (lambda + 1)),
    serviceProbability: 1 / (2 * (lambda + 1)),
  };
}

/** The decision table of a rule on the grid: migrate[own (N + 1) + target] = rule(own, target). Cost O(N^2) rule calls. */
export function decisionTable(grid: TwoQueueGrid, rule: MigrationRule): Uint8Array {
  const M = grid.side;
  const table = new Uint8Array(M * M);
  for (let own = 0; own < M; own++) {
    for (let target = 0; target < M; target++) table[own * M + target] = rule(own, target) ? 1 : 0;
  }
  return table;
}

/**
 * The four events of one step from (x, y) under a decision table: destination indices and the units lost by
 * capping, written into `out` (length 4 each). Probabilities are a, a, s, s in this order. Cost O(1).
 */
export function stepEvents(
  grid: TwoQueueGrid,
  migrate: Uint8Array,
  x: number,
  y: number,
  destination: Int32Array,
  lost: Float64Array,
): void {
  const { side: M, truncation: N, migrationPenalty: K } = grid;
  // arrival at queue 1 (own x, target y)
  if (migrate[x * M + y] === 1) {
    destination[0] = x * M + Math.min(y + K, N);
    lost[0] = Math.max(0, y + K - N);
  } else {
    destination[0] = Math.min(x + 1, N) * M + y;
    lost[0] = x + 1 > N ? 1 : 0;
  }
  // arrival at queue 2 (own y, target x)
  if (migrate[y * M + x] === 1) {
    destination[1] = Math.min(x + K, N) * M + y;
    lost[1] = Math.max(0, x + K - N);
  } else {
    destination[1] = x * M + Math.min(y + 1, N);
    lost[1] = y + 1 > N ? 1 : 0;
  }
  destination[2] = Math.max(x - 1, 0) * M + y;
  destination[3] = x * M + Math.max(y - 1, 0);
  lost[2] = 0;
  lost[3] = 0;
}

/** The stationary law, average cost and relative values of a fixed rule on the grid. */
export interface GridSolution {
  /** Stationary probabilities, indexed x (N + 1) + y. */
  readonly stationary: Float64Array;
  /** Average cost per step = long-run mean of (q1 + q2) / 2, units per queue. */
  readonly averageCost: number;
  /** Relative values h with h(0, 0) = 0: h + g = c + P h. */
  readonly relativeValues: Float64Array;
  /** max |h + g - c - P h| and |sum pi - 1| + max |pi - pi P|: residuals of the solves. */
  readonly poissonResidual: number;
  readonly balanceResidual: number;
}

/**
 * The index of the unordered state {x, y} of the lumped chain: u (u + 1) / 2 + v for u = max(x, y) and
 * v = min(x, y), so the states of level u (the longer queue) are contiguous and ordered by the shorter queue.
 */
export function lumpedIndex(x: number, y: number): number {
  return x >= y ? (x * (x + 1)) / 2 + y : (y * (y + 1)) / 2 + x;
}

/**
 * The envelope of I - P of the lumped chain with {0, 0} removed (row and column r are lumped state r + 1), for
 * every rule at once: the moves of both decisions at every state are included, so the storage does not depend
 * on the rule. Cost O(N^2).
 */
function lumpedPattern(side: number, N: number, K: number): { firstColumn: Int32Array; firstRow: Int32Array } {
  const order = (side * (side + 1)) / 2 - 1;
  const firstColumn = new Int32Array(order);
  const firstRow = new Int32Array(order);
  for (let r = 0; r < order; r++) {
    firstColumn[r] = r;
    firstRow[r] = r;
  }
  for (let u = 0; u < side; u++) {
    for (let v = 0; v <= u; v++) {
      const row = lumpedIndex(u, v) - 1;
      if (row < 0) continue;
      const targets = [
        lumpedIndex(Math.min(u + 1, N), v), lumpedIndex(u, Math.min(v + K, N)),
        lumpedIndex(u, Math.min(v + 1, N)), lumpedIndex(Math.min(u + K, N), v),
        lumpedIndex(Math.max(u - 1, 0), v), lumpedIndex(u, Math.max(v - 1, 0)),
      ];
      for (const target of targets) {
        const column = target - 1;
        if (column < 0) continue;
        if (column < firstColumn[row]!) firstColumn[row] = column;
        if (row < firstRow[column]!) firstRow[column] = row;
      }
    }
  }
  return { firstColumn, firstRow };
}

/**
 * Solves a fixed rule on the grid exactly (up to rounding) on the chain lumped by the swap of the queues, by
 * one LU factorisation of B = I - P~ with the state {0, 0} removed (a nonsingular M-matrix: from every state
 * the chain reaches {0, 0}, see skylineLu.ts):
 *   stationary law: pi~_j = pi~_0 P~_0j + sum_{i != 0} pi~_i P~_ij, i.e. B^T x = (P~_0j)_j with pi~_0 = 1,
 *   normalised; then pi(x, y) = pi~({x, y}) / 2 off the diagonal, pi~({x, x}) on it;
 *   average cost g = sum pi c;
 *   relative values: B h~ = (c - g) on the states != {0, 0}, h~({0, 0}) = 0, and h(x, y) = h(y, x) = h~({x, y}).
 * Why lumping is exact: the rule is one table for both queues, so swapping the queues maps the chain onto
 * itself; the lumped chain's transitions from {x, y} are the full chain's from (x, y) summed over each
 * destination's pair, the same from (y, x). The full chain's stationary law (unique: it is irreducible on the
 * states reachable from (0, 0)) is then symmetric, and so is the solution of its Poisson equation with
 * h(0, 0) = 0. Why lump: half the states, and rows of level u reach about u states back and K u forward
 * (against N + 1 and K (N + 1) for the full chain ordered by q1), so the LU costs about a quarter.
 * Both residuals are computed on the full chain from its own transitions (stepEvents), so they also check the
 * lumping.
 * Cost about K N^4 / 4 flops and 8 (K + 1) N^3 / 3 bytes (N = 100, K = 3: about 0.1 s and 10 MB; N = 250:
 * about 0.7 s and 170 MB).
 * Returns NaN fields if the factorisation fails (it cannot for a valid grid; the check guards rounding).
 */
export function solveGridRule(grid: TwoQueueGrid, migrate: Uint8Array): GridSolution {
  const { side: M, states: n, truncation: N, arrivalProbability: a, serviceProbability: s, migrationPenalty: K } = grid;
  const pattern = lumpedPattern(M, N, K);
  const lu = new SkylineLu(pattern.firstColumn, pattern.firstRow);
  const order = lu.order;
  const lumped = new Int32Array(n); // full index -> lumped index
  for (let x = 0; x < M; x++) for (let y = 0; y < M; y++) lumped[x * M + y] = lumpedIndex(x, y);
  const destination = new Int32Array(4);
  const lost = new Float64Array(4);
  const probability = [a, a, s, s];
  const fromOrigin = new Float64Array(order);
  for (let u = 0; u < M; u++) {
    for (let v = 0; v <= u; v++) {
      const i = lumpedIndex(u, v);
      stepEvents(grid, migrate, u, v, destination, lost);
      if (i === 0) {
        for (let e = 0; e < 4; e++) {
          const j = lumped[destination[e]!]!;
          if (j !== 0) fromOrigin[j - 1] = (fromOrigin[j - 1] as number) + probability[e]!;
        }
        continue;
      }
      lu.add(i - 1, i - 1, 1);
      for (let e = 0; e < 4; e++) {
        const j = lumped[destination[e]!]!;
        if (j !== 0) lu.add(i - 1, j - 1, -probability[e]!);
      }
    }
  }
  const nan = (): GridSolution => ({
    stationary: new Float64Array(n).fill(NaN), averageCost: NaN, relativeValues: new Float64Array(n).fill(NaN),
    poissonResidual: NaN, balanceResidual: NaN,
  });
  if (!lu.factor()) return nan();
  const x = fromOrigin;
  lu.solveTransposed(x);
  let total = 1;
  for (let r = 0; r < order; r++) total += x[r]!;
  const stationary = new Float64Array(n);
  for (let xi = 0; xi < M; xi++) {
    for (let yi = 0; yi < M; yi++) {
      const j = lumped[xi * M + yi]!;
      const mass = j === 0 ? 1 / total : x[j - 1]! / total;
      stationary[xi * M + yi] = xi === yi ? mass : mass / 2;
    }
  }
  let g = 0;
  for (let xi = 0; xi < M; xi++) for (let yi = 0; yi < M; yi++) g += stationary[xi * M + yi]! * (xi + yi) / 2;
  const rhs = new Float64Array(order);
  for (let u = 0; u < M; u++) {
    for (let v = 0; v <= u; v++) {
      const i = lumpedIndex(u, v);
      if (i !== 0) rhs[i - 1] = (u + v) / 2 - g;
    }
  }
  lu.solve(rhs);
  const h = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const j = lumped[i]!;
    if (j !== 0) h[i] = rhs[j - 1]!;
  }

  // Residuals of both solves, on the full chain, from its transitions themselves.
  const inflow = new Float64Array(n);
  let poissonResidual = 0;
  for (let xi = 0; xi < M; xi++) {
    for (let yi = 0; yi < M; yi++) {
      const i = xi * M + yi;
      stepEvents(grid, migrate, xi, yi, destination, lost);
      let ph = 0;
      for (let e = 0; e < 4; e++) {
        ph += probability[e]! * h[destination[e]!]!;
        inflow[destination[e]!] = (inflow[destination[e]!] as number) + probability[e]! * stationary[i]!;
      }
      poissonResidual = Math.max(poissonResidual, Math.abs(h[i]! + g - (xi + yi) / 2 - ph));
    }
  }
  let balanceResidual = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += stationary[i]!;
    balanceResidual = Math.max(balanceResidual, Math.abs(inflow[i]! - stationary[i]!));
  }
  balanceResidual += Math.abs(sum - 1);
  if (!Number.isFinite(g)) return nan();
  return { stationary, averageCost: g, relativeValues: h, poissonResidual, balanceResidual };
}
