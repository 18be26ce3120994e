import { parseArgs } from "node:util";
import { ParameterError } from "../../model/parameterError";
import { exactTwoQueueThreshold } from "../../theory/thresholds/exactTwoQueueThreshold";
import { theorem2LambdaStar } from "../../theory/thresholds/theorem2LambdaStar";
import { theorem1ArrivalRateBound } from "../../theory/thresholds/theoremBounds";
import { type CliCommand, renameParameterError } from "../args";

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

/** Parses `--K 2 --C 2 [--force] [--json]`; throws ParameterError naming the flag. */
export function parseTheoryArgs(argv: string[]): { migrationPenalty: number; threshold: number; force: boolean; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      K: { type: "string" }, C: { type: "string" }, force: { type: "boolean", default: false }, json: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const integer = (flag: string, raw: string | undefined): number => {
    if (raw === undefined) throw new ParameterError(flag, raw, "required: an integer");
    const x = Number(raw);
    if (raw.trim() === "" || !Number.isInteger(x)) throw new ParameterError(flag, raw, "an integer");
    return x;
  };
  return {
    migrationPenalty: integer("--K", values.K), threshold: integer("--C", values.C), force: values.force === true, json: values.json === true,
  };
}

const usage = "theory --K <integer >= 1> --C <integer >= K; about 1.4 s at C = 1e4, up to about 4e4 without --force> [--force] [--json]";

/** `theory`: lambda*, Theorem 1's bound and the exact two-queue threshold for (K, C). */
export const command: CliCommand = {
  name: "theory",
  summary: "Theorem 1's bound 1/K, Theorem 2's lambda*(K, C) and the exact two-queue ABOUNCE(C, inf) threshold",
  usage,
  async run(argv: string[]): Promise<number> {
    const args = parseTheoryArgs(argv);
      const report = theoryReport(args);
      if (args.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } else {
        process.stdout.write(
          [
            `K = ${report.migrationPenalty}, C = ${report.threshold} (ABOUNCE(C, inf), n = 2 for the last two)`,
            `Theorem 1 bound 1/K (stable below):           ${report.theorem1Bound}`,
            `Theorem 2 lambda* (claimed unstable above):   ${report.lambdaStar}`,
            `exact two-queue threshold (stable below):     ${report.exactTwoQueueThreshold}`,
          ].join("\n") + "\n",
        );
      }
    return 0;
  },
};

