import { ParameterError } from "../../model/parameterError";
import type { PolicySpec } from "../../model/policy";
import type { SamplingScheme } from "../../model/sampling";
import { buildMeanFieldSystem } from "../../theory/meanfield/buildMeanFieldSystem";
import { type MeanFieldFixedPoint, meanFieldFixedPoint } from "../../theory/meanfield/meanFieldFixedPoint";
import type { MeanFieldMetrics } from "../../theory/meanfield/meanFieldMetrics";
import type { MeanFieldVariant } from "../../theory/meanfield/meanFieldSystem";
import { type RefinedMeanField, refinedMeanField } from "../../theory/meanfield/refinedMeanField";
import { type CliCommand, type FlagDeclaration, type ParsedFlags, parseFlags, renameParameterError } from "../args";
import { formatBeyondRounding, formatSignificant } from "../format";
import { flagNames, policyFlags, policyFromFlags, samplingFromFlags, systemJson } from "../policyFlags";

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

/** The fixed point's measures the report carries, as `MeanFieldMetrics` defines them (all but the stay probability). */
type ReportedMetrics = Pick<MeanFieldMetrics, "meanQueueLength" | "migrationProbability" | "unaccountedArrivalProbability" |
  "unitArrivalRate" | "unitThroughput" | "meanUnitDelay" | "meanJobDelayFifo" | "delayDefinition">;

/** What `meanfield` reports (plain data; `--json` prints it as is). */
export interface MeanfieldCliReport extends ReportedMetrics {
  readonly label: string;
  /** The system as every command's JSON writes it (no n: this is the limit n -> infinity). */
  readonly system: Record<string, unknown>;
  readonly converged: boolean;
  readonly failure?: string;
  /** True when the computation stopped at its work limit (then converged is false and says nothing about existence). */
  readonly workLimitReached: boolean;
  /** s_0..s_L: tail[i] = fraction of queues with >= i units, tail[0] = 1 (one schema for every command). */
  readonly tail: number[];
  /** 1 - s_0..1 - s_L to full relative precision (index 1: fraction of empty queues). */
  readonly tailComplement: number[];
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

const FLAG_OF = (): Record<string, string> => flagNames({ variant: "--system", tailTolerance: "--tail-tolerance" });

function flags(): FlagDeclaration[] {
  const policy = policyFlags({ samplingWhen: [{ flag: "refined" }] });
  return [
    ...policy.slice(0, 1),
    {
      name: "lambda", kind: "number", group: "system", metavar: "L", min: 0, max: 1, minExclusive: true, maxExclusive: true, required: true,
      help: "arrival rate per queue",
    },
    ...policy.slice(1),
    {
      name: "system", kind: "choice", group: "mean field", choices: ["derived", "printed"], default: "derived",
      choiceHelp: {
        derived: "the system derived from the policy's own rule (any policy the mean field supports)",
        printed: "Section IV's equations (1) (MBOUNCE) and (2) (ABOUNCE) as printed",
      },
      help: "which mean-field system",
    },
    {
      name: "tail-tolerance", kind: "number", group: "mean field", metavar: "E", min: 1e-250, max: 1e-3, default: 1e-12,
      help: "truncation: the tail mass allowed beyond the last level",
    },
    {
      name: "force", kind: "boolean", group: "mean field",
      help: "lift the work limit of the fixed point (about 17 s; without sharing, lambda >= 0.97 reaches it)",
    },
    {
      name: "refined", kind: "boolean", group: "refined mean field",
      help: "add the refined mean field at n queues (Gast and Van Houdt's 1/n correction): refined.tail, refined.meanQueueLength",
    },
    {
      name: "n", kind: "integer", group: "refined mean field", min: 2, required: true, appliesWhen: [{ flag: "refined" }],
      help: "number of queues of the refined mean field",
    },
    { name: "json", kind: "boolean", group: "output", help: "print one JSON object (see JSON below)" },
  ];
}

/**
 * The options of `meanfield` from its parsed flags. Cost O(flags).
 *
 * @param values flags parsed against the command's declarations (--d accepts inf; --sampling applies with
 *   --refined only: the plain limit does not depend on it, the correction does)
 * @returns the options
 * @throws ParameterError naming the flag (--system printed with --refined)
 * @example
 * import { parseFlags } from "../args";
 * meanfieldOptions(parseFlags(["--policy", "sqd", "--lambda", "0.9", "--refined", "--n", "10"], command.flags(), "meanfield")).refinedQueues // => 10
 */
export function meanfieldOptions(values: ParsedFlags): MeanfieldCliOptions {
  const refined = values.boolean("refined");
  const variant = values.string("system") as MeanFieldVariant;
  if (refined && variant !== "derived") {
    throw new ParameterError("--system", variant, "derived with --refined (the refined mean field corrects the system derived from the rule)");
  }
  const base: MeanfieldCliOptions = {
    policy: policyFromFlags(values),
    arrivalRate: values.number("lambda"),
    migrationPenalty: values.number("K"),
    variant,
    allowOutsidePaper: values.boolean("allow-outside-paper"),
    tailTolerance: values.number("tail-tolerance"),
    force: values.boolean("force"),
    json: values.boolean("json"),
    sampling: samplingFromFlags(values),
  };
  return refined ? { ...base, refinedQueues: values.number("n") } : base;
}

/**
 * Parses `meanfield` arguments with the command's flag declarations. Cost O(argv length).
 *
 * @param argv e.g. ["--policy", "abounce", "--lambda", "0.75", "--K", "2", "--C", "2", "--d", "10"]
 * @returns the options
 * @throws ParameterError naming the flag (unknown flag, missing or malformed value, out of range, a flag that does not apply)
 * @example
 * parseMeanfieldArgs(["--policy", "abounce", "--lambda", "0.75", "--K", "2", "--d", "10"]).policy
 * // => { kind: "abounce", threshold: 2, samples: 10 }
 */
export function parseMeanfieldArgs(argv: string[]): MeanfieldCliOptions {
  return meanfieldOptions(parseFlags(argv, flags(), "meanfield"));
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
    throw renameParameterError(error, FLAG_OF());
  }
  const m = fp.metrics;
  const report: MeanfieldCliReport = {
    label: fp.label,
    system: systemJson({
      arrivalRate: options.arrivalRate, migrationPenalty: options.migrationPenalty, policy: options.policy, sampling: options.sampling,
    }),
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
  const g = (x: number, digits = 8): string => formatSignificant(x, digits);
  // 1 - (stay + migrate) is a sum of about L + 1 probabilities: below (L + 2) 2^-52 it cannot be told from 0.
  const unaccountedRounding = (r.truncationLevel + 2) * 2 ** -52;
  const lines = [`${r.label}: ${r.converged ? "fixed point" : r.workLimitReached ? `NOT COMPUTED: ${r.failure}` : `NO fixed point of finite mean found: ${r.failure}`}`];
  if (!r.converged) lines.push("(values below are those of the last truncated state tried)");
  const refined = r.refined;
  lines.push(`  level  s_i               1 - s_i${refined ? `           refined s_i + V_i/n (n = ${refined.queues}, sampling ${refined.sampling})` : ""}`);
  r.tail.forEach((v, k) => lines.push(`  ${String(k).padStart(5)}  ${g(v, 10).padEnd(16)}  ${g(r.tailComplement[k] ?? NaN, 10).padEnd(16)}` +
    `${refined ? `  ${g(refined.tail[k] ?? NaN, 10)}` : ""}`));
  lines.push(
    `mean queue length (units per queue):              ${g(r.meanQueueLength, 10)}`,
    `migration probability p_mig:                      ${g(r.migrationProbability)}`,
    `arrivals neither kept nor sent (printed systems): ${formatBeyondRounding(r.unaccountedArrivalProbability, unaccountedRounding)}`,
    `unit arrival rate lambda (stay + K p_mig):        ${g(r.unitArrivalRate)}  (unit throughput s_1: ${g(r.unitThroughput)})`,
    `mean delay per unit (Little's law on units):      ${g(r.meanUnitDelay)}`,
    `mean delay per job (FIFO, to its last unit):      ${g(r.meanJobDelayFifo)}`,
    `  ${r.delayDefinition}`,
    `truncation: L = ${r.truncationLevel} (compared with L = ${r.previousTruncationLevel}), s_L = ${g(r.tailAtTruncation, 4)}, ` +
      `mean change ${g(r.meanChange, 3)}, error estimate ${g(r.truncationErrorEstimate, 3)}` +
      `${r.exactTruncation ? " (no inflow above L)" : ""}, residual max|ds/dt| ${g(r.residual, 3)}`,
  );
  if (refined) {
    lines.push(refined.converged
      ? `refined mean field, n = ${refined.queues} (${refined.sampling}): mean queue length ${g(refined.meanQueueLength, 10)} = plain + ` +
        `${g(refined.meanQueueLengthCorrection)} / n; truncation L = ${refined.truncationLevel} (compared with L = ${refined.previousTruncationLevel}, ` +
        `coefficients changed by ${g(refined.correctionChange, 3)})`
      : `refined mean field, n = ${refined.queues} (${refined.sampling}): NOT computed: ${refined.failure ?? ""}`);
  }
  return lines.join("\n");
}

/** `meanfield`: the fixed point of the Section IV mean-field system (derived or as printed) and its measures. */
export const command: CliCommand = {
  name: "meanfield",
  summary: "fixed point of the mean-field ODEs of Section IV (printed eqs. (1), (2) or derived from the rules)",
  description:
    "The fixed point of the mean-field limit (n -> infinity) of Section IV, for the system derived from the policy's own rule " +
    "(default) or the equations (1) and (2) as printed, and its measures: the tail s_i = fraction of queues with >= i units " +
    "(s_0 = 1), the mean queue length, the migration probability and the delays, with a checked truncation. With --refined " +
    "--n N it adds the refined mean field at N queues (s_i + V_i / N); --sampling sets how arrivals sample, which changes the " +
    "correction, not the limit. Exits 1 when no fixed point of finite mean exists.",
  flags,
  notes: [["limits", "Stops at a work limit of about 17 s, saying so, unless --force (heavy tails near lambda = 1 without sharing reach it)."]],
  examples: [
    "meanfield --policy abounce --lambda 0.75 --K 2 --C 2 --d 10",
    "meanfield --policy abounce --lambda 0.75 --K 2 --C 2 --d 10 --system printed",
    "meanfield --policy sqd --lambda 0.9 --d 1 --refined --n 10 --sampling all --json",
  ],
  async run(values: ParsedFlags): Promise<number> {
    const options = meanfieldOptions(values);
    const report = meanfieldReport(options);
    process.stdout.write(`${options.json ? JSON.stringify(report) : formatMeanfieldReport(report)}\n`);
    return report.converged && (report.refined === undefined || report.refined.converged) ? 0 : 1;
  },
};
