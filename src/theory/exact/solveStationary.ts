import type { TruncatedChain } from "./truncatedChain";

/** How the stationary solve went. */
export interface StationarySolve {
  /** The stationary law of the lumped chain (sums to 1). */
  readonly law: Float64Array;
  /** Outer iterations (each: one aggregation step and a forward and a backward Gauss-Seidel sweep). */
  readonly iterations: number;
  /** ||pi P - pi||_1 at the end. */
  readonly residual: number;
  /** Whether the residual reached the requested tolerance. */
  readonly converged: boolean;
  /**
   * An estimate of ||pi - pi_exact||_1 for the truncated chain, from the convergence history: the law is kept when
   * the residual first falls below 100 times the tolerance (r1); with the final residual r2 and the change c
   * between the two laws, the error of an iterate is taken proportional to its residual (the slow mode dominates
   * late iterations), e = kappa r, so c >= kappa (r1 - r2) and the estimate is c r2 / (r1 - r2).
   */
  readonly errorEstimate: number;
}

/**
 * The stationary law of a lumped truncated chain by iterative aggregation-disaggregation (IAD) with Gauss-Seidel
 * smoothing, the Koury-McAllister-Stewart method (W. J. Stewart, Introduction to the Numerical Solution of Markov
 * Chains, Princeton 1994, Sec. 6.3). Private to src/theory/exact.
 *
 * Why this method, written here. The system pi (I - P) = 0, sum(pi) = 1 has up to 2.5e5 unknowns (n = 3,
 * T = 112) and about 6 nonzeros per column. A direct sparse LU of this three-dimensional lattice fills in badly
 * (with a level ordering the band holds about T^2 / 2 states: about 1e11 flops at T = 60), and no maintained
 * JavaScript package offers a sparse direct or Krylov solver for singular Markov systems (mathjs's sparse LU is
 * generic over number types and slow at this size; numeric is unmaintained since 2012). Power iteration and
 * plain Gauss-Seidel converge at the rate of the chain's slowest modes, the amounts of work in the queues, which
 * mix on a time scale of order 1 / (1 - load)^2 events and slow down sharply near a stability threshold.
 *
 * The method. Each iteration aggregates the states by one coordinate that carries a slow mode, in turn: the total
 * number of units, the longest queue, the shortest queue and (n = 3) the middle one. For each, the aggregated
 * chain has the weights pi(s) / pi(level of s) within a level; every such coordinate falls by at most one unit
 * per event (a service removes one unit; a sorted coordinate then drops by at most one), so the aggregated chain
 * is skip-free downwards and its stationary law follows from the cut equations
 *   xi_{l+1} A(l+1 -> l) = sum_{i <= l} xi_i A(i -> above l)
 * in one pass over the levels, with positive terms only (no cancellation, no pivoting). The law is then rescaled
 * level by level to xi (disaggregation) and smoothed by one forward and one backward Gauss-Seidel sweep,
 * pi_j = sum_{i != j} pi_i P(i, j) / (1 - P(j, j)). Convergence is checked by the residual ||pi P - pi||_1 after
 * every iteration, never assumed, and the error of the result is estimated from the convergence history (see
 * StationarySolve.errorEstimate). Measured (n = 3, T = 60, lambda = 0.9): 47 iterations for ABOUNCE(2, 2),
 * 241 for MBOUNCE(2, inf), 765 for no sharing (whose three independent queues leave slow modes that no single
 * coordinate aggregates), against about 65000 for power iteration.
 *
 * Cost per iteration: six passes over the nonzeros plus O(levels K) for the cut equations. Memory O(states + T K).
 *
 * @param chain the lumped chain
 * @param residualTolerance stop when ||pi P - pi||_1 <= this
 * @param maxIterations give up (converged: false) after this many iterations
 */
export function solveStationary(chain: TruncatedChain, residualTolerance: number, maxIterations: number): StationarySolve {
  const { size, queues: n, lengths, columnStart, source, probability, selfLoop } = chain;
  const jump = Math.max(chain.largestJump, 1);
  const coordinates: Int32Array[] = [chain.total];
  const coordinate = (k: number): Int32Array => {
    const out = new Int32Array(size);
    for (let s = 0; s < size; s++) out[s] = lengths[s * n + k] as number;
    return out;
  };
  if (n >= 2) coordinates.push(coordinate(0), coordinate(n - 1));
  if (n === 3) coordinates.push(coordinate(1));
  const aggregations = coordinates.map((key) => new Aggregation(key, jump));

  const law = new Float64Array(size).fill(1 / size);
  let residual = Infinity;
  let iterations = 0;
  let kept: Float64Array | undefined;
  let keptResidual = NaN;
  while (iterations < maxIterations) {
    (aggregations[iterations % aggregations.length] as Aggregation).apply(chain, law);
    iterations++;
    gaussSeidelSweep(law, size, columnStart, source, probability, selfLoop, true);
    gaussSeidelSweep(law, size, columnStart, source, probability, selfLoop, false);
    residual = stationaryResidual(chain, law);
    if (kept === undefined && residual <= 100 * residualTolerance) {
      kept = law.slice();
      keptResidual = residual;
      continue; // at least one more iteration, for the error estimate
    }
    if (residual <= residualTolerance) break;
  }
  let errorEstimate = NaN;
  if (kept !== undefined) {
    let change = 0;
    for (let s = 0; s < size; s++) change += Math.abs((law[s] as number) - (kept[s] as number));
    errorEstimate = (change * residual) / Math.max(keptResidual - residual, residual);
  }
  return { law, iterations, residual, converged: residual <= residualTolerance, errorEstimate };
}

/** One aggregation-disaggregation step by a coordinate that falls by at most one per event. */
class Aggregation {
  private readonly levels: number;
  private readonly mass: Float64Array;
  private readonly members: Float64Array;
  private readonly down: Float64Array;
  /** up[l jump + m - 1]: flow from level l to level l + m' for m' >= m (cumulated after filling). */
  private readonly up: Float64Array;
  private readonly xi: Float64Array;
  private readonly weight: Float64Array;

  constructor(private readonly key: Int32Array, private readonly jump: number) {
    let levels = 0;
    for (let s = 0; s < key.length; s++) levels = Math.max(levels, (key[s] as number) + 1);
    this.levels = levels;
    this.mass = new Float64Array(levels);
    this.members = new Float64Array(levels);
    for (let s = 0; s < key.length; s++) this.members[key[s] as number]! += 1;
    this.down = new Float64Array(levels);
    this.up = new Float64Array(levels * jump);
    this.xi = new Float64Array(levels);
    this.weight = new Float64Array(key.length);
  }

  apply(chain: TruncatedChain, law: Float64Array): void {
    const { key, jump, levels, mass, members, down, up, xi, weight } = this;
    const { size, columnStart, source, probability } = chain;
    mass.fill(0);
    for (let s = 0; s < size; s++) mass[key[s] as number]! += law[s] as number;
    for (let s = 0; s < size; s++) {
      const l = key[s] as number;
      const m = mass[l] as number;
      weight[s] = m > 0 ? (law[s] as number) / m : 1 / (members[l] as number);
    }
    down.fill(0);
    up.fill(0);
    for (let j = 0; j < size; j++) {
      const J = key[j] as number;
      for (let k = columnStart[j] as number; k < (columnStart[j + 1] as number); k++) {
        const i = source[k] as number;
        const I = key[i] as number;
        if (J === I) continue;
        const flow = (weight[i] as number) * (probability[k] as number);
        if (J < I) down[I]! += flow; // J = I - 1: the coordinate never falls by more
        else up[I * jump + (J - I - 1)]! += flow;
      }
    }
    for (let l = 0; l < levels; l++) for (let m = jump - 2; m >= 0; m--) up[l * jump + m]! += up[l * jump + m + 1] as number;
    xi[0] = 1;
    let total = 1;
    for (let l = 0; l + 1 < levels; l++) {
      let flow = 0;
      for (let i = Math.max(0, l - jump + 1); i <= l; i++) flow += (xi[i] as number) * (up[i * jump + (l - i)] as number);
      const d = down[l + 1] as number;
      const v = d > 0 ? flow / d : 0;
      xi[l + 1] = v;
      total += v;
    }
    for (let s = 0; s < size; s++) law[s] = ((xi[key[s] as number] as number) / total) * (weight[s] as number);
  }
}

function gaussSeidelSweep(
  law: Float64Array, size: number, columnStart: Int32Array, source: Int32Array, probability: Float64Array,
  selfLoop: Float64Array, forward: boolean,
): void {
  let sum = 0;
  for (let step = 0; step < size; step++) {
    const j = forward ? step : size - 1 - step;
    let inflow = 0;
    for (let k = columnStart[j] as number; k < (columnStart[j + 1] as number); k++) {
      inflow += (law[source[k] as number] as number) * (probability[k] as number);
    }
    const v = inflow / (1 - (selfLoop[j] as number));
    law[j] = v;
    sum += v;
  }
  for (let s = 0; s < size; s++) law[s] = (law[s] as number) / sum;
}

/** ||pi P - pi||_1 for the lumped chain. Cost one pass over the nonzeros. */
export function stationaryResidual(chain: TruncatedChain, law: Float64Array): number {
  const { size, columnStart, source, probability, selfLoop } = chain;
  let r = 0;
  for (let j = 0; j < size; j++) {
    let inflow = (law[j] as number) * (selfLoop[j] as number);
    for (let k = columnStart[j] as number; k < (columnStart[j + 1] as number); k++) {
      inflow += (law[source[k] as number] as number) * (probability[k] as number);
    }
    r += Math.abs(inflow - (law[j] as number));
  }
  return r;
}
