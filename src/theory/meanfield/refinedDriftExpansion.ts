import { migrationRule } from "../../model/policy";
import type { SamplingScheme } from "../../model/sampling";
import { type MeanFieldParams, validateMeanFieldParams } from "./meanFieldSystem";

/**
 * What the refined mean field needs from the drift of the derived system at a state x (levels 1..L, x_0 = 1,
 * x_{L+1} = 0): the drift f(x), its Jacobian A, the noise covariance Q of the jumps, the contraction of the
 * second derivatives with a symmetric matrix W, and the 1/n term of the finite-n drift under a sampling
 * scheme. Vectors have length L (index k - 1 holds level k); matrices are row-major L x L.
 */
export interface RefinedDriftExpansion {
  /** L. */
  readonly levels: number;
  /** f(x): the drift of the derived system (equal to meanFieldDrift at x, levels 1..L). */
  readonly drift: Float64Array;
  /** A_{ik} = df_i/dx_k. */
  readonly jacobian: Float64Array;
  /** Q = sum over jump types of rate * jump jump^T, jumps in units of 1/n. */
  readonly noise: Float64Array;
  /** g with f^n(x) = f(x) + g(x)/n + O(1/n^2): the expansion of the finite-n drift in 1/n for the scheme. */
  readonly samplingDrift: Float64Array;
  /** t_i = sum_{k,l} d^2 f_i / dx_k dx_l W_kl for a symmetric W (row-major L x L). */
  hessianContraction(W: Float64Array): Float64Array;
}

/**
 * The drift expansion of the derived mean-field system at a state, analytically (see refinedMeanField for the
 * derivation and for how the pieces are used). Private to the mean-field folder.
 *
 * Structure used. An arrival at a queue with j units whose shortest sample has m units happens at rate
 * lambda p_j P_m per queue, p_j = x_j - x_{j+1}, P_m = A_m - A_{m+1}, A_m = x_m^d; it raises levels
 * m+1..m+K (rule(j, m): K units migrate to the m-queue) or level j+1 (it stays); units above L are lost.
 * Departures lower level i at rate p_i. So f_i = lambda sum_{j,m} c^i_{jm} p_j P_m - p_i with c^i_{jm} in
 * {0, 1}: every term is a product of one difference of x and one difference of x^d, whose first and second
 * derivatives are explicit (a'_k = d x_k^{d-1}, a''_k = d(d-1) x_k^{d-2}). Pairs (j, m) are enumerated once and
 * their contributions scattered to the levels they raise, so every piece costs O(L^2 K) (the Jacobian) or
 * O(L^2) (the rest), with O(L^2) rule calls.
 *
 * @param params the validated mean-field parameters (d finite)
 * @param x the state s_0..s_L (s_0 = 1), normally a fixed point
 * @param complement 1 - s_0..1 - s_L to full relative precision (levels near 1)
 * @param scheme the sampling scheme for the 1/n drift term
 * @returns the drift, Jacobian, noise, 1/n drift term and the second-derivative contraction (cost O(L^2) per call)
 * @example
 * const e = refinedDriftExpansion({ arrivalRate: 0.5, migrationPenalty: 1, policy: shortestOfD(1) },
 *   Float64Array.of(1, 0.5, 0.125), Float64Array.of(0, 0.5, 0.875), "others");
 * e.drift         // => Float64Array [0, -0.0078125]  (level 2 feels the truncation s_3 = 0)
 * e.jacobian      // => Float64Array [-1.5, 1, 0.5, -1.125]
 * e.samplingDrift // => Float64Array [0.125, -0.0703125]
 */
export function refinedDriftExpansion(
  params: MeanFieldParams,
  x: Float64Array,
  complement: Float64Array,
  scheme: SamplingScheme,
): RefinedDriftExpansion {
  const d = validateMeanFieldParams(params);
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const rule = migrationRule(params.policy, K);
  const L = x.length - 1;
  // level values with the boundary conventions x_0 = 1 (u_0 = 0), x_{L+1} = 0 (u_{L+1} = 1)
  const X = new Float64Array(L + 2);
  const U = new Float64Array(L + 2);
  X[0] = 1;
  for (let k = 1; k <= L; k++) {
    X[k] = x[k] as number;
    U[k] = complement[k] as number;
  }
  U[L + 1] = 1;
  // p_j = x_j - x_{j+1}, from the complements where x_{j+1} is near 1
  const p = new Float64Array(L + 1);
  for (let j = 0; j <= L; j++) p[j] = (X[j + 1] as number) >= 0.5 ? (U[j + 1] as number) - (U[j] as number) : (X[j] as number) - (X[j + 1] as number);
  // A_m = x_m^d and its derivatives; P_m = A_m - A_{m+1} (from 1 - A near 1)
  const Apow = new Float64Array(L + 2);
  const Abar = new Float64Array(L + 2);
  const a1 = new Float64Array(L + 2);
  const a2 = new Float64Array(L + 2);
  for (let m = 0; m <= L + 1; m++) {
    const xm = X[m] as number;
    const um = U[m] as number;
    if (m === 0) {
      Apow[0] = 1;
      Abar[0] = 0;
    } else if (xm <= 0) {
      Apow[m] = 0;
      Abar[m] = 1;
    } else {
      const logX = um < 0.5 ? Math.log1p(-um) : Math.log(xm);
      Apow[m] = Math.exp(d * logX);
      Abar[m] = -Math.expm1(d * logX);
    }
    // derivatives only for the free levels 1..L (x_0 and x_{L+1} are constants)
    a1[m] = m >= 1 && m <= L ? d * Math.pow(xm, d - 1) : 0;
    a2[m] = m >= 1 && m <= L ? d * (d - 1) * Math.pow(xm, d - 2) : 0;
  }
  const P = new Float64Array(L + 1);
  for (let m = 0; m <= L; m++) P[m] = (Apow[m + 1] as number) >= 0.5 ? (Abar[m + 1] as number) - (Abar[m] as number) : (Apow[m] as number) - (Apow[m + 1] as number);

  // the rule on [0, L]^2 (row j = own length, column m = shortest sampled length)
  const R = new Uint8Array((L + 1) * (L + 1));
  for (let j = 0; j <= L; j++) for (let m = 0; m <= L; m++) R[j * (L + 1) + m] = rule(j, m) ? 1 : 0;

  /** Adds `value` to the levels raised by the pair (j, m) (index level - 1 of out). */
  const scatter = (out: Float64Array, j: number, m: number, value: number): void => {
    if (R[j * (L + 1) + m] === 1) {
      const top = Math.min(m + K, L);
      for (let level = m + 1; level <= top; level++) out[level - 1] = (out[level - 1] as number) + value;
    } else if (j + 1 <= L) {
      out[j] = (out[j] as number) + value;
    }
  };

  // drift f
  const drift = new Float64Array(L);
  for (let j = 0; j <= L; j++) {
    const pj = p[j] as number;
    if (pj === 0) continue;
    for (let m = 0; m <= L; m++) {
      const w = lambda * pj * (P[m] as number);
      if (w !== 0) scatter(drift, j, m, w);
    }
  }
  for (let i = 1; i <= L; i++) drift[i - 1] = (drift[i - 1] as number) - (p[i] as number);

  // Jacobian: d(p_j P_m) = (dp_j) P_m + p_j (dP_m); dp_j = e_j - e_{j+1}, dP_m = a'_m e_m - a'_{m+1} e_{m+1}
  const jacobian = new Float64Array(L * L);
  const addColumn = (j: number, m: number, column: number, value: number): void => {
    if (column < 1 || column > L || value === 0) return;
    if (R[j * (L + 1) + m] === 1) {
      const top = Math.min(m + K, L);
      for (let level = m + 1; level <= top; level++) jacobian[(level - 1) * L + column - 1] = (jacobian[(level - 1) * L + column - 1] as number) + value;
    } else if (j + 1 <= L) {
      jacobian[j * L + column - 1] = (jacobian[j * L + column - 1] as number) + value;
    }
  };
  for (let j = 0; j <= L; j++) {
    const pj = p[j] as number;
    for (let m = 0; m <= L; m++) {
      const Pm = P[m] as number;
      addColumn(j, m, j, lambda * Pm);
      addColumn(j, m, j + 1, -lambda * Pm);
      addColumn(j, m, m, lambda * pj * (a1[m] as number));
      addColumn(j, m, m + 1, -lambda * pj * (a1[m + 1] as number));
    }
  }
  for (let i = 1; i <= L; i++) {
    jacobian[(i - 1) * L + i - 1] = (jacobian[(i - 1) * L + i - 1] as number) - 1;
    if (i + 1 <= L) jacobian[(i - 1) * L + i] = (jacobian[(i - 1) * L + i] as number) + 1;
  }

  // noise: stays raise one level, migrations raise K consecutive levels at once, departures lower one
  const noise = new Float64Array(L * L);
  for (let j = 0; j <= L; j++) {
    const pj = p[j] as number;
    if (pj === 0) continue;
    for (let m = 0; m <= L; m++) {
      const w = lambda * pj * (P[m] as number);
      if (w === 0) continue;
      if (R[j * (L + 1) + m] === 1) {
        const top = Math.min(m + K, L);
        for (let a = m + 1; a <= top; a++) for (let b = m + 1; b <= top; b++) noise[(a - 1) * L + b - 1] = (noise[(a - 1) * L + b - 1] as number) + w;
      } else if (j + 1 <= L) {
        noise[j * L + j] = (noise[j * L + j] as number) + w;
      }
    }
  }
  for (let i = 1; i <= L; i++) noise[(i - 1) * L + i - 1] = (noise[(i - 1) * L + i - 1] as number) + (p[i] as number);

  // 1/n term of the finite-n drift: P_m^{(n)}(j) = G_j(m) - G_j(m+1) with G_j(l) = P(min >= l | own length j)
  //   = l^d + g_j(l)/n + O(1/n^2); g_j(l) depends on j only through b = [j >= l].
  const gOf = (l: number, b: number): number => {
    if (scheme === "all" || d === 0) return 0; // no sharing samples nothing
    const y = X[l] as number;
    const yd1 = Math.pow(y, d - 1);
    const withReplacement = d * yd1 * (y - b);
    if (scheme === "others") return withReplacement;
    return withReplacement + ((d * (d - 1)) / 2) * yd1 * (y - 1);
  };
  const samplingDrift = new Float64Array(L);
  if (scheme !== "all") {
    for (let j = 0; j <= L; j++) {
      const pj = p[j] as number;
      if (pj === 0) continue;
      for (let m = 0; m <= L; m++) {
        const dP = gOf(m, j >= m ? 1 : 0) - gOf(m + 1, j >= m + 1 ? 1 : 0);
        if (dP !== 0) scatter(samplingDrift, j, m, lambda * pj * dP);
      }
    }
  } else {
    // "all": the own queue is a candidate; when it is the chosen shortest sample (probability 1/(n p_j) given
    // that the shortest has its length j) the job stays instead of migrating. Only rules with rule(j, j) true
    // (custom rules) are affected: rate lambda P_j, one unit at j+1 instead of K units at j+1..j+K.
    for (let j = 0; j <= L; j++) {
      if (R[j * (L + 1) + j] !== 1) continue;
      const top = Math.min(j + K, L);
      for (let level = j + 2; level <= top; level++) samplingDrift[level - 1] = (samplingDrift[level - 1] as number) - lambda * (P[j] as number);
    }
  }

  const hessianContraction = (W: Float64Array): Float64Array => {
    const w = (k: number, l: number): number => (k >= 1 && k <= L && l >= 1 && l <= L ? (W[(k - 1) * L + l - 1] as number) : 0);
    const out = new Float64Array(L);
    for (let j = 0; j <= L; j++) {
      const pj = p[j] as number;
      for (let m = 0; m <= L; m++) {
        // sum_{k,l} [2 dp_j/dx_k dP_m/dx_l + p_j d^2 P_m / dx_k dx_l] W_kl
        const cross = (a1[m] as number) * (w(j, m) - w(j + 1, m)) - (a1[m + 1] as number) * (w(j, m + 1) - w(j + 1, m + 1));
        const curvature = pj * ((a2[m] as number) * w(m, m) - (a2[m + 1] as number) * w(m + 1, m + 1));
        const value = lambda * (2 * cross + curvature);
        if (value !== 0) scatter(out, j, m, value);
      }
    }
    return out;
  };

  return { levels: L, drift, jacobian, noise, samplingDrift, hessianContraction };
}
