/**
 * A study run as independent shards: plan (the manifest), run (one shard, one result file per unit), merge
 * (into the cache and the study's tables), the sbatch script. The reference for the merged numbers is the same
 * study computed by runStudy on this machine's worker threads: they must agree bit for bit (canonical text,
 * which writes every double exactly and tells -0 and NaN apart). Faults: a task killed between the write and the
 * rename of a result, and at an arbitrary moment, a damaged result, an edited manifest, a manifest of other code.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { runCli } from "../src/cli/main";
import { canonicalJson } from "../src/study/cache/cacheJson";
import { ParameterError } from "../src/model/parameterError";
import { abounce, noSharing } from "../src/model/policy";
import {
  type StudyDefinition, type StudyManifest, StudyManifestError, assignShards, loadStudyDefinition, mergeStudyResults, planStudyManifest,
  readStudyManifest, runStudy, runStudyShard, slurmScript, studyGrid, writeStudyManifest,
} from "../src/study/index";
import { manifestBodyHash, manifestText } from "../src/study/studyManifest";
import { readUnitResult, unitResultFile } from "../src/study/unitResults";
import { captureOutput } from "./support/captureOutput";

const root = resolve(__dirname, "..");
const tmp = mkdtempSync(join(tmpdir(), "mp-shards-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
let counter = 0;
const folder = (): string => {
  const dir = join(tmp, `case-${counter++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const cells = studyGrid({ lambda: [0.5, 0.7, 0.85] }, ({ lambda }) =>
  ({ queues: 10, arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, 4) }));
const study: StudyDefinition = { name: "shards-test", cells, simulation: { events: 20_000, replications: 3, clock: "events" }, seed: 11 };
const quiet = (): void => {};

const silentRun = (file: string, shard: number, shards: number, extra: { results?: string; force?: boolean } = {}) =>
  runStudyShard(file, { shard, shards, workers: 2, log: quiet, ...extra });

test("plan: every replication of every cell is in exactly one unit; splits follow shards and replicationsPerUnit; the text is stable", () => {
  const whole = planStudyManifest(study);
  assert.deepEqual(whole.units.map((u) => [u.cell, u.from, u.to]), [[0, 0, 3], [1, 0, 3], [2, 0, 3]]);
  assert.equal(whole.plannedShards, 3);
  const bySize = planStudyManifest(study, { replicationsPerUnit: 2 });
  assert.deepEqual(bySize.units.map((u) => [u.cell, u.from, u.to]), [[0, 0, 2], [0, 2, 3], [1, 0, 2], [1, 2, 3], [2, 0, 2], [2, 2, 3]]);
  const split = planStudyManifest(study, { shards: 3 });
  assert.equal(split.plannedShards, 3);
  assert.equal(split.units.length, 9, "each unit at most a quarter of a shard's share: one replication each here");
  for (const m of [whole, bySize, split]) {
    m.cells.forEach((cell, k) => {
      const covered = m.units.filter((u) => u.cell === k).flatMap((u) => Array.from({ length: u.to - u.from }, (_, j) => u.from + j));
      assert.deepEqual(covered, [0, 1, 2], `cell ${k}`);
      assert.equal(cell.key, cells[k]!.key);
    });
    assert.equal(new Set(m.units.map((u) => u.id)).size, m.units.length);
  }
  assert.equal(manifestText(planStudyManifest(study, { shards: 3 })), manifestText(split), "planning twice gives the same manifest");
  // the hash covers the content: another study seed, another hash
  assert.notEqual(planStudyManifest({ ...study, seed: 12 }).manifestHash, whole.manifestHash);
});

test("plan refuses what cannot be planned, before any work, naming the parameter", () => {
  const refused = (f: () => unknown, parameter: string): void =>
    assert.throws(f, (e: unknown) => e instanceof ParameterError && e.parameter === parameter, parameter);
  refused(() => planStudyManifest({ ...study, simulation: { events: 1000, precision: { relativeHalfWidth: 0.05 } } }), "precision");
  refused(() => planStudyManifest(study, { shards: 0 }), "shards");
  refused(() => planStudyManifest(study, { replicationsPerUnit: 1.5 }), "replicationsPerUnit");
  refused(() => planStudyManifest({ ...study, name: "bad name" }), "name");
  refused(() => planStudyManifest({ ...study, cells: [cells[0]!, cells[0]!] }), "cells[1].key");
  refused(() => planStudyManifest({ ...study, simulation: { events: -1 } }), "events");
  refused(() => planStudyManifest({ ...study, cells: [{ ...cells[0]!, axes: { when: new Date(0) } }] }), "cells[0].axes.when");
});

test("assignShards: every unit in exactly one shard, deterministic, load at most the average plus the largest unit (property)", () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (costs, shards) => {
    const units = costs.map((cost) => ({ cost }));
    const a = assignShards(units, shards);
    assert.deepEqual(assignShards(units, shards), a);
    assert.equal(a.length, units.length);
    const load = new Array<number>(shards).fill(0);
    a.forEach((s, k) => {
      assert.ok(Number.isInteger(s) && s >= 0 && s < shards);
      load[s]! += costs[k]!;
    });
    const total = costs.reduce((x, y) => x + y, 0);
    assert.ok(Math.max(...load) <= total / shards + Math.max(...costs) + 1e-9);
  }), { numRuns: 300 });
  assert.throws(() => assignShards([{ cost: 1 }], 0), ParameterError);
});

test("run: the shards together compute every unit exactly once; merge equals runStudy on local worker threads bit for bit, fromCache true", async () => {
  const dir = folder();
  const file = join(dir, "m.json");
  const manifest = writeStudyManifest(study, file, { shards: 3 });
  const seen: string[] = [];
  for (let shard = 0; shard < 3; shard++) {
    const summary = await silentRun(file, shard, 3);
    assert.deepEqual(summary.failed, []);
    assert.deepEqual(summary.computed, summary.units);
    seen.push(...summary.units);
  }
  assert.deepEqual([...seen].sort(), manifest.units.map((u) => u.id).sort(), "each unit once, none left out");

  const cache = join(dir, "cache");
  const merged = await mergeStudyResults(file, { cache });
  assert.equal(merged.complete, true);
  assert.deepEqual(merged.missing, []);
  assert.equal(merged.mergedCells, 3);
  assert.ok(merged.study!.cells.every((c) => c.fromCache));
  assert.equal(merged.cacheDirectory, resolve(cache), "the cache the cells went into");

  const local = await runStudy({ ...study, cache: { mode: "off" } });
  const read = await runStudy({ ...study, cache: { directory: cache } });
  assert.deepEqual(read.cells.map((c) => c.fromCache), [true, true, true], "runStudy finds every merged cell in the cache");
  assert.deepEqual(local.cells.map((c) => c.fromCache), [false, false, false]);
  read.cells.forEach((c, k) => {
    const mine = local.cells[k]!;
    assert.equal(canonicalJson(c.point), canonicalJson(mine.point), `cell ${k}: merged and local points differ`);
    assert.ok(Object.is(c.point.meanQueueLength.mean, mine.point.meanQueueLength.mean));
    assert.equal(c.seed, mine.seed);
    assert.ok(!("eventsPerSecond" in c.point), "a point holds no timing");
  });
  // a sanity check that the numbers are the model's: the stable queue at lambda = 0.5 is short
  assert.ok(read.cells[0]!.point.meanQueueLength.mean > 0.3 && read.cells[0]!.point.meanQueueLength.mean < 1.5);

  const csv = readFileSync(merged.frameFile!, "utf8").trim().split("\n");
  assert.equal(csv.length, 4);
  assert.ok(csv[0]!.startsWith("lambda,policy,queues"), csv[0]);
  const tails = readFileSync(merged.tailFile!, "utf8").trim().split("\n");
  const expected = read.cells.reduce((s, c) => s + c.point.tail.length, 0);
  assert.equal(tails.length, expected + 1);
});

test("run is idempotent: finished units are skipped; a unit computed again (--force, or after removal) gives the same bytes", async () => {
  const dir = folder();
  const file = join(dir, "m.json");
  const manifest = writeStudyManifest(study, file, { replicationsPerUnit: 2 });
  const first = await silentRun(file, 0, 2);
  const results = join(dir, "m-results");
  // latin1: one character per byte, so equal strings are equal bytes
  const readBytes = (f: string): string => readFileSync(f, "latin1");
  const bytes = new Map(first.units.map((id) => [id, readBytes(join(results, `${id}.json`))]));
  const again = await silentRun(file, 0, 2);
  assert.deepEqual(again.computed, []);
  assert.deepEqual(again.skipped, first.units);
  const forced = await silentRun(file, 0, 2, { force: true });
  assert.deepEqual(forced.computed, first.units);
  for (const [id, b] of bytes) assert.equal(readBytes(join(results, `${id}.json`)), b, `${id} differs after --force`);
  const removed = first.units[0]!;
  rmSync(join(results, `${removed}.json`));
  const rerun = await silentRun(file, 0, 2);
  assert.deepEqual(rerun.computed, [removed]);
  assert.equal(readBytes(join(results, `${removed}.json`)), bytes.get(removed));
  // the same unit computed by a run of another shard count gives the same bytes too
  const other = join(dir, "other");
  await runStudyShard(file, { shard: 0, shards: 1, workers: 1, results: other, log: quiet });
  for (const unit of manifest.units) {
    if (bytes.has(unit.id)) assert.equal(readBytes(join(other, `${unit.id}.json`)), bytes.get(unit.id), unit.id);
  }
});

test("merge on an incomplete set names exactly the missing and the failed units and merges only complete cells", async () => {
  const dir = folder();
  const file = join(dir, "m.json");
  const manifest = writeStudyManifest(study, file, { replicationsPerUnit: 1 });
  await silentRun(file, 0, 1);
  const results = join(dir, "m-results");
  const gone = [manifest.units[1]!, manifest.units[7]!];
  for (const u of gone) rmSync(unitResultFile(results, u));
  const damaged = manifest.units[4]!;
  const text = readFileSync(unitResultFile(results, damaged), "utf8");
  writeFileSync(unitResultFile(results, damaged), text.replace(/"events":(\d)/, '"events":9$1'));
  const merged = await mergeStudyResults(file, { cache: join(dir, "cache") });
  assert.equal(merged.complete, false);
  assert.deepEqual(merged.missing.map((u) => u.unit), gone.map((u) => u.id));
  assert.deepEqual(merged.failed.map((u) => u.unit), [damaged.id]);
  assert.match(merged.failed[0]!.reason, /checksum/);
  assert.equal(merged.mergedCells, 0, "each cell lacks a unit");
  assert.equal(merged.cacheDirectory, undefined, "no cell was merged");
  assert.equal(merged.frameFile, undefined);
  const cli = await captureOutput(() => runCli(["study", "merge", file, "--cache", join(dir, "cache")]));
  assert.equal(cli.code, 1);
  for (const u of [...gone, damaged]) assert.ok(cli.stderr.includes(u.id), cli.stderr);
  assert.match(cli.stderr, /missing 2 of 9 unit\(s\)/);
  assert.match(cli.stderr, /failed 1 of 9 unit\(s\)/);
  // the run recomputes the damaged unit and the missing ones, and then the merge is complete
  const rerun = await silentRun(file, 0, 1);
  assert.deepEqual([...rerun.computed].sort(), [...gone, damaged].map((u) => u.id).sort());
  assert.equal((await mergeStudyResults(file, { cache: join(dir, "cache") })).complete, true);
});

test("a unit whose simulation fails is recorded, the others complete, run exits 1 and merge names it as failed", async () => {
  const dir = folder();
  const good = planStudyManifest(study);
  // A manifest of this code whose second cell cannot be simulated: its options are impossible (the planner
  // never writes these; the hash is recomputed, as a planner with a bug would write it).
  const { manifestHash: _hash, ...body } = good;
  const cellsBroken = body.cells.map((c, k) => (k === 1 ? { ...c, resolved: { ...c.resolved, pathPoints: -3 } } : c));
  const brokenBody = { ...body, cells: cellsBroken };
  const file = join(dir, "m.json");
  writeFileSync(file, manifestText({ manifestHash: manifestBodyHash(brokenBody), ...brokenBody }));
  const cli = await captureOutput(() => runCli(["study", "run", file, "--shard", "0", "--of", "1", "--workers", "2"]));
  assert.equal(cli.code, 1, cli.stderr);
  assert.match(cli.stdout, /3 unit\(s\): 2 computed, 0 already done, 1 failed/);
  const broken = good.units[1]!.id;
  assert.match(cli.stderr, new RegExp(`failed: ${broken}: a simulation replication failed: Invalid typed array length`));
  assert.ok(existsSync(join(dir, "m-results", `${broken}.failed.json`)));
  const merged = await mergeStudyResults(file, { cache: join(dir, "cache") });
  assert.deepEqual(merged.missing, []);
  assert.deepEqual(merged.failed.map((u) => u.unit), [broken]);
  assert.match(merged.failed[0]!.reason, /^it failed: a simulation replication failed/);
  assert.equal(merged.mergedCells, 2, "the cells whose units are done are merged");
  assert.equal(merged.cacheDirectory, resolve(dir, "cache"));
});

/** Runs `study run` in a child process through tsx; `preload` is a module imported first (fault injection). */
function spawnRun(args: string[], preload?: string) {
  const argv = ["--import", "tsx", ...(preload ? ["--import", preload] : []), join(root, "src", "cli", "main.ts"), "study", "run", ...args];
  return spawn(process.execPath, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, MP_CACHE: "" } });
}

const resultNames = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".json")) : []);

test("a task killed between writing and renaming a result leaves no partial result file; running the shard again completes it", async () => {
  const dir = folder();
  const file = join(dir, "m.json");
  const manifest = writeStudyManifest(study, file, { replicationsPerUnit: 1 });
  const hook = join(dir, "kill-at-second-rename.mjs");
  writeFileSync(hook, `let renames = 0;
globalThis[Symbol.for("migration-penalties.writeFileAtomic.beforeRename")] = (tmp) => {
  if (/\\.json\\.tmp-/.test(tmp) && ++renames === 2) process.kill(process.pid, "SIGKILL");
};\n`);
  const child = spawnRun([file, "--shard", "0", "--of", "1", "--workers", "1"], hook);
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += String(d)));
  const signal = await new Promise<NodeJS.Signals | null>((ok) => child.on("exit", (_code, s) => ok(s)));
  assert.equal(signal, "SIGKILL", stderr);
  const results = join(dir, "m-results");
  const names = readdirSync(results);
  assert.equal(resultNames(results).length, 1, `one unit renamed into place before the kill: ${names.join(", ")}`);
  assert.equal(names.filter((n) => /\.json\.tmp-/.test(n)).length, 1, "the second one stayed a temporary");
  for (const unit of manifest.units) {
    const state = readUnitResult(results, manifest, unit);
    assert.ok(state.kind === "done" || state.kind === "missing", `${unit.id}: ${state.kind}`);
  }
  const merged = await mergeStudyResults(file, { cache: join(dir, "cache") });
  assert.equal(merged.missing.length, manifest.units.length - 1);
  const rerun = await silentRun(file, 0, 1);
  assert.equal(rerun.skipped.length, 1);
  assert.equal(rerun.computed.length, manifest.units.length - 1);
  assert.deepEqual(readdirSync(results).filter((n) => n.includes(".tmp-")), [], "the orphaned temporary is removed");
  assert.equal((await mergeStudyResults(file, { cache: join(dir, "cache") })).complete, true);
});

test("a task killed by SIGKILL while it computes leaves only complete result files; a rerun completes the shard", async () => {
  const dir = folder();
  const file = join(dir, "m.json");
  const long: StudyDefinition = {
    name: "shards-kill", cells: studyGrid({ lambda: [0.8] }, ({ lambda }) => ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() })),
    simulation: { events: 1_500_000, replications: 4, clock: "events", trackDelays: false }, seed: 3,
  };
  const manifest = writeStudyManifest(long, file, { replicationsPerUnit: 1 });
  const results = join(dir, "m-results");
  const child = spawnRun([file, "--shard", "0", "--of", "1", "--workers", "1"]);
  const exited = new Promise<void>((ok) => child.on("exit", () => ok()));
  const deadline = Date.now() + 60_000;
  while (resultNames(results).length === 0 && Date.now() < deadline && child.exitCode === null) await new Promise((ok) => setTimeout(ok, 5));
  child.kill("SIGKILL");
  await exited;
  for (const unit of manifest.units) {
    const state = readUnitResult(results, manifest, unit);
    assert.ok(state.kind === "done" || state.kind === "missing", `${unit.id}: ${state.kind}`);
  }
  for (const name of resultNames(results)) {
    assert.ok(manifest.units.some((u) => `${u.id}.json` === name && readUnitResult(results, manifest, u).kind === "done"), name);
  }
  const rerun = await silentRun(file, 0, 1);
  assert.equal(rerun.skipped.length + rerun.computed.length, manifest.units.length);
  assert.ok(rerun.computed.length >= 1, "killed midway: a unit takes far longer than the 5 ms between polls");
  assert.equal((await mergeStudyResults(file, { cache: join(dir, "cache") })).complete, true);
});

test("an edited manifest and a manifest planned by other code are refused, naming both versions", async () => {
  const dir = folder();
  const file = join(dir, "m.json");
  writeStudyManifest(study, file);
  const edited = join(dir, "edited.json");
  const parsed = JSON.parse(readFileSync(file, "utf8"));
  parsed.cells[0].options.events = 30_000;
  writeFileSync(edited, JSON.stringify(parsed, null, 1));
  assert.throws(() => readStudyManifest(edited), (e: unknown) => e instanceof StudyManifestError && e.problem === "edited" && /changed after it was planned/.test(e.message));
  await assert.rejects(silentRun(edited, 0, 1), (e: unknown) => e instanceof StudyManifestError && e.problem === "edited");
  // Reformatting alone changes no content: accepted.
  const reformatted = join(dir, "reformatted.json");
  writeFileSync(reformatted, JSON.stringify(JSON.parse(readFileSync(file, "utf8"))));
  assert.equal(readStudyManifest(reformatted).manifestHash, parsed.manifestHash);

  // What another build would write: its own code version, with a hash that matches its content.
  const original = readStudyManifest(file);
  const { manifestHash: _hash, ...body } = original;
  const otherBody = { ...body, code: { ...body.code, codeHash: "f".repeat(64), node: "v18.19.0", commit: "0123456789abcdef0123" } };
  const other: StudyManifest = { manifestHash: manifestBodyHash(otherBody), ...otherBody };
  const otherFile = join(dir, "other.json");
  writeFileSync(otherFile, manifestText(other));
  assert.throws(() => readStudyManifest(otherFile), (e: unknown) => {
    if (!(e instanceof StudyManifestError) || e.problem !== "other code") return false;
    return e.message.includes("ffffffffffffffff") && e.message.includes(original.code.codeHash.slice(0, 16)) &&
      e.message.includes("Node.js v18.19.0") && e.message.includes(`Node.js ${process.version}`) && /differ in: commit, Node.js/.test(e.message);
  });
  const cli = await captureOutput(() => runCli(["study", "run", otherFile, "--shard", "0", "--of", "1"]));
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /planned by other code/);
  const merge = await captureOutput(() => runCli(["study", "merge", otherFile]));
  assert.equal(merge.code, 1);
  assert.match(merge.stderr, /planned by other code/);
});

test("run: the shard comes from --shard, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX; out of range is a clear error", async () => {
  const dir = folder();
  const file = join(dir, "m.json");
  writeStudyManifest(study, file, { shards: 3 });
  const withEnv = async (env: Record<string, string>, args: string[]) => {
    const saved = { ...process.env };
    for (const k of ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_COUNT", "SLURM_CPUS_PER_TASK"]) delete process.env[k];
    Object.assign(process.env, env);
    try {
      return await captureOutput(() => runCli(["study", "run", file, ...args]));
    } finally {
      process.env = saved;
    }
  };
  let out = await withEnv({}, ["--shard", "3", "--of", "3"]);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /--shard = 3 is out of range: an integer in \[0, 2\]/);
  out = await withEnv({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_COUNT: "4" }, []);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /SLURM_ARRAY_TASK_ID = 5 is out of range: an integer in \[0, 3\].*SLURM_ARRAY_TASK_COUNT/);
  out = await withEnv({ JOB_COMPLETION_INDEX: "x" }, []);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /JOB_COMPLETION_INDEX = "x"/);
  out = await withEnv({}, []);
  assert.equal(out.code, 2);
  assert.match(out.stderr, /--shard = undefined is out of range: required outside a Slurm array task/);
  out = await withEnv({ JOB_COMPLETION_INDEX: "2", SLURM_CPUS_PER_TASK: "1" }, []);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /shard 2 of 3: 3 unit\(s\): 3 computed/, "N from the manifest's planned shards");
  assert.match(out.stderr, /on 1 worker\(s\)/, "workers from SLURM_CPUS_PER_TASK");
  out = await withEnv({ SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "3" }, []);
  assert.match(out.stdout, /shard 2 of 3: 3 unit\(s\): 0 computed, 3 already done/);
});

test("the CLI: plan from a .ts and a .js module, help for each subcommand, bad flags named", async () => {
  const dir = folder();
  const ts = join(dir, "grid.study.ts");
  writeFileSync(ts, `import { abounce } from ${JSON.stringify(join(root, "src", "model", "policy"))};
import { studyGrid } from ${JSON.stringify(join(root, "src", "study", "studyGrid"))};
export const study = { name: "cli-grid", seed: 2, simulation: { events: 10000, replications: 2 },
  cells: studyGrid({ lambda: [0.5, 0.6] }, ({ lambda }: { lambda: number }) => ({ queues: 10, arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, 2) })) };\n`);
  const out = await captureOutput(() => runCli(["study", "plan", ts, "--out", join(dir, "m.json"), "--shards", "2"]));
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /planned study "cli-grid": 2 cell\(s\), 4 replication\(s\) in 4 unit\(s\), for 2 shard\(s\)/);
  const js = join(dir, "plain.study.js");
  writeFileSync(js, `const { studyCells } = require(${JSON.stringify(join(root, "src", "study", "studyGrid"))});
module.exports = { name: "cli-plain", simulation: { events: 5000 }, cells: studyCells([{ queues: 3, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } }]) };\n`);
  assert.equal(loadStudyDefinition(js).name, "cli-plain");
  assert.throws(() => loadStudyDefinition(join(dir, "nothing.js")), (e: unknown) => e instanceof ParameterError && /no such file/.test(e.message));
  writeFileSync(join(dir, "empty.js"), "module.exports = { answer: 42 };\n");
  assert.throws(() => loadStudyDefinition(join(dir, "empty.js")), (e: unknown) => e instanceof ParameterError && /default export/.test(e.message));
  assert.throws(() => loadStudyDefinition(join(dir, "x.py")), (e: unknown) => e instanceof ParameterError && /\.js, \.cjs, \.ts, \.cts/.test(e.message));

  for (const sub of ["plan", "run", "merge", "slurm"]) {
    const help = await captureOutput(() => runCli(["study", sub, "--help"]));
    assert.equal(help.code, 0);
    assert.ok(help.stdout.startsWith(`usage: migration-penalties study ${sub}`), help.stdout);
  }
  assert.match((await captureOutput(() => runCli(["study", "--help"]))).stdout, /study <subcommand>[\s\S]*plan[\s\S]*run[\s\S]*merge[\s\S]*slurm/);
  const bad = await captureOutput(() => runCli(["study", "plan", ts]));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--out is required/);
  const unknown = await captureOutput(() => runCli(["study", "launch", "x"]));
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown subcommand "launch"/);
  const twoFiles = await captureOutput(() => runCli(["study", "merge", "a.json", "b.json"]));
  assert.equal(twoFiles.code, 2);
  const missingFile = await captureOutput(() => runCli(["study", "merge", join(dir, "absent.json")]));
  assert.equal(missingFile.code, 2);
  assert.match(missingFile.stderr, /manifest = .* a readable manifest file/);
});

test("study slurm: an array with one task per shard and a throttle, absolute paths, valid bash; bad options named", async () => {
  const dir = folder();
  const file = join(dir, "m.json");
  writeStudyManifest(study, file, { shards: 3 });
  const script = slurmScript(file, { partition: "debug", time: "0:10:00", cpus: 2, arrayMax: 2 });
  assert.match(script, /^#!\/bin\/bash\n/);
  assert.match(script, /^#SBATCH --array=0-2%2$/m);
  assert.match(script, /^#SBATCH --cpus-per-task=2$/m);
  assert.match(script, /^#SBATCH --partition=debug$/m);
  assert.match(script, /^#SBATCH --time=0:10:00$/m);
  const exec = script.split("\n").find((l) => l.startsWith("exec "))!;
  assert.ok(exec.startsWith(`exec ${process.execPath} ${join(root, "dist", "cli", "main.js")} study run ${file} --of 3 --results ${join(dir, "m-results")}`), exec);
  assert.equal(spawnSync("bash", ["-n"], { input: script }).status, 0, "bash reads the script");
  const cli = await captureOutput(() => runCli(["study", "slurm", file, "--time", "ten minutes"]));
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /--time = "ten minutes" is out of range: a Slurm time/);
  const spaced = join(dir, "with space");
  mkdirSync(spaced);
  copyFileSync(file, join(spaced, "m.json"));
  assert.throws(() => slurmScript(join(spaced, "m.json")), (e: unknown) => e instanceof ParameterError && e.parameter === "manifest");
  const throttled = await captureOutput(() => runCli(["study", "slurm", file, "--array-max", "0"]));
  assert.equal(throttled.code, 2);
  assert.match(throttled.stderr, /--array-max/);
});
