import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { integrateDormandPrince } from "./dormandPrince";
import { meanFieldDrift } from "./meanFieldDrift";
import { type MeanFieldMetrics, meanFieldMetrics } from "./meanFieldMetrics";
import type { MeanFieldSystem } from "./meanFieldSystem";
import { SMALLEST_LEVEL, type TruncatedSolve, newtonTruncatedFixedPoint } from "./truncatedFixedPoint";

/** Options of `meanFieldFixedPoint` (all optional). */
export interface MeanFieldFixedPointOptions {
  /** Stop growing the truncation once s_L is below this; in [1e-250, 1e-3], default 1e-12. */
  readonly tailTolerance?: number;
  /** ... and the mean changed by less than this between the last two truncations; > 0, default 1e-10. */
  readonly meanTolerance?: number;
  /** Largest truncation level tried; integer in [4, 20000], default 4096 (Newton costs O(L^3)). */
  readonly maxLevels?: number;
  /** Truncation of the first integration; integer >= 2, default 32. */
  readonly initialLevels?: number;
  /** Time budget of the integration from the empty state; > 0, default 2e4 (time units of mean service). */
  readonly maxIntegrationTime?: number;
  /**
   * Lift the work limit (MEAN_FIELD_WORK_LIMIT, about 17 s); the other budgets (maxLevels,
   * maxIntegrationTime) stay. Default false.
   */
  readonly force?: boolean;
  /** The work limit itself, in work units: > 0 (default MEAN_FIELD_WORK_LIMIT = 2e10; ignored with `force`). */
  readonly maxWork?: number;
  /**
   * Start Newton from this state instead of integrating from the empty state (continuation in a parameter).
   * Length >= 3, s[0] = 1. Without it the fixed point found is the one the ODE reaches from s = (1, 0, 0, ...),
   * the paper's initial condition.
   */
  readonly initialGuess?: Float64Array;
}

/** A fixed point of a mean-field system with its truncation diagnostics and performance measures. */
export interface MeanFieldFixedPoint {
  readonly label: string;
  /** True when a fixed point was found and the truncation criterion was met. */
  readonly converged: boolean;
  /** Why not, when converged is false. */
  readonly failure?: string;
  /** s_0..s_L at the fixed point of the system truncated at L (the last truncation tried). */
  readonly occupancy: Float64Array;
  /**
   * 1 - s_i to full relative precision (1 - s_1 is the fraction of empty queues, which can be far below
   * 1e-16 when every queue is busy, for example MBOUNCE with lambda near 1).
   */
  readonly occupancyComplement: Float64Array;
  /** L. */
  readonly truncationLevel: number;
  /** The truncation compared against (the previous one). */
  readonly previousTruncationLevel: number;
  /** s_L. */
  readonly tailAtTruncation: number;
  /** |mean(L) - mean(previous L)|. */
  readonly meanChange: number;
  /**
   * meanChange + s_L rho / (1 - rho), rho the largest ratio s_i / s_{i-1} over the upper half of the levels:
   * an estimate of |mean(L) - mean(infinite system)| (the second term bounds the missing tail if it decays at
   * least geometrically with ratio rho). Infinity when rho >= 1. Checked against much larger truncations
   * in test/meanfieldFixedPoint.test.ts. 0 when exactTruncation.
   */
  readonly truncationErrorEstimate: number;
  /**
   * True when no flow enters the levels above L at the fixed point (in double precision): the truncated
   * fixed point is then one of the untruncated system (finite support, as under ABOUNCE(C, infinity), or a
   * next level below the smallest double), and truncationErrorEstimate is 0.
   */
  readonly exactTruncation: boolean;
  /** max_i |ds_i/dt| at the returned state. */
  readonly residual: number;
  /** max_i |ds_i/dt| / s_i at the returned state. */
  readonly relativeResidual: number;
  /**
   * Whether the integration from the empty state reached max |ds/dt| < 1e-7 before Newton (false with a guess,
   * and when Newton converged from a transient at a checkpoint t = 2000, 4000, ...).
   */
  readonly steadyStateReachedFromEmpty: boolean;
  /** Time integrated from the empty state (0 with a guess). */
  readonly integrationTime: number;
  /**
   * True when the computation stopped at the work limit (MEAN_FIELD_WORK_LIMIT, unless `force`): converged
   * is then false and says nothing about whether a fixed point exists.
   */
  readonly workLimitReached: boolean;
  /** Work units spent (about a nanosecond each; see MEAN_FIELD_WORK_LIMIT). */
  readonly work: number;
  readonly metrics: MeanFieldMetrics;
}

const UNDERFLOW_LEVEL = SMALLEST_LEVEL;
const STEADY = 1e-7;

/**
 * Largest work of meanFieldFixedPoint without `force`: 2e10 work units, about 17 s on an idle core of the
 * 2-core machine the figures come from (longer when it is shared). A unit is about a nanosecond of the
 * computation's inner loops: a drift evaluation on L levels counts DRIFT_LEVEL_COST (L + 1), a Newton
 * iteration DRIFT_LEVEL_COST (L + 1)^2 for its Jacobian plus L^3 / 3 for its dense solve, and predicting the
 * levels of a larger truncation the rates and rule tables it builds (measured: 0.8 ns per unit for no sharing
 * at lambda = 0.95, L = 855, 1.2e10 units, 10 s; a few ns per unit for small systems, where fixed costs
 * dominate). The systems the notebooks and tests solve need at most 6e8 units (MBOUNCE(2,10), lambda = 0.95);
 * no sharing at lambda = 0.97 (a tail of 1500 levels) and above stops at the limit instead of running for
 * minutes (without a limit, lambda = 0.99 runs for more than 6 minutes).
 */
export const MEAN_FIELD_WORK_LIMIT = 2e10;

/** Work units (about a nanosecond each, measured) of one level of one drift evaluation, and of one rule-table entry. */
const DRIFT_LEVEL_COST = 200;
const TABLE_ENTRY_COST = 5;

/** Counts work units against a limit. */
class WorkMeter {
  used = 0;
  private reached = false;
  constructor(readonly limit: number) {}
  add(units: number): void {
    this.used += units;
  }
  /** True once the limit is passed, or a step was refused for lack of work left. */
  get exhausted(): boolean {
    return this.reached || this.used > this.limit;
  }
  /** Marks the limit reached and returns the failure message. */
  failure(where: string): string {
    this.reached = true;
    return `work limit reached ${where} (${this.limit.toExponential(1)} work units; the default 2e10 is about 17 s): ` +
      "the computation is too slow to finish within the bound, which says nothing about whether a fixed point exists; " +
      "pass force: true (CLI --force) to lift it";
  }
}

/**
 * The fixed point of a mean-field system (Section IV) of finite mean, by integration from the empty
 * state followed by Newton's method on growing truncations.
 *
 * Method. (1) Integrate ds/dt from s = (1, 0, 0, ...) with Dormand-Prince 5(4) on L = initialLevels levels
 * until max |ds_i/dt| < 1e-7, doubling L (padding with zeros) whenever s_L reaches tailTolerance. If the mass
 * reaches maxLevels there is no fixed point of finite mean within reach (converged false); for a
 * translation-invariant rule (system.translationInvariant: ABOUNCE) the mass escapes as soon as every
 * queue is busy (s_1 > 1 - 1e-9) and the mean has risen 3 more levels (the criterion of
 * meanFieldFrontMotion). Slow transients (a front of busy queues creeping up, as MBOUNCE near lambda = 1)
 * are cut short: at t = 2000, 4000, ... up to
 * maxIntegrationTime step (2) is tried from the transient and its fixed point accepted if it converges
 * (steadyStateReachedFromEmpty is then false). (2) Solve the truncated system with Newton's method in logit
 * variables (each level balanced to 1e-13 relative; see the private truncatedFixedPoint.ts), first at the level
 * where the integrated profile drops below tailTolerance, then at L + max(2, L/4), ... each warm-started from
 * the previous solution, until s_L < tailTolerance and the mean changed by less than meanTolerance. Levels
 * the integration does not resolve (s_i or 1 - s_i below 1e-8) are predicted before Newton: upper levels by
 * their level balance, lower (busy) levels by continuing the geometric decay of 1 - s_i. Upper levels whose
 * value would fall below 1e-250 are not added (they contribute < 1e-240 to the mean); a truncated fixed point
 * with s_L > 1e-3 (mass piling up at the buffer) after growth means no fixed point of finite mean. (3) The state
 * is non-increasing (Newton keeps it so). For d = Infinity a fixed point also needs s_1 < 1 - 1e-9: the
 * d = infinity fluid model is discontinuous at s_1 = 1 (see derivedMeanFieldSystem).
 *
 * The truncation at L is the buffer-L system (units above L are lost, see derivedMeanFieldSystem), so
 * mean(L) approaches the mean from below as L grows when the tail is light; the reported error estimate is
 * the last change plus a geometric tail bound.
 *
 * Several fixed points can coexist (ABOUNCE near its stability boundary has stationary fronts at many
 * heights, see meanFieldStabilityBoundary); without initialGuess the one returned is the one the ODE reaches
 * from the empty state, the paper's initial condition.
 *
 * Cost: the integration (typically 10^2 - 10^4 steps of O(L) each) plus a few Newton iterations of
 * O(L^2 K + L^3) each; milliseconds for light-tailed systems, about a second for L ~ 1000; up to tens of
 * seconds when the mass escapes slowly (the time budget). Bounded: the work is counted (see
 * MEAN_FIELD_WORK_LIMIT) and the computation stops at 2e10 units, about 17 s, with converged false,
 * workLimitReached true and a failure saying so, unless `force` (heavy tails near lambda = 1 without sharing:
 * 1500 levels at lambda = 0.97).
 *
 * @param system a derived or printed system with arrival rate lambda in (0, 1) (ParameterError otherwise:
 *   no fixed point of finite mean exists for lambda >= 1, since at least lambda units arrive per queue)
 * @param options tolerances and budgets (ParameterError names a bad option)
 * @returns the fixed point; `converged` false with `failure` when none of finite mean was found
 * @example
 * const fp = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 1, policy: shortestOfD(1) }));
 * fp.occupancy.slice(0, 4) // => Float64Array [1, 0.75, 0.421875, 0.13348388671875] (0.75^(2^i - 1))
 * fp.truncationLevel // => 9
 */
export function meanFieldFixedPoint(system: MeanFieldSystem, options: MeanFieldFixedPointOptions = {}): MeanFieldFixedPoint {
  requireNumber("arrivalRate (lambda)", system.arrivalRate, 0, 1);
  const tailTol = options.tailTolerance ?? 1e-12;
  requireNumber("tailTolerance", tailTol, 1e-250, 1e-3, { loInclusive: true, hiInclusive: true });
  const meanTol = options.meanTolerance ?? 1e-10;
  requireNumber("meanTolerance", meanTol, 0, Infinity);
  const maxLevels = options.maxLevels ?? 4096;
  requireInteger("maxLevels", maxLevels, 4, 20000);
  const initialLevels = options.initialLevels ?? 32;
  requireInteger("initialLevels", initialLevels, 2, maxLevels);
  const maxTime = options.maxIntegrationTime ?? 2e4;
  requireNumber("maxIntegrationTime", maxTime, 0, Infinity);
  const guess = options.initialGuess;
  if (guess !== undefined && (!(guess instanceof Float64Array) || guess.length < 3 || guess[0] !== 1)) {
    throw new ParameterError("initialGuess", guess, "a Float64Array of length >= 3 with s[0] = 1");
  }
  const force = options.force ?? false;
  if (typeof force !== "boolean") throw new ParameterError("force", force, "true or false");
  const infiniteD = system.samples === Infinity;
  const maxWork = requireNumber("maxWork", options.maxWork ?? MEAN_FIELD_WORK_LIMIT, 0, Infinity);
  const meter = new WorkMeter(force ? Infinity : maxWork);
  const settings = { tailTol, meanTol, maxLevels, maxTime, infiniteD, meter };
  if (guess !== undefined) return solveFromProfile(system, Float64Array.from(guess), settings, { steady: false, time: 0 });

  // (1) integrate from the empty state; at checkpoints t = 2000, 4000, ... try Newton from the transient
  const integrator = steadyStateIntegrator(system, initialLevels, maxLevels, tailTol, meter);
  let checkpoint = Math.min(2000, maxTime);
  for (;;) {
    const r = integrator(checkpoint);
    const fail0 = (why: string): MeanFieldFixedPoint =>
      result(system, r.s, undefined, false, why, { steady: false, time: r.time, previousL: r.s.length - 1, meanChange: NaN, meter });
    if (r.outOfWork) return fail0(meter.failure(`while integrating from the empty state (t = ${r.time.toFixed(0)}, L = ${r.s.length - 1})`));
    if (r.escaped) {
      return fail0(r.ascended
        ? `every queue is busy and the front of queue lengths rose 3 levels (t = ${r.time.toFixed(0)}, unit load above 1): ` +
          "no fixed point of finite mean (the rule depends on length differences only, so it keeps rising)"
        : `the mass reached maxLevels = ${maxLevels} while integrating from the empty state (t = ${r.time.toFixed(0)}): ` +
          "no fixed point of finite mean within maxLevels (or a tail heavier than maxLevels levels)");
    }
    const attempt = solveFromProfile(system, r.s, settings, { steady: r.steady, time: r.time });
    if (r.steady || attempt.converged || attempt.workLimitReached) return attempt;
    if (r.time >= maxTime) {
      return fail0(`no steady state within maxIntegrationTime = ${maxTime} (mean still changing at rate ${r.meanRate.toExponential(2)}) ` +
        `and Newton's method from there failed (${attempt.failure ?? ""}): the mass escapes slowly, or relaxes more slowly than the budget allows`);
    }
    checkpoint = Math.min(maxTime, 2 * checkpoint);
  }
}

interface Settings {
  tailTol: number;
  meanTol: number;
  maxLevels: number;
  maxTime: number;
  infiniteD: boolean;
  meter: WorkMeter;
}

/** (2) Newton on growing truncations from a profile (integrated, or the caller's guess). */
function solveFromProfile(system: MeanFieldSystem, profile: Float64Array, settings: Settings, origin: { steady: boolean; time: number }): MeanFieldFixedPoint {
  const { tailTol, meanTol, maxLevels, maxTime, infiniteD, meter } = settings;
  const { steady, time } = origin;
  // relaxing a failed Newton start by integration only makes sense from a settled profile or a given guess
  const relax = steady || time === 0;
  const fail = (why: string, s: Float64Array): MeanFieldFixedPoint =>
    result(system, s, undefined, false, why, { steady, time, previousL: s.length - 1, meanChange: NaN, meter });
  if (infiniteD && (profile[1] as number) >= 1 - 1e-9) {
    return fail("no fixed point with empty queues (d = infinity): s_1 reached 1", profile);
  }
  let L = 2;
  while (L < profile.length - 1 && (profile[L] as number) >= tailTol && (profile[L + 1] as number) >= UNDERFLOW_LEVEL) L++;
  let cap = maxLevels; // lowered when a level cannot be represented (its value is below 1e-250)
  let [start, startComplement] = lowerPad(profile.slice(0, L + 1));
  // upper levels below 1e-8 are not resolved by the integration (absolute tolerance 1e-12): predict them
  let reliable = 1;
  while (reliable < L && (start[reliable + 1] as number) >= 1e-8) reliable++;
  [start, startComplement] = pad(system, start, startComplement, reliable, L, meter);
  let previous: { L: number; mean: number } | undefined;
  for (;;) {
    const solved = solveAt(system, start, startComplement, maxTime, relax, meter);
    if (typeof solved === "string") return fail(solved, start);
    const s = solved.s;
    if (s.length - 1 < L) cap = s.length - 1;
    L = s.length - 1;
    if (infiniteD && (s[1] as number) >= 1 - 1e-9) return fail(`no fixed point with empty queues (d = infinity): s_1 = ${s[1]}`, s);
    const mean = sumTail(s);
    const tail = s[L] as number;
    if (tail > 1e-3 && previous !== undefined) {
      return fail(`the truncated fixed point piles mass at its top level (s_L = ${tail.toExponential(2)} at L = ${L}): no fixed point of finite mean`, s);
    }
    const extra = (prevL: number, change: number): ResultExtra =>
      ({ steady, time, previousL: prevL, meanChange: change, residual: solved.residual, relativeResidual: solved.relativeResidual, meter });
    if (noInflowAbove(system, s, solved.complement)) return result(system, s, solved.complement, true, undefined, { ...extra(L, 0), exact: true });
    const done = (prev: { L: number; mean: number }): MeanFieldFixedPoint => {
      const change = Math.abs(mean - prev.mean);
      if (tail < tailTol && change < meanTol) return result(system, s, solved.complement, true, undefined, extra(prev.L, change));
      return result(system, s, solved.complement, false,
        `truncation did not converge by L = ${L} (s_L = ${tail.toExponential(2)}, mean change ${change.toExponential(2)} since L = ${prev.L}): ` +
        "no fixed point of finite mean, or a tail too heavy for maxLevels", extra(prev.L, change));
    };
    if (previous !== undefined && previous.L < L && tail < tailTol && Math.abs(mean - previous.mean) < meanTol) return done(previous);
    const next = Math.min(cap, L + Math.max(2, Math.ceil(L / 4)));
    if (next <= L) {
      if (previous !== undefined && previous.L < L) return done(previous);
      // no smaller truncation solved yet: compare with one a fifth smaller
      const lowerL = Math.max(1, L - Math.max(1, Math.ceil(L / 5)));
      const lower = solveAt(system, s.slice(0, lowerL + 1), solved.complement.slice(0, lowerL + 1), maxTime, relax, meter);
      if (typeof lower === "string") return fail(lower, s);
      return done({ L: lower.s.length - 1, mean: sumTail(lower.s) });
    }
    previous = { L, mean };
    [start, startComplement] = pad(system, s, solved.complement, L, next, meter);
    if (meter.exhausted) return fail(meter.failure(`while predicting levels ${L + 1}..${next}`), s);
    L = next;
  }
}

interface ResultExtra {
  steady: boolean;
  time: number;
  previousL: number;
  meanChange: number;
  meter: WorkMeter;
  residual?: number;
  relativeResidual?: number;
  exact?: boolean;
}

/**
 * Newton at one truncation. When Newton fails and the guess's top level is tiny (< 1e-30), the top level is
 * dropped and Newton tried again (its true value underflows double precision); otherwise, when `relax`, the
 * truncated system is relaxed by integration from the guess first.
 */
function solveAt(
  system: MeanFieldSystem,
  guess: Float64Array,
  complement: Float64Array,
  maxTime: number,
  relax: boolean,
  meter: WorkMeter,
): TruncatedSolve | string {
  let start = guess;
  let startComplement: Float64Array | undefined = complement;
  let relaxed = !relax;
  for (;;) {
    const L = start.length - 1;
    // One Newton iteration: L + 1 evaluations of the upward rates (O(L) each) and a dense LU (L^3 / 3).
    const perIteration = DRIFT_LEVEL_COST * (L + 1) * (L + 1) + (L * L * L) / 3;
    const affordable = Math.floor((meter.limit - meter.used) / perIteration);
    if (affordable < 1) return meter.failure(`before Newton's method at truncation L = ${L}`);
    const cap = Math.min(100, affordable);
    const solve = newtonTruncatedFixedPoint(system, start, startComplement, 1e-13, cap);
    meter.add(Math.max(1, solve.iterations) * perIteration);
    if (solve.converged) return solve;
    if (cap < 100 && solve.iterations >= cap) return meter.failure(`in Newton's method at truncation L = ${L}`);
    if (L > 1 && (start[L] as number) < 1e-30) {
      start = start.slice(0, L);
      startComplement = startComplement?.slice(0, L);
      continue;
    }
    if (!relaxed) {
      relaxed = true;
      start = integrateDormandPrince((y, o) => meanFieldDrift(system, y, o), start, 0, maxTime, {},
        (_t, _y, dy) => {
          meter.add(6 * DRIFT_LEVEL_COST * (L + 1));
          return meter.exhausted || maxAbs(dy) < STEADY;
        }).y;
      if (meter.exhausted) return meter.failure(`while relaxing the truncation L = ${L} by integration`);
      [start, startComplement] = lowerPad(start);
      continue;
    }
    return `Newton's method did not converge at truncation L = ${L} (relative residual ${solve.relativeResidual.toExponential(2)})`;
  }
}

/**
 * True when, with s_{L+1} = s_{L+2} = ... = 0, no flow enters the levels L+1..L+K+1 (in double precision):
 * the truncated fixed point is then a fixed point of the untruncated system (finite support, as under
 * ABOUNCE(C, infinity), or a tail below the smallest double).
 */
function noInflowAbove(system: MeanFieldSystem, s: Float64Array, complement: Float64Array): boolean {
  const L = s.length - 1;
  const K = system.migrationPenalty;
  const wide = new Float64Array(L + K + 2);
  const wideComplement = new Float64Array(L + K + 2).fill(1);
  wide.set(s);
  wideComplement.set(complement);
  const drift = meanFieldDrift(system, wide, undefined, wideComplement);
  for (let i = L + 1; i < wide.length; i++) if (drift[i] !== 0) return false;
  return true;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 1; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number));
  return m;
}

function sumTail(s: Float64Array): number {
  let total = 0;
  for (let i = s.length - 1; i >= 1; i--) total += s[i] as number;
  return total;
}

/**
 * A state and its complement from an integrated profile: levels with 1 - s_i >= 1e-8 are kept; below the
 * lowest of them (every queue busy to within the integration's accuracy) 1 - s_i continues geometrically
 * downwards with the ratio of the two lowest kept levels (at most 0.5), floored at 1e-300.
 */
function lowerPad(profile: Float64Array): [Float64Array, Float64Array] {
  const L = profile.length - 1;
  const s = Float64Array.from(profile);
  const u = new Float64Array(L + 1);
  for (let i = 1; i <= L; i++) u[i] = 1 - (s[i] as number);
  let r = 1;
  while (r <= L && (u[r] as number) < 1e-8) r++;
  if (r > 1 && r <= L) {
    const next = r < L ? (u[r + 1] as number) : 1;
    const ratio = Math.min(0.5, next > 0 ? (u[r] as number) / next : 0.5);
    for (let i = r - 1; i >= 1; i--) {
      u[i] = Math.max(1e-300, (u[i + 1] as number) * ratio);
      s[i] = 1 - (u[i] as number);
    }
  }
  return [s, u];
}

/**
 * s (and its complement) kept up to level `keep` and extended to L levels. New levels are predicted from the
 * level balance with nothing above: s_i ~ stayUp_i + migrationUp_i evaluated with s_i = s_{i+1} = ... = 0
 * (exact when the tail decays fast, the M/M/1 ratio lambda for no sharing), kept in [1e-250, 0.999 s_{i-1}].
 */
function pad(system: MeanFieldSystem, s: Float64Array, complement: Float64Array, keep: number, L: number, meter: WorkMeter): [Float64Array, Float64Array] {
  const out = new Float64Array(L + 1);
  const outComplement = new Float64Array(L + 1).fill(1);
  const have = Math.min(keep, L, s.length - 1);
  out.set(s.subarray(0, have + 1));
  outComplement.set(complement.subarray(0, have + 1));
  const stayUp = new Float64Array(L + 1);
  const migrationUp = new Float64Array(L + 1);
  // upward rates on i levels for each new i, and the rule tables of size i^2 they build
  meter.add(DRIFT_LEVEL_COST * (L * L - have * have) / 2 + TABLE_ENTRY_COST * (L * L * L - have * have * have) / 3);
  for (let i = have + 1; i <= L; i++) {
    system.upwardRates(out.subarray(0, i + 1), stayUp, migrationUp, outComplement.subarray(0, i + 1));
    const predicted = (stayUp[i] as number) + (migrationUp[i] as number);
    out[i] = Math.min(0.999 * (out[i - 1] as number), Math.max(UNDERFLOW_LEVEL, predicted));
    outComplement[i] = 1 - (out[i] as number);
  }
  return [out, outComplement];
}

/**
 * A resumable integration from the empty state: each call advances to time `until` (or until steady,
 * max |ds/dt| < 1e-7), doubling the truncation whenever s_L reaches tailTol; `escaped` when that would pass
 * maxLevels.
 */
function steadyStateIntegrator(system: MeanFieldSystem, L0: number, maxLevels: number, tailTol: number, meter: WorkMeter):
  (until: number) => { s: Float64Array; steady: boolean; escaped: boolean; ascended: boolean; outOfWork: boolean; time: number; meanRate: number } {
  let L = L0;
  let s: Float64Array = new Float64Array(L + 1);
  s[0] = 1;
  let time = 0;
  let h = 0.01;
  const infiniteD = system.samples === Infinity;
  // translation-invariant rules: a front detached from empty (s_1 > 1 - 1e-9) that rises 3 levels escapes
  let detachedMean = NaN;
  let ascended = false;
  return (until) => {
    for (;;) {
      let grow = false;
      const r = integrateDormandPrince((y, o) => meanFieldDrift(system, y, o), s, time, Math.max(until, time), { initialStep: h },
        (_t, y, dy) => {
          meter.add(6 * DRIFT_LEVEL_COST * (L + 1)); // six drift evaluations per Dormand-Prince step (the seventh is reused)
          if (meter.exhausted) return true;
          if ((y[L] as number) >= tailTol && L < maxLevels) grow = true;
          if (system.translationInvariant && !infiniteD) {
            if ((y[1] as number) > 1 - 1e-9) {
              const mean = sumTail(y);
              if (Number.isNaN(detachedMean)) detachedMean = mean;
              else if (mean - detachedMean > 3) ascended = true;
            } else {
              detachedMean = NaN;
            }
          }
          return grow || ascended || maxAbs(dy) < STEADY || (infiniteD && (y[1] as number) >= 1 - 1e-9);
        });
      s = r.y;
      time = r.t;
      h = r.nextStep;
      if (meter.exhausted) {
        return { s: Float64Array.from(s), steady: false, escaped: false, ascended: false, outOfWork: true, time, meanRate: NaN };
      }
      if (grow) {
        const grown = new Float64Array(Math.min(maxLevels, 2 * L) + 1);
        grown.set(s);
        s = grown;
        L = grown.length - 1;
        continue;
      }
      const drift = meanFieldDrift(system, s);
      const meanRate = drift.reduce((a, b) => a + b, 0);
      const escaped = ascended || (L >= maxLevels && (s[L] as number) >= tailTol);
      const steady = maxAbs(drift) < STEADY;
      return { s: Float64Array.from(s), steady, escaped, ascended, outOfWork: false, time, meanRate };
    }
  };
}

function tailErrorEstimate(s: Float64Array, meanChange: number): number {
  const L = s.length - 1;
  let rho = 0;
  for (let i = Math.max(1, Math.ceil(L / 2)); i <= L; i++) {
    const prev = s[i - 1] as number;
    if (prev > 0) rho = Math.max(rho, (s[i] as number) / prev);
  }
  if (rho >= 1) return Infinity;
  return meanChange + ((s[L] as number) * rho) / (1 - rho);
}

function result(
  system: MeanFieldSystem,
  s: Float64Array,
  complement: Float64Array | undefined,
  converged: boolean,
  failure: string | undefined,
  x: ResultExtra,
): MeanFieldFixedPoint {
  const L = s.length - 1;
  const u = complement ?? s.map((v, i) => (i === 0 ? 0 : 1 - v));
  const drift = meanFieldDrift(system, s, undefined, u);
  let residual = 0;
  let relativeResidual = 0;
  for (let i = 1; i <= L; i++) {
    residual = Math.max(residual, Math.abs(drift[i] as number));
    relativeResidual = Math.max(relativeResidual, Math.abs(drift[i] as number) / (s[i] as number));
  }
  const base = {
    label: system.label,
    converged,
    occupancy: s,
    occupancyComplement: u,
    truncationLevel: L,
    previousTruncationLevel: x.previousL,
    tailAtTruncation: s[L] as number,
    meanChange: x.meanChange,
    truncationErrorEstimate: !converged ? Infinity : x.exact === true ? 0 : tailErrorEstimate(s, x.meanChange),
    exactTruncation: x.exact === true,
    residual: x.residual ?? residual,
    relativeResidual: x.relativeResidual ?? relativeResidual,
    steadyStateReachedFromEmpty: x.steady,
    integrationTime: x.time,
    workLimitReached: !converged && x.meter.exhausted,
    work: x.meter.used,
    metrics: meanFieldMetrics(system, s),
  };
  return failure === undefined ? base : { ...base, failure };
}
