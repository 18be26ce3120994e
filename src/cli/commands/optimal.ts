import { type TwoQueueRuleComparison, compareTwoQueueRules } from "../../theory/optimal/compareTwoQueueRules";
import type { CurveShape, SwitchingPoint, TruncationCheck } from "../../theory/optimal/optimalTwoQueueRule";
import { MAX_TRUNCATION } from "../../theory/optimal/twoQueueGrid";
import { type CliCommand, type FlagDeclaration, type ParsedFlags, parseFlags, renameParameterError } from "../args";
import { formatSignificant, formatWithError } from "../format";

const FLAGS: readonly FlagDeclaration[] = [
  { name: "lambda", kind: "number", group: "problem", metavar: "L", min: 0, max: 1, minExclusive: true, maxExclusive: true, required: true, help: "arrival rate per queue" },
  { name: "K", kind: "integer", group: "problem", min: 1, required: true, help: "migration penalty: a migrated job becomes K units (at most 100)" },
  {
    name: "truncation", kind: "integer", group: "grid", metavar: "N", min: 1, default: 100,
    help: `grid size {0..N}^2, an integer in [max(8, 4K), ${MAX_TRUNCATION}]; refused, with a suggested N, when the optimal rule's stationary mass within K of the edge exceeds --edge-tolerance`,
  },
  {
    name: "check-truncation", kind: "integer", group: "grid", metavar: "M", min: 1, words: { none: false }, defaultHelp: "round(3N/4)",
    help: "smaller grid solved to confirm the curve point by point, an integer in [max(8, 4K), N - 1], or none (no check grid)",
  },
  {
    name: "rule-truncation", kind: "integer", group: "grid", metavar: "M", min: 1, defaultHelp: "N",
    help: `evaluate a stable rule again on the grid M when its edge mass on N exceeds the tolerance, an integer in [N, ${MAX_TRUNCATION}]; costs about (M/N)^4 times more`,
  },
  {
    name: "edge-tolerance", kind: "number", group: "grid", metavar: "E", min: 0, max: 1, minExclusive: true, maxExclusive: true, defaultHelp: "1e-5",
    help: "the stationary mass allowed within K of the edge of the grid",
  },
  { name: "json", kind: "boolean", group: "output", help: "print one JSON object (see JSON below)" },
];

const FLAG_OF: Record<string, string> = {
  "arrivalRate (lambda)": "--lambda",
  "migrationPenalty (K)": "--K",
  "truncation (N)": "--truncation",
  checkTruncation: "--check-truncation",
  edgeTolerance: "--edge-tolerance",
  ruleTruncation: "--rule-truncation",
};

/** The arguments of `optimal`, checked for form (ranges are checked by the library and renamed to the flags). */
export interface OptimalArguments {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly truncation: number;
  readonly checkTruncation: number | false | undefined;
  readonly edgeTolerance: number | undefined;
  readonly ruleTruncation: number | undefined;
  readonly json: boolean;
}

/**
 * Parses `optimal` arguments with the command's flag declarations. Cost O(argv length).
 *
 * @param argv for example ["--lambda", "0.9", "--K", "2", "--json"]
 * @returns the arguments
 * @throws ParameterError naming the flag (unknown flag, missing or malformed value)
 * @example
 * optimalArguments(["--lambda", "0.9", "--K", "2"])
 * // => { arrivalRate: 0.9, migrationPenalty: 2, truncation: 100, checkTruncation: undefined, edgeTolerance: undefined,
 * //      ruleTruncation: undefined, json: false }
 */
export function optimalArguments(argv: string[]): OptimalArguments {
  return optimalArgumentsOf(parseFlags(argv, FLAGS, "optimal"));
}

function optimalArgumentsOf(values: ParsedFlags): OptimalArguments {
  const check = values.value("check-truncation");
  return {
    arrivalRate: values.number("lambda"),
    migrationPenalty: values.number("K"),
    truncation: values.number("truncation"),
    checkTruncation: check === false ? false : (check as number | undefined),
    edgeTolerance: values.optionalNumber("edge-tolerance"),
    ruleTruncation: values.optionalNumber("rule-truncation"),
    json: values.boolean("json"),
  };
}

/** What `optimal --json` prints. */
export interface OptimalReport {
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly truncation: number;
  /** The optimal long-run mean queue length per queue (units) on the grid. */
  readonly meanQueueLength: number;
  /** Rigorous bracket of the optimum of the truncated MDP; lower is also a lower bound on the untruncated optimum. */
  readonly bounds: { readonly lower: number; readonly upper: number };
  readonly migrationFraction: number;
  readonly switchingCurve: readonly SwitchingPoint[];
  readonly switchingTable: readonly number[];
  readonly thresholdStructure: { readonly holds: boolean; readonly checkedOwnUpTo: number; readonly exceptions: number };
  readonly curveShape: CurveShape;
  readonly comparison: readonly {
    readonly rank: number;
    readonly policy: string;
    readonly meanQueueLength: number;
    readonly excessOverOptimum: number;
    readonly migrationFraction: number;
    readonly edgeMass: number;
    readonly status: string;
    readonly truncatedMeanQueueLength: number;
    readonly truncation: number;
    readonly stabilityThreshold?: number;
  }[];
  readonly optimumIsBest: boolean;
  readonly truncationCheck: TruncationCheck;
  readonly solver: { readonly valueIterations: number; readonly policyIterationSteps: number; readonly optimalityGap: number; readonly seconds: number };
}

/**
 * The optimum, its switching curve and the ranking for the arguments (the pure part of `optimal`). Cost: one
 * `compareTwoQueueRules` (N = 100: 5-30 s).
 *
 * @param args as parsed by optimalArguments
 * @returns the report
 * @throws ParameterError naming the flag (--lambda outside (0, 1), --K < 1 or not an integer, --truncation out of
 *   range or too small for lambda, --check-truncation, --edge-tolerance)
 * @example
 * optimalReport(optimalArguments(["--lambda", "0.5", "--K", "2", "--truncation", "40"])).switchingTable
 * // => [3, 7, 12, 19]
 */
export function optimalReport(args: OptimalArguments): OptimalReport {
  let comparison: TwoQueueRuleComparison;
  try {
    comparison = compareTwoQueueRules(args.arrivalRate, args.migrationPenalty, {
      truncation: args.truncation,
      ...(args.checkTruncation !== undefined ? { checkTruncation: args.checkTruncation } : {}),
      ...(args.edgeTolerance !== undefined ? { edgeTolerance: args.edgeTolerance } : {}),
      ...(args.ruleTruncation !== undefined ? { ruleTruncation: args.ruleTruncation } : {}),
    });
  } catch (error) {
    throw renameParameterError(error, FLAG_OF);
  }
  const o = comparison.optimal;
  return {
    arrivalRate: o.arrivalRate,
    migrationPenalty: o.migrationPenalty,
    truncation: o.truncation,
    meanQueueLength: o.meanQueueLength,
    bounds: o.bounds,
    migrationFraction: o.migrationFraction,
    switchingCurve: o.switchingCurve,
    switchingTable: o.switchingTable,
    thresholdStructure: { holds: o.thresholdStructure.holds, checkedOwnUpTo: o.thresholdStructure.checkedOwnUpTo, exceptions: o.thresholdStructure.exceptions.length },
    curveShape: o.curveShape,
    comparison: comparison.ranking.map((r) => ({
      rank: r.rank,
      policy: r.policy,
      meanQueueLength: r.meanQueueLength,
      excessOverOptimum: r.excessOverOptimum,
      migrationFraction: r.migrationFraction,
      edgeMass: r.edgeMass,
      status: r.status,
      truncatedMeanQueueLength: r.truncatedMeanQueueLength,
      truncation: r.truncation,
      ...(r.stabilityThreshold !== undefined ? { stabilityThreshold: r.stabilityThreshold } : {}),
    })),
    optimumIsBest: comparison.optimumIsBest,
    truncationCheck: o.truncationCheck,
    solver: {
      valueIterations: o.solver.valueIterations,
      policyIterationSteps: o.solver.policyIterationSteps,
      optimalityGap: o.solver.optimalityGap,
      seconds: o.solver.seconds,
    },
  };
}

/** A readable summary of a report (what `optimal` prints without --json). */
export function formatOptimalReport(r: OptimalReport): string {
  const fmt = (x: number, digits = 6): string => (Number.isFinite(x) ? formatSignificant(x, digits) : x === Infinity ? "inf (unstable)" : "n/a");
  // The optimum to the digits it has: the wider of the grid's bracket and the estimated truncation error (without
  // a check grid there is no estimate, and the only guarantee is the edge tolerance the grid was accepted under).
  const estimate = r.truncationCheck.errorEstimate;
  const optimumError = Math.max(r.bounds.upper - r.bounds.lower, Number.isFinite(estimate) ? estimate : r.truncationCheck.edgeTolerance);
  const confirmed = r.switchingCurve.filter((p) => p.confirmed);
  const lines = [
    `optimal migration rule, n = 2, d = inf, lambda = ${r.arrivalRate}, K = ${r.migrationPenalty}, grid {0..${r.truncation}}^2`,
    `optimal mean queue length per queue: ${formatWithError(r.meanQueueLength, optimumError)} (bracket on the grid [${fmt(r.bounds.lower, 12)}, ${fmt(r.bounds.upper, 12)}]; ` +
      `migrating arrivals ${fmt(r.migrationFraction, 4)})`,
    `truncation: edge mass ${r.truncationCheck.edgeMass.toExponential(2)} (tolerance ${fmt(r.truncationCheck.edgeTolerance, 3)}), ` +
      (r.truncationCheck.checkTruncation === null ? "no check grid" :
        `grid ${r.truncationCheck.checkTruncation} gives ${fmt(r.truncationCheck.checkMeanQueueLength, 10)}, estimated remaining error ${fmt(r.truncationCheck.errorEstimate, 2)}`),
    "",
    "switching curve (confirmed points): an arrival migrates to a queue of length target when own >= migrateFrom",
    "  target  migrateFrom  own - target - 1  (own - 1) / target",
    ...confirmed.map((p) => `  ${String(p.target).padStart(6)}  ${String(p.migrateFrom).padStart(11)}  ${String((p.migrateFrom as number) - p.target - 1).padStart(16)}  ${p.target === 0 ? "-".padStart(18) : (((p.migrateFrom as number) - 1) / p.target).toFixed(2).padStart(18)}`),
    confirmed.length === 0
      ? "  no confirmed point (without a check grid nothing is confirmed; see switchingCurve in --json for the raw curve)"
      : `  targets beyond ${confirmed.length - 1}: no confirmed point (the curve leaves the trusted part of the grid)`,
    `  threshold structure ${r.thresholdStructure.holds ? "holds" : `fails at ${r.thresholdStructure.exceptions} states`} for own <= ${r.thresholdStructure.checkedOwnUpTo}`,
    "",
    "ranking (exact on the same chain):",
    "  rank  policy              mean queue length  excess over optimum  migrating  status",
    ...r.comparison.map((c) => `  ${String(c.rank).padStart(4)}  ${c.policy.padEnd(18)}  ${fmt(c.meanQueueLength).padStart(17)}  ` +
      `${(Number.isFinite(c.excessOverOptimum) ? `${(100 * c.excessOverOptimum).toFixed(3)}%` : "-").padStart(19)}  ${fmt(c.migrationFraction, 3).padStart(9)}  ${c.status}` +
      (c.truncation !== r.truncation ? ` (grid ${c.truncation})` : "") +
      (c.status === "truncation too small" ? ` (grid value ${fmt(c.truncatedMeanQueueLength)}, edge mass ${c.edgeMass.toExponential(1)})` : "")),
    "",
    `solver: ${r.solver.valueIterations} value-iteration sweeps, ${r.solver.policyIterationSteps} exact evaluation(s), optimality gap ${r.solver.optimalityGap.toExponential(1)}, ${r.solver.seconds.toFixed(1)} s`,
  ];
  return lines.join("\n");
}

/** `optimal`: the optimal two-queue migration rule and the ranking of ABOUNCE and MBOUNCE against it. */
export const command: CliCommand = {
  name: "optimal",
  summary: "the optimal two-queue migration rule (MDP), its switching curve, and ABOUNCE/MBOUNCE ranked against it",
  description:
    "The optimal migration rule for two queues with d = inf (the paper's open question 2): at each arrival, stay (one unit " +
    "joins the own queue) or migrate (K units join the other queue), minimising the long-run mean queue length per queue. " +
    "Average-cost MDP on the uniformized chain, relative value iteration on the grid {0..N}^2 (overflow capped), certified by " +
    "policy iteration; ABOUNCE(C, inf), C = K..10, MBOUNCE(alpha, inf), alpha in {1.5, 2, 3, 4, 6, 8}, and no sharing evaluated " +
    "exactly on the same chain and ranked.",
  flags: () => FLAGS,
  notes: [
    ["output", "meanQueueLength (per queue), switchingCurve [{target, migrateFrom, confirmed}] (migrateFrom null where no own " +
      "length <= N migrates; confirmed: the check grid gives the same point), switchingTable (the confirmed prefix, a rule " +
      "\"migrate to a queue of length t when own >= table[t]\"), comparison [{policy, meanQueueLength, status, ...}] (null for " +
      "unstable rules and where the grid is too small; no sharing by its closed form), truncationCheck, solver. Cost: 5-30 s at N = 100."],
  ],
  examples: ["optimal --lambda 0.9 --K 2 --json", "optimal --lambda 0.5 --K 2 --truncation 40"],
  async run(values: ParsedFlags): Promise<number> {
    const args = optimalArgumentsOf(values);
    const report = optimalReport(args);
    process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatOptimalReport(report)}\n`);
    return 0;
  },
};
