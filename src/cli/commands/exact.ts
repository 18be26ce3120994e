import type { SystemParams } from "../../model/system";
import { MAX_EXACT_STATES } from "../../theory/exact/exactLimits";
import { type ExactStationary, type ExactStationaryOptions, exactStationary } from "../../theory/exact/exactStationary";
import { type CliCommand, type FlagDeclaration, ParsedFlags, parseFlags, renameParameterError } from "../args";
import { formatSignificant, formatWithError } from "../format";
import { flagNames, policyFlags, policyFromFlags, samplingFromFlags, systemJson } from "../policyFlags";

const FLAG_OF = (): Record<string, string> => flagNames({ "truncation (T)": "--truncation", tolerance: "--tolerance", maxStates: "--max-states" });

function flags(): FlagDeclaration[] {
  const policy = policyFlags();
  return [
    ...policy.slice(0, 1),
    { name: "n", kind: "integer", group: "system", min: 1, required: true, help: "number of queues: 1, 2 or 3 (1 only without sharing)" },
    { name: "lambda", kind: "number", group: "system", metavar: "L", min: 0, minExclusive: true, required: true, help: "arrival rate per queue (below 1)" },
    ...policy.slice(1),
    {
      name: "truncation", kind: "integer", group: "accuracy", metavar: "T", min: 1,
      defaultHelp: "the smallest T of a growing sequence that meets the tolerance",
      help: "the largest queue length kept (at most 112 for n = 3, 705 for n = 2)",
    },
    {
      name: "tolerance", kind: "number", group: "accuracy", metavar: "E", min: 0, minExclusive: true, defaultHelp: "1e-6",
      help: "error bound required, absolute for probabilities and relative for the mean queue length, in [1e-9, 0.5]; refused when it cannot be met",
    },
    {
      name: "max-states", kind: "integer", group: "accuracy", metavar: "S", min: 2, max: MAX_EXACT_STATES, defaultHelp: `${MAX_EXACT_STATES} (about 75 MB)`,
      help: "the largest lumped state space C(T + n, n) to build",
    },
    { name: "json", kind: "boolean", group: "output", help: "print one JSON object (see JSON below)" },
  ];
}

/**
 * The system and options a parsed `exact` command line asks for. Cost O(flags).
 *
 * @param argv the arguments after `exact`, or flags already parsed against the command's declarations
 * @returns params, options and whether to print JSON
 * @throws CliUsageError naming the flag (unknown flag, missing or malformed value, a flag that does not apply)
 * @example
 * exactArguments(["--policy", "abounce", "--n", "2", "--lambda", "0.6", "--K", "2", "--d", "inf"]).params.policy
 * // => { kind: "abounce", threshold: 2, samples: Infinity }
 */
export function exactArguments(argv: readonly string[] | ParsedFlags): { params: SystemParams; options: ExactStationaryOptions; json: boolean } {
  const values = argv instanceof ParsedFlags ? argv : parseFlags(argv, flags(), "exact");
  const params: SystemParams = {
    queues: values.number("n"),
    arrivalRate: values.number("lambda"),
    migrationPenalty: values.number("K"),
    policy: policyFromFlags(values),
    sampling: samplingFromFlags(values),
    allowOutsidePaper: values.boolean("allow-outside-paper"),
  };
  const truncation = values.optionalNumber("truncation");
  const tolerance = values.optionalNumber("tolerance");
  const maxStates = values.optionalNumber("max-states");
  const options: ExactStationaryOptions = {
    ...(truncation !== undefined ? { truncation } : {}),
    ...(tolerance !== undefined ? { tolerance } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
  };
  return { params, options, json: values.boolean("json") };
}

/**
 * What `exact --json` prints: the result of exactStationary as plain data (no function). Cost O(T).
 *
 * @param result an exactStationary result
 * @param params the system it was computed for (for the policy's kind, parameters and d)
 * @returns { system, truncation, tail, meanQueueLength, migrationFraction, truncationError, solver }
 */
export function exactReport(result: ExactStationary, params: SystemParams): Omit<ExactStationary, "probability" | "system"> & { system: Record<string, unknown> } {
  const { system, truncation, tail, meanQueueLength, migrationFraction, truncationError, solver } = result;
  return { system: { ...systemJson(params), ...system }, truncation, tail, meanQueueLength, migrationFraction, truncationError, solver };
}

/** `migration-penalties exact`. */
export const command: CliCommand = {
  name: "exact",
  summary: "exact stationary tail, mean queue length, migration fraction for n <= 3 queues, with error bounds",
  description:
    "The stationary law of the embedded chain of Section II (uniformized at rate n(lambda + 1), one step per event: what the " +
    "simulator's per-event averages estimate) for n <= 3 queues, computed exactly on a state space truncated at T units per " +
    "queue (moves beyond T are blocked), with the truncation error bounded. Prints the tail P(Q >= i) (tail[0] = 1), the mean " +
    "queue length per queue and the migration fraction per arrival, with their error bounds.",
  flags,
  examples: [
    "exact --policy abounce --n 3 --lambda 0.75 --K 2 --C 2 --d 2 --json",
    "exact --policy abounce --n 2 --lambda 0.75 --K 2 --C 2 --d 1 --sampling all --truncation 60",
  ],
  async run(values: ParsedFlags): Promise<number> {
    const { params, options, json } = exactArguments(values);
    let result: ExactStationary;
    try {
      result = exactStationary(params, options);
    } catch (error) {
      throw renameParameterError(error, FLAG_OF());
    }
    process.stdout.write((json ? JSON.stringify(exactReport(result, params)) : formatExact(result)) + "\n");
    return 0;
  },
};

/** A readable summary of an exact result (what `exact` prints without --json): each output to the place of its error bound. */
export function formatExact(result: ExactStationary): string {
  const f = (x: number, digits = 6): string => formatSignificant(x, digits);
  const e = result.truncationError;
  const s = result.system;
  // Each tail level to its error bound, and at most about 6 significant digits.
  const tail = result.tail.slice(0, 16).map((x, i) => (i === 0 ? "1" : formatWithError(x, Math.max(e.bound.tail, Math.abs(x) * 1e-6)))).join(", ");
  return [
    `${s.policy}, n = ${s.queues}, lambda = ${s.arrivalRate}, K = ${s.migrationPenalty}, sampling ${s.sampling}`,
    `truncation T = ${result.truncation} (checked against T = ${e.checkTruncations.join(" and ")}), tolerance ${e.tolerance}`,
    "",
    `mean queue length per queue  ${formatWithError(result.meanQueueLength, e.bound.meanQueueLength)}   (error <= ${f(e.bound.meanQueueLength, 2)})`,
    `migration fraction           ${formatWithError(result.migrationFraction, e.bound.migrationFraction)}   (error <= ${f(e.bound.migrationFraction, 2)})`,
    `tail P(Q >= i), i = 0..${Math.min(15, result.tail.length - 1)}  ${tail}   (each: error <= ${f(e.bound.tail, 3)})`,
    `boundary mass                ${f(e.boundaryMass, 3)} (some queue within the largest jump of T); blocked per event ${f(e.blockedProbability, 3)}`,
    `change from T' to T          tail ${f(e.change.tail, 3)}, mean ${f(e.change.meanQueueLength, 3)}, migration ${f(e.change.migrationFraction, 3)}`,
    `error decay per level        ${f(e.decayRatio, 4)} (contraction ${f(e.contraction, 3)}); solver error ${f(e.solverError, 3)}`,
    `solver                       ${result.solver.answer.states} states, ${result.solver.answer.iterations} iterations, residual ${f(result.solver.answer.residual, 3)}, ${f(result.solver.answer.seconds, 3)} s`,
    `assumption: ${e.assumption}`,
  ].join("\n");
}
