/**
 * Throughput and memory benchmark of the simulator against the C yardstick ../shared/bench/reference-sim.c
 * (resolved from the project root's parent), measured in the same run, alternating.
 *
 *   npm run build                            # the figures are those of the compiled code (tsx's output is slower)
 *   node dist/bench/main.js                  # 1e8 events per run (about 10 minutes on 2 busy cores)
 *   node dist/bench/main.js --events 1e7     # shorter
 *   node dist/bench/main.js --repeats 5      # more alternations (default 3)
 *
 * Configurations: the standard one, ABOUNCE(2, d) with K = 2, lambda = 0.75, for d in {2, 10, 100, inf} and
 * n in {100, 1e4}, tail statistics on (they always are), events clock, no delay tracking: the same work as the
 * reference (which uses a 10% burn-in: so do we). Every measurement runs in a fresh process (ours: after a
 * 1e6-event JIT warm-up in that process), the two simulators alternate `repeats` times per configuration, and
 * the table gives medians and the median of the per-pair ratios ours / reference. The reference samples the
 * whole tail every 64 events, an O(n) cost that makes it slow at n = 1e4: there it runs min(events, 1e7)
 * events (a rate does not depend on the run's length once warm). Memory: peak resident set (maxRSS of the
 * child process) and typed-array bytes, for the standard configuration at events / 10 and events, with the
 * continuous clock and delay tracking on (the configuration whose bookkeeping could grow), and without.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { abounce } from "../model/policy";
import { runReplication } from "../simulate/simulateReplication";
import { resolveSimulationOptions } from "../simulate/simulationOptions";
import { parseFlags } from "../cli/args";

interface ChildRequest {
  readonly n: number;
  readonly d: number;
  readonly events: number;
  readonly clock: "time" | "events";
  readonly delays: boolean;
}

interface ChildResult {
  readonly eventsPerSecond: number;
  readonly maxRssMegabytes: number;
  readonly arrayBuffersMegabytes: number;
  readonly tail: number[];
}

/** Runs one measurement in this (child) process and prints its JSON. */
function child(request: ChildRequest): void {
  const params = { queues: request.n, arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, request.d) };
  const warm = resolveSimulationOptions(params, { events: 1_000_000, clock: request.clock, trackDelays: request.delays, seed: 99 });
  runReplication(params, warm, 0);
  const options = resolveSimulationOptions(params, {
    events: Math.round(request.events * 0.9), warmup: Math.round(request.events * 0.1), clock: request.clock,
    trackDelays: request.delays, seed: 1,
  });
  const result = runReplication(params, options, 0);
  const out: ChildResult = {
    eventsPerSecond: result.eventsPerSecond,
    maxRssMegabytes: process.resourceUsage().maxRSS / 1024,
    arrayBuffersMegabytes: process.memoryUsage().arrayBuffers / 2 ** 20,
    tail: result.tail.slice(0, 8),
  };
  process.stdout.write(JSON.stringify(out) + "\n");
}

function runOurs(request: ChildRequest): ChildResult {
  const text = execFileSync(process.execPath, [...process.execArgv, __filename, "--child", JSON.stringify(request)], {
    encoding: "utf8", maxBuffer: 1 << 20,
  });
  return JSON.parse(text.trim().split("\n").pop() as string) as ChildResult;
}

function runReference(binary: string, n: number, d: number, events: number): number {
  const text = execFileSync(binary, ["abounce", String(n), "0.75", "2", "2", d === Infinity ? "0" : String(d), String(events), "1"], { encoding: "utf8" });
  return (JSON.parse(text) as { eventsPerSecond: number }).eventsPerSecond;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function fmt(x: number, digits = 3): string {
  return Number(x.toPrecision(digits)).toString();
}

function main(argv: string[]): void {
  const childIndex = argv.indexOf("--child");
  if (childIndex >= 0) {
    child(JSON.parse(argv[childIndex + 1] as string) as ChildRequest);
    return;
  }
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(
      "usage: node dist/bench/main.js [--events N (default 1e8)] [--repeats R (default 3)]\n" +
        "Measures events/s and peak memory against ../shared/bench/reference-sim.c in the same run (see the file's comment).\n",
    );
    return;
  }
  const flags = parseFlags(argv, [
    { name: "events", kind: "integer", group: "run", min: 1e5, max: 1e10, default: 1e8, help: "events per measurement" },
    { name: "repeats", kind: "integer", group: "run", min: 1, max: 50, default: 3, help: "alternations of ours and the reference" },
  ], "bench");
  const events = flags.number("events");
  const repeats = flags.number("repeats");

  const root = resolve(__dirname, "..", "..");
  const source = resolve(root, "..", "shared", "bench", "reference-sim.c");
  if (!existsSync(source)) throw new Error(`reference simulator not found at ${source}`);
  const binary = join(mkdtempSync(join(tmpdir(), "mp-bench-")), "reference-sim");
  execFileSync("cc", ["-O2", "-o", binary, source, "-lm"]);

  if (__filename.endsWith(".ts")) {
    console.log("warning: running the TypeScript sources through tsx, whose output runs about 25% slower than tsc's;");
    console.log("         for the figures, build and run the compiled script: npm run build && node dist/bench/main.js");
  }
  console.log(`benchmark: ABOUNCE(2,d), K = 2, lambda = 0.75, ${events} events per run (10% warm-up), ${repeats} alternations`);
  console.log(`reference: ${source} (cc -O2); node ${process.version}; machine shared, numbers noisy`);
  console.log("");
  console.log("n      d     ours M ev/s   reference M ev/s   median ratio ours/ref   ours maxRSS MB");
  const standard: number[] = [];
  for (const n of [100, 10_000]) {
    for (const d of [2, 10, 100, Infinity]) {
      const refEvents = n >= 10_000 ? Math.min(events, 1e7) : events;
      const ours: number[] = [];
      const refs: number[] = [];
      const ratios: number[] = [];
      let rss = 0;
      for (let r = 0; r < repeats; r++) {
        const a = runOurs({ n, d, events, clock: "events", delays: false });
        const b = runReference(binary, n, d, refEvents);
        ours.push(a.eventsPerSecond);
        refs.push(b);
        ratios.push(a.eventsPerSecond / b);
        rss = Math.max(rss, a.maxRssMegabytes);
      }
      if (n === 100 && d === 10) standard.push(...ratios);
      console.log(`${String(n).padEnd(6)} ${(d === Infinity ? "inf" : String(d)).padEnd(5)} ${fmt(median(ours) / 1e6).padStart(11)}   ${fmt(median(refs) / 1e6).padStart(16)}   ${fmt(median(ratios)).padStart(21)}   ${fmt(rss).padStart(14)}` +
        (refEvents !== events ? `   (reference: ${refEvents} events)` : ""));
    }
  }
  console.log("");
  console.log(`standard configuration (n = 100, d = 10): median ratio ours/reference = ${fmt(median(standard))} over ${standard.length} pairs`);

  console.log("");
  console.log("full statistics and memory, standard configuration (n = 100, d = 10), one run each:");
  console.log("clock   delays  events       M ev/s   maxRSS MB   typed arrays MB");
  for (const [clock, delays] of [["events", false], ["time", false], ["time", true]] as const) {
    for (const e of [Math.round(events / 10), events]) {
      const a = runOurs({ n: 100, d: 10, events: e, clock, delays });
      console.log(`${clock.padEnd(7)} ${String(delays).padEnd(7)} ${String(e).padEnd(12)} ${fmt(a.eventsPerSecond / 1e6).padStart(6)}   ${fmt(a.maxRssMegabytes).padStart(9)}   ${fmt(a.arrayBuffersMegabytes).padStart(15)}`);
    }
  }
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
