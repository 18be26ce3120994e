/**
 * runOnWorkers (src/study/runOnWorkers.ts): exported functions of a module run on worker threads, outputs in
 * input order, tasks at once up to the number of cores, errors carried back with the worker's message.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { ParameterError } from "../src/model/parameterError";
import { runOnWorkers } from "../src/study/runOnWorkers";

const tasks = join(__dirname, "support", "workerTasks.ts");

test("outputs come back in input order, computed on other threads", async () => {
  const inputs = [3, 1, 4, 1, 5, 9, 2, 6];
  const out = await runOnWorkers<number, { value: number; thread: number }>(tasks, "square", inputs);
  assert.deepEqual(out.map((o) => o.value), inputs.map((x) => x * x));
  for (const o of out) assert.notEqual(o.thread, threadId, "computed on a worker thread");
  assert.deepEqual(await runOnWorkers(tasks, "square", []), []);
});

test("tasks run at once when there are cores for them", { skip: availableParallelism() < 2 ? "one core" : false }, async () => {
  const out = await runOnWorkers<number, { start: number; end: number }>(tasks, "sleep", [400, 400]);
  const [a, b] = out as [{ start: number; end: number }, { start: number; end: number }];
  assert.ok(a.start < b.end && b.start < a.end, `the two tasks overlap: ${JSON.stringify(out)}`);
});

test("a failing task rejects with the worker's message; bad arguments are refused before any work", async () => {
  await assert.rejects(runOnWorkers(tasks, "fail", ["boom"]), /task fail of .* failed: .*boom/);
  await assert.rejects(runOnWorkers("relative/path.js", "square", [1]), (e: unknown) => e instanceof ParameterError && e.parameter === "file");
  await assert.rejects(runOnWorkers(join(__dirname, "missing.ts"), "square", [1]), (e: unknown) => e instanceof ParameterError && e.parameter === "file");
  await assert.rejects(runOnWorkers(tasks, "not a name", [1]), (e: unknown) => e instanceof ParameterError && e.parameter === "exportName");
  await assert.rejects(runOnWorkers(tasks, "square", 3 as unknown as number[]), (e: unknown) => e instanceof ParameterError && e.parameter === "inputs");
});
