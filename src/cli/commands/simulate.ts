import { sampleCount } from "../../model/policy";
import { type SystemParams, MAX_QUEUES, validateSystem } from "../../model/system";
import { DEFAULT_PRECISION_MAX_EVENTS, DEFAULT_PRECISION_REPLICATIONS } from "../../simulate/precisionTarget";
import { runSimulation } from "../../simulate/runSimulation";
import {
  MAX_SIMULATION_EVENTS, MIN_SIMULATION_EVENTS, type ResolvedSimulationOptions, SIMULATION_ARRIVAL_RATE_RANGE, SIMULATION_BATCHES,
  SIMULATION_WORK_LIMIT, type SimulationOptions, type SimulationProgress, requireEstimableBudget, resolveSimulationOptions,
} from "../../simulate/simulationOptions";
import type { SimulationReport } from "../../simulate/summarizeSimulation";
import { type CliCommand, type FlagDeclaration, ParsedFlags, parseFlags, readableNumber, renameParameterError } from "../args";
import { formatCount, formatEstimate, formatSignificant } from "../format";
import { describePolicy, flagNames, policyFlags, policyFromFlags, samplingFromFlags } from "../policyFlags";

/** The library's parameter names, as the flags that set them (for errors raised once the run is validated). */
const FLAG_OF = (): Record<string, string> => flagNames({
  events: "--events",
  time: "--time",
  warmup: "--warmup",
  workers: "--workers",
  replications: "--replications",
  seed: "--seed",
  clock: "--clock",
  maxEvents: "--max-events",
  "precision.relativeHalfWidth": "--precision",
  "precision.of": "--precision-of",
});

const [LAMBDA_MIN, LAMBDA_MAX] = SIMULATION_ARRIVAL_RATE_RANGE;

function flags(): FlagDeclaration[] {
  const policy = policyFlags();
  return [
    ...policy.slice(0, 1),
    {
      name: "n", kind: "integer", group: "system", min: 1, max: MAX_QUEUES, default: 100,
      help: "number of queues (at least 2 when the policy shares)",
    },
    {
      name: "lambda", kind: "number", group: "system", metavar: "L", min: LAMBDA_MIN, max: LAMBDA_MAX, required: true,
      help: "arrival rate per queue (jobs per unit time)",
      rangeNote: "the event type is drawn from a 32-bit word; outside this range the arrival or the service probability loses its relative precision",
    },
    ...policy.slice(1),
    {
      name: "events", kind: "integer", group: "run", metavar: "E", min: MIN_SIMULATION_EVENTS, max: MAX_SIMULATION_EVENTS,
      defaultHelp: "1e6 unless --time", help: "post-warm-up budget of each replication, in events of the uniformized chain",
      rangeNote: `at least 2 x ${SIMULATION_BATCHES} batches: MSER-5 may discard half the run and each batch needs a record`,
    },
    {
      name: "time", kind: "number", group: "run", metavar: "T", min: 0, minExclusive: true, max: 1e15, conflictsWith: ["events"],
      help: "post-warm-up budget of each replication in time units, instead of --events (at least 80 expected events)",
    },
    {
      name: "warmup", kind: "number", group: "run", metavar: "W", min: 0, max: MAX_SIMULATION_EVENTS, defaultHelp: "10% of the budget",
      help: "discarded warm-up, in the budget's unit (an integer for an events budget)",
    },
    {
      name: "clock", kind: "choice", group: "run", choices: ["time", "events"], default: "time",
      choiceHelp: { time: "continuous time: exact delays and their quantiles", events: "the embedded chain only (faster; no delay quantiles)" },
      help: "how time advances",
    },
    { name: "no-delays", kind: "boolean", group: "run", help: "do not track per-job delays" },
    {
      name: "replications", kind: "integer", group: "run", metavar: "R", min: 1, max: 10000,
      defaultHelp: `1 (batch-means intervals); ${DEFAULT_PRECISION_REPLICATIONS} in the first round of --precision`,
      help: "independent replications",
    },
    { name: "seed", kind: "integer", group: "run", metavar: "S", min: 0, max: 0xffffffff, default: 1, help: "seed of the random streams (replication r uses stream r)" },
    {
      name: "workers", kind: "integer", group: "run", metavar: "W", min: 1, max: 256, defaultHelp: "min(replications, cores)",
      help: "worker threads, at most the number of cores unless --force (each costs about 165 MB); results do not depend on it",
    },
    {
      name: "force", kind: "boolean", group: "run",
      help: `lift the limits on cost: a run of more than ${formatCount(SIMULATION_WORK_LIMIT)} events in all (refused with its estimated duration otherwise), more workers than cores`,
    },
    {
      name: "precision", kind: "number", group: "precision", metavar: "G", min: 0, max: 1, minExclusive: true, maxExclusive: true,
      help: "run until the 95% half-width of --precision-of is at most G times its mean (Law and Kelton's sequential procedure over " +
        "replications of --events each), or until --max-events is spent",
    },
    {
      name: "precision-of", kind: "choice", group: "precision", metavar: "X", choices: ["meanDelay", "meanQueueLength"], default: "meanDelay",
      appliesWhen: [{ flag: "precision" }], help: "the estimate the precision target is for",
    },
    {
      name: "max-events", kind: "integer", group: "precision", metavar: "E", min: 1, max: 2 ** 52, default: DEFAULT_PRECISION_MAX_EVENTS,
      appliesWhen: [{ flag: "precision" }], help: "budget of the precision-driven run in events, all replications and warm-ups included",
    },
    { name: "json", kind: "boolean", group: "output", help: "print one JSON object (see JSON below)" },
    { name: "progress", kind: "boolean", group: "output", help: "progress on stderr (also when stderr is a terminal)" },
  ];
}

/**
 * The system and run options a parsed `simulate` command line asks for (not yet validated against each other:
 * see resolveSimulationOptions). Cost O(flags).
 *
 * @param argv the arguments after `simulate`, or flags already parsed against the command's declarations
 * @returns params, options, and the output flags
 * @throws CliUsageError naming the flag (unknown flag, missing or malformed value, a flag that does not apply)
 * @example
 * simulateArguments(["--policy", "abounce", "--lambda", "0.75", "--K", "2", "--d", "10"]).params.policy
 * // => { kind: "abounce", threshold: 2, samples: 10 }
 */
export function simulateArguments(argv: readonly string[] | ParsedFlags): { params: SystemParams; options: SimulationOptions; json: boolean; progress: boolean } {
  const values = argv instanceof ParsedFlags ? argv : parseFlags(argv, flags(), "simulate");
  const policy = policyFromFlags(values);
  const params: SystemParams = {
    queues: values.number("n"),
    arrivalRate: values.number("lambda"),
    migrationPenalty: values.number("K"),
    policy,
    sampling: samplingFromFlags(values),
    allowOutsidePaper: values.boolean("allow-outside-paper"),
  };
  const optional = (name: string, key: keyof SimulationOptions): Partial<SimulationOptions> => {
    const v = values.optionalNumber(name);
    return v === undefined ? {} : { [key]: v };
  };
  const precision = values.optionalNumber("precision");
  const options: SimulationOptions = {
    ...optional("events", "events"),
    ...optional("time", "time"),
    ...optional("warmup", "warmup"),
    ...optional("workers", "workers"),
    ...optional("replications", "replications"),
    clock: values.string("clock") as "time" | "events",
    seed: values.number("seed"),
    trackDelays: !values.boolean("no-delays"),
    ...(precision !== undefined
      ? { precision: { relativeHalfWidth: precision, of: values.string("precision-of") as "meanDelay" | "meanQueueLength" }, maxEvents: values.number("max-events") }
      : {}),
    ...(values.boolean("force") ? { force: true } : {}),
  };
  return { params, options, json: values.boolean("json"), progress: values.boolean("progress") };
}

/**
 * The resolved configuration in one line, printed on stderr before a run: the policy with its parameters, n,
 * lambda, K, d and the sampling scheme, the budget, replications, seed, clock and workers, and a precision
 * target when there is one. Cost O(parameters).
 *
 * @example
 * const params = { queues: 100, arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) };
 * console.log(configurationLine(params, resolveSimulationOptions(params, { events: 1e7, replications: 4 })));
 * // prints: simulate: ABOUNCE(2,10) (C = 2, d = 10), n = 100, lambda = 0.75, K = 2, sampling others; 4 replications of 1e7 events after a warm-up of 1e6 events; seed 1, clock time, ... workers
 */
export function configurationLine(params: SystemParams, o: ResolvedSimulationOptions): string {
  const sampled = sampleCount(params.policy) > 0;
  const system = `${describePolicy(params.policy)}, n = ${params.queues}, lambda = ${readableNumber(params.arrivalRate)}, K = ${params.migrationPenalty}` +
    (sampled ? `, sampling ${params.sampling ?? "others"}` : "");
  const budget = o.budget === "events"
    ? `${formatCount(o.events)} events after a warm-up of ${formatCount(o.warmup)} events`
    : `${formatSignificant(o.time)} time units after a warm-up of ${formatSignificant(o.warmup)}`;
  const run = `${o.precision ? "first round of " : ""}${o.replications} replication${o.replications === 1 ? "" : "s"} of ${budget}`;
  const precision = o.precision
    ? `; precision: 95% half-width <= ${formatSignificant(100 * o.precision.relativeHalfWidth)}% of ${o.precision.of}, at most ${formatCount(o.precision.maxEvents)} events in all`
    : "";
  return `simulate: ${system}; ${run}; seed ${o.seed}, clock ${o.clock}, ${o.workers} worker${o.workers === 1 ? "" : "s"}${o.trackDelays ? "" : ", no delays"}${precision}`;
}

/** `migration-penalties simulate`. */
export const command: CliCommand = {
  name: "simulate",
  summary: "simulate the queues: tail, delays, migration fraction, stability verdict, with 95% CIs",
  description:
    "Simulates the model of Section II (n queues, Poisson(lambda) arrivals at each, exp(1) service, a migrated job becomes K " +
    "jobs at its target) and prints estimates with 95% confidence intervals, the queue-size tail P(Q >= l), delays and a " +
    "stability verdict. The resolved configuration (every default filled in) is printed on stderr in one line before the run.",
  flags,
  notes: [
    ["limits (refused before any work, naming the flag and the range)",
      `--lambda in [2^-12, 2^12]; --events >= ${MIN_SIMULATION_EVENTS} (--time: 80 events expected); n x events per replication <= 2^53; ` +
      `at most ${formatCount(SIMULATION_WORK_LIMIT)} events in all without --force. The verdict needs at least 100 events per queue after the ` +
      "warm-up; a run too short to relax is \"inconclusive\" and its means are averages up to the end of the run."],
  ],
  examples: [
    "simulate --policy abounce --n 100 --lambda 0.75 --K 2 --C 2 --d 10 --events 1e7",
    "simulate --policy mbounce --n 100 --lambda 0.9 --K 2 --alpha 2 --d 10 --precision 0.02 --max-events 1e9 --json",
  ],
  async run(values: ParsedFlags): Promise<number> {
    const { params, options, json, progress } = simulateArguments(values);
    let resolved: ResolvedSimulationOptions;
    try {
      validateSystem(params);
      resolved = resolveSimulationOptions(params, options);
      requireEstimableBudget(params, resolved);
    } catch (error) {
      throw renameParameterError(error, FLAG_OF());
    }
    process.stderr.write(`${configurationLine(params, resolved)}\n`);
    const showProgress = progress || process.stderr.isTTY === true;
    let lastPrinted = 0;
    const onProgress = (p: SimulationProgress): void => {
      const now = performance.now();
      if (now - lastPrinted < 250 && p.fraction < 1) return;
      lastPrinted = now;
      const eta = Number.isFinite(p.etaSeconds) ? `${p.etaSeconds.toFixed(0)} s left` : "";
      process.stderr.write(`\rsimulate: ${(100 * p.fraction).toFixed(1).padStart(5)}%  ${p.events.toExponential(2)} events  ${eta}    `);
    };
    let report: SimulationReport;
    try {
      report = await runSimulation(params, showProgress ? { ...options, onProgress } : options);
    } catch (error) {
      throw renameParameterError(error, FLAG_OF());
    }
    if (showProgress) process.stderr.write("\n");
    process.stdout.write((json ? JSON.stringify(report) : formatSimulationReport(report)) + "\n");
    return 0;
  },
};

/**
 * A readable summary of a report (what `simulate` prints without --json), every estimate written to the digits
 * its interval supports. The stability verdict comes first, since it says how to read the means: when the
 * report's scope is not "steady state" the means are labelled with it (for an unstable run: averages up to the
 * end of the run, not steady state), and a run too short to relax shows no intervals. Cost O(tail length).
 */
export function formatSimulationReport(report: SimulationReport): string {
  const f = (x: number, digits = 4): string => formatSignificant(x, digits);
  const transient = report.steadyState.scope === "transient: too short to relax";
  const est = (e: { mean: number; ci95: readonly [number, number]; clipped?: boolean }): string =>
    transient ? `${f(e.mean, 4)}   (no interval)` : `${formatEstimate(e)}${e.clipped ? " (interval clipped to [0, 1])" : ""}`;
  const p = report.params;
  const o = report.options;
  const budget = o.budget === "events"
    ? `${formatCount(o.events)} events after a warm-up of ${formatCount(o.warmup)}`
    : `${f(o.time, 6)} time units after a warm-up of ${f(o.warmup, 6)}`;
  const s = report.stability;
  const tail = report.tail.slice(0, 16).map((x) => f(x, 3)).join(", ");
  const scopeLine = report.steadyState.scope === "steady state"
    ? "means (steady state), 95% intervals:"
    : report.steadyState.scope === "up to the end of the run, not steady state"
      ? "means UP TO THE END OF THE RUN, NOT STEADY STATE (intervals of the average over this run):"
      : `means: ${report.steadyState.scope.toUpperCase()}${transient ? " (no intervals)" : ""}:`;
  const growth = { mean: s.growthRatePerQueue, ci95: s.growthRatePerQueueCi95 };
  const lines = [
    `${p.policy}, n = ${p.queues}, lambda = ${p.arrivalRate}, K = ${p.migrationPenalty}`,
    `${report.replications} replication(s) of ${budget} (clock: ${o.clock}, seed ${o.seed})`,
    `intervals: ${report.ciMethod}`,
    "",
    `stability                    ${s.verdict}: growth ${formatEstimate(growth)} per queue per unit time (95% CI)`,
    `                             (${s.reason})`,
  ];
  if (report.precision) {
    const pr = report.precision;
    const achieved = Number.isFinite(pr.achievedRelativeHalfWidth) ? `${f(100 * pr.achievedRelativeHalfWidth, 3)}%` : "unknown (no interval)";
    lines.push(
      `precision                    ${pr.reached ? "reached" : "NOT reached"}: 95% half-width ${achieved} of ${pr.of} ` +
        `(target ${f(100 * pr.target, 3)}%), ${pr.replications} replications in ${pr.rounds} round(s), ${formatCount(pr.eventsSimulated)} events of ${formatCount(pr.maxEvents)}`,
      `                             (${pr.reason})`,
    );
  }
  lines.push(
    "",
    scopeLine,
    ...(report.steadyState.scope === "steady state" ? [] : [`  (${report.steadyState.reason})`]),
    `mean queue length per queue  ${est(report.meanQueueLength)}`,
    `mean delay (time units)      ${est(report.meanDelay)}`,
    `delay quantiles              ${report.delayQuantiles.map((q) => `p${100 * q.p} = ${f(q.value)}`).join(", ")}  (${report.jobsCompleted} jobs)`,
    `migration fraction           ${est(report.migrationFraction)}`,
    `effective load               ${est(report.effectiveLoad)}`,
    `throughput per queue         ${est(report.throughput)}`,
    `tail P(Q >= l), l = 0..${Math.min(15, report.tail.length - 1)}   ${tail}`,
    "",
    `speed                        ${f(report.eventsPerSecond / 1e6, 3)} M events/s (${formatCount(report.totalEvents)} events in ${f(report.wallSeconds, 3)} s)`,
  );
  if (report.stoppedEarly) lines.push(`stopped early: ${report.stopReasons.join("; ")}`);
  // The scope's reason is printed under the means; the note that repeats it is left out here.
  for (const note of report.notes) if (!note.endsWith(report.steadyState.reason)) lines.push(`note: ${note}`);
  return lines.join("\n");
}
