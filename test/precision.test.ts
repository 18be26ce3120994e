/**
 * Precision-driven runs (runToPrecision through runSimulation's `precision` option) against the M/M/1 queue,
 * whose mean sojourn time 1/(1 - lambda) is known exactly: the target is reached and the interval covers the
 * truth at about the nominal rate; a budget too small says so and never claims the target; an unstable system
 * stops; bad targets are refused before any work.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ParameterError } from "../src/model/parameterError";
import { noSharing } from "../src/model/policy";
import { runSimulation } from "../src/simulate/index";

const mm1 = (lambda: number) => ({ queues: 1, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() });

test("M/M/1, lambda = 0.5: the mean delay reaches 2% and its interval covers 1/(1 - lambda) = 2", async () => {
  const r = await runSimulation(mm1(0.5), { events: 20_000, precision: { relativeHalfWidth: 0.02 }, seed: 3, clock: "events" });
  const p = r.precision!;
  assert.equal(p.reached, true, p.reason);
  assert.ok(p.achievedRelativeHalfWidth <= 0.02 / 1.02);
  assert.equal(p.replications, r.replications);
  assert.ok(r.meanDelay.ci95[0] <= 2 && 2 <= r.meanDelay.ci95[1], `CI [${r.meanDelay.ci95}]`);
  // Independent of the worker count (replication r always uses stream r).
  const one = await runSimulation(mm1(0.5), { events: 20_000, precision: { relativeHalfWidth: 0.02 }, seed: 3, clock: "events", workers: 1 });
  assert.deepEqual(one.meanDelay, r.meanDelay);
});

test("coverage of precision-driven intervals is near nominal: at least 48 of 60 runs cover the M/M/1 mean queue length", async () => {
  // With 95% nominal coverage (a little less for sequential stopping), 48/60 or fewer happens with probability
  // below 1e-3; a biased procedure (for example stopping on a lucky small variance) would fall well short.
  let covered = 0;
  const runs = 60;
  for (let s = 0; s < runs; s++) {
    const r = await runSimulation(mm1(0.6), {
      events: 4000, precision: { relativeHalfWidth: 0.05, of: "meanQueueLength" }, seed: 100 + s, clock: "events", trackDelays: false, workers: 1,
    });
    const [lo, hi] = r.meanQueueLength.ci95;
    if (lo <= 1.5 && 1.5 <= hi) covered++; // lambda / (1 - lambda)
  }
  assert.ok(covered >= 48, `${covered}/${runs} covered`);
});

test("a budget too small ends with the target not reached, and says why", async () => {
  const r = await runSimulation(mm1(0.9), { events: 5000, precision: { relativeHalfWidth: 0.001 }, maxEvents: 200_000, seed: 1, clock: "events" });
  assert.equal(r.precision!.reached, false);
  assert.match(r.precision!.reason, /budget of 200000 events is spent/);
  assert.ok(r.precision!.eventsSimulated <= 200_000);
});

test("an unstable system stops: there is no steady-state mean to estimate", async () => {
  const r = await runSimulation(mm1(1.5), { events: 200_000, precision: { relativeHalfWidth: 0.01, of: "meanQueueLength" }, seed: 1, clock: "events" });
  assert.equal(r.precision!.reached, false);
  assert.match(r.precision!.reason, /unstable/);
});

test("bad precision options are refused before any work, naming the option", async () => {
  for (const [options, parameter] of [
    [{ precision: { relativeHalfWidth: 0 } }, "precision.relativeHalfWidth"],
    [{ precision: { relativeHalfWidth: 1 } }, "precision.relativeHalfWidth"],
    [{ precision: { relativeHalfWidth: 0.05, of: "throughput" } }, "precision.of"],
    [{ precision: { relativeHalfWidth: 0.05 }, replications: 1 }, "replications"],
    [{ precision: { relativeHalfWidth: 0.05 }, trackDelays: false }, "precision.of"],
    [{ maxEvents: 1e6 }, "maxEvents"],
  ] as const) {
    await assert.rejects(runSimulation(mm1(0.5), options as never), (e: unknown) => e instanceof ParameterError && e.parameter === parameter, JSON.stringify(options));
  }
});

test("many short replications are not biased by the warm-up rule (one MSER-5 truncation for the replications' average)", async () => {
  // Per-replication MSER-5 cut each replication's early upward excursions and gave 1.449 [1.432, 1.467] here.
  const r = await runSimulation(mm1(0.6), { events: 4000, replications: 400, seed: 5, clock: "events", trackDelays: false });
  const [lo, hi] = r.meanQueueLength.ci95;
  assert.ok(lo <= 1.5 && 1.5 <= hi, `mean queue length ${r.meanQueueLength.mean} [${lo}, ${hi}] vs lambda/(1 - lambda) = 1.5`);
  assert.equal(new Set(r.perReplication.map((p) => p.mserTruncatedEvents)).size, 1, "one truncation for every replication");
});
