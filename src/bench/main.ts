/**
 * Throughput and memory benchmark of the simulator against the C yardstick reference-sim.c (shared/bench/,
 * found beside the project or one of its parent folders, or given with --reference), measured in one run,
 * alternating, so that every figure is a ratio of measurements taken under the same load.
 *
 *   npm run build && npm run bench           # the full run (15-20 minutes on 2 busy cores)
 *   npm run bench -- --quick                 # a check during development (under a minute)
 *   npm run bench -- --events 3e7            # another event count per run (the reference's, warm-up included)
 *   npm run bench -- --engine reference      # the TypeScript reference loop instead of the WebAssembly kernel
 *
 * Figures (each the median of `repeats` pairs, ours and the reference run one after the other):
 * - events clock, no delay tracking, ABOUNCE(2, d), K = 2, lambda = 0.75, n in {100, 1e4}, d in {2, 10, 100,
 *   inf}: the work the reference does (its tail statistics included: ours are always on). In-process: the
 *   events per second of the measured run, ours after a JIT warm-up of 1e6 events in the same process, the
 *   reference's own timer. Whole process: events / wall-clock seconds from spawning the program to its exit,
 *   ours being the command line (`simulate --clock events --no-delays --json`), start-up, summary and
 *   output included. At n = 1e4 the reference samples its whole tail every 64 events (O(n)), so there both
 *   programs run min(events, 1e7) events.
 * - continuous clock with per-job delays and tails (what a researcher runs), standard configuration (n = 100,
 *   d = 10), in-process, against the reference's events-clock rate on the same configuration.
 * - cost flat in d: our in-process rate at d = 2 over our rate at d = inf (target <= 1.2), per n, from pairs of
 *   their own (d = 2 and d = inf alternating).
 * - memory: peak resident set of one replication at events / 10 and at events (continuous clock, delays on,
 *   standard configuration: flat in run length), and of a run of 2 replications on 2 worker threads, whose
 *   excess over a process that loaded the same code and ran nothing, per worker, is the cost of a worker.
 *
 * Writes reports/bench.json (every figure, both programs' versions, the machine's core count, the date) and
 * prints the table; `node scripts/bench-readme.js` copies the table into the README.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseFlags } from "../cli/args";
import { abounce } from "../model/policy";
import { type EventLoopEngine, runReplication } from "../simulate/simulateReplication";
import { resolveSimulationOptions } from "../simulate/simulationOptions";

interface ChildRequest {
  readonly kind: "rate" | "workers" | "baseline";
  readonly n: number;
  readonly d: number;
  readonly events: number;
  readonly clock: "time" | "events";
  readonly delays: boolean;
  readonly engine: EventLoopEngine;
}

interface ChildResult {
  readonly eventsPerSecond: number;
  readonly maxRssMegabytes: number;
}

const LAMBDA = 0.75;
const K = 2;
const C = 2;
const root = resolve(__dirname, "..", "..");

function systemOf(n: number, d: number): { queues: number; arrivalRate: number; migrationPenalty: number; policy: ReturnType<typeof abounce> } {
  return { queues: n, arrivalRate: LAMBDA, migrationPenalty: K, policy: abounce(C, d) };
}

/** Runs one measurement in this (child) process and prints its JSON. */
async function child(request: ChildRequest): Promise<void> {
  const params = systemOf(request.n, request.d);
  let eventsPerSecond = NaN;
  if (request.kind === "rate") {
    const warm = resolveSimulationOptions(params, { events: 1_000_000, clock: request.clock, trackDelays: request.delays, seed: 99 });
    runReplication(params, warm, 0, undefined, request.engine);
    const options = resolveSimulationOptions(params, {
      events: Math.round(request.events * 0.9), warmup: Math.round(request.events * 0.1), clock: request.clock,
      trackDelays: request.delays, seed: 1,
    });
    eventsPerSecond = runReplication(params, options, 0, undefined, request.engine).eventsPerSecond;
  } else {
    // Load what a run on worker threads loads, then (unless this is the baseline) run 2 replications on 2 workers.
    const { runSimulation } = require("../simulate/runSimulation") as typeof import("../simulate/runSimulation");
    if (request.kind === "workers") {
      const report = await runSimulation(params, {
        events: Math.round(request.events * 0.9), warmup: Math.round(request.events * 0.1), clock: request.clock,
        trackDelays: request.delays, replications: 2, workers: 2, seed: 1,
      });
      eventsPerSecond = report.eventsPerSecond;
    }
  }
  const out: ChildResult = { eventsPerSecond, maxRssMegabytes: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(out) + "\n");
}

function runChild(request: ChildRequest): ChildResult {
  const text = execFileSync(process.execPath, [...process.execArgv, __filename, "--child", JSON.stringify(request)], {
    encoding: "utf8", maxBuffer: 1 << 20,
  });
  return JSON.parse(text.trim().split("\n").pop() as string) as ChildResult;
}

/** Wall-clock seconds of a whole process, from spawn to exit. */
function wallSeconds(command: string, args: string[]): { seconds: number; stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return { seconds, stdout: result.stdout };
}

function runReference(binary: string, n: number, d: number, events: number): { inProcess: number; wholeProcess: number } {
  const { seconds, stdout } = wallSeconds(binary, ["abounce", String(n), String(LAMBDA), String(K), String(C), d === Infinity ? "0" : String(d), String(events), "1"]);
  return { inProcess: (JSON.parse(stdout) as { eventsPerSecond: number }).eventsPerSecond, wholeProcess: events / seconds };
}

function runOursWhole(n: number, d: number, events: number): number {
  const cli = join(root, "dist", "cli", "main.js");
  const { seconds } = wallSeconds(process.execPath, [cli, "simulate", "--policy", "abounce", "--n", String(n), "--lambda", String(LAMBDA),
    "--K", String(K), "--C", String(C), "--d", d === Infinity ? "inf" : String(d), "--events", String(Math.round(events * 0.9)),
    "--warmup", String(Math.round(events * 0.1)), "--clock", "events", "--no-delays", "--seed", "1", "--json"]);
  return events / seconds;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x);
}

/** The reference's source: --reference, or shared/bench/reference-sim.c beside the project or a parent folder. */
function findReference(flag: string | undefined): string {
  if (flag !== undefined) {
    if (!existsSync(flag)) throw new Error(`--reference ${flag}: no such file`);
    return resolve(flag);
  }
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, "shared", "bench", "reference-sim.c");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error("reference simulator shared/bench/reference-sim.c not found beside the project or a parent folder; give --reference PATH");
}

function gitCommit(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return "unknown";
  }
}

/** One pair-by-pair figure: medians of both programs and of the per-pair ratios. */
interface PairedFigure {
  readonly ours: number;
  readonly reference: number;
  readonly ratio: number;
  readonly ratios: number[];
}

function paired(ours: number[], reference: number[]): PairedFigure {
  const ratios = ours.map((x, k) => x / (reference[k] as number));
  return { ours: median(ours), reference: median(reference), ratio: median(ratios), ratios };
}

async function main(argv: string[]): Promise<void> {
  const childIndex = argv.indexOf("--child");
  if (childIndex >= 0) {
    await child(JSON.parse(argv[childIndex + 1] as string) as ChildRequest);
    return;
  }
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(
      "usage: node dist/bench/main.js [--quick] [--events N (default 1.1e8)] [--repeats R (default 3)]\n" +
        "                               [--engine kernel|reference] [--reference PATH] [--out FILE]\n" +
        "Measures events/s and memory against the C reference simulator in the same run, alternating, and writes\n" +
        "reports/bench.json (see the file's comment). --quick: fewer events, for a check during development.\n",
    );
    return;
  }
  const flags = parseFlags(argv, [
    { name: "quick", kind: "boolean", group: "run", help: "a short run for a check during development (under a minute)" },
    { name: "events", kind: "integer", group: "run", min: 1e5, max: 1e10, help: "events per measurement (default 1.1e8; 2e6 with --quick)" },
    { name: "repeats", kind: "integer", group: "run", min: 1, max: 50, default: 3, help: "alternations of ours and the reference" },
    { name: "engine", kind: "choice", group: "run", choices: ["kernel", "reference"], default: "kernel", help: "the WebAssembly kernel or the TypeScript reference loop" },
    { name: "reference", kind: "string", group: "run", help: "path of reference-sim.c (default: shared/bench/ beside the project or a parent)" },
    { name: "out", kind: "string", group: "output", help: "where to write the figures (default reports/bench.json)" },
  ], "bench");
  const quick = flags.boolean("quick");
  const events = flags.optionalNumber("events") ?? (quick ? 2e6 : 1.1e8);
  const repeats = flags.number("repeats");
  const engine = flags.string("engine") as EventLoopEngine;
  const largeEvents = Math.min(events, quick ? 1e5 : 1e7); // n = 1e4 (see the file's comment)
  const outFile = flags.optionalString("out") !== undefined ? resolve(flags.optionalString("out") as string) : join(root, "reports", "bench.json");

  const source = findReference(flags.optionalString("reference"));
  const binary = join(mkdtempSync(join(tmpdir(), "mp-bench-")), "reference-sim");
  execFileSync("cc", ["-O2", "-o", binary, source, "-lm"]);
  const ccVersion = execFileSync("cc", ["--version"], { encoding: "utf8" }).split("\n")[0] as string;
  if (__filename.endsWith(".ts")) {
    console.log("warning: running the TypeScript sources through tsx; for the figures, build and run the compiled script:");
    console.log("         npm run build && npm run bench");
  }
  if (!existsSync(join(root, "dist", "cli", "main.js"))) throw new Error("dist/cli/main.js missing: run npm run build first");
  const started = Date.now();
  const loadAtStart = loadavg()[0] as number;
  console.log(`benchmark: ABOUNCE(2,d), K = 2, lambda = 0.75; ${events} events per run at n = 100, ${largeEvents} at n = 1e4 (10% warm-up); ${repeats} alternations; engine ${engine}`);
  console.log(`reference: ${source} (${ccVersion}, -O2); node ${process.version}; ${availableParallelism()} cores`);
  console.log("");

  // ---- events clock, no delays: the grid ----
  const grid: Array<{ n: number; d: number; events: number; inProcess: PairedFigure; wholeProcess: PairedFigure }> = [];
  console.log("events clock, no delays (M events/s; ratio = median over pairs of ours / reference)");
  console.log("n      d     | in-process: ours  reference  ratio | whole process: ours  reference  ratio");
  for (const n of [100, 10_000]) {
    for (const d of [2, 10, 100, Infinity]) {
      const e = n >= 10_000 ? largeEvents : events;
      const oursIn: number[] = [];
      const refIn: number[] = [];
      const oursWhole: number[] = [];
      const refWhole: number[] = [];
      for (let r = 0; r < repeats; r++) {
        oursIn.push(runChild({ kind: "rate", n, d, events: e, clock: "events", delays: false, engine }).eventsPerSecond);
        const ref = runReference(binary, n, d, e);
        refIn.push(ref.inProcess);
        refWhole.push(ref.wholeProcess);
        oursWhole.push(runOursWhole(n, d, e));
      }
      const row = { n, d, events: e, inProcess: paired(oursIn, refIn), wholeProcess: paired(oursWhole, refWhole) };
      grid.push(row);
      console.log(`${String(n).padEnd(6)} ${(d === Infinity ? "inf" : String(d)).padEnd(5)} |` +
        ` ${fmt(row.inProcess.ours / 1e6).padStart(16)} ${fmt(row.inProcess.reference / 1e6).padStart(10)} ${fmt(row.inProcess.ratio).padStart(6)} |` +
        ` ${fmt(row.wholeProcess.ours / 1e6).padStart(19)} ${fmt(row.wholeProcess.reference / 1e6).padStart(10)} ${fmt(row.wholeProcess.ratio).padStart(6)}`);
    }
  }

  // ---- continuous clock with delays and tails vs the reference's events clock, standard configuration ----
  const oursCont: number[] = [];
  const refStd: number[] = [];
  for (let r = 0; r < repeats; r++) {
    oursCont.push(runChild({ kind: "rate", n: 100, d: 10, events, clock: "time", delays: true, engine }).eventsPerSecond);
    refStd.push(runReference(binary, 100, 10, events).inProcess);
  }
  const continuous = paired(oursCont, refStd);
  console.log("");
  console.log(`continuous clock, per-job delays and tails, n = 100, d = 10: ours ${fmt(continuous.ours / 1e6)} M/s, reference (events clock) ${fmt(continuous.reference / 1e6)} M/s, ratio ${fmt(continuous.ratio)}`);

  // ---- flat in d: our d = 2 and d = inf runs alternating, in pairs of their own ----
  const flatness = [100, 10_000].map((n) => {
    const e = n >= 10_000 ? largeEvents : events;
    const d2: number[] = [];
    const dInf: number[] = [];
    for (let r = 0; r < repeats; r++) {
      d2.push(runChild({ kind: "rate", n, d: 2, events: e, clock: "events", delays: false, engine }).eventsPerSecond);
      dInf.push(runChild({ kind: "rate", n, d: Infinity, events: e, clock: "events", delays: false, engine }).eventsPerSecond);
    }
    const pair = paired(d2, dInf);
    return { n, events: e, rateD2: pair.ours, rateDInf: pair.reference, ratio: pair.ratio, ratios: pair.ratios };
  });
  console.log(`cost per event flat in d (our rate at d = 2 / at d = inf, in pairs; target <= 1.2): ${flatness.map((f) => `n = ${f.n}: ${fmt(f.ratio)}`).join(", ")}`);

  // ---- memory ----
  const short = Math.round(events / 10);
  const memShort = runChild({ kind: "rate", n: 100, d: 10, events: short, clock: "time", delays: true, engine });
  const memLong = runChild({ kind: "rate", n: 100, d: 10, events, clock: "time", delays: true, engine });
  const baseline = runChild({ kind: "baseline", n: 100, d: 10, events, clock: "time", delays: true, engine });
  const workers = runChild({ kind: "workers", n: 100, d: 10, events: short, clock: "time", delays: true, engine });
  const perWorker = (workers.maxRssMegabytes - baseline.maxRssMegabytes) / 2;
  console.log("");
  console.log(`memory (peak resident set, MB; continuous clock, delays on, n = 100, d = 10): one replication ${fmt(memShort.maxRssMegabytes)} at ${short} events, ${fmt(memLong.maxRssMegabytes)} at ${events} events;`);
  console.log(`  2 replications on 2 worker threads ${fmt(workers.maxRssMegabytes)}, the same code loaded and idle ${fmt(baseline.maxRssMegabytes)}: ${fmt(perWorker)} per worker thread (target <= 60)`);

  const report = {
    date: new Date().toISOString(),
    quick,
    durationSeconds: (Date.now() - started) / 1000,
    machine: {
      cores: availableParallelism(), cpu: cpus()[0]?.model ?? "unknown", platform: `${process.platform} ${process.arch}`,
      loadAverage: { start: loadAtStart, end: loadavg()[0] as number }, // 1-minute load average: how busy the machine was
    },
    ours: { program: "migration-penalties", version: (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version, commit: gitCommit(), engine, node: process.version },
    reference: { source, sha256: createHash("sha256").update(new Uint8Array(readFileSync(source))).digest("hex"), compiler: `${ccVersion} -O2` },
    workload: { policy: "abounce", C, K, lambda: LAMBDA, warmupFraction: 0.1, events, largeNEvents: largeEvents, repeats },
    eventsClock: grid.map((g) => ({ ...g, d: g.d === Infinity ? "inf" : g.d })),
    continuousWithDelays: { n: 100, d: 10, events, ...continuous },
    flatInD: flatness,
    memory: {
      events: { [short]: memShort.maxRssMegabytes, [events]: memLong.maxRssMegabytes },
      twoWorkersMaxRssMegabytes: workers.maxRssMegabytes,
      loadedIdleMaxRssMegabytes: baseline.maxRssMegabytes,
      perWorkerMegabytes: perWorker,
    },
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(report, null, 2) + "\n");
  console.log("");
  console.log(`wrote ${outFile} (${fmt(report.durationSeconds)} s); node scripts/bench-readme.js copies the table into README.md`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
