import { parseArgs } from "node:util";
import { ParameterError } from "../../model/parameterError";
import { type PolicySpec, abounce, mbounce, noSharing, policyLabel, shortestOfD } from "../../model/policy";
import type { SystemParams } from "../../model/system";
import { exactDrift } from "../../theory/lyapunov/exactDrift";
import type { LyapunovFunction } from "../../theory/lyapunov/lyapunovFunction";
import { monteCarloDrift } from "../../theory/lyapunov/monteCarloDrift";
import { theorem2LyapunovFunction } from "../../theory/lyapunov/theorem2LyapunovFunction";
import { theorem3LyapunovFunction } from "../../theory/lyapunov/theorem3LyapunovFunction";
import { type CliCommand, renameParameterError } from "../args";

/** The arguments of `drift`, as numbers (flags named in comments). */
export interface DriftArgs {
  /** --lyapunov: "thm2" (Theorem 2's V, n = 2) or "thm3" (Theorem 3's V1 + V2). */
  readonly lyapunov: "thm2" | "thm3";
  /** --state: the queue lengths; n is its length. */
  readonly state: readonly number[];
  /** --policy. */
  readonly policy: "none" | "abounce" | "mbounce" | "sqd";
  /** --lambda. */
  readonly arrivalRate: number;
  /** --K (default 1 for none and sqd). */
  readonly migrationPenalty?: number;
  /** --C: ABOUNCE's threshold, and the C of Theorem 2's V. */
  readonly threshold?: number;
  /** --alpha: MBOUNCE's ratio, and the alpha of Theorem 3's V2. */
  readonly ratio?: number;
  /** --d: samples, an integer >= 1 or Infinity (default Infinity). */
  readonly samples?: number;
  /** --samples: Monte Carlo paths (default 10000). */
  readonly monteCarloSamples?: number;
  /** --seed (default 1). */
  readonly seed?: number;
  /** --steps: h for the h-step drift (default 1). */
  readonly steps?: number;
  /** --force: lift the work limits (Monte Carlo samples x steps, queues of the exact drift). */
  readonly force?: boolean;
}

/** What `drift` reports. */
export interface DriftReport {
  readonly lyapunov: string;
  readonly policy: string;
  readonly state: readonly number[];
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly steps: number;
  /** The exact one-step drift (null when steps > 1: only the one-step drift is computed exactly). */
  readonly exact: number | null;
  /** The Monte Carlo estimate of the steps-step drift with its 95% Student-t interval. */
  readonly estimate: { readonly mean: number; readonly ci95: readonly [number, number]; readonly samples: number; readonly seed: number };
}

const FLAG_OF: Record<string, string> = {
  "arrivalRate (lambda)": "--lambda",
  "migrationPenalty (K)": "--K",
  "threshold (C)": "--C",
  "ratio (alpha)": "--alpha",
  "samples (d)": "--d",
  "queues (n)": "--state",
  state: "--state",
  samples: "--samples",
  seed: "--seed",
  steps: "--steps",
};


/**
 * The exact one-step drift and a Monte Carlo estimate (of the h-step drift when steps > 1) of Theorem 2's or
 * Theorem 3's Lyapunov function at one state, for one policy. Cost: one `exactDrift` (O(n^2) moves) plus
 * samples * steps chain steps. Bounded like the library functions it calls, and checked before any work:
 * lambda in [2^-33, 2^33], queue lengths where V's increments are exact, samples x steps x (1 + n / 100) <= 2e7
 * (about 10 s) and n <= 1000 for the exact drift, the last two unless `force`.
 *
 * @param args see `DriftArgs`; required: lyapunov, state, policy, arrivalRate; K for abounce/mbounce; C for
 *   abounce or thm2; alpha for mbounce or thm3
 * @returns exact and estimate
 * @throws ParameterError naming the flag (for example "--lambda", "--C", "--state")
 * @example
 * driftReport({ lyapunov: "thm3", state: [10, 10], policy: "mbounce", arrivalRate: 0.9, migrationPenalty: 2, ratio: 2,
 *   monteCarloSamples: 100000, seed: 7 })
 * // => { ..., exact: 0.9473684210526336, estimate: { mean: 0.8688, ci95: [0.745..., 0.992...], samples: 100000, seed: 7 } }
 */
export function driftReport(args: DriftArgs): DriftReport {
  try {
    return driftReportUnchecked(args);
  } catch (error) {
    throw renameParameterError(error, FLAG_OF);
  }
}

function driftReportUnchecked(args: DriftArgs): DriftReport {
  const lambda = args.arrivalRate;
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda <= 0) {
    throw new ParameterError("--lambda", lambda, "a finite number > 0");
  }
  const state = args.state;
  if (!Array.isArray(state) || state.length < 1 || !state.every((x) => Number.isSafeInteger(x) && x >= 0)) {
    throw new ParameterError("--state", state, "comma-separated non-negative integers, for example 5,3");
  }
  const n = state.length;
  const needsK = args.policy === "abounce" || args.policy === "mbounce";
  if (needsK && args.migrationPenalty === undefined) throw new ParameterError("--K", undefined, `required for --policy ${args.policy}`);
  const K = args.migrationPenalty ?? 1;
  if (!Number.isInteger(K) || K < 1) throw new ParameterError("--K", K, "an integer >= 1");
  const d = args.samples ?? Infinity;
  if (d !== Infinity && (!Number.isInteger(d) || d < 1)) throw new ParameterError("--d", d, 'an integer >= 1 or "inf"');

  const needC = args.policy === "abounce" || args.lyapunov === "thm2";
  const needAlpha = args.policy === "mbounce" || args.lyapunov === "thm3";
  if (needC && args.threshold === undefined) throw new ParameterError("--C", undefined, "required for --policy abounce and --lyapunov thm2");
  if (needAlpha && args.ratio === undefined) throw new ParameterError("--alpha", undefined, "required for --policy mbounce and --lyapunov thm3");
  const C = args.threshold ?? 0;
  const alpha = args.ratio ?? 2;
  if (needC && (!Number.isInteger(C) || C < 0)) throw new ParameterError("--C", C, "an integer >= 0");
  if (args.policy === "abounce" && C < K) throw new ParameterError("--C", C, `an integer >= K = ${K}`, "ABOUNCE requires C >= K (Section II)");
  if (needAlpha && !(Number.isFinite(alpha) && alpha > 1)) throw new ParameterError("--alpha", alpha, "a finite number > 1");

  let policy: PolicySpec;
  switch (args.policy) {
    case "none": policy = noSharing(); break;
    case "abounce": policy = abounce(C, d); break;
    case "mbounce": policy = mbounce(alpha, d); break;
    case "sqd":
      if (K !== 1) throw new ParameterError("--K", K, "1 for --policy sqd (the free-migration baseline)");
      policy = shortestOfD(d);
      break;
    default: throw new ParameterError("--policy", args.policy, "none, abounce, mbounce or sqd");
  }
  let V: LyapunovFunction;
  if (args.lyapunov === "thm2") {
    if (n !== 2) throw new ParameterError("--state", state, "exactly 2 queue lengths for --lyapunov thm2 (Theorem 2 is for n = 2)");
    if (!(lambda < 1)) throw new ParameterError("--lambda", lambda, "a number in (0, 1) for --lyapunov thm2");
    V = theorem2LyapunovFunction(lambda, C);
  } else if (args.lyapunov === "thm3") {
    V = theorem3LyapunovFunction(alpha);
  } else {
    throw new ParameterError("--lyapunov", args.lyapunov, "thm2 or thm3");
  }
  if (policy.kind !== "none" && n < 2) throw new ParameterError("--state", state, "at least 2 queue lengths when the policy shares");

  const params: SystemParams = { queues: n, arrivalRate: lambda, migrationPenalty: K, policy };
  const steps = args.steps ?? 1;
  const samples = args.monteCarloSamples ?? 10_000;
  const seed = args.seed ?? 1;
  const force = args.force === true;
  const exact = steps === 1 ? exactDrift(V, state, params, { force }) : null; // validates before the Monte Carlo work
  const estimate = monteCarloDrift(V, state, params, { samples, seed, steps, force });
  return {
    lyapunov: V.label,
    policy: policyLabel(policy),
    state: state.slice(),
    arrivalRate: lambda,
    migrationPenalty: K,
    steps,
    exact,
    estimate: { mean: estimate.mean, ci95: estimate.ci95, samples, seed },
  };
}

/** Parses the `drift` flags into `DriftArgs` (plus --json); throws ParameterError naming the flag. */
export function parseDriftArgs(argv: string[]): DriftArgs & { readonly json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      lyapunov: { type: "string" }, state: { type: "string" }, policy: { type: "string" }, lambda: { type: "string" },
      K: { type: "string" }, C: { type: "string" }, alpha: { type: "string" }, d: { type: "string" },
      samples: { type: "string" }, seed: { type: "string" }, steps: { type: "string" },
      force: { type: "boolean", default: false }, json: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const number = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const x = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(x)) throw new ParameterError(flag, raw, "a finite number");
    return x;
  };
  const integer = (flag: string, raw: string | undefined, min: number): number | undefined => {
    const x = number(flag, raw);
    if (x !== undefined && (!Number.isInteger(x) || x < min)) throw new ParameterError(flag, raw, `an integer >= ${min}`);
    return x;
  };
  const lyapunov = values.lyapunov;
  if (lyapunov !== "thm2" && lyapunov !== "thm3") throw new ParameterError("--lyapunov", lyapunov, "thm2 or thm3");
  const policy = values.policy;
  if (policy !== "none" && policy !== "abounce" && policy !== "mbounce" && policy !== "sqd") {
    throw new ParameterError("--policy", policy, "none, abounce, mbounce or sqd");
  }
  if (values.state === undefined) throw new ParameterError("--state", undefined, "required: comma-separated non-negative integers");
  const state = values.state.split(",").map((part) => {
    const x = Number(part);
    if (part.trim() === "" || !Number.isSafeInteger(x) || x < 0) {
      throw new ParameterError("--state", values.state, "comma-separated non-negative integers, for example 5,3");
    }
    return x;
  });
  const lambda = number("--lambda", values.lambda);
  if (lambda === undefined) throw new ParameterError("--lambda", undefined, "required: a finite number > 0");
  const dRaw = values.d;
  const d = dRaw === undefined || dRaw === "inf" || dRaw === "Infinity" ? Infinity : integer("--d", dRaw, 1);
  return {
    lyapunov,
    state,
    policy,
    arrivalRate: lambda,
    samples: d ?? Infinity,
    migrationPenalty: integer("--K", values.K, 1),
    threshold: integer("--C", values.C, 0),
    ratio: number("--alpha", values.alpha),
    monteCarloSamples: integer("--samples", values.samples, 2),
    seed: integer("--seed", values.seed, 0),
    steps: integer("--steps", values.steps, 1),
    force: values.force === true,
    json: values.json === true,
  };
}

const usage =
  "drift --lyapunov thm2|thm3 --state 5,3[,...] --policy none|abounce|mbounce|sqd --lambda <rate> " +
  "[--K <int>] [--C <int>] [--alpha <ratio>] [--d <int>|inf] [--samples <int>] [--seed <int>] [--steps <h>] [--force] [--json]" +
  " (limits: --lambda in [2^-33, 2^33]; --samples x --steps x (1 + n/100) <= 2e7, about 10 s, and at most 1000 queues" +
  " in --state, unless --force; queue lengths where V's increments are exact)";

/** `drift`: exact and Monte Carlo drift of Theorem 2's or 3's Lyapunov function at a state. */
export const command: CliCommand = {
  name: "drift",
  summary: "Exact one-step drift and Monte Carlo estimate (95% CI) of Theorem 2's or Theorem 3's Lyapunov function at a state",
  usage,
  async run(argv: string[]): Promise<number> {
    const args = parseDriftArgs(argv);
      const report = driftReport(args);
      if (args.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else {
        const [lo, hi] = report.estimate.ci95;
        process.stdout.write(
          [
            `${report.lyapunov}, ${report.policy}, lambda = ${report.arrivalRate}, K = ${report.migrationPenalty}, q = (${report.state.join(", ")})`,
            report.exact === null ? `exact one-step drift: not computed for steps = ${report.steps}` : `exact drift: ${report.exact}`,
            `Monte Carlo ${report.steps}-step drift: ${report.estimate.mean} (95% CI ${lo} .. ${hi}; ${report.estimate.samples} paths, seed ${report.estimate.seed})`,
          ].join("\n") + "\n",
        );
      }
    return 0;
  },
};
