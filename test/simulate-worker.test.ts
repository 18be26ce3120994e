/**
 * The compiled worker: compiles the simulator (src/simulate and what it imports) with tsc into a temporary
 * directory, as `npm run build` compiles it into dist/, and runs replications on worker threads
 * from the compiled JavaScript (the persistent pool of src/simulate/replicationPool.ts). The report must equal
 * the one computed here, from the sources, on one thread.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { mbounce } from "../src/model/policy";
import { runSimulation, type SimulationReport } from "../src/simulate/index";

const root = resolve(__dirname, "..");

test("replications on compiled worker threads give the report computed on one thread from the sources", async () => {
  const out = mkdtempSync(join(tmpdir(), "mp-simulate-worker-"));
  try {
    execFileSync(process.execPath, [
      join(root, "node_modules", "typescript", "bin", "tsc"), "--outDir", out, "--rootDir", join(root, "src"),
      "--module", "node16", "--moduleResolution", "node16", "--target", "ES2022", "--strict", "--esModuleInterop",
      "--skipLibCheck", "--types", "node", join(root, "src", "simulate", "index.ts"),
      join(root, "src", "simulate", "replicationTask.ts"), // loaded by path at run time, not imported
      ...readdirSync(join(root, "src", "model", "policies")).map((f) => join(root, "src", "model", "policies", f)), // found by the registry
    ], { cwd: root, stdio: "pipe" });
    const params = { queues: 30, arrivalRate: 0.85, migrationPenalty: 2, policy: mbounce(2, 4) };
    const options = { events: 100_000, replications: 3, seed: 21 };
    const script = `require(${JSON.stringify(join(out, "simulate", "index.js"))})
      .runSimulation(${JSON.stringify(params)}, ${JSON.stringify({ ...options, workers: 2 })})
      .then((r) => process.stdout.write(JSON.stringify(r)));`;
    const text = execFileSync(process.execPath, ["-e", script], {
      cwd: root, encoding: "utf8", env: { ...process.env, NODE_PATH: join(root, "node_modules") }, maxBuffer: 1 << 26,
    });
    const compiled = JSON.parse(text) as SimulationReport;
    const local = JSON.parse(JSON.stringify(await runSimulation(params, { ...options, workers: 1 }))) as SimulationReport;
    const strip = (r: SimulationReport): unknown => ({
      ...r, wallSeconds: 0, eventsPerSecond: 0, options: { ...r.options, workers: 0 },
      perReplication: r.perReplication.map((x) => ({ ...x, eventsPerSecond: 0 })),
    });
    assert.deepEqual(strip(compiled), strip(local));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
