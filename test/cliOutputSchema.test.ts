/**
 * One output schema for every command: each command's real --json output (run through runCli) validates against
 * its definition in src/cli/outputSchema.json (JSON Schema draft 2020-12, checked by ajv), for every command and
 * its main variants; the schema's shared definitions (Estimate, Tail, Samples) reject what breaks the
 * conventions; and every estimate in every output is {mean, ci95: [lo, hi]}, every tail starts at P(Q >= 0) = 1.
 * The study subcommands (study plan, run, merge: definitions study-plan, study-run, study-merge) run on a small
 * study in a temporary folder, merged once before its last shard ran and once after.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { commandPaths } from "../src/cli/args";
import { COMMANDS, runCli } from "../src/cli/main";
import { captureOutput } from "./support/captureOutput";

const schema = JSON.parse(readFileSync(resolve(__dirname, "../src/cli/outputSchema.json"), "utf8")) as { $id: string; $defs: Record<string, unknown> };

// Strict mode, except for open tuples (a tail is "1, then numbers": prefixItems with further items) and required
// properties declared in a referenced schema (ajv's strictRequired does not follow $ref).
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, strictRequired: false });
ajv.addSchema(schema);

/** The definition of a command's output: its path with spaces written as "-" ("study plan" -> "study-plan"). */
const definitionOf = (path: string): string => path.replace(/ /g, "-");

function validator(definition: string) {
  const validate = ajv.getSchema(`${schema.$id}#/$defs/${definition}`);
  assert.ok(validate, `no definition ${definition}`);
  return validate;
}

/** [command, variant, command line (with --json)]. Budgets are small: the outputs are checked for shape, not for numbers. */
const variants: ReadonlyArray<readonly [string, string, string]> = [
  ["simulate", "two replications", "simulate --policy abounce --n 20 --lambda 0.7 --K 2 --C 2 --d inf --events 1e5 --replications 2 --workers 1 --json"],
  ["simulate", "one replication (batch means), switching policy", "simulate --policy switching --migrate-from 3,4,inf --n 20 --lambda 0.7 --K 2 --events 1e5 --json"],
  ["simulate", "with a precision target", "simulate --policy abounce --n 20 --lambda 0.7 --K 2 --d inf --events 2e4 --precision 0.05 --max-events 2e6 --workers 1 --json"],
  ["simulate", "precision budget spent", "simulate --policy none --n 20 --lambda 0.9 --events 2e4 --precision 0.001 --precision-of meanQueueLength --max-events 5e5 --workers 1 --json"],
  ["simulate", "too short to relax (no intervals)", "simulate --policy none --n 1000 --lambda 0.7 --events 1e4 --json"],
  ["simulate", "unstable", "simulate --policy none --n 20 --lambda 1.2 --events 4e5 --no-delays --json"],
  ["theory", "", "theory --K 2 --C 2 --json"],
  ["drift", "one step (exact and Monte Carlo)", "drift --lyapunov thm2 --state 5,3 --policy abounce --lambda 0.9 --K 2 --C 2 --d inf --json"],
  ["drift", "with --steps (Monte Carlo only)", "drift --lyapunov thm3 --state 10,10 --policy mbounce --lambda 0.9 --K 2 --alpha 2 --steps 5 --json"],
  ["meanfield", "derived", "meanfield --policy abounce --lambda 0.75 --K 2 --C 2 --d 10 --json"],
  ["meanfield", "printed", "meanfield --policy mbounce --lambda 0.75 --K 2 --alpha 2 --d 10 --system printed --json"],
  ["meanfield", "with --refined", "meanfield --policy sqd --lambda 0.9 --d 1 --refined --n 10 --sampling all --json"],
  ["exact", "", "exact --policy abounce --n 2 --lambda 0.6 --K 2 --d inf --json"],
  ["exact", "three queues, sampling all", "exact --policy mbounce --n 3 --lambda 0.6 --K 2 --d 1 --sampling all --tolerance 1e-4 --json"],
  ["optimal", "", "optimal --lambda 0.5 --K 2 --truncation 24 --json"],
];

/** Commands whose outputs depend on files written by the ones before: validated in sequence by the study test below. */
const sequenced: readonly string[] = ["study plan", "study run", "study merge"];

const outputs = new Map<string, unknown>();

async function output(line: string): Promise<unknown> {
  const cached = outputs.get(line);
  if (cached !== undefined) return cached;
  await new Promise((resolve) => setTimeout(resolve, 10));
  const r = await captureOutput(() => runCli(line.split(" ")));
  assert.equal(r.code, 0, `${line}: ${r.stderr}`);
  assert.equal(r.stdout.trim().split("\n").length, 1, "one JSON object on one line");
  const value: unknown = JSON.parse(r.stdout);
  outputs.set(line, value);
  return value;
}

test("every command that prints JSON has a definition in the schema and a variant here", () => {
  const defs = Object.keys(schema.$defs);
  for (const { path, command } of commandPaths(COMMANDS)) {
    if (!command.flags().some((f) => f.name === "json")) continue;
    assert.ok(defs.includes(definitionOf(path)), `$defs/${definitionOf(path)}`);
    assert.ok(variants.some(([name]) => name === path) || sequenced.includes(path), `a variant of ${path}`);
  }
});

for (const [command, variant, line] of variants) {
  test(`--json of ${command}${variant ? ` (${variant})` : ""} validates against $defs/${definitionOf(command)}`, async () => {
    const value = await output(line);
    const validate = validator(definitionOf(command));
    assert.ok(validate(value), JSON.stringify(validate.errors, null, 1));
    assert.ok(ajv.validate(schema.$id, value), "and against the schema's top level");
  });
}

/** Every object with a mean or a ci95 is an estimate {mean, ci95: [lo, hi]}; every array called tail starts with 1. */
function conventionProblems(value: unknown, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, k) => conventionProblems(v, `${path}[${k}]`));
  if (value === null || typeof value !== "object") return [];
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  if ("ci95" in o || ("mean" in o && typeof o["mean"] !== "object")) {
    if (!("mean" in o) || !Array.isArray(o["ci95"]) || (o["ci95"] as unknown[]).length !== 2) problems.push(`${path}: an estimate must be {mean, ci95: [lo, hi]}`);
  }
  if (Array.isArray(o["tail"]) && (o["tail"] as unknown[])[0] !== 1) problems.push(`${path}.tail[0] = ${String((o["tail"] as unknown[])[0])}, not 1`);
  for (const [k, v] of Object.entries(o)) problems.push(...conventionProblems(v, `${path}.${k}`));
  return problems;
}

test("in every output every estimate is {mean, ci95: [lo, hi]} and every tail starts at P(Q >= 0) = 1", async () => {
  for (const [, , line] of variants) assert.deepEqual(conventionProblems(await output(line)), [], line);
  // d = inf prints as "inf" wherever the system is written.
  const drift = (await output(variants.find(([c]) => c === "drift")![2])) as { system: { samples: unknown } };
  assert.equal(drift.system.samples, "inf");
  const simulate = (await output(variants[0]![2])) as { params: { samples: unknown } };
  assert.equal(simulate.params.samples, "inf");
});

test("the shared definitions reject what breaks the conventions (the schema can fail)", async () => {
  const estimate = validator("Estimate");
  assert.ok(estimate({ mean: 1, ci95: [0.9, 1.1], halfWidth: 0.1 }), "extra fields allowed");
  assert.ok(estimate({ mean: 1, ci95: [null, null] }), "an interval that could not be formed is [null, null]");
  assert.ok(!estimate({ mean: 1 }), "an estimate without its interval");
  assert.ok(!estimate({ mean: 1, ci95: [0.9] }), "an interval of one number");
  assert.ok(!estimate({ mean: 1, ci95: [0.9, 1, 1.1] }), "an interval of three numbers");
  assert.ok(!estimate({ value: 1, lo: 0.9, hi: 1.1 }), "another shape");
  const tail = validator("ProbabilityTail");
  assert.ok(tail([1, 0.5, 0.25]));
  assert.ok(!tail([0.5, 0.25]), "a tail starting at P(Q >= 1)");
  assert.ok(!tail([]), "an empty tail");
  assert.ok(!tail([1, 1.5]), "a probability above 1");
  const samples = validator("Samples");
  assert.ok(samples(10) && samples("inf") && samples(0));
  assert.ok(!samples(null) && !samples("Infinity") && !samples(1.5), "d is an integer or \"inf\"");
  // A real output made wrong is rejected: the meanfield tail from P(Q >= 1), a simulate estimate without its interval.
  const mf = structuredClone((await output(variants.find(([c, v]) => c === "meanfield" && v === "derived")![2])) as { tail: number[] });
  mf.tail = mf.tail.slice(1);
  assert.ok(!validator("meanfield")(mf), "meanfield with tail[0] = P(Q >= 1)");
  const sim = structuredClone((await output(variants[0]![2])) as { meanDelay: { ci95?: unknown } });
  delete sim.meanDelay.ci95;
  assert.ok(!validator("simulate")(sim), "simulate with an estimate lacking ci95");
});

test("study plan, run and merge --json: one object each, valid against study-plan, study-run, study-merge, before and after the last shard", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mp-schema-study-"));
  const savedCache = process.env["MP_CACHE_DIR"];
  process.env["MP_CACHE_DIR"] = join(dir, "cache");
  try {
    // Two cells, n = 10, 2e4 events, two replications each; d = inf, so the merged systems carry "inf".
    const module = join(dir, "tiny.study.js");
    const src = resolve(__dirname, "..", "src");
    writeFileSync(module, `const { abounce } = require(${JSON.stringify(join(src, "model", "policy"))});
const { studyGrid } = require(${JSON.stringify(join(src, "study", "studyGrid"))});
module.exports = { name: "schema-study", seed: 5, simulation: { events: 20000, replications: 2, clock: "events" },
  cells: studyGrid({ lambda: [0.5, 0.7] }, ({ lambda }) => ({ queues: 10, arrivalRate: lambda, migrationPenalty: 2, policy: abounce(2, Infinity) })) };\n`);
    const manifest = join(dir, "m.json");
    const json = async (argv: string[], code = 0): Promise<{ value: Record<string, unknown>; stderr: string }> => {
      await new Promise((r) => setTimeout(r, 10));
      const r = await captureOutput(() => runCli(argv));
      assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout.trim().split("\n").length, 1, "one JSON object on one line");
      const value = JSON.parse(r.stdout) as Record<string, unknown>;
      const definition = definitionOf(argv.slice(0, 2).join(" "));
      const validate = validator(definition);
      assert.ok(validate(value), `${definition}: ${JSON.stringify(validate.errors, null, 1)}`);
      assert.ok(ajv.validate(schema.$id, value), "and against the schema's top level");
      assert.deepEqual(conventionProblems(value), [], argv.join(" "));
      return { value, stderr: r.stderr };
    };

    const plan = (await json(["study", "plan", module, "--out", manifest, "--shards", "2", "--json"])).value;
    assert.deepEqual([plan["study"], plan["manifest"], plan["cells"], plan["replications"], plan["plannedShards"]], ["schema-study", manifest, 2, 4, 2]);
    const run0 = (await json(["study", "run", manifest, "--shard", "0", "--of", "2", "--workers", "2", "--json"])).value;
    assert.deepEqual(run0["computed"], run0["units"]);
    assert.deepEqual(run0["failed"], []);

    const partial = await json(["study", "merge", manifest, "--cache", join(dir, "cache"), "--json"], 1);
    assert.equal(partial.value["complete"], false);
    assert.ok((partial.value["missing"] as unknown[]).length > 0, "shard 1's units are missing");
    assert.deepEqual(partial.value["cells"], []);
    assert.match(partial.stderr, /missing \d+ of 4 unit\(s\)/, "the lines on stderr stay");
    assert.ok(!validator("study-merge")({ ...partial.value, complete: true }), "an incomplete merge that claims to be complete is rejected");

    const run1 = (await json(["study", "run", manifest, "--shard", "1", "--of", "2", "--workers", "2", "--json"])).value;
    const missing = (partial.value["missing"] as { unit: string }[]).map((u) => u.unit);
    assert.deepEqual([...(run1["computed"] as string[])].sort(), missing.sort(), "shard 1 computes what the merge named as missing");
    const merged = (await json(["study", "merge", manifest, "--cache", join(dir, "cache"), "--json"])).value;
    assert.deepEqual([merged["complete"], merged["mergedCells"], merged["cacheDirectory"]], [true, 2, join(dir, "cache")]);
    const cells = merged["cells"] as { axes: { lambda: number }; system: { samples: unknown }; tail: number[]; meanQueueLength: { mean: number } }[];
    assert.deepEqual(cells.map((c) => c.axes.lambda), [0.5, 0.7]);
    for (const c of cells) {
      assert.equal(c.system.samples, "inf");
      assert.equal(c.tail[0], 1);
      assert.ok(c.meanQueueLength.mean > 0);
    }
  } finally {
    if (savedCache === undefined) delete process.env["MP_CACHE_DIR"];
    else process.env["MP_CACHE_DIR"] = savedCache;
    rmSync(dir, { recursive: true, force: true });
  }
});
