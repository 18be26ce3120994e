import { ParameterError } from "../../model/parameterError";
import { type PolicySpec, abounce, mbounce, noSharing, shortestOfD } from "../../model/policy";
import { MAX_MIGRATION_PENALTY, MAX_QUEUES, type SystemParams } from "../../model/system";
import { runSimulation } from "../../simulate/runSimulation";
import { MAX_SIMULATION_EVENTS, MIN_SIMULATION_EVENTS, type SimulationOptions, type SimulationProgress } from "../../simulate/simulationOptions";
import type { SimulationReport } from "../../simulate/summarizeSimulation";
import {
  type CliCommand, type CliFlags, choiceFlag, numberFlag, parseCliFlags, renameParameterError, requiredNumberFlag, samplesFlag,
} from "../args";

/** The library's parameter names, as the flags that set them (for errors raised once the run is validated). */
const FLAG_OF: Record<string, string> = {
  "arrivalRate (lambda)": "--lambda",
  events: "--events",
  time: "--time",
  warmup: "--warmup",
  workers: "--workers",
  replications: "--replications",
};

const USAGE = `usage: migration-penalties simulate --policy none|abounce|mbounce|sqd --lambda <rate> [flags]

Simulates the model of Section II (n queues, Poisson(lambda) arrivals, exp(1) service, a migrated job
becomes K jobs) and prints estimates with 95% confidence intervals, the queue-size tail, delays and a
stability verdict.

system:
  --policy P          none | abounce | mbounce | sqd (sqd: free migration, K = 1)       (required)
  --n N               number of queues, integer >= 1 (>= 2 when sharing)               (default 100)
  --lambda L          arrival rate per queue, > 0                                        (required)
  --K K               migration penalty: a migrated job becomes K jobs, integer >= 1    (default 1)
  --C C               ABOUNCE threshold: migrate when q_i > q_i* + C; paper: C >= K      (default K)
  --alpha A           MBOUNCE ratio: migrate when q_i > max(alpha q_i*, q_i* + K); > 1   (default 2)
  --d D               queues sampled (with replacement, among the others), integer or inf (default 2)
  --allow-outside-paper   accept C < K, alpha <= 1, sqd with K > 1
run:
  --events E          post-warm-up budget in events (default 1e6 unless --time)
  --time T            post-warm-up budget in time units (instead of --events)
  --warmup W          discarded warm-up, in events or time units (default 10% of the budget)
  --clock time|events continuous time (default; delay quantiles) or the embedded chain (faster)
  --no-delays         do not track per-job delays
  --replications R    independent replications (default 1: batch-means intervals)
  --seed S            integer in [0, 2^32 - 1] (default 1)
  --workers W         worker threads, at most the number of cores (default: min(replications, cores));
                      results do not depend on it
  --force             lift the limits on cost: a run of more than 1e10 events (warm-ups and replications
                      included; refused with its estimated duration otherwise), more workers than cores
output:
  --json              print one JSON object (NaN and Infinity print as null)
  --progress          progress on stderr (also when stderr is a terminal)

limits (refused up front, naming the flag and the range):
  --lambda in [2^-12, 2^12]; --events >= 40 (--time: 80 events expected); n x events per replication <= 2^53;
  at most 1e10 events in all without --force. The verdict needs at least 100 events per queue after the
  warm-up; a run too short to relax is "inconclusive" and its means are averages up to the end of the run.

example:
  migration-penalties simulate --policy abounce --n 100 --lambda 0.75 --K 2 --C 2 --d 10 --events 1e7`;

const FLAGS = {
  policy: { type: "string" },
  n: { type: "string" },
  lambda: { type: "string" },
  K: { type: "string" },
  C: { type: "string" },
  alpha: { type: "string" },
  d: { type: "string" },
  "allow-outside-paper": { type: "boolean" },
  events: { type: "string" },
  time: { type: "string" },
  warmup: { type: "string" },
  clock: { type: "string" },
  "no-delays": { type: "boolean" },
  replications: { type: "string" },
  seed: { type: "string" },
  workers: { type: "string" },
  force: { type: "boolean" },
  json: { type: "boolean" },
  progress: { type: "boolean" },
} as const;

/** The system and run options a `simulate` command line asks for (validated; throws ParameterError naming the flag). */
export function simulateArguments(argv: string[]): { params: SystemParams; options: SimulationOptions; json: boolean; progress: boolean } {
  const flags: CliFlags = parseCliFlags(argv, FLAGS);
  const kind = choiceFlag(flags, "policy", ["none", "abounce", "mbounce", "sqd"] as const);
  const n = numberFlag(flags, "n", { min: 1, max: MAX_QUEUES, integer: true }, 100) as number;
  const lambda = requiredNumberFlag(flags, "lambda", { min: 0, minInclusive: false });
  const K = numberFlag(flags, "K", { min: 1, max: MAX_MIGRATION_PENALTY, integer: true }, 1) as number;
  const d = samplesFlag(flags, "d", 2);
  const allowOutsidePaper = flags["allow-outside-paper"] === true;
  let policy: PolicySpec;
  switch (kind) {
    case "none":
      policy = noSharing();
      break;
    case "abounce": {
      const C = numberFlag(flags, "C", { min: 0 }, K) as number;
      if (!allowOutsidePaper && C < K) throw new ParameterError("--C", flags.C, `a number >= K = ${K} (the paper requires C >= K; add --allow-outside-paper)`);
      policy = abounce(C, d);
      break;
    }
    case "mbounce": {
      const alpha = numberFlag(flags, "alpha", { min: 0, minInclusive: false }, 2) as number;
      if (!allowOutsidePaper && !(alpha > 1)) throw new ParameterError("--alpha", flags.alpha, "a number > 1 (the paper requires alpha > 1; add --allow-outside-paper)");
      policy = mbounce(alpha, d);
      break;
    }
    case "sqd":
      if (!allowOutsidePaper && K !== 1) throw new ParameterError("--K", flags.K, "1 for sqd, the free-migration baseline (add --allow-outside-paper)");
      policy = shortestOfD(d);
      break;
  }
  if (policy.kind !== "none" && n < 2) throw new ParameterError("--n", flags.n ?? String(n), "an integer >= 2 when the policy shares");
  if (flags.events !== undefined && flags.time !== undefined) throw new ParameterError("--time", flags.time, "absent when --events is given (choose one budget)");
  const events = numberFlag(flags, "events", { min: MIN_SIMULATION_EVENTS, max: MAX_SIMULATION_EVENTS, integer: true });
  const time = numberFlag(flags, "time", { min: 0, minInclusive: false, max: 1e15 });
  const warmup = numberFlag(flags, "warmup", { min: 0, max: 2 ** 50, integer: time === undefined });
  const clock = choiceFlag(flags, "clock", ["time", "events"] as const, "time");
  const replications = numberFlag(flags, "replications", { min: 1, max: 10000, integer: true }, 1) as number;
  const seed = numberFlag(flags, "seed", { min: 0, max: 0xffffffff, integer: true }, 1) as number;
  const workers = numberFlag(flags, "workers", { min: 1, max: 256, integer: true });
  const params: SystemParams = { queues: n, arrivalRate: lambda, migrationPenalty: K, policy, allowOutsidePaper };
  const options: SimulationOptions = {
    ...(events !== undefined ? { events } : {}),
    ...(time !== undefined ? { time } : {}),
    ...(warmup !== undefined ? { warmup } : {}),
    ...(workers !== undefined ? { workers } : {}),
    clock,
    replications,
    seed,
    trackDelays: flags["no-delays"] !== true,
    ...(flags.force === true ? { force: true } : {}),
  };
  return { params, options, json: flags.json === true, progress: flags.progress === true };
}

/** `migration-penalties simulate`: see USAGE. */
export const command: CliCommand = {
  name: "simulate",
  summary: "simulate the queues: tail, delays, migration fraction, stability verdict, with 95% CIs",
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const { params, options, json, progress } = simulateArguments(argv);
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
      throw renameParameterError(error, FLAG_OF);
    }
    if (showProgress) process.stderr.write("\n");
    process.stdout.write((json ? JSON.stringify(report) : formatSimulationReport(report)) + "\n");
    return 0;
  },
};

/**
 * A readable summary of a report (what `simulate` prints without --json). The stability verdict comes first,
 * since it says how to read the means: when the report's scope is not "steady state" the means are labelled
 * with it (for an unstable run: averages up to the end of the run, not steady state), and a run too short to
 * relax shows no intervals.
 */
export function formatSimulationReport(report: SimulationReport): string {
  const f = (x: number, digits = 4): string => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x));
  const transient = report.steadyState.scope === "transient: too short to relax";
  const est = (e: { mean: number; ci95: readonly [number, number]; clipped?: boolean }): string =>
    transient
      ? `${f(e.mean, 5)}   (no interval)`
      : `${f(e.mean, 5)}   95% CI [${f(e.ci95[0], 5)}, ${f(e.ci95[1], 5)}]${e.clipped ? " (clipped to [0, 1])" : ""}`;
  const p = report.params;
  const o = report.options;
  const budget = o.budget === "events" ? `${o.events} events after a warm-up of ${o.warmup}` : `${o.time} time units after a warm-up of ${o.warmup}`;
  const s = report.stability;
  const tail = report.tail.slice(0, 16).map((x) => f(x, 3)).join(", ");
  const scopeLine = report.steadyState.scope === "steady state"
    ? "means (steady state):"
    : report.steadyState.scope === "up to the end of the run, not steady state"
      ? "means UP TO THE END OF THE RUN, NOT STEADY STATE (intervals of the average over this run):"
      : `means: ${report.steadyState.scope.toUpperCase()}${transient ? " (no intervals)" : ""}:`;
  const lines = [
    `${p.policy}, n = ${p.queues}, lambda = ${p.arrivalRate}, K = ${p.migrationPenalty}`,
    `${report.replications} replication(s) of ${budget} (clock: ${o.clock}, seed ${o.seed})`,
    `intervals: ${report.ciMethod}`,
    "",
    `stability                    ${s.verdict}: growth ${f(s.growthRatePerQueue)} per queue per unit time, 95% CI [${f(s.growthRatePerQueueCi95[0])}, ${f(s.growthRatePerQueueCi95[1])}]`,
    `                             (${s.reason})`,
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
    `speed                        ${f(report.eventsPerSecond / 1e6, 3)} M events/s (${report.totalEvents} events in ${f(report.wallSeconds, 3)} s)`,
  ];
  if (report.stoppedEarly) lines.push(`stopped early: ${report.stopReasons.join("; ")}`);
  // The scope's reason is printed under the means; the note that repeats it is left out here.
  for (const note of report.notes) if (!note.endsWith(report.steadyState.reason)) lines.push(`note: ${note}`);
  return lines.join("\n");
}
