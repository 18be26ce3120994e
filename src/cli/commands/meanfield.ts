import { parseArgs } from "node:util";
import { ParameterError } from "../../model/parameterError";
import { type PolicySpec, abounce, mbounce, noSharing, shortestOfD } from "../../model/policy";
import { DEFAULT_SAMPLING, SAMPLING_SCHEMES, type SamplingScheme } from "../../model/sampling";
import { buildMeanFieldSystem } from "../../theory/meanfield/buildMeanFieldSystem";
import { type MeanFieldFixedPoint, meanFieldFixedPoint } from "../../theory/meanfield/meanFieldFixedPoint";
import type { MeanFieldVariant } from "../../theory/meanfield/meanFieldSystem";
import { type RefinedMeanField, refinedMeanField } from "../../theory/meanfield/refinedMeanField";
import { type CliCommand, choiceFlag, numberFlag, renameParameterError } from "../args";

/** Parsed and checked arguments of `meanfield`. */
export interface MeanfieldCliOptions {
  readonly policy: PolicySpec;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly variant: MeanFieldVariant;
  readonly allowOutsidePaper: boolean;
  readonly tailTolerance: number;
  /** --force: lift the work limit of the fixed point (MEAN_FIELD_WORK_LIMIT, about 17 s). */
  readonly force: boolean;
  readonly json: boolean;
  /** The sampling scheme (the plain limit does not depend on it; the refined correction does). */
  readonly sampling: SamplingScheme;
  /** n for the refined mean field (--refined --n N); undefined without --refined. */
  readonly refinedQueues?: number;
}

/** The refined part of the report (`--refined --n N`): tail[0] = 1. */
export interface MeanfieldCliRefined {
  readonly queues: number;
  readonly sampling: SamplingScheme;
  readonly converged: boolean;
  readonly failure?: string;
  /** s_i + V_i / n, i = 0..L (tail[0] = 1). */
  readonly tail: number[];
  readonly meanQueueLength: number;
  /** V_0..V_L: the 1/n coefficients of the tail. */
  readonly correction: number[];
  /** sum_i V_i. */
  readonly meanQueueLengthCorrection: number;
  readonly truncationLevel: number;
  readonly previousTruncationLevel: number;
  readonly correctionChange: number;
}

/** What `meanfield` reports (plain data; `--json` prints it as is). */
export interface MeanfieldCliReport {
  readonly label: string;
  readonly converged: boolean;
  readonly failure?: string;
  /** True when the computation stopped at its work limit (then converged is false and says nothing about existence). */
  readonly workLimitReached: boolean;
  /** s_0..s_L: tail[i] = fraction of queues with >= i units, tail[0] = 1 (one schema for every command). */
  readonly tail: number[];
  /** 1 - s_0..1 - s_L to full relative precision (index 1: fraction of empty queues). */
  readonly tailComplement: number[];
  readonly meanQueueLength: number;
  readonly migrationProbability: number;
  readonly unaccountedArrivalProbability: number;
  readonly unitArrivalRate: number;
  readonly unitThroughput: number;
  readonly meanUnitDelay: number;
  readonly meanJobDelayFifo: number;
  readonly delayDefinition: string;
  readonly truncationLevel: number;
  readonly previousTruncationLevel: number;
  readonly tailAtTruncation: number;
  readonly meanChange: number;
  readonly truncationErrorEstimate: number;
  readonly exactTruncation: boolean;
  readonly residual: number;
  readonly sampling: SamplingScheme;
  /** With --refined: the refined mean field at n queues. */
  readonly refined?: MeanfieldCliRefined;
}

const FLAG_OF: Record<string, string> = {
  "arrivalRate (lambda)": "--lambda",
  "migrationPenalty (K)": "--K",
  "threshold (C)": "--C",
  "ratio (alpha)": "--alpha",
  "samples (d)": "--d",
  policy: "--policy",
  variant: "--system",
  tailTolerance: "--tail-tolerance",
  "queues (n)": "--n",
  sampling: "--sampling",
  force: "--force",
};


/**
 * Parses `meanfield` arguments. Cost O(argv length).
 *
 * @param argv e.g. ["--policy", "abounce", "--lambda", "0.75", "--K", "2", "--C", "2", "--d", "10"]
 * @returns the options; --d accepts "inf"; --K defaults to 1 for none and sqd; --refined needs --n (an integer
 *   >= 2) and the derived system; --sampling (others, all, others-without-replacement) defaults to "others"
 * @throws ParameterError naming the flag (unknown flag, missing or malformed value, out of range)
 */
export function parseMeanfieldArgs(argv: string[]): MeanfieldCliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        policy: { type: "string" }, lambda: { type: "string" }, K: { type: "string" }, C: { type: "string" },
        alpha: { type: "string" }, d: { type: "string" }, system: { type: "string" }, json: { type: "boolean" },
        "allow-outside-paper": { type: "boolean" }, "tail-tolerance": { type: "string" }, force: { type: "boolean" },
        refined: { type: "boolean" }, n: { type: "string" }, sampling: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1] ?? "arguments";
    throw new ParameterError(flag, argv.join(" "), "the flags listed in the usage", message);
  }
  const number = (flag: string, raw: string | boolean | undefined, required: boolean, fallback = NaN): number => {
    if (raw === undefined) {
      if (required) throw new ParameterError(`--${flag}`, undefined, "required");
      return fallback;
    }
    const text = String(raw).trim();
    if (/^(inf|infinity)$/i.test(text)) return Infinity;
    const x = text === "" ? NaN : Number(text);
    if (!Number.isFinite(x)) throw new ParameterError(`--${flag}`, raw, "a number");
    return x;
  };
  const kind = values.policy;
  if (kind !== "none" && kind !== "abounce" && kind !== "mbounce" && kind !== "sqd") {
    throw new ParameterError("--policy", kind, "none, abounce, mbounce or sqd");
  }
  if (values.C !== undefined && kind !== "abounce") throw new ParameterError("--C", values.C, "only with --policy abounce");
  if (values.alpha !== undefined && kind !== "mbounce") throw new ParameterError("--alpha", values.alpha, "only with --policy mbounce");
  if (values.d !== undefined && kind === "none") throw new ParameterError("--d", values.d, "not with --policy none (no sampling)");
  const lambda = number("lambda", values.lambda, true);
  const K = number("K", values.K, kind === "abounce" || kind === "mbounce", 1);
  const d = kind === "none" ? 0 : number("d", values.d, true);
  if (kind !== "none" && d !== Infinity && !(Number.isInteger(d) && d >= 1)) throw new ParameterError("--d", values.d, "an integer >= 1 or inf");
  let policy: PolicySpec;
  if (kind === "abounce") policy = abounce(number("C", values.C, true), d);
  else if (kind === "mbounce") policy = mbounce(number("alpha", values.alpha, true), d);
  else if (kind === "sqd") policy = shortestOfD(d);
  else policy = noSharing();
  const system = choiceFlag<MeanFieldVariant>(values, "system", ["derived", "printed"], "derived");
  const tailTolerance = number("tail-tolerance", values["tail-tolerance"], false, 1e-12);
  const sampling = choiceFlag(values, "sampling", SAMPLING_SCHEMES, DEFAULT_SAMPLING);
  const refined = values.refined === true;
  if (!refined && values.n !== undefined) throw new ParameterError("--n", values.n, "only with --refined (the plain mean field has no n)");
  if (refined && values.n === undefined) throw new ParameterError("--n", undefined, "required with --refined: an integer >= 2");
  if (refined && system !== "derived") {
    throw new ParameterError("--system", system, "derived with --refined (the refined mean field corrects the system derived from the rule)");
  }
  const refinedQueues = refined ? numberFlag(values, "n", { min: 2, integer: true }) : undefined;
  const base: MeanfieldCliOptions = {
    policy, arrivalRate: lambda, migrationPenalty: K, variant: system,
    allowOutsidePaper: values["allow-outside-paper"] === true, tailTolerance, force: values.force === true, json: values.json === true, sampling,
  };
  return refinedQueues === undefined ? base : { ...base, refinedQueues };
}

/**
 * The fixed point of the mean-field system for the options and its measures (the pure part of `meanfield`).
 * Cost: one meanFieldFixedPoint (milliseconds to about a second; at most its work limit, about 17 s, unless
 * `force`: then `converged` is false and `workLimitReached` true); with refinedQueues also one refinedMeanField
 * (milliseconds for SQ(d) and ABOUNCE, about a second for MBOUNCE near lambda = 1).
 *
 * @param options as parsed by parseMeanfieldArgs (validated here: lambda in (0, 1), C >= K and alpha > 1
 *   unless allowOutsidePaper, d >= 1, printed only for abounce and mbounce; with --refined d finite and
 *   n >= d + 1 for others-without-replacement)
 * @throws ParameterError naming the flag
 * @example
 * meanfieldReport(parseMeanfieldArgs(["--policy", "abounce", "--lambda", "0.75", "--K", "2", "--C", "2", "--d", "10"])).meanQueueLength
 * // => 2.2353591...
 */
export function meanfieldReport(options: MeanfieldCliOptions): MeanfieldCliReport {
  let fp: MeanFieldFixedPoint;
  let refined: RefinedMeanField | undefined;
  try {
    const system = buildMeanFieldSystem({
      arrivalRate: options.arrivalRate, migrationPenalty: options.migrationPenalty, policy: options.policy,
      allowOutsidePaper: options.allowOutsidePaper,
    }, options.variant);
    fp = meanFieldFixedPoint(system, { tailTolerance: options.tailTolerance, force: options.force === true });
    if (options.refinedQueues !== undefined) {
      refined = refinedMeanField(
        { arrivalRate: options.arrivalRate, migrationPenalty: options.migrationPenalty, policy: options.policy, allowOutsidePaper: options.allowOutsidePaper },
        { queues: options.refinedQueues, sampling: options.sampling, tailTolerance: options.tailTolerance },
      );
    }
  } catch (error) {
    throw renameParameterError(error, FLAG_OF);
  }
  const m = fp.metrics;
  const report: MeanfieldCliReport = {
    label: fp.label,
    converged: fp.converged,
    workLimitReached: fp.workLimitReached,
    tail: Array.from(fp.occupancy),
    tailComplement: Array.from(fp.occupancyComplement),
    meanQueueLength: m.meanQueueLength,
    migrationProbability: m.migrationProbability,
    unaccountedArrivalProbability: m.unaccountedArrivalProbability,
    unitArrivalRate: m.unitArrivalRate,
    unitThroughput: m.unitThroughput,
    meanUnitDelay: m.meanUnitDelay,
    meanJobDelayFifo: m.meanJobDelayFifo,
    delayDefinition: m.delayDefinition,
    truncationLevel: fp.truncationLevel,
    previousTruncationLevel: fp.previousTruncationLevel,
    tailAtTruncation: fp.tailAtTruncation,
    meanChange: fp.meanChange,
    truncationErrorEstimate: fp.truncationErrorEstimate,
    exactTruncation: fp.exactTruncation,
    residual: fp.residual,
    sampling: options.sampling,
  };
  const withRefined = refined === undefined ? report : { ...report, refined: refinedPart(refined) };
  return fp.failure === undefined ? withRefined : { ...withRefined, failure: fp.failure };
}

function refinedPart(r: RefinedMeanField): MeanfieldCliRefined {
  const part: MeanfieldCliRefined = {
    queues: r.queues,
    sampling: r.sampling,
    converged: r.converged,
    tail: r.tail,
    meanQueueLength: r.meanQueueLength,
    correction: r.correction,
    meanQueueLengthCorrection: r.meanQueueLengthCorrection,
    truncationLevel: r.truncation.level,
    previousTruncationLevel: r.truncation.previousLevel,
    correctionChange: r.truncation.correctionChange,
  };
  return r.failure === undefined ? part : { ...part, failure: r.failure };
}

/** The report as text for a terminal. */
export function formatMeanfieldReport(r: MeanfieldCliReport): string {
  const g = (x: number, digits = 8): string => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x));
  const lines = [`${r.label}: ${r.converged ? "fixed point" : r.workLimitReached ? `NOT COMPUTED: ${r.failure}` : `NO fixed point of finite mean found: ${r.failure}`}`];
  if (!r.converged) lines.push("(values below are those of the last truncated state tried)");
  const refined = r.refined;
  lines.push(`  level  s_i               1 - s_i${refined ? `           refined s_i + V_i/n (n = ${refined.queues}, sampling ${refined.sampling})` : ""}`);
  r.tail.forEach((v, k) => lines.push(`  ${String(k).padStart(5)}  ${v.toPrecision(10).padEnd(16)}  ${(r.tailComplement[k] ?? NaN).toPrecision(10).padEnd(16)}` +
    `${refined ? `  ${(refined.tail[k] ?? NaN).toPrecision(10)}` : ""}`));
  lines.push(
    `mean queue length (units per queue):              ${g(r.meanQueueLength, 10)}`,
    `migration probability p_mig:                      ${g(r.migrationProbability)}`,
    `arrivals neither kept nor sent (printed systems): ${g(r.unaccountedArrivalProbability)}`,
    `unit arrival rate lambda (stay + K p_mig):        ${g(r.unitArrivalRate)}  (unit throughput s_1: ${g(r.unitThroughput)})`,
    `mean delay per unit (Little's law on units):      ${g(r.meanUnitDelay)}`,
    `mean delay per job (FIFO, to its last unit):      ${g(r.meanJobDelayFifo)}`,
    `  ${r.delayDefinition}`,
    `truncation: L = ${r.truncationLevel} (compared with L = ${r.previousTruncationLevel}), s_L = ${r.tailAtTruncation.toExponential(3)}, ` +
      `mean change ${r.meanChange.toExponential(2)}, error estimate ${r.truncationErrorEstimate.toExponential(2)}` +
      `${r.exactTruncation ? " (no inflow above L)" : ""}, residual max|ds/dt| ${r.residual.toExponential(2)}`,
  );
  if (refined) {
    lines.push(refined.converged
      ? `refined mean field, n = ${refined.queues} (${refined.sampling}): mean queue length ${g(refined.meanQueueLength, 10)} = plain + ` +
        `${g(refined.meanQueueLengthCorrection)} / n; truncation L = ${refined.truncationLevel} (compared with L = ${refined.previousTruncationLevel}, ` +
        `coefficients changed by ${refined.correctionChange.toExponential(2)})`
      : `refined mean field, n = ${refined.queues} (${refined.sampling}): NOT computed: ${refined.failure ?? ""}`);
  }
  return lines.join("\n");
}

const usage =
  "meanfield --policy none|abounce|mbounce|sqd --lambda <0..1> [--K <int>=1>] [--C <number> | --alpha <number>] " +
  "[--d <int>=1|inf>] [--system derived|printed] [--tail-tolerance <1e-250..1e-3>] [--allow-outside-paper] [--force] " +
  "[--refined --n <int>=2>] [--sampling others|all|others-without-replacement] [--json]\n" +
  "  --refined --n N adds the refined mean field (Gast and Van Houdt's 1/n correction) at N queues: refined.tail, " +
  "refined.meanQueueLength; --sampling (default others, the paper's) sets how arrivals sample, which changes the " +
  "correction, not the limit. tail[i] = fraction of queues with >= i units, tail[0] = 1. Stops at a work limit of " +
  "about 17 s, saying so, unless --force (heavy tails near lambda = 1 without sharing reach it).";

/** `meanfield`: the fixed point of the Section IV mean-field system (derived or as printed) and its measures. */
export const command: CliCommand = {
  name: "meanfield",
  summary: "fixed point of the mean-field ODEs of Section IV (printed eqs. (1), (2) or derived from the rules)",
  usage,
  async run(argv: string[]): Promise<number> {
    const options = parseMeanfieldArgs(argv);
    const report = meanfieldReport(options);
    process.stdout.write(`${options.json ? JSON.stringify(report) : formatMeanfieldReport(report)}\n`);
    return report.converged && (report.refined === undefined || report.refined.converged) ? 0 : 1;
  },
};
