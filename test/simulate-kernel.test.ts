/**
 * The WebAssembly event kernel against the TypeScript reference loop: from one seed both must give the same
 * replication, bit for bit (every field but the wall-clock ones), over random systems, budgets, clocks,
 * sampling schemes, starting states and the rare paths (growth of the level arrays and of the delay
 * tracker's pool, delay tracking that stops, a queue that reaches maxQueueLength). Also checks that the
 * committed kernel module is what its AssemblyScript source compiles to.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import fc from "fast-check";
import { abounce, mbounce, noSharing, shortestOfD, type PolicySpec } from "../src/model/policy";
import type { SamplingScheme } from "../src/model/sampling";
import type { SystemParams } from "../src/model/system";
import type { ReplicationResult } from "../src/simulate/replicationResult";
import { runReplication } from "../src/simulate/simulateReplication";
import { resolveSimulationOptions, type SimulationOptions } from "../src/simulate/simulationOptions";

const strip = (r: ReplicationResult): unknown => ({ ...r, wallSeconds: 0, eventsPerSecond: 0 });

function both(params: SystemParams, options: SimulationOptions, replication = 0): [ReplicationResult, ReplicationResult] {
  const resolved = resolveSimulationOptions(params, options);
  return [runReplication(params, resolved, replication, undefined, "kernel"), runReplication(params, resolved, replication, undefined, "reference")];
}

const arbitraryRun = fc.record({
  n: fc.integer({ min: 2, max: 40 }),
  lambda: fc.double({ min: 0.02, max: 1.6, noNaN: true }),
  K: fc.integer({ min: 1, max: 5 }),
  kind: fc.constantFrom("none", "abounce", "mbounce", "sqd"),
  d: fc.constantFrom(1, 2, 3, 5, 30, Infinity),
  sampling: fc.constantFrom<SamplingScheme>("others", "all", "others-without-replacement"),
  budget: fc.constantFrom("events", "time"),
  amount: fc.integer({ min: 1, max: 30_000 }),
  warmup: fc.integer({ min: 0, max: 5000 }),
  clock: fc.constantFrom("time" as const, "events" as const),
  trackDelays: fc.boolean(),
  start: fc.constantFrom("empty", "loaded"),
  startSeed: fc.nat(),
  maxQueueLength: fc.constantFrom(40, 1_000_000),
  maxTrackedJobs: fc.constantFrom(1024, 4096),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  replication: fc.integer({ min: 0, max: 3 }),
});

test("kernel and reference loop: the same replication, bit for bit, over random runs (rare paths included)", () => {
  fc.assert(fc.property(arbitraryRun, (x) => {
    let policy: PolicySpec;
    let K = x.K;
    switch (x.kind) {
      case "abounce": policy = abounce(K, x.d); break;
      case "mbounce": policy = mbounce(1.5, x.d); break;
      case "sqd": policy = shortestOfD(x.d); K = 1; break;
      default: policy = noSharing();
    }
    const d = x.sampling === "others-without-replacement" && x.d !== Infinity ? Math.min(x.d, x.n - 1) : x.d;
    if (x.kind !== "none") policy = { ...policy, samples: d } as PolicySpec;
    const params: SystemParams = { queues: x.n, arrivalRate: x.lambda, migrationPenalty: K, policy, sampling: x.sampling, allowOutsidePaper: true };
    const initialState = x.start === "loaded"
      ? Array.from({ length: x.n }, (_, j) => ((x.startSeed >>> (j % 16)) * 7 + j * 13) % Math.min(35, x.maxQueueLength))
      : undefined;
    const budget = x.budget === "events" ? { events: x.amount, warmup: x.warmup } : { time: x.amount / (x.n * 2), warmup: x.warmup / (x.n * 4) };
    const options: SimulationOptions = {
      ...budget, clock: x.clock, trackDelays: x.trackDelays, seed: x.seed, pathPoints: 16, maxQueueLength: x.maxQueueLength,
      maxTrackedJobs: x.maxTrackedJobs, ...(initialState ? { initialState } : {}),
    };
    const [kernel, reference] = both(params, options, x.replication);
    assert.deepEqual(strip(kernel), strip(reference));
  }), { numRuns: 150, seed: 20251201 });
});

test("kernel and reference loop: long runs of the standard configuration agree, both clocks, delays on", () => {
  const params: SystemParams = { queues: 100, arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) };
  for (const clock of ["time", "events"] as const) {
    const [kernel, reference] = both(params, { events: 400_000, clock, seed: 4 }, 2);
    assert.deepEqual(strip(kernel), strip(reference));
  }
});

test("kernel and reference loop: an unstable run that stops at maxQueueLength with delay tracking stopped agrees", () => {
  const params: SystemParams = { queues: 4, arrivalRate: 1.4, migrationPenalty: 3, policy: abounce(3, Infinity) };
  const [kernel, reference] = both(params, { events: 1e8, seed: 2, maxQueueLength: 3000, maxTrackedJobs: 2048 });
  assert.equal(kernel.stoppedEarly, true);
  assert.match(kernel.delayTracking.reason ?? "", /maxTrackedJobs = 2048/);
  assert.deepEqual(strip(kernel), strip(reference));
});

test("a custom rule runs on the reference loop; asking the kernel for it is refused", () => {
  const custom: PolicySpec = { kind: "custom", samples: 2, shouldMigrate: (own, target) => own > 2 * target + 1 };
  const params: SystemParams = { queues: 6, arrivalRate: 0.7, migrationPenalty: 2, policy: custom };
  const resolved = resolveSimulationOptions(params, { events: 5000, seed: 1 });
  assert.deepEqual(strip(runReplication(params, resolved, 0)), strip(runReplication(params, resolved, 0, undefined, "reference")));
  assert.throws(() => runReplication(params, resolved, 0, undefined, "kernel"), /engine = "kernel"/);
});

test("the committed kernel module is what eventKernel.as.ts compiles to (regression guard, not truth)", () => {
  const root = resolve(__dirname, "..");
  execFileSync(process.execPath, [resolve(root, "scripts", "build-kernel.js"), "--check"], { cwd: root, stdio: "pipe" });
});
