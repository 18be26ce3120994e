/**
 * One output schema for every command: each command's real --json output (run through runCli) validates against
 * its definition in src/cli/outputSchema.json (JSON Schema draft 2020-12, checked by ajv), for every command and
 * its main variants; the schema's shared definitions (Estimate, Tail, Samples) reject what breaks the
 * conventions; and every estimate in every output is {mean, ci95: [lo, hi]}, every tail starts at P(Q >= 0) = 1.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { commandPaths } from "../src/cli/args";
import { COMMANDS, runCli } from "../src/cli/main";
import { captureOutput } from "./support/captureOutput";

const schema = JSON.parse(readFileSync(resolve(__dirname, "../src/cli/outputSchema.json"), "utf8")) as { $id: string; $defs: Record<string, unknown> };

// Strict mode, except for open tuples (a tail is "1, then numbers": prefixItems with further items) and required
// properties declared in a referenced schema (ajv's strictRequired does not follow $ref).
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, strictRequired: false });
ajv.addSchema(schema);

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
    assert.ok(defs.includes(path), `$defs/${path}`);
    assert.ok(variants.some(([name]) => name === path), `a variant of ${path}`);
  }
});

for (const [command, variant, line] of variants) {
  test(`--json of ${command}${variant ? ` (${variant})` : ""} validates against $defs/${command}`, async () => {
    const value = await output(line);
    const validate = validator(command);
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
