import { test } from "node:test";
import assert from "node:assert/strict";
import { abounce, shortestOfD } from "../src/model/policy";
import type { MeanFieldParams } from "../src/theory/meanfield/meanFieldSystem";
import { refinedMeanField } from "../src/theory/meanfield/refinedMeanField";
import type { SamplingScheme } from "../src/model/sampling";
import { runSimulation } from "../src/simulate/runSimulation";

/**
 * The refined mean field against the simulator (the paper's "others" scheme, the only one the simulator runs):
 * at small n the simulated mean queue length must lie closer to the refined value than to the plain mean field,
 * and its 95% interval must exclude the plain value. The plain value lies 6-10 half-widths away from the
 * simulated mean in both cases (the gap is V/n with V of order 3-10), so a false failure has probability far
 * below 1e-6. Budgets: 4 replications of 2e6 events after warm-up, a few seconds per case.
 */
async function compare(params: MeanFieldParams, queues: number, sampling: SamplingScheme = "others"): Promise<{ sim: number; ci: readonly [number, number]; plain: number; refined: number }> {
  const r = refinedMeanField(params, { queues, sampling });
  assert.ok(r.converged, r.failure);
  const report = await runSimulation({ queues, ...params, sampling }, { events: 2e6, replications: 4, seed: 11, clock: "events", trackDelays: false });
  return { sim: report.meanQueueLength.mean, ci: report.meanQueueLength.ci95, plain: r.plain.meanQueueLength, refined: r.meanQueueLength };
}

test("refined mean field vs simulation: SQ(1), lambda = 0.9, n = 10 (refined closer; plain outside the 95% interval)", async () => {
  const c = await compare({ arrivalRate: 0.9, migrationPenalty: 1, policy: shortestOfD(1) }, 10);
  assert.ok(c.plain < c.ci[0] || c.plain > c.ci[1], `plain ${c.plain} inside the interval [${c.ci[0]}, ${c.ci[1]}]`);
  assert.ok(Math.abs(c.sim - c.refined) < Math.abs(c.sim - c.plain), `sim ${c.sim}, refined ${c.refined}, plain ${c.plain}`);
});

test("refined mean field vs simulation: ABOUNCE(2,10), K = 2, lambda = 0.75, n = 20 (refined closer; plain outside the 95% interval)", async () => {
  const c = await compare({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) }, 20);
  assert.ok(c.plain < c.ci[0] || c.plain > c.ci[1], `plain ${c.plain} inside the interval [${c.ci[0]}, ${c.ci[1]}]`);
  assert.ok(Math.abs(c.sim - c.refined) < Math.abs(c.sim - c.plain), `sim ${c.sim}, refined ${c.refined}, plain ${c.plain}`);
});

test("refined mean field vs simulation: SQ(1), lambda = 0.9, n = 10 under the 'all' scheme", async () => {
  const c = await compare({ arrivalRate: 0.9, migrationPenalty: 1, policy: shortestOfD(1) }, 10, "all");
  assert.ok(c.plain < c.ci[0] || c.plain > c.ci[1], `plain ${c.plain} inside the interval [${c.ci[0]}, ${c.ci[1]}]`);
  assert.ok(Math.abs(c.sim - c.refined) < Math.abs(c.sim - c.plain), `sim ${c.sim}, refined ${c.refined}, plain ${c.plain}`);
});
