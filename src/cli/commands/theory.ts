import { ParameterError } from "../../model/parameterError";
import { exactTwoQueueThreshold } from "../../theory/thresholds/exactTwoQueueThreshold";
import { theorem2LambdaStar } from "../../theory/thresholds/theorem2LambdaStar";
import { theorem1ArrivalRateBound } from "../../theory/thresholds/theoremBounds";
import { type CliCommand, type FlagDeclaration, type ParsedFlags, renameParameterError } from "../args";
import { formatSignificant, formatWithError } from "../format";

/** What `theory` reports for (K, C). */
export interface TheoryReport {
  readonly migrationPenalty: number;
  readonly threshold: number;
  /** Theorem 2's lambda*(K, C) as printed. */
  readonly lambdaStar: number;
  /** Theorem 1's bound 1/K. */
  readonly theorem1Bound: number;
  /** The exact stability threshold of ABOUNCE(C, infinity) with n = 2 (error below 1e-12). */
  readonly exactTwoQueueThreshold: number;
}

/**
 * The thresholds of Theorems 1 and 2 and the exact two-queue threshold for (K, C). Cost O((C + K) * 250):
 * about 1.4 s at C = 10^4; refused up front beyond the work limit of exactTwoQueueThreshold (C up to about
 * 4e4; the error gives the estimated duration) unless `force`, and always beyond C = 2^24 (memory) or where
 * Theorem 2's formula stops being exact ((K + 1)(C + 2) > 2^53).
 *
 * @param args migrationPenalty: K, integer >= 1; threshold: C, integer >= K; force: lift the work limit
 * @returns the three numbers
 * @throws ParameterError naming "--K" or "--C"
 * @example
 * theoryReport({ migrationPenalty: 2, threshold: 2 })
 * // => { migrationPenalty: 2, threshold: 2, lambdaStar: 0.8866175248374878, theorem1Bound: 0.5,
 * //      exactTwoQueueThreshold: 0.8941043369681516 }
 */
export function theoryReport(args: { readonly migrationPenalty: number; readonly threshold: number; readonly force?: boolean }): TheoryReport {
  const K = args.migrationPenalty;
  const C = args.threshold;
  if (typeof K !== "number" || !Number.isInteger(K) || K < 1) throw new ParameterError("--K", K, "an integer >= 1");
  if (typeof C !== "number" || !Number.isInteger(C) || C < K) {
    throw new ParameterError("--C", C, `an integer >= K = ${K}`, "ABOUNCE requires C >= K (Section II)");
  }
  try {
    return {
      migrationPenalty: K,
      threshold: C,
      lambdaStar: theorem2LambdaStar(K, C),
      theorem1Bound: theorem1ArrivalRateBound(K),
      exactTwoQueueThreshold: exactTwoQueueThreshold(K, C, { force: args.force === true }).criticalArrivalRate,
    };
  } catch (error) {
    throw renameParameterError(error, { "threshold (C)": "--C", "migrationPenalty (K)": "--K", force: "--force" });
  }
}

const FLAGS: readonly FlagDeclaration[] = [
  { name: "K", kind: "integer", group: "parameters", min: 1, required: true, help: "migration penalty: a migrated job becomes K jobs" },
  {
    name: "C", kind: "integer", group: "parameters", min: 1, required: true,
    help: "ABOUNCE threshold (C >= K, as the paper requires; Theorem 2's formula needs (K + 1)(C + 2) <= 2^53); " +
      "the exact threshold costs about 1.4 s at C = 1e4 and is refused beyond about 4e4 unless --force",
  },
  { name: "force", kind: "boolean", group: "run", help: "lift the work limit of the exact two-queue threshold" },
  { name: "json", kind: "boolean", group: "output", help: "print one JSON object (see JSON below)" },
];

/** The exact two-queue threshold is bracketed to this width (exactTwoQueueThreshold). */
const THRESHOLD_ERROR = 1e-12;

/**
 * The report as text: each number to the digits it has (closed forms to 10 significant digits, the threshold to
 * its bracket). Cost O(1).
 *
 * @example
 * formatTheoryReport(theoryReport({ migrationPenalty: 2, threshold: 2 })).split("\n")[2]
 * // => "Theorem 2 lambda* (claimed unstable above):   0.8866175248"
 */
export function formatTheoryReport(report: TheoryReport): string {
  return [
    `K = ${report.migrationPenalty}, C = ${report.threshold} (ABOUNCE(C, inf), n = 2 for the last two)`,
    `Theorem 1 bound 1/K (stable below):           ${formatSignificant(report.theorem1Bound, 10)}`,
    `Theorem 2 lambda* (claimed unstable above):   ${formatSignificant(report.lambdaStar, 10)}`,
    `exact two-queue threshold (stable below):     ${formatWithError(report.exactTwoQueueThreshold, THRESHOLD_ERROR)} (bracketed to ${THRESHOLD_ERROR})`,
  ].join("\n");
}

/** `theory`: lambda*, Theorem 1's bound and the exact two-queue threshold for (K, C). */
export const command: CliCommand = {
  name: "theory",
  summary: "Theorem 1's bound 1/K, Theorem 2's lambda*(K, C) and the exact two-queue ABOUNCE(C, inf) threshold",
  description:
    "The stability thresholds for migration penalty K and ABOUNCE threshold C: Theorem 1's bound 1/K (stable below), " +
    "Theorem 2's lambda*(K, C) as printed (claimed unstable above), and the exact stability threshold of ABOUNCE(C, inf) " +
    "with n = 2 queues, the root of \"work in = work out\" for the chain of the difference of the two queues, bracketed to 1e-12.",
  flags: () => FLAGS,
  examples: ["theory --K 2 --C 2", "theory --K 2 --C 2 --json"],
  async run(values: ParsedFlags): Promise<number> {
    const report = theoryReport({ migrationPenalty: values.number("K"), threshold: values.number("C"), force: values.boolean("force") });
    process.stdout.write(`${values.boolean("json") ? JSON.stringify(report) : formatTheoryReport(report)}\n`);
    return 0;
  },
};
