/**
 * An adaptive explicit Runge-Kutta integrator, Dormand-Prince 5(4) with first-same-as-last and the
 * standard step-size control (Hairer, Norsett, Wanner, "Solving ODEs I", Section II.4 and II.5, table 5.2).
 * Written here because no ODE solver is among the package's dependencies; the mean-field systems are
 * mildly stiff at most (Jacobian entries of order lambda d + 2), which an explicit adaptive method handles.
 * Private to the mean-field folder (not exported from the package).
 *
 * Cost: 6 right-hand-side calls per accepted step (FSAL), O(L) memory. Autonomous systems only (the
 * stage times c_i are not needed).
 */
export interface DormandPrinceOptions {
  /** Relative tolerance per component; default 1e-9. */
  readonly relativeTolerance?: number;
  /** Absolute tolerance per component; default 1e-12. */
  readonly absoluteTolerance?: number;
  /** Step budget for one call; default 1e6. */
  readonly maxSteps?: number;
  /** First trial step; default 0.01 (then adapted). */
  readonly initialStep?: number;
}

/** Where an integration stopped: the end time, a stop request, or the step budget. */
export interface DormandPrinceResult {
  readonly t: number;
  readonly y: Float64Array;
  /** Step size to try next (pass as initialStep to continue). */
  readonly nextStep: number;
  readonly steps: number;
  readonly reason: "end" | "stopped" | "maxSteps" | "stepUnderflow";
}

const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
// e = b(5th order) - b(4th order)
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

/**
 * Integrates the autonomous system y' = f(y) from t0 to t1 (t1 > t0).
 * @param f writes f(y) into out (must not keep references)
 * @param y0 initial state (not mutated)
 * @param t0 start time; @param t1 end time
 * @param onStep called after each accepted step with (t, y, dydt at y); return true to stop there
 */
export function integrateDormandPrince(
  f: (y: Float64Array, out: Float64Array) => void,
  y0: Float64Array,
  t0: number,
  t1: number,
  options: DormandPrinceOptions = {},
  onStep?: (t: number, y: Float64Array, dydt: Float64Array) => boolean,
): DormandPrinceResult {
  const rtol = options.relativeTolerance ?? 1e-9;
  const atol = options.absoluteTolerance ?? 1e-12;
  const maxSteps = options.maxSteps ?? 1_000_000;
  const n = y0.length;
  let y = Float64Array.from(y0);
  let yNew = new Float64Array(n);
  const tmp = new Float64Array(n);
  let k1 = new Float64Array(n);
  const k2 = new Float64Array(n), k3 = new Float64Array(n), k4 = new Float64Array(n);
  const k5 = new Float64Array(n), k6 = new Float64Array(n);
  let k7 = new Float64Array(n);
  f(y, k1);
  let t = t0;
  let h = Math.min(options.initialStep ?? 0.01, t1 - t0);
  let steps = 0;
  while (t < t1) {
    if (steps >= maxSteps) return { t, y, nextStep: h, steps, reason: "maxSteps" };
    const last = t + h >= t1;
    if (last) h = t1 - t;
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * A21 * k1[i]!;
    f(tmp, k2);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * (A31 * k1[i]! + A32 * k2[i]!);
    f(tmp, k3);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * (A41 * k1[i]! + A42 * k2[i]! + A43 * k3[i]!);
    f(tmp, k4);
    for (let i = 0; i < n; i++) tmp[i] = y[i]! + h * (A51 * k1[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
    f(tmp, k5);
    for (let i = 0; i < n; i++) {
      tmp[i] = y[i]! + h * (A61 * k1[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
    }
    f(tmp, k6);
    for (let i = 0; i < n; i++) {
      yNew[i] = y[i]! + h * (B1 * k1[i]! + B3 * k3[i]! + B4 * k4[i]! + B5 * k5[i]! + B6 * k6[i]!);
    }
    f(yNew, k7);
    let err = 0;
    for (let i = 0; i < n; i++) {
      const e = h * (E1 * k1[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * k7[i]!);
      const scale = atol + rtol * Math.max(Math.abs(y[i]!), Math.abs(yNew[i]!));
      err += (e / scale) * (e / scale);
    }
    err = Math.sqrt(err / n);
    if (!Number.isFinite(err)) err = 1e10;
    if (err <= 1) {
      t = last ? t1 : t + h;
      [y, yNew] = [yNew, y];
      [k1, k7] = [k7, k1];
      steps++;
      if (onStep !== undefined && onStep(t, y, k1)) {
        return { t, y, nextStep: h * Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -0.2))), steps, reason: "stopped" };
      }
    }
    h *= Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(err, 1e-10), -0.2)));
    if (h < 1e-14 * Math.max(1, Math.abs(t))) return { t, y, nextStep: h, steps, reason: "stepUnderflow" };
  }
  return { t, y, nextStep: h, steps, reason: "end" };
}
