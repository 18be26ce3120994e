import { Matrix, solve } from "ml-matrix";
import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { type SamplingScheme, validateSampling } from "../../model/sampling";
import { MAX_QUEUES } from "../../model/system";
import { derivedMeanFieldSystem } from "./derivedMeanFieldSystem";
import { meanFieldDrift } from "./meanFieldDrift";
import { meanFieldFixedPoint } from "./meanFieldFixedPoint";
import { type MeanFieldParams, type MeanFieldSystem, validateMeanFieldParams } from "./meanFieldSystem";
import { refinedDriftExpansion } from "./refinedDriftExpansion";
import { solveLyapunov } from "./refinedLyapunovSolve";
import { SMALLEST_LEVEL, newtonTruncatedFixedPoint } from "./truncatedFixedPoint";

/** Options of `refinedMeanField`. */
export interface RefinedMeanFieldOptions {
  /** n, the number of queues the correction is for: an integer in [2, 1e7]. Required. */
  readonly queues: number;
  /** How arrivals sample (src/model/sampling.ts); default "others", the paper's. */
  readonly sampling?: SamplingScheme;
  /** Tail tolerance of the plain fixed point (see meanFieldFixedPoint): in [1e-250, 1e-3], default 1e-12. */
  readonly tailTolerance?: number;
  /**
   * Accept a truncation L when the 1/n coefficients changed by at most this since a smaller truncation (largest
   * change of one V_i and change of sum_i V_i, both absolute): > 0, default 1e-7.
   */
  readonly correctionTolerance?: number;
  /** Largest truncation tried: an integer in [8, 2000], default 600 (the Lyapunov solve costs O(L^3)). */
  readonly maxLevels?: number;
}

/** The refined mean field of a policy at n queues, with the plain fixed point it corrects. */
export interface RefinedMeanField {
  readonly label: string;
  readonly queues: number;
  readonly sampling: SamplingScheme;
  /** True when the fixed point, the Lyapunov equation and the truncation check all succeeded. */
  readonly converged: boolean;
  /** Why not, when converged is false (the numbers are then NaN). */
  readonly failure?: string;
  /**
   * The refined tail s_i + V_i / n, i = 0..L (tail[0] = 1). An expansion, not a distribution: for small n it
   * can leave [0, 1] or stop decreasing at deep levels where V_i / n exceeds s_i.
   */
  readonly tail: number[];
  /** The refined mean number of units per queue: sum_{i>=1} s_i + (sum_i V_i) / n. */
  readonly meanQueueLength: number;
  /** V_0..V_L (V_0 = 0): E[fraction of queues with >= i units] = s_i + V_i / n + o(1/n). */
  readonly correction: number[];
  /** sum_i V_i: E[mean queue length] = plain + this / n + o(1/n). */
  readonly meanQueueLengthCorrection: number;
  /** V split into its two parts: the noise of the jumps, and the 1/n term of the drift (the sampling scheme). */
  readonly correctionParts: { readonly noise: number[]; readonly samplingDrift: number[] };
  /** The plain mean field (n -> infinity): the fixed point s, tail[0] = 1. */
  readonly plain: { readonly tail: number[]; readonly meanQueueLength: number };
  readonly truncation: {
    /** L of the reported numbers. */
    readonly level: number;
    /** The smaller truncation compared with. */
    readonly previousLevel: number;
    /** s_L: the plain mass at the last level kept. */
    readonly tailAtTruncation: number;
    /** max(max_i |V_i(L) - V_i(previous)|, |sum V(L) - sum V(previous)|). */
    readonly correctionChange: number;
    /** The tolerance correctionChange was held to. */
    readonly tolerance: number;
    /** The plain fixed point's own estimate of |mean(L) - mean(infinite system)|. */
    readonly plainTruncationErrorEstimate: number;
  };
  /** The Lyapunov solve at the reported truncation: Newton steps and relative residual. */
  readonly lyapunov: { readonly iterations: number; readonly residual: number };
  /** max_i |f_i - meanFieldDrift_i| at the fixed point: the analytic drift against the system's own (~1e-16). */
  readonly driftCheck: number;
}

/**
 * The refined mean-field approximation of Gast and Van Houdt: the 1/n correction of the mean-field fixed point,
 * E[s^n_i] = s_i + V_i / n + o(1/n), for the tails and the mean queue length of the derived system (any policy:
 * ABOUNCE, MBOUNCE, SQ(d), no sharing, custom rules) under a sampling scheme.
 *
 * Reference: N. Gast and B. Van Houdt, "A Refined Mean Field Approximation", Proc. ACM Meas. Anal. Comput. Syst.
 * 1(2), Article 33 (December 2017), doi:10.1145/3154491 (SIGMETRICS 2018); the steady-state expansion of its
 * Section 3 (Theorem 3.1): for a density-dependent population process with drift f, an exponentially stable
 * fixed point pi, Jacobian A = Df(pi), second derivatives F^i_{kl} = d^2 f_i / dx_k dx_l (pi) and noise
 * Q = sum_l beta_l(pi) l l^T, n (E[h(X^n)] - h(pi)) -> sum_i dh/dx_i V_i + 1/2 sum_{kl} d^2h/dx_k dx_l W_kl with
 * A W + W A^T + Q = 0 and V = -A^{-1} (1/2 F : W). Their drift does not depend on n; here it does, and the
 * extra term is derived below along the same lines (this is the size expansion of Gast, Bortolussi and
 * Tribastone, "Size expansions of mean field approximation", Perf. Eval. 2019, at first order).
 *
 * Derivation in this package's notation. The state is x = (x_1..x_L), x_i the fraction of the n queues with
 * >= i units (x_0 = 1; truncated at L: x_{L+1} = 0, units above L lost, as for the plain fixed point). Jumps
 * are multiples of 1/n: an arrival that stays at a queue with j units moves x by +e_{j+1}/n; a migration of
 * K units to a queue with m units moves it by +(e_{m+1} + ... + e_{m+K})/n (one event crosses K levels of
 * the target); a departure from a queue with i units by -e_i/n. With p_j = x_j - x_{j+1}, per unit time
 * and per queue, arrivals at j-queues happen at rate lambda p_j; the shortest of the d samples has length
 * m with probability P^n_m(j) = G^n_j(m) - G^n_j(m+1), G^n_j(l) = P(every sample has >= l units | own j).
 * The exact finite-n drift E[dx/dt | x] = f^n(x) is
 *
 *   f^n_i(x) = lambda sum_{j,m} p_j P^n_m(j) c^i_{jm} - p_i,
 *   c^i_{jm} = [rule(j, m)] [m < i <= m + K] + [not rule(j, m)] [i = j + 1].
 *
 * Sampling schemes (src/model/sampling.ts), with y = x_l and b = [j >= l] (whether the own queue counts among
 * the n x_l queues with >= l units):
 * - "all" (d of all n with replacement): G^n(l) = y^d exactly, for every n. The own queue can be the chosen
 *   target: given that the shortest sample has the own length j, the chosen queue is the own one with
 *   probability 1/(n p_j), and then the job stays. Per queue this moves rate (lambda p_j P_j)/(n p_j) =
 *   lambda P_j / n from "K units at j+1..j+K" to "one unit at j+1": a drift term -(lambda/n) P_j (e_{j+2} + ...
 *   + e_{j+K}) for every j with rule(j, j). The built-in rules never have rule(j, j), so for them the drift
 *   does not depend on n.
 * - "others" (the paper's, d of the other n - 1 with replacement): G^n_j(l) = ((n y - b)/(n - 1))^d =
 *   (y + (y - b)/(n - 1))^d = y^d + d y^{d-1} (y - b)/n + O(1/n^2): the own queue is excluded from the sample,
 *   so an arrival at a queue of length j sees queues with >= l units in proportion (n y - [j >= l])/(n - 1).
 * - "others-without-replacement": G^n_j(l) = prod_{k<d} (n y - b - k)/(n - 1 - k), each factor
 *   y + (y (1 + k) - b - k)/n + O(1/n^2), so G^n_j(l) = y^d + [d y^{d-1} (y - b) + (d(d-1)/2) y^{d-1} (y - 1)]/n
 *   + O(1/n^2): the "others" term plus one for distinct samples (d = 1: the same as "others").
 * In every case f^n = f + g/n + O(1/n^2), f the derived mean-field drift (derivedMeanFieldSystem) and
 * g_i = lambda sum_{j,m} p_j (g_j(m) - g_j(m+1)) c^i_{jm} (plus the "all" term), g_j(l) the 1/n coefficient
 * of G^n_j(l) above.
 *
 * The expansion. Let X be the stationary state of the n-queue system (truncated at L), pi the fixed point
 * (f(pi) = 0). Stationarity gives E[f^n(X)] = 0 and E[(X - pi) f^n(X)^T + f^n(X) (X - pi)^T] + E[Q^n(X)]/n = 0
 * (the generator applied to x and to (x - pi)(x - pi)^T; Q^n(x) = sum over jump types of rate * jump jump^T,
 * jumps in units of 1/n). With E[X - pi] = V/n + o(1/n) and Cov(X) = W/n + o(1/n) (fluctuations of order
 * 1/sqrt(n) around pi), expanding f^n to second order around pi:
 *
 *   0 = E[f^n(X)] = A E[X - pi] + 1/2 sum_{kl} F_{.kl} E[(X - pi)_k (X - pi)_l] + g(pi)/n + o(1/n)
 *     => A V = -(1/2 F : W + g),
 *   0 = A W + W A^T + Q,   Q = Q(pi) = sum_i (stayUp_i + (s_i - s_{i+1})) e_i e_i^T
 *                                     + sum_m lambda P_m own(m) u_m u_m^T,   u_m = e_{m+1} + ... + e_{m+K},
 *
 * (the migration term puts a K x K block of ones on the levels a batch crosses together). So V = V_noise +
 * V_drift with V_noise = -A^{-1} (1/2 F : W) (Gast and Van Houdt's term, the only one under "all") and
 * V_drift = -A^{-1} g (the scheme's). Linear measures follow: tails s_i + V_i/n, mean queue length
 * sum_i s_i + (sum_i V_i)/n.
 *
 * Derivatives are analytic (refinedDriftExpansion.ts): every term of f is a product of a difference of x and
 * a difference of x^d. The analytic drift is checked against meanFieldDrift at the fixed point on every call
 * (driftCheck), and the Jacobian and the second derivatives against finite differences of meanFieldDrift with
 * two steps in test/meanfieldRefined.test.ts. The Lyapunov equation is solved by the matrix sign function
 * (refinedLyapunovSolve.ts), which also detects an unstable fixed point; A V = rhs by LU (ml-matrix).
 *
 * Truncation. The plain fixed point is computed as by meanFieldFixedPoint (tailTolerance). V is then computed
 * at its truncation L and at a smaller one L' = L - max(2, L/5) (the fixed point re-solved there); when the
 * largest change of one V_i or of sum_i V_i exceeds correctionTolerance, L grows by max(2, L/4) (the fixed
 * point extended and re-solved) and the comparison repeats, up to maxLevels. The result reports L, L', s_L and
 * the change.
 *
 * Domain. d = Infinity is refused: the drift of the d = infinity model is discontinuous where every queue is
 * busy (s_1 = 1), which a finite system visits, and near its fixed point it is linear, so the expansion would
 * return V = 0 whatever the real finite-n gap. The fixed point must be exponentially stable (A Hurwitz);
 * otherwise converged is false and the numbers are NaN, as when no fixed point of finite mean exists (ABOUNCE
 * above its mean-field boundary, lambda about 0.783 for ABOUNCE(2,10), K = 2).
 *
 * Cost: the plain fixed point, then per truncation tried one O(L^2 K) expansion and one Lyapunov solve of
 * about 15 L^3-flop steps: milliseconds for SQ(d) and ABOUNCE (L ~ 10), about a second for L ~ 100.
 *
 * @param params lambda in (0, 1), K, a policy with finite d (ParameterError otherwise, naming the parameter)
 * @param options queues n (an integer >= 2), sampling scheme, tolerances (ParameterError names a bad one)
 * @returns the refined and plain tails and means with diagnostics; converged false with NaN numbers when the
 *   fixed point, its stability or the truncation check fails
 * @example
 * // the supermarket model with two choices (own queue + one sample of all n), lambda = 0.9, n = 10
 * const r = refinedMeanField({ arrivalRate: 0.9, migrationPenalty: 1, policy: shortestOfD(1) }, { queues: 10, sampling: "all" });
 * r.plain.meanQueueLength     // => 2.352651639591489
 * r.meanQueueLengthCorrection // => 3.986426987175564  (rmf_tool's value: 3.98642698718)
 * r.meanQueueLength           // => 2.7512943383090454
 * // independent M/M/1 queues: the drift is linear, so there is no correction
 * refinedMeanField({ arrivalRate: 0.5, migrationPenalty: 2, policy: noSharing() }, { queues: 10 }).meanQueueLengthCorrection // => 0
 */
export function refinedMeanField(params: MeanFieldParams, options: RefinedMeanFieldOptions): RefinedMeanField {
  const d = validateMeanFieldParams(params);
  requireNumber("arrivalRate (lambda)", params.arrivalRate, 0, 1);
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object with queues (n)");
  const n = requireInteger("queues (n)", options.queues, 2, MAX_QUEUES);
  if (d === Infinity) {
    throw new ParameterError("samples (d)", d, "a finite integer >= 1 for the refined mean field",
      "the d = infinity drift is discontinuous where every queue is busy, so its 1/n expansion does not exist");
  }
  const sampling = validateSampling(options.sampling, n, d);
  const tailTolerance = options.tailTolerance ?? 1e-12;
  requireNumber("tailTolerance", tailTolerance, 1e-250, 1e-3, { loInclusive: true, hiInclusive: true });
  const tolerance = options.correctionTolerance ?? 1e-7;
  requireNumber("correctionTolerance", tolerance, 0, Infinity);
  const maxLevels = options.maxLevels ?? 600;
  requireInteger("maxLevels", maxLevels, 8, 2000);

  const system = derivedMeanFieldSystem(params);
  const fp = meanFieldFixedPoint(system, { tailTolerance, maxLevels: Math.max(maxLevels, 4) });
  const plain = { tail: Array.from(fp.occupancy), meanQueueLength: fp.metrics.meanQueueLength };
  const base = { label: `refined ${system.label}, n=${n}, sampling=${sampling}`, queues: n, sampling };
  const fail = (failure: string, level: number, previousLevel: number, change: number): RefinedMeanField => ({
    ...base,
    converged: false,
    failure,
    tail: plain.tail.map(() => NaN),
    meanQueueLength: NaN,
    correction: plain.tail.map(() => NaN),
    meanQueueLengthCorrection: NaN,
    correctionParts: { noise: plain.tail.map(() => NaN), samplingDrift: plain.tail.map(() => NaN) },
    plain: fp.converged ? plain : { tail: plain.tail.map(() => NaN), meanQueueLength: NaN },
    truncation: {
      level, previousLevel, tailAtTruncation: fp.tailAtTruncation, correctionChange: change, tolerance,
      plainTruncationErrorEstimate: fp.truncationErrorEstimate,
    },
    lyapunov: { iterations: 0, residual: NaN },
    driftCheck: NaN,
  });
  if (!fp.converged) return fail(`no plain fixed point: ${fp.failure ?? ""}`, fp.truncationLevel, fp.previousTruncationLevel, NaN);

  let current: Correction | string = correctionAt(system, params, sampling, fp.occupancy, fp.occupancyComplement);
  if (typeof current === "string") return fail(current, fp.truncationLevel, fp.previousTruncationLevel, NaN);
  const L0 = fp.truncationLevel;
  const lower = resolveAt(system, fp.occupancy, fp.occupancyComplement, Math.max(1, L0 - Math.max(2, Math.ceil(L0 / 5))));
  let previous: Correction | string = typeof lower === "string" ? lower : correctionAt(system, params, sampling, lower.s, lower.u);
  if (typeof previous === "string") return fail(`at the smaller truncation: ${previous}`, L0, NaN, NaN);
  for (;;) {
    const change = correctionChange(current.V, previous.V);
    const L = current.s.length - 1;
    if (change <= tolerance) return success(base, plain, fp, current, previous.s.length - 1, change, tolerance);
    const next = Math.min(maxLevels, L + Math.max(2, Math.ceil(L / 4)));
    if (next <= L) {
      return fail(`the 1/n coefficients changed by ${change.toExponential(2)} > ${tolerance} between L = ${previous.s.length - 1} and L = ${L} ` +
        `and maxLevels = ${maxLevels} is reached`, L, previous.s.length - 1, change);
    }
    const grown = resolveAt(system, current.s, current.u, next);
    if (typeof grown === "string") return fail(grown, L, previous.s.length - 1, change);
    const c = correctionAt(system, params, sampling, grown.s, grown.u);
    if (typeof c === "string") return fail(c, next, L, change);
    previous = current;
    current = c;
  }
}

interface Correction {
  s: Float64Array;
  u: Float64Array;
  V: Float64Array;
  noise: Float64Array;
  drift: Float64Array;
  iterations: number;
  residual: number;
  driftCheck: number;
}

/** V at one truncation (the state's length), or why not. */
function correctionAt(system: MeanFieldSystem, params: MeanFieldParams, sampling: SamplingScheme, s: Float64Array, u: Float64Array): Correction | string {
  const L = s.length - 1;
  const e = refinedDriftExpansion(params, s, u, sampling);
  const f = meanFieldDrift(system, s, undefined, u);
  let driftCheck = 0;
  for (let i = 1; i <= L; i++) driftCheck = Math.max(driftCheck, Math.abs((f[i] as number) - (e.drift[i - 1] as number)));
  if (!(driftCheck < 1e-9)) return `the analytic drift differs from the system's by ${driftCheck.toExponential(2)} at L = ${L}`;
  const lyap = solveLyapunov(e.jacobian, e.noise, L);
  if (!lyap.converged) return `Lyapunov equation at L = ${L}: ${lyap.failure ?? ""}`;
  const T = e.hessianContraction(lyap.solution);
  const rhs = new Matrix(L, 2);
  for (let i = 0; i < L; i++) {
    rhs.set(i, 0, -0.5 * (T[i] as number));
    rhs.set(i, 1, -(e.samplingDrift[i] as number));
  }
  const A = Matrix.from1DArray(L, L, Array.from(e.jacobian));
  const sol = solve(A, rhs);
  const noise = new Float64Array(L + 1);
  const drift = new Float64Array(L + 1);
  const V = new Float64Array(L + 1);
  for (let i = 1; i <= L; i++) {
    noise[i] = sol.get(i - 1, 0);
    drift[i] = sol.get(i - 1, 1);
    V[i] = (noise[i] as number) + (drift[i] as number);
  }
  for (let i = 1; i <= L; i++) if (!Number.isFinite(V[i] as number)) return `the linear solve for V failed at L = ${L} (singular Jacobian)`;
  return { s, u, V, noise, drift, iterations: lyap.iterations, residual: lyap.residual, driftCheck };
}

/** The fixed point truncated at `level` (cut, or extended geometrically), re-solved by Newton. */
function resolveAt(system: MeanFieldSystem, s: Float64Array, u: Float64Array, level: number): { s: Float64Array; u: Float64Array } | string {
  const L = s.length - 1;
  const guess = new Float64Array(level + 1);
  const guessU = new Float64Array(level + 1).fill(1);
  const keep = Math.min(L, level);
  guess.set(s.subarray(0, keep + 1));
  guessU.set(u.subarray(0, keep + 1));
  const last = s[L] as number;
  const ratio = L >= 2 && (s[L - 1] as number) > 0 ? Math.min(0.999, last / (s[L - 1] as number)) : 0.5;
  for (let i = keep + 1; i <= level; i++) {
    guess[i] = Math.max(SMALLEST_LEVEL, (guess[i - 1] as number) * ratio);
    guessU[i] = 1 - (guess[i] as number);
  }
  const solved = newtonTruncatedFixedPoint(system, guess, guessU);
  if (!solved.converged) return `Newton's method did not converge at truncation L = ${level} (relative residual ${solved.relativeResidual.toExponential(2)})`;
  return { s: solved.s, u: solved.complement };
}

function correctionChange(a: Float64Array, b: Float64Array): number {
  let change = 0;
  let sumA = 0;
  let sumB = 0;
  for (let i = 1; i < a.length; i++) {
    sumA += a[i] as number;
    if (i < b.length) change = Math.max(change, Math.abs((a[i] as number) - (b[i] as number)));
    else change = Math.max(change, Math.abs(a[i] as number));
  }
  for (let i = 1; i < b.length; i++) sumB += b[i] as number;
  return Math.max(change, Math.abs(sumA - sumB));
}

function success(
  base: { label: string; queues: number; sampling: SamplingScheme },
  plainAtFixedPoint: { tail: number[]; meanQueueLength: number },
  fp: ReturnType<typeof meanFieldFixedPoint>,
  c: Correction,
  previousLevel: number,
  change: number,
  tolerance: number,
): RefinedMeanField {
  const n = base.queues;
  const L = c.s.length - 1;
  let plainMean = 0;
  let sumV = 0;
  for (let i = L; i >= 1; i--) {
    plainMean += c.s[i] as number;
    sumV += c.V[i] as number;
  }
  const plain = L === fp.truncationLevel ? plainAtFixedPoint : { tail: Array.from(c.s), meanQueueLength: plainMean };
  const tail = Array.from(c.s, (v, i) => (i === 0 ? 1 : v + (c.V[i] as number) / n));
  return {
    ...base,
    converged: true,
    tail,
    meanQueueLength: plain.meanQueueLength + sumV / n,
    correction: Array.from(c.V),
    meanQueueLengthCorrection: sumV,
    correctionParts: { noise: Array.from(c.noise), samplingDrift: Array.from(c.drift) },
    plain,
    truncation: {
      level: L, previousLevel, tailAtTruncation: c.s[L] as number, correctionChange: change, tolerance,
      plainTruncationErrorEstimate: fp.truncationErrorEstimate,
    },
    lyapunov: { iterations: c.iterations, residual: c.residual },
    driftCheck: c.driftCheck,
  };
}
