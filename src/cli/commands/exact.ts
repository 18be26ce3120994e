import { ParameterError } from "../../model/parameterError";
import { type PolicySpec, abounce, mbounce, noSharing, shortestOfD } from "../../model/policy";
import { SAMPLING_SCHEMES, type SamplingScheme } from "../../model/sampling";
import { MAX_MIGRATION_PENALTY, type SystemParams } from "../../model/system";
import { MAX_EXACT_STATES } from "../../theory/exact/exactLimits";
import { type ExactStationary, type ExactStationaryOptions, exactStationary } from "../../theory/exact/exactStationary";
import { type CliCommand, type CliFlags, choiceFlag, numberFlag, parseCliFlags, renameParameterError, requiredNumberFlag, samplesFlag } from "../args";

const USAGE = `usage: migration-penalties exact --policy none|abounce|mbounce|sqd --n 1|2|3 --lambda <rate> [flags]

The stationary law of the embedded chain of Section II (uniformized at rate n(lambda + 1), one step per
event: what the simulator's per-event averages estimate) for n <= 3 queues, computed exactly on a state
space truncated at T units per queue (moves beyond T are blocked), with the truncation error bounded.
Prints the tail P(Q >= i) (tail[0] = 1), the mean queue length per queue and the migration fraction per
arrival, with their error bounds.

system:
  --policy P          none | abounce | mbounce | sqd (sqd: free migration, K = 1)       (required)
  --n N               number of queues: 1, 2 or 3 (1 only without sharing)              (required)
  --lambda L          arrival rate per queue, 0 < L < 1                                  (required)
  --K K               migration penalty: a migrated job becomes K jobs, integer >= 1    (required for abounce, mbounce; default 1)
  --C C               ABOUNCE threshold: migrate when q_i > q_i* + C; paper: C >= K      (default K)
  --alpha A           MBOUNCE ratio: migrate when q_i > max(alpha q_i*, q_i* + K); > 1   (default 2)
  --d D               queues sampled, integer or inf                                     (default 2)
  --sampling S        ${SAMPLING_SCHEMES.join(" | ")} (default others: d of the other n - 1, with replacement)
  --allow-outside-paper   accept C < K, alpha <= 1, sqd with K > 1
accuracy:
  --truncation T      the largest queue length kept (default: the smallest T of a growing sequence that
                      meets the tolerance); at most 112 for n = 3, 705 for n = 2
  --tolerance E       error bound required: absolute for probabilities, relative for the mean queue length,
                      in [1e-9, 0.5] (default 1e-6); refused when it cannot be met
  --max-states S      the largest lumped state space C(T + n, n) to build, in [2, ${MAX_EXACT_STATES}] (default ${MAX_EXACT_STATES}, about 75 MB)
output:
  --json              print one JSON object (Infinity prints as null)

example:
  migration-penalties exact --policy abounce --n 3 --lambda 0.75 --K 2 --C 2 --d 2 --json`;

const FLAGS = {
  policy: { type: "string" },
  n: { type: "string" },
  lambda: { type: "string" },
  K: { type: "string" },
  C: { type: "string" },
  alpha: { type: "string" },
  d: { type: "string" },
  sampling: { type: "string" },
  "allow-outside-paper": { type: "boolean" },
  truncation: { type: "string" },
  tolerance: { type: "string" },
  "max-states": { type: "string" },
  json: { type: "boolean" },
} as const;

const FLAG_OF: Record<string, string> = {
  "queues (n)": "--n",
  "arrivalRate (lambda)": "--lambda",
  "migrationPenalty (K)": "--K",
  "threshold (C)": "--C",
  "ratio (alpha)": "--alpha",
  "samples (d)": "--d",
  sampling: "--sampling",
  "truncation (T)": "--truncation",
  tolerance: "--tolerance",
  maxStates: "--max-states",
};

/**
 * The system and options an `exact` command line asks for. Cost O(argv length).
 *
 * @param argv the arguments after `exact`
 * @returns params, options and whether to print JSON
 * @throws ParameterError naming the flag (unknown flag, missing or malformed value, out of range)
 * @example
 * exactArguments(["--policy", "abounce", "--n", "2", "--lambda", "0.6", "--K", "2", "--d", "inf"]).params.policy
 * // => { kind: "abounce", threshold: 2, samples: Infinity }
 */
export function exactArguments(argv: string[]): { params: SystemParams; options: ExactStationaryOptions; json: boolean } {
  const flags: CliFlags = parseCliFlags(argv, FLAGS);
  const kind = choiceFlag(flags, "policy", ["none", "abounce", "mbounce", "sqd"] as const);
  const n = requiredNumberFlag(flags, "n", { min: 1, integer: true });
  const lambda = requiredNumberFlag(flags, "lambda", { min: 0, minInclusive: false });
  const needsK = kind === "abounce" || kind === "mbounce";
  if (needsK && flags.K === undefined) throw new ParameterError("--K", undefined, `required for --policy ${kind}: an integer >= 1`);
  const K = numberFlag(flags, "K", { min: 1, max: MAX_MIGRATION_PENALTY, integer: true }, 1) as number;
  const d = samplesFlag(flags, "d", 2);
  const sampling = choiceFlag(flags, "sampling", SAMPLING_SCHEMES, "others") as SamplingScheme;
  const allowOutsidePaper = flags["allow-outside-paper"] === true;
  let policy: PolicySpec;
  switch (kind) {
    case "none":
      policy = noSharing();
      break;
    case "abounce":
      policy = abounce(numberFlag(flags, "C", { min: 0 }, K) as number, d);
      break;
    case "mbounce":
      policy = mbounce(numberFlag(flags, "alpha", { min: 0, minInclusive: false }, 2) as number, d);
      break;
    case "sqd":
      policy = shortestOfD(d);
      break;
  }
  const truncation = numberFlag(flags, "truncation", { min: 1, integer: true });
  const tolerance = numberFlag(flags, "tolerance", { min: 0, minInclusive: false });
  const maxStates = numberFlag(flags, "max-states", { min: 2, integer: true });
  const params: SystemParams = { queues: n, arrivalRate: lambda, migrationPenalty: K, policy, sampling, allowOutsidePaper };
  const options: ExactStationaryOptions = {
    ...(truncation !== undefined ? { truncation } : {}),
    ...(tolerance !== undefined ? { tolerance } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
  };
  return { params, options, json: flags.json === true };
}

/**
 * What `exact --json` prints: the result of exactStationary as plain data (no function). Cost O(T).
 *
 * @param result an exactStationary result
 * @returns { system, truncation, tail, meanQueueLength, migrationFraction, truncationError, solver }
 */
export function exactReport(result: ExactStationary): Omit<ExactStationary, "probability"> {
  const { system, truncation, tail, meanQueueLength, migrationFraction, truncationError, solver } = result;
  return { system, truncation, tail, meanQueueLength, migrationFraction, truncationError, solver };
}

/** `migration-penalties exact`: see USAGE. */
export const command: CliCommand = {
  name: "exact",
  summary: "exact stationary tail, mean queue length, migration fraction for n <= 3 queues, with error bounds",
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const { params, options, json } = exactArguments(argv);
    let result: ExactStationary;
    try {
      result = exactStationary(params, options);
    } catch (error) {
      throw renameParameterError(error, FLAG_OF);
    }
    process.stdout.write((json ? JSON.stringify(exactReport(result)) : formatExact(result)) + "\n");
    return 0;
  },
};

/** A readable summary of an exact result (what `exact` prints without --json). */
export function formatExact(result: ExactStationary): string {
  const f = (x: number, digits = 6): string => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x));
  const e = result.truncationError;
  const s = result.system;
  const tail = result.tail.slice(0, 16).map((x) => f(x, 5)).join(", ");
  return [
    `${s.policy}, n = ${s.queues}, lambda = ${s.arrivalRate}, K = ${s.migrationPenalty}, sampling ${s.sampling}`,
    `truncation T = ${result.truncation} (checked against T = ${e.checkTruncations.join(" and ")}), tolerance ${e.tolerance}`,
    "",
    `mean queue length per queue  ${f(result.meanQueueLength, 10)}   (error <= ${f(e.bound.meanQueueLength, 3)})`,
    `migration fraction           ${f(result.migrationFraction, 10)}   (error <= ${f(e.bound.migrationFraction, 3)})`,
    `tail P(Q >= i), i = 0..${Math.min(15, result.tail.length - 1)}  ${tail}   (each: error <= ${f(e.bound.tail, 3)})`,
    `boundary mass                ${f(e.boundaryMass, 3)} (some queue within the largest jump of T); blocked per event ${f(e.blockedProbability, 3)}`,
    `change from T' to T          tail ${f(e.change.tail, 3)}, mean ${f(e.change.meanQueueLength, 3)}, migration ${f(e.change.migrationFraction, 3)}`,
    `error decay per level        ${f(e.decayRatio, 4)} (contraction ${f(e.contraction, 3)}); solver error ${f(e.solverError, 3)}`,
    `solver                       ${result.solver.answer.states} states, ${result.solver.answer.iterations} iterations, residual ${f(result.solver.answer.residual, 3)}, ${f(result.solver.answer.seconds, 3)} s`,
    `assumption: ${e.assumption}`,
  ].join("\n");
}
