import { ParameterError, requireNumber } from "../../model/parameterError";
import { gridMeasures } from "./gridMeasures";
import { bellmanSweep, greedyDecisions, relativeValueIteration } from "./relativeValueIteration";
import { type GridSolution, MAX_TRUNCATION, type TwoQueueGrid, solveGridRule, twoQueueGrid } from "./twoQueueGrid";

/** One point of the switching curve. */
export interface SwitchingPoint {
  /** Length of the queue that would receive the K units (the shorter queue where migration pays). */
  readonly target: number;
  /** The smallest own length from which an arrival migrates, or null if no own length <= N migrates. */
  readonly migrateFrom: number | null;
  /** True when the check grid (a smaller truncation) gives the same non-null point: the edge does not move it. */
  readonly confirmed: boolean;
}

/** The optimal migration rule for two queues and how far it can be trusted. */
export interface OptimalTwoQueueRule {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  /** N: the grid {0..N}^2. */
  readonly truncation: number;
  /** The optimal long-run mean queue length per queue (units of work) on the grid: g of the optimal policy. */
  readonly meanQueueLength: number;
  /**
   * A bracket of the optimal average cost g*_N of the truncated MDP (rigorous up to rounding): lower is the
   * Odoni bound min (T h - h) at the exact relative values of the returned policy, upper is that policy's
   * exact cost. lower is also a lower bound on the optimum of the untruncated problem (see the comment).
   */
  readonly bounds: { readonly lower: number; readonly upper: number };
  /** Long-run fraction of arrivals that migrate under the optimal rule. */
  readonly migrationFraction: number;
  /** tail[i] = P(q1 >= i) under the optimal rule, i = 0..N; tail[0] = 1. */
  readonly tail: number[];
  /** For each target 0..N, the smallest own length that migrates. */
  readonly switchingCurve: SwitchingPoint[];
  /**
   * The rule as a table of switching points: switchingTable[t] = the own length from which an arrival migrates
   * to a queue of length t, for the confirmed prefix t = 0..T of the curve (null where it never migrates below
   * N). Beyond the table the curve lies outside the trusted part of the grid; `switchingTableRule` treats
   * targets beyond it as "stay".
   */
  readonly switchingTable: number[];
  /** Whether each confirmed row of the decision table is a threshold (migrate iff own >= migrateFrom), checked for own <= checkedOwnUpTo. */
  readonly thresholdStructure: {
    readonly holds: boolean;
    readonly checkedOwnUpTo: number;
    readonly exceptions: { readonly own: number; readonly target: number }[];
  };
  /** The shape of the confirmed curve, for comparison with ABOUNCE and MBOUNCE (observations, not theorems). */
  readonly curveShape: CurveShape;
  /** Truncation diagnostics. */
  readonly truncationCheck: TruncationCheck;
  /** Solver diagnostics. */
  readonly solver: {
    readonly valueIterations: number;
    readonly valueIterationConverged: boolean;
    /** The Odoni bounds when relative value iteration stopped. */
    readonly valueIterationBounds: { readonly lower: number; readonly upper: number };
    /** Exact evaluations and improvement steps after value iteration (1 = the value-iteration policy was already optimal). */
    readonly policyIterationSteps: number;
    /** bounds.upper - bounds.lower: how far the returned policy can be from optimal on the grid. */
    readonly optimalityGap: number;
    readonly seconds: number;
  };
  /** migrate[own (N + 1) + target] = 1 when an arrival migrates (the full decision table, edge included). */
  readonly decisions: Uint8Array;
  /** Stationary probabilities of the optimal rule, indexed q1 (N + 1) + q2. */
  readonly stationary: Float64Array;
}

/** Equivalent thresholds of the confirmed switching points. */
export interface CurveShape {
  /** Targets of the confirmed points with a non-null migrateFrom. */
  readonly targets: number[];
  /** migrateFrom - target - 1: the C of the ABOUNCE rule (own > target + C) that has this point. */
  readonly additiveThresholds: number[];
  /** (migrateFrom - 1) / target (null at target 0): the smallest MBOUNCE ratio alpha (own > alpha target) that has this point. */
  readonly ratios: (number | null)[];
  /** True when the additive thresholds increase strictly along the curve (no single C fits). */
  readonly additiveThresholdIncreasing: boolean;
  /** True when the ratios (target >= 1) increase strictly along the curve (no single alpha fits either). */
  readonly ratioIncreasing: boolean;
}

/** How much the truncation can matter. */
export interface TruncationCheck {
  /** P(max(q1, q2) > N - K) under the optimal rule: where capping can lose work. */
  readonly edgeMass: number;
  readonly edgeTolerance: number;
  /** Units lost by capping per arrival. */
  readonly lostUnitsPerArrival: number;
  /** The smaller grid solved for comparison (null when skipped). */
  readonly checkTruncation: number | null;
  /** The optimal mean queue length on the check grid (NaN when skipped). */
  readonly checkMeanQueueLength: number;
  /** meanQueueLength - checkMeanQueueLength (>= 0: the optimum of the capped MDP does not decrease with N). */
  readonly change: number;
  /** The edge mass on the check grid (NaN when skipped). */
  readonly checkEdgeMass: number;
  /**
   * An estimate (not a bound) of g* - g*_N, assuming the error decays geometrically in N at the rate of the
   * edge mass: change q / (1 - q), q = edgeMass / checkEdgeMass. NaN when skipped or when q >= 1.
   */
  readonly errorEstimate: number;
}

/** Options of {@link optimalTwoQueueRule}. */
export interface OptimalTwoQueueRuleOptions {
  /** N, an integer in [max(8, 4K), 400] (default 100). */
  readonly truncation?: number;
  /**
   * The smaller grid solved to confirm the curve and the cost, an integer in [max(8, 4K), N - 1]
   * (default round(3N/4)), or false to skip it.
   */
  readonly checkTruncation?: number | false;
  /** Refuse when the edge mass exceeds this, in (0, 1) (default 1e-5). */
  readonly edgeTolerance?: number;
  /** Relative tolerance of relative value iteration's Odoni bounds, in (0, 1e-3] (default 1e-9). */
  readonly valueTolerance?: number;
  /** Sweeps of relative value iteration at most, an integer >= 1 (default 2,000,000). */
  readonly maxIterations?: number;
}

const TIE_TOLERANCE = 1e-10;
const MAX_POLICY_STEPS = 50;

/**
 * The optimal migration rule for n = 2 queues with d = infinity (the paper's open question 2, Section VI): at
 * each arrival either stay (one unit joins the own queue) or migrate (K units join the other queue), to
 * minimise the long-run mean queue length in units of work, per queue.
 *
 * Method. The continuous-time chain is uniformized at rate 2(lambda + 1) (twoQueueGrid.ts) and truncated to
 * {0..N}^2 by capping (overflow beyond N is lost). The average-cost optimality equation of this finite MDP,
 *   g + h(x, y) = (x + y)/2 + a min(h(x+1, y), h(x, y+K)) + a min(h(x, y+1), h(x+K, y)) + s h(x-1, y) + s h(x, y-1)
 * (a = lambda/(2(lambda+1)), s = 1/(2(lambda+1)), coordinates capped to 0..N), is solved by relative value
 * iteration (relativeValueIteration.ts) until the Odoni bounds agree to `valueTolerance`. Then the greedy
 * policy is evaluated exactly (LU solve of its stationary law and Poisson equation) and improved until no
 * state improves by more than a tie tolerance (policy iteration, Howard 1960; usually one evaluation, which
 * certifies the value-iteration policy). The final Odoni bound min (T h - h) at the exact h of the returned
 * policy and that policy's exact cost bracket g*_N: `bounds`. Symmetry: the problem is invariant under
 * exchanging the queues; the iteration keeps h exactly symmetric (see bellmanSweep), so one table
 * migrate[own][target] serves both queues and ties between the queues are exact.
 *
 * Truncation: why the error is one-sided and how it is measured.
 * (1) g*_N <= g* (the optimum of the untruncated problem) and g*_N is nondecreasing in N. Proof by coupling:
 *     run the capped system on the same events (arrivals and potential services) as the untruncated one under
 *     any policy (history-dependent, the capped controller copies the untruncated controller's decisions,
 *     which it can compute from the event history). Capping x -> min(x + k, N) and service x -> max(x - 1, 0)
 *     are monotone, so by induction the capped queues never exceed the untruncated ones, path by path; the
 *     capped costs are therefore no larger, and the optimum of a finite MDP over history-dependent policies is
 *     attained by a stationary deterministic one (Puterman, "Markov Decision Processes", 1994, Sec. 9.1,
 *     finite state and action sets). The same coupling between caps N and N' > N gives g*_N <= g*_N'. So `bounds.lower` is a rigorous
 *     lower bound on the true optimum.
 * (2) The other side is measured, not bounded: the loss happens only in the states with max(q1, q2) > N - K.
 *     Their stationary mass under the optimal rule (`edgeMass`) must not exceed `edgeTolerance` (default 1e-5),
 *     or the call throws. A smaller grid (`checkTruncation`, default 3N/4) is solved too: `change` =
 *     g*_N - g*_N' >= 0, and if the error decays geometrically at the rate of the edge mass the remaining error is
 *     about change q/(1 - q) with q = edgeMass_N / edgeMass_N' (`errorEstimate`). Measured: lambda = 0.9, K = 2:
 *     g*_75 = 7.16108, g*_100 = 7.16734, g*_200 = 7.16771 (edge masses 8.7e-5, 4.3e-6, 1.8e-11); the estimate
 *     at N = 100 is 3.3e-4 against the actual 3.7e-4. At lambda = 0.5 the grids 100 and 200 agree to 1e-14.
 * (3) The switching curve near the edge is distorted by the free loss (staying at own = N costs nothing;
 *     migrating into a nearly full queue destroys work). A curve point is `confirmed` when the check grid, whose
 *     edge is N/4 closer, gives the same point; only the confirmed prefix enters `switchingTable`. Observed: a
 *     point moved by the edge becomes null (no migration below N) rather than shifting, and confirmed points
 *     agree with the grid 2N.
 *
 * A priori refusal (before any work): in the untruncated system, under any rule, the total q1 + q2 is
 * stochastically at least the number in an M/M/2 queue with arrival rate 2 lambda (standard coupling: the
 * pooled queue never has fewer busy servers when the totals are equal, and migration only adds work), whose
 * tail is P(L >= k) = 2 lambda^k / (1 + lambda); max(q1, q2) > N - K follows from q1 + q2 >= 2(N - K) + 1. If that
 * lower bound on the edge mass already exceeds the tolerance, no rule fits the grid and the call throws.
 *
 * Cost: relative value iteration O(N^2) per sweep, about 1,300 sweeps at lambda = 0.5 and 17,000-19,000 at
 * lambda = 0.9 for N = 100, plus one LU solve (about K N^4 / 4 flops) for the certificate, and the same on the
 * check grid. Measured on this 2-core machine, check grid included: 0.4 s at N = 100, lambda = 0.5, K = 2; 4.5 s at
 * lambda = 0.9, K = 3 (most of it the value iteration); 28 s at N = 200 (check grid 150), lambda = 0.9, K = 3. Memory about 8 (K + 1) N^3 / 3 bytes
 * during a solve, plus the O(N^2) arrays (N = 200, K = 3: 184 MB resident for the whole process).
 *
 * Validated (test/optimalTwoQueue.test.ts): K = 1 gives join-the-shortest-queue, optimal for identical
 * exponential servers (Winston 1977, Weber 1978), and its cost; never migrating costs two M/M/1/N queues;
 * value iteration against policy iteration with dense solves on a small grid; the optimum is never worse than
 * any evaluated rule; g*_N against the grid 2N.
 *
 * @param arrivalRate lambda in (0, 1), jobs per unit time per queue (for lambda >= 1 every rule is unstable)
 * @param migrationPenalty K, an integer >= 1 (units a migrated job becomes; K = 1 is free migration)
 * @param options truncation N (default 100), checkTruncation (default round(3N/4), or false), edgeTolerance
 *   (default 1e-5), valueTolerance (default 1e-9), maxIterations (default 2e6)
 * @returns the optimal cost, the switching curve and table, and the diagnostics
 * @throws ParameterError naming "arrivalRate (lambda)" (outside (0, 1)), "migrationPenalty (K)" (not an integer
 *   in [1, 100]), "truncation (N)" (not an integer in [max(8, 4K), 400], an LU over 2 GiB, or too small for
 *   lambda: the edge mass exceeds the tolerance; the message names both and suggests a truncation),
 *   "checkTruncation", "edgeTolerance",
 *   "valueTolerance" or "maxIterations"
 * @example
 * const best = optimalTwoQueueRule(0.5, 2, { truncation: 40 });
 * best.meanQueueLength // => 0.95495805725... (no sharing: 1)
 * best.switchingTable // => [3, 7, 12, 19] (migrate to an empty queue from 3 units, to a queue of 1 from 7, ...)
 */
export function optimalTwoQueueRule(
  arrivalRate: number,
  migrationPenalty: number,
  options: OptimalTwoQueueRuleOptions = {},
): OptimalTwoQueueRule {
  const started = Date.now();
  const grid = twoQueueGrid(arrivalRate, migrationPenalty, options.truncation ?? 100);
  const N = grid.truncation;
  const K = grid.migrationPenalty;
  const lambda = grid.arrivalRate;
  const minimum = Math.max(8, 4 * K);
  const checkTruncation = options.checkTruncation === false ? null : options.checkTruncation ?? Math.max(minimum, Math.round(0.75 * N));
  if (checkTruncation !== null && (typeof checkTruncation !== "number" || !Number.isInteger(checkTruncation) || checkTruncation < minimum || checkTruncation >= N)) {
    throw new ParameterError("checkTruncation", checkTruncation, `an integer in [${minimum}, N - 1 = ${N - 1}], or false`);
  }
  const edgeTolerance = requireNumber("edgeTolerance", options.edgeTolerance ?? 1e-5, 0, 1);
  const valueTolerance = requireNumber("valueTolerance", options.valueTolerance ?? 1e-9, 0, 1e-3, { hiInclusive: true });
  const maxIterations = options.maxIterations ?? 2_000_000;
  if (typeof maxIterations !== "number" || !Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ParameterError("maxIterations", maxIterations, "an integer >= 1");
  }

  // A priori: the pooled M/M/2 lower bound on the edge mass of the untruncated system (see the comment).
  const pooledEdge = 2 * Math.pow(lambda, 2 * (N - K) + 1) / (1 + lambda);
  if (pooledEdge > edgeTolerance) {
    throw tooSmall(N, lambda, K, pooledEdge, edgeTolerance, "even the pooled M/M/2 queue, a lower bound for every rule, has",
      suggestFromPooled(lambda, K, edgeTolerance));
  }

  const main = solveOptimal(grid, valueTolerance, maxIterations);
  const measures = gridMeasures(grid, main.decisions, main.solution.stationary);
  if (!(measures.edgeMass <= edgeTolerance)) {
    throw tooSmall(N, lambda, K, measures.edgeMass, edgeTolerance, "the optimal rule has", suggestFromTail(measures.tailOfMax, N, K, edgeTolerance));
  }

  let check: { solved: SolvedOptimal; edgeMass: number } | null = null;
  if (checkTruncation !== null) {
    const checkGrid = twoQueueGrid(lambda, K, checkTruncation);
    const solved = solveOptimal(checkGrid, valueTolerance, maxIterations);
    check = { solved, edgeMass: gridMeasures(checkGrid, solved.decisions, solved.solution.stationary).edgeMass };
  }

  const curve = switchingCurveOf(grid, main.decisions);
  const checkCurve = check === null ? null : switchingCurveOf(check.solved.grid, check.solved.decisions);
  const switchingCurve: SwitchingPoint[] = curve.map((migrateFrom, target) => ({
    target,
    migrateFrom,
    confirmed: checkCurve !== null && migrateFrom !== null && target < checkCurve.length && checkCurve[target] === migrateFrom,
  }));
  const switchingTable: number[] = [];
  for (const point of switchingCurve) {
    if (!point.confirmed) break;
    switchingTable.push(point.migrateFrom as number);
  }
  const checkedOwnUpTo = checkTruncation ?? N;
  const exceptions: { own: number; target: number }[] = [];
  for (let target = 0; target < switchingTable.length; target++) {
    const from = switchingTable[target]!;
    for (let own = 0; own <= checkedOwnUpTo; own++) {
      const decided = main.decisions[own * grid.side + target] === 1;
      if (from !== null && decided !== own >= from) exceptions.push({ own, target });
    }
  }

  const change = check === null ? NaN : main.solution.averageCost - check.solved.solution.averageCost;
  const q = check === null ? NaN : measures.edgeMass / check.edgeMass;
  return {
    arrivalRate: lambda,
    migrationPenalty: K,
    truncation: N,
    meanQueueLength: main.solution.averageCost,
    bounds: { lower: main.lowerBound, upper: main.solution.averageCost },
    migrationFraction: measures.migrationFraction,
    tail: measures.tail,
    switchingCurve,
    switchingTable,
    thresholdStructure: { holds: exceptions.length === 0, checkedOwnUpTo, exceptions },
    curveShape: curveShapeOf(switchingTable),
    truncationCheck: {
      edgeMass: measures.edgeMass,
      edgeTolerance,
      lostUnitsPerArrival: measures.lostUnitsPerArrival,
      checkTruncation,
      checkMeanQueueLength: check === null ? NaN : check.solved.solution.averageCost,
      change,
      checkEdgeMass: check === null ? NaN : check.edgeMass,
      errorEstimate: q >= 0 && q < 1 ? Math.max(0, change) * q / (1 - q) : NaN,
    },
    solver: {
      valueIterations: main.valueIterations,
      valueIterationConverged: main.valueIterationConverged,
      valueIterationBounds: main.valueIterationBounds,
      policyIterationSteps: main.policySteps,
      optimalityGap: main.solution.averageCost - main.lowerBound,
      seconds: (Date.now() - started) / 1000,
    },
    decisions: main.decisions,
    stationary: main.solution.stationary,
  };
}

interface SolvedOptimal {
  readonly grid: TwoQueueGrid;
  readonly decisions: Uint8Array;
  readonly solution: GridSolution;
  readonly lowerBound: number;
  readonly valueIterations: number;
  readonly valueIterationConverged: boolean;
  readonly valueIterationBounds: { readonly lower: number; readonly upper: number };
  readonly policySteps: number;
}

/** Relative value iteration, then exact evaluation and improvement until stable (see the main comment). */
function solveOptimal(grid: TwoQueueGrid, valueTolerance: number, maxIterations: number): SolvedOptimal {
  const rvi = relativeValueIteration(grid, valueTolerance, maxIterations);
  let decisions = greedyDecisions(grid, rvi.relativeValues, TIE_TOLERANCE);
  let solution = solveGridRule(grid, decisions);
  let lowerBound = NaN;
  let steps = 1;
  const scratch = new Float64Array(grid.states);
  for (;;) {
    const h = symmetrised(grid, solution.relativeValues);
    lowerBound = bellmanSweep(grid, h, scratch).lower;
    const improved = greedyDecisions(grid, h, TIE_TOLERANCE);
    if (sameTable(improved, decisions) || steps >= MAX_POLICY_STEPS) break;
    const candidate = solveGridRule(grid, improved);
    steps++;
    if (!(candidate.averageCost < solution.averageCost)) {
      // An improvement step never raises the cost; no decrease means the difference was rounding: keep the old policy.
      break;
    }
    decisions = improved;
    solution = candidate;
  }
  return {
    grid,
    decisions,
    solution,
    lowerBound: Math.min(lowerBound, solution.averageCost),
    valueIterations: rvi.iterations,
    valueIterationConverged: rvi.converged,
    valueIterationBounds: { lower: rvi.lowerBound, upper: rvi.upperBound },
    policySteps: steps,
  };
}

/** (h(x, y) + h(y, x)) / 2: exactly symmetric (the exact solve of a symmetric rule is symmetric up to rounding). */
function symmetrised(grid: TwoQueueGrid, h: Float64Array): Float64Array {
  const M = grid.side;
  const out = new Float64Array(h.length);
  for (let x = 0; x < M; x++) for (let y = 0; y < M; y++) out[x * M + y] = (h[x * M + y]! + h[y * M + x]!) / 2;
  return out;
}

function sameTable(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** For each target, the smallest own length whose arrival migrates (null if none up to N). */
function switchingCurveOf(grid: TwoQueueGrid, decisions: Uint8Array): (number | null)[] {
  const M = grid.side;
  const curve: (number | null)[] = [];
  for (let target = 0; target < M; target++) {
    let from: number | null = null;
    for (let own = 0; own < M; own++) {
      if (decisions[own * M + target] === 1) {
        from = own;
        break;
      }
    }
    curve.push(from);
  }
  return curve;
}

function curveShapeOf(table: readonly number[]): CurveShape {
  const targets: number[] = [];
  const additiveThresholds: number[] = [];
  const ratios: (number | null)[] = [];
  table.forEach((from, target) => {
    if (from === null) return;
    targets.push(target);
    additiveThresholds.push(from - target - 1);
    ratios.push(target === 0 ? null : (from - 1) / target);
  });
  const increasing = (xs: readonly number[]): boolean => xs.length >= 2 && xs.every((x, i) => i === 0 || x > xs[i - 1]!);
  return {
    targets,
    additiveThresholds,
    ratios,
    additiveThresholdIncreasing: increasing(additiveThresholds),
    ratioIncreasing: increasing(ratios.filter((r): r is number => r !== null)),
  };
}

function tooSmall(N: number, lambda: number, K: number, mass: number, tolerance: number, who: string, suggestion: number | null): ParameterError {
  const hint = suggestion === null ? ""
    : suggestion > MAX_TRUNCATION ? `; it would take a truncation of about ${suggestion}, beyond the largest one accepted, ${MAX_TRUNCATION}`
    : `; a truncation of about ${suggestion} or more should do`;
  return new ParameterError(
    "truncation (N)",
    N,
    `a grid large enough for lambda = ${lambda}, K = ${K}: ${who} stationary mass ${mass.toExponential(2)} at the edge ` +
      `(max(q1, q2) > N - K) above edgeTolerance = ${tolerance}${hint}`,
  );
}

/** The smallest N with 2 lambda^(2(N - K) + 1) / (1 + lambda) <= tolerance, times 1.5 (the pooled bound is optimistic). */
function suggestFromPooled(lambda: number, K: number, tolerance: number): number | null {
  const k = Math.log(tolerance * (1 + lambda) / 2) / Math.log(lambda);
  if (!Number.isFinite(k)) return null;
  return Math.ceil((1.5 * ((k - 1) / 2 + K)) / 10) * 10;
}

/** Extrapolates the geometric decay of P(max >= m) over the upper half of the grid to the tolerance. */
function suggestFromTail(tailOfMax: readonly number[], N: number, K: number, tolerance: number): number | null {
  const from = Math.floor(N / 2);
  const to = N - K + 1;
  const a = tailOfMax[from]!;
  const b = tailOfMax[to]!;
  if (!(a > 0 && b > 0 && b < a && to > from)) return null;
  const rate = Math.log(b / a) / (to - from);
  const extra = Math.log(tolerance / b) / rate;
  if (!Number.isFinite(extra) || extra < 0) return null;
  return Math.ceil((N + extra) / 10) * 10;
}
