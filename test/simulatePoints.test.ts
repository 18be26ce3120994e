import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noSharing } from "../src/model/policy";
import { simulatePoints } from "../src/study/simulatePoints";

const directory = mkdtempSync(join(tmpdir(), "mp-exp-"));

test("simulatePoints: M/M/1 queues give lambda/(1-lambda); a second call reads the cache", async () => {
  const system = { queues: 20, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() };
  const options = { events: 2e6, replications: 2, seed: 3, workers: 1, cache: { directory } };
  const [p] = await simulatePoints("mm1", [system], options);
  assert.ok(p);
  // M/M/1 at lambda = 0.5: mean number in system lambda/(1-lambda) = 1, mean delay 1/(1-lambda) = 2.
  // 4e6 events over 20 queues: the estimate's standard error is about 0.01; allow 6%.
  assert.ok(Math.abs(p.meanQueueLength.mean - 1) < 0.06, `mean queue length ${p.meanQueueLength.mean}`);
  assert.ok(Math.abs(p.meanDelay.mean - 2) < 0.12, `mean delay ${p.meanDelay.mean}`);
  assert.equal(p.fromCache, false);
  assert.equal(p.stability.verdict, "stable");
  const [again] = await simulatePoints("mm1", [system], options);
  assert.equal(again?.fromCache, true);
  assert.deepEqual(again?.tail, p.tail);
  const [twoWorkers] = await simulatePoints("mm1", [system], { ...options, workers: 2 });
  assert.equal(twoWorkers?.fromCache, true, "the worker count does not change results, so it does not change the key");
  const [other] = await simulatePoints("mm1", [system], { ...options, seed: 4 });
  assert.equal(other?.fromCache, false, "another seed is another computation");
  await assert.rejects(simulatePoints("mm1", [{ ...system, arrivalRate: -1 }], options), /arrivalRate \(lambda\) = -1/);
});
