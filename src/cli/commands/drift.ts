import { ParameterError } from "../../model/parameterError";
import { type PolicySpec, policyDeclaration, policyLabel } from "../../model/policy";
import type { SamplingScheme } from "../../model/sampling";
import { type SystemParams, validateSystem } from "../../model/system";
import { embeddedChainTransitions } from "../../theory/lyapunov/embeddedChainTransitions";
import { exactDrift } from "../../theory/lyapunov/exactDrift";
import type { LyapunovFunction } from "../../theory/lyapunov/lyapunovFunction";
import { monteCarloDrift } from "../../theory/lyapunov/monteCarloDrift";
import { theorem2LyapunovFunction } from "../../theory/lyapunov/theorem2LyapunovFunction";
import { theorem3LyapunovFunction } from "../../theory/lyapunov/theorem3LyapunovFunction";
import { type CliCommand, type FlagDeclaration, type ParsedFlags, renameParameterError } from "../args";
import { formatBeyondRounding, formatEstimate } from "../format";
import { flagNames, policyFlags, policyFromFlags, samplingFromFlags, systemJson } from "../policyFlags";

/** The arguments of `drift`, as numbers (flags named in comments). */
export interface DriftArgs {
  /** --lyapunov: "thm2" (Theorem 2's V, n = 2) or "thm3" (Theorem 3's V1 + V2). */
  readonly lyapunov: "thm2" | "thm3";
  /** --state: the queue lengths; n is its length. */
  readonly state: readonly number[];
  /** --policy and its parameter flags, with --d. */
  readonly policy: PolicySpec;
  /** --lambda. */
  readonly arrivalRate: number;
  /** --K (default 1). */
  readonly migrationPenalty?: number;
  /** --sampling (default "others"). */
  readonly sampling?: SamplingScheme;
  /** --allow-outside-paper. */
  readonly allowOutsidePaper?: boolean;
  /** --lyapunov-C: the C of Theorem 2's V (default: the policy's parameter C, when it has one). */
  readonly lyapunovThreshold?: number;
  /** --lyapunov-alpha: the alpha of Theorem 3's V2 (default: the policy's parameter alpha, when it has one). */
  readonly lyapunovRatio?: number;
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
  /** The system as every command's JSON writes it (d as a number or "inf"). */
  readonly system: Record<string, unknown>;
  readonly state: readonly number[];
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly steps: number;
  /** The exact one-step drift (null when steps > 1: only the one-step drift is computed exactly). */
  readonly exact: number | null;
  /**
   * A bound on the floating-point error of `exact` (null when steps > 1): the recursive-summation bound
   * (moves + 3) x 2^-52 x sum |probability x increment|, which covers the rounding of each term. An exact drift
   * within it cannot be told from 0.
   */
  readonly exactRoundingError: number | null;
  /** The Monte Carlo estimate of the steps-step drift with its 95% Student-t interval. */
  readonly estimate: { readonly mean: number; readonly ci95: readonly [number, number]; readonly samples: number; readonly seed: number };
}

const FLAG_OF = (): Record<string, string> => flagNames({
  "queues (n)": "--state",
  state: "--state",
  samples: "--samples",
  seed: "--seed",
  steps: "--steps",
});

/** The value of the policy's parameter written with `symbol` (its flag), or undefined when the policy has none. */
function policyParameterBySymbol(policy: PolicySpec, symbol: string): number | undefined {
  const p = policyDeclaration(policy).parameters.find((x) => x.symbol === symbol);
  const v = p === undefined ? undefined : policy[p.name];
  return typeof v === "number" ? v : undefined;
}

/**
 * The exact one-step drift and a Monte Carlo estimate (of the h-step drift when steps > 1) of Theorem 2's or
 * Theorem 3's Lyapunov function at one state, for any declared policy. Theorem 2's V needs C and Theorem 3's V2
 * needs alpha: given as lyapunovThreshold and lyapunovRatio (flags --lyapunov-C, --lyapunov-alpha), or taken from
 * the policy's parameter of the same symbol (ABOUNCE's C, MBOUNCE's alpha) when it has one. Cost: one
 * `exactDrift` (O(n^2) moves) and the same moves once more for the rounding bound, plus samples * steps chain
 * steps. Bounded like the library functions it calls, and checked before any work: lambda in [2^-33, 2^33],
 * queue lengths where V's increments are exact, samples x steps x (1 + n / 100) <= 2e7 (about 10 s) and n <= 1000
 * for the exact drift, the last two unless `force`.
 *
 * @param args see `DriftArgs`; required: lyapunov, state, policy, arrivalRate
 * @returns exact, its rounding bound and the estimate
 * @throws ParameterError naming the flag (for example "--lambda", "--C", "--state", "--lyapunov-alpha")
 * @example
 * driftReport({ lyapunov: "thm3", state: [10, 10], policy: mbounce(2, Infinity), arrivalRate: 0.9, migrationPenalty: 2,
 *   monteCarloSamples: 100000, seed: 7 })
 * // => { ..., exact: 0.9473684210526336, estimate: { mean: 0.8688, ci95: [0.745..., 0.992...], samples: 100000, seed: 7 } }
 */
export function driftReport(args: DriftArgs): DriftReport {
  const lambda = args.arrivalRate;
  const state = args.state;
  if (!Array.isArray(state) || state.length < 1 || !state.every((x) => Number.isSafeInteger(x) && x >= 0)) {
    throw new ParameterError("--state", state, "comma-separated non-negative integers, for example 5,3");
  }
  const n = state.length;
  const K = args.migrationPenalty ?? 1;
  const params: SystemParams = {
    queues: n, arrivalRate: lambda, migrationPenalty: K, policy: args.policy,
    ...(args.sampling !== undefined ? { sampling: args.sampling } : {}),
    ...(args.allowOutsidePaper ? { allowOutsidePaper: true } : {}),
  };
  try {
    validateSystem(params);
  } catch (error) {
    throw renameParameterError(error, FLAG_OF());
  }
  let V: LyapunovFunction;
  try {
    if (args.lyapunov === "thm2") {
      const C = args.lyapunovThreshold ?? policyParameterBySymbol(args.policy, "C");
      if (C === undefined) {
        throw new ParameterError("--lyapunov-C", undefined, "required with --lyapunov thm2: the C of Theorem 2's V",
          `${policyLabel(args.policy)} has no parameter C to take it from`);
      }
      if (n !== 2) throw new ParameterError("--state", state, "exactly 2 queue lengths for --lyapunov thm2 (Theorem 2 is for n = 2)");
      if (!(lambda > 0 && lambda < 1)) throw new ParameterError("--lambda", lambda, "a number in (0, 1) for --lyapunov thm2");
      V = theorem2LyapunovFunction(lambda, C);
    } else if (args.lyapunov === "thm3") {
      const alpha = args.lyapunovRatio ?? policyParameterBySymbol(args.policy, "alpha");
      if (alpha === undefined) {
        throw new ParameterError("--lyapunov-alpha", undefined, "required with --lyapunov thm3: the alpha of Theorem 3's V2",
          `${policyLabel(args.policy)} has no parameter alpha to take it from`);
      }
      V = theorem3LyapunovFunction(alpha);
    } else {
      throw new ParameterError("--lyapunov", args.lyapunov, "thm2 or thm3");
    }
  } catch (error) {
    throw renameParameterError(error, { "threshold (C)": "--lyapunov-C", "ratio (alpha)": "--lyapunov-alpha", "arrivalRate (lambda)": "--lambda" });
  }
  const steps = args.steps ?? 1;
  const samples = args.monteCarloSamples ?? 10_000;
  const seed = args.seed ?? 1;
  const force = args.force === true;
  try {
    const exact = steps === 1 ? exactDrift(V, state, params, { force }) : null; // validates before the Monte Carlo work
    const exactRoundingError = exact === null ? null : driftRoundingBound(V, state, params);
    const estimate = monteCarloDrift(V, state, params, { samples, seed, steps, force });
    return {
      lyapunov: V.label,
      policy: policyLabel(args.policy),
      system: systemJson(params),
      state: state.slice(),
      arrivalRate: lambda,
      migrationPenalty: K,
      steps,
      exact,
      exactRoundingError,
      estimate: { mean: estimate.mean, ci95: estimate.ci95, samples, seed },
    };
  } catch (error) {
    throw renameParameterError(error, FLAG_OF());
  }
}

/**
 * A bound on the rounding error of exactDrift's sum of probability x increment over the moves: Higham's
 * recursive-summation bound gamma_m sum |term| with m = moves + 3 (the sum, each product and each increment's own
 * rounding), taken as m x 2^-52 x sum |term| (twice the unit roundoff: a margin for gamma_m's denominator).
 */
function driftRoundingBound(V: LyapunovFunction, state: readonly number[], params: SystemParams): number {
  const moves = embeddedChainTransitions(state, params, V.symmetric ? "representative" : "each");
  let magnitude = 0;
  for (const m of moves) if (m.index >= 0) magnitude += Math.abs(m.probability * V.increment(state, m.index, m.delta));
  return (moves.length + 3) * 2 ** -52 * magnitude;
}

/** The flags; --lyapunov-C and --lyapunov-alpha come after the policy's, whose values they default to. */
function flags(): FlagDeclaration[] {
  const policy = policyFlags();
  return [
    {
      name: "lyapunov", kind: "choice", group: "Lyapunov function", metavar: "V", choices: ["thm2", "thm3"], required: true,
      choiceHelp: { thm2: "Theorem 2's V (n = 2, lambda < 1), which needs C", thm3: "Theorem 3's V1 + V2, which needs alpha" },
      help: "the Lyapunov function",
    },
    {
      name: "state", kind: "list", group: "Lyapunov function", metavar: "Q1,Q2,...", integerElements: true, min: 0, required: true,
      help: "the queue lengths q at which the drift is computed; n is their number",
    },
    ...policy.slice(0, 1),
    {
      name: "lambda", kind: "number", group: "system", metavar: "L", min: 0, minExclusive: true, required: true,
      help: "arrival rate per queue (the drift computations accept [2^-33, 2^33]; thm2 needs lambda < 1)",
    },
    ...policy.slice(1),
    {
      name: "lyapunov-C", kind: "number", group: "Lyapunov function", metavar: "C", min: 0, appliesWhen: [{ flag: "lyapunov", values: ["thm2"] }],
      default: (v: ParsedFlags) => v.optionalNumber("C"), defaultHelp: "the policy's --C when it has one (ABOUNCE); required otherwise", required: true,
      requiredHelp: "the C of Theorem 2's V (the policy has no --C to take it from)",
      help: "the C of Theorem 2's V (an integer)",
    },
    {
      name: "lyapunov-alpha", kind: "number", group: "Lyapunov function", metavar: "A", min: 1, minExclusive: true,
      appliesWhen: [{ flag: "lyapunov", values: ["thm3"] }],
      default: (v: ParsedFlags) => v.optionalNumber("alpha"), defaultHelp: "the policy's --alpha when it has one (MBOUNCE); required otherwise", required: true,
      requiredHelp: "the alpha of Theorem 3's V2 (the policy has no --alpha to take it from)",
      help: "the alpha of Theorem 3's V2",
    },
    { name: "samples", kind: "integer", group: "Monte Carlo", metavar: "M", min: 2, max: 2 ** 25, default: 10000, help: "Monte Carlo paths" },
    { name: "seed", kind: "integer", group: "Monte Carlo", metavar: "S", min: 0, max: 0xffffffff, default: 1, help: "seed of the Monte Carlo stream" },
    {
      name: "steps", kind: "integer", group: "Monte Carlo", metavar: "H", min: 1, max: 1e9, default: 1,
      help: "h, for the h-step drift (the exact drift is computed for h = 1 only)",
    },
    {
      name: "force", kind: "boolean", group: "Monte Carlo",
      help: "lift the work limits: samples x steps x (1 + n/100) <= 2e7 (about 10 s) and at most 1000 queues for the exact drift",
    },
    { name: "json", kind: "boolean", group: "output", help: "print one JSON object (see JSON below)" },
  ];
}

/**
 * The report as text: the exact drift to its rounding (0 within it, saying so), the estimate to its interval.
 * Cost O(n).
 *
 * @example
 * formatDriftReport(driftReport({ lyapunov: "thm2", state: [5, 3], policy: abounce(2, Infinity), arrivalRate: 0.9, migrationPenalty: 2 })).split("\n")[1]
 * // => "exact one-step drift:      0 (|computed value| <= 1.6e-15, the rounding error of the sum)"
 */
export function formatDriftReport(report: DriftReport): string {
  const exact = report.exact === null || report.exactRoundingError === null
    ? `exact one-step drift:      not computed for steps = ${report.steps}`
    : `exact one-step drift:      ${formatBeyondRounding(report.exact, report.exactRoundingError)}` +
      (Math.abs(report.exact) <= report.exactRoundingError
        ? ` (|computed value| <= ${report.exactRoundingError.toExponential(1)}, the rounding error of the sum)`
        : "");
  return [
    `${report.lyapunov}, ${report.policy}, lambda = ${report.arrivalRate}, K = ${report.migrationPenalty}, q = (${report.state.join(", ")})`,
    exact,
    `Monte Carlo ${report.steps}-step drift:  ${formatEstimate(report.estimate)} (95% CI; ${report.estimate.samples} paths, seed ${report.estimate.seed})`,
  ].join("\n");
}

/** `drift`: exact and Monte Carlo drift of Theorem 2's or 3's Lyapunov function at a state. */
export const command: CliCommand = {
  name: "drift",
  summary: "Exact one-step drift and Monte Carlo estimate (95% CI) of Theorem 2's or Theorem 3's Lyapunov function at a state",
  description:
    "The drift E[V(q(h))] - V(q) of the embedded chain (uniformized at rate n(lambda + 1), one step per event) at the state q, " +
    "for Theorem 2's V or Theorem 3's V1 + V2 and any declared policy: exact for h = 1 (every move enumerated, with the exact " +
    "law of the shortest of d samples), and a Monte Carlo estimate with its 95% interval for any h. Theorem 2's V needs C and " +
    "Theorem 3's V2 needs alpha: they are the command's own flags, --lyapunov-C and --lyapunov-alpha, which default to the " +
    "policy's --C (ABOUNCE) and --alpha (MBOUNCE) when the policy has such a parameter.",
  flags,
  notes: [
    ["limits (refused before any work, naming the flag)",
      "--lambda in [2^-33, 2^33]; queue lengths where V's increments are exact integers; --samples x --steps x (1 + n/100) <= 2e7 " +
      "(about 10 s) and at most 1000 queues in --state, unless --force."],
  ],
  examples: [
    "drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 0.9 --K 2 --C 2 --d inf",
    "drift --lyapunov thm3 --state 10,10 --policy mbounce --lambda 0.9 --K 2 --alpha 2 --d inf --steps 20 --json",
    "drift --lyapunov thm3 --state 10,4,1 --policy none --lambda 0.9 --lyapunov-alpha 2",
  ],
  async run(values: ParsedFlags): Promise<number> {
    const report = driftReport({
      lyapunov: values.string("lyapunov") as "thm2" | "thm3",
      state: values.optionalList("state") ?? [],
      policy: policyFromFlags(values),
      arrivalRate: values.number("lambda"),
      migrationPenalty: values.number("K"),
      sampling: samplingFromFlags(values),
      allowOutsidePaper: values.boolean("allow-outside-paper"),
      ...(values.optionalNumber("lyapunov-C") !== undefined ? { lyapunovThreshold: values.number("lyapunov-C") } : {}),
      ...(values.optionalNumber("lyapunov-alpha") !== undefined ? { lyapunovRatio: values.number("lyapunov-alpha") } : {}),
      monteCarloSamples: values.number("samples"),
      seed: values.number("seed"),
      steps: values.number("steps"),
      force: values.boolean("force"),
    });
    process.stdout.write(`${values.boolean("json") ? JSON.stringify(report) : formatDriftReport(report)}\n`);
    return 0;
  },
};
