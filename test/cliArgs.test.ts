/**
 * The command line's flag parser (src/cli/args.ts), its policy flags (src/cli/policyFlags.ts) and its number
 * formats (src/cli/format.ts): the doc examples as written, the order of the checks, defaults computed from other
 * flags, conditions, conflicts, words, and help generated from the declarations (every declared flag of every
 * command appears in its help, and every example in a help parses).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import {
  type CliCommand, type CliCommandGroup, CliUsageError, type FlagDeclaration, type ParsedFlags, commandHelp, commandPaths, describeFlagRange,
  groupHelp, isCommandGroup, isUsageError, parseFlags, readNumber, readableNumber, renameParameterError, suggestFlag,
} from "../src/cli/args";
import { driftReport, formatDriftReport } from "../src/cli/commands/drift";
import { exactArguments } from "../src/cli/commands/exact";
import { command as meanfield, meanfieldOptions, parseMeanfieldArgs } from "../src/cli/commands/meanfield";
import { configurationLine, simulateArguments } from "../src/cli/commands/simulate";
import { formatTheoryReport, theoryReport } from "../src/cli/commands/theory";
import { resolveSimulationOptions } from "../src/simulate/simulationOptions";
import { formatBeyondRounding, formatCount, formatEstimate, formatSignificant, formatToPlace, formatWithError } from "../src/cli/format";
import { COMMANDS, runCli } from "../src/cli/main";
import { captureOutput } from "./support/captureOutput";
import { describePolicy, flagNames, policyFlags, policyFromFlags, samplingFromFlags, systemJson } from "../src/cli/policyFlags";
import { ParameterError } from "../src/model/parameterError";
import { abounce } from "../src/model/policy";

const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CliUsageError || e instanceof ParameterError, String(e));
    return (e as Error).message;
  }
  return "no error";
};

test("doc examples of args.ts and format.ts show real output", () => {
  assert.equal(readNumber("1e6"), 1e6);
  assert.equal(readNumber("INF", true), Infinity);
  assert.ok(Number.isNaN(readNumber("abc")));
  assert.ok(Number.isNaN(readNumber("0x10")), "hexadecimal is not a number here");
  assert.ok(Number.isNaN(readNumber("")), "nor is an empty value");
  assert.ok(Number.isNaN(readNumber("inf")), "inf only where allowed");
  assert.equal(readableNumber(2 ** 50), "2^50 ≈ 1.1e15");
  assert.equal(readableNumber(2 ** 12), "2^12 = 4096");
  assert.equal(readableNumber(2 ** -12), "2^-12 ≈ 2.4e-4");
  assert.equal(readableNumber(0xffffffff), "2^32 - 1 ≈ 4.3e9");
  assert.equal(readableNumber(1e10), "1e10");
  assert.equal(readableNumber(0.75), "0.75");
  assert.equal(readableNumber(3002399751580328), "3002399751580328 ≈ 3e15");
  assert.equal(readableNumber(Infinity), "inf");
  assert.equal(describeFlagRange({ name: "events", kind: "integer", help: "", group: "run", min: 40, max: 2 ** 50 }), "an integer in [40, 2^50 ≈ 1.1e15]");
  assert.equal(suggestFlag("evnts", ["events", "time", "warmup"]), "events");
  assert.equal(suggestFlag("k", ["K", "C"]), "K");
  assert.equal(suggestFlag("x", ["n", "d"]), undefined);
  assert.equal(suggestFlag("rep", ["replications", "refined"]), "replications", "a unique prefix");
  assert.equal(suggestFlag("re", ["replications", "refined"]), undefined, "an ambiguous prefix");
  assert.equal(formatSignificant(0.8866175248374878, 10), "0.8866175248");
  assert.equal(formatSignificant(2.147038870254383e-12, 4), "2.147e-12");
  assert.equal(formatSignificant(1e7), "10000000");
  assert.equal(formatToPlace(2.24613, -3), "2.246");
  assert.equal(formatToPlace(0.0000026312, -7), "2.6e-6");
  assert.equal(formatEstimate({ mean: 2.246134, ci95: [2.239812, 2.252456] }), "2.2461 [2.2398, 2.2525]");
  assert.equal(formatEstimate({ mean: 0.0031684210526316, ci95: [-0.016497222288245385, 0.02283406439350858] }), "0.003 [-0.016, 0.023]");
  assert.equal(formatEstimate({ mean: 1.28, ci95: [NaN, NaN] }), "1.28 (no interval)");
  assert.equal(formatWithError(3.2255159123, 2.2e-6), "3.225516");
  assert.equal(formatWithError(0.8941043369681516, 1e-12), "0.8941043370");
  assert.equal(formatBeyondRounding(1.1102230246251565e-16, 4.9e-15), "0");
  assert.equal(formatBeyondRounding(0.9473684210526336, 4.9e-15), "0.9473684211");
  assert.equal(formatCount(10000), "10000");
  assert.equal(formatCount(1e7), "1e7");
  assert.equal(formatCount(2000000000), "2e9");
  assert.equal(formatCount(2500000), "2.5e6");
});

const demo: FlagDeclaration[] = [
  { name: "mode", kind: "choice", help: "mode", group: "g", choices: ["a", "b"], required: true },
  { name: "K", kind: "integer", help: "K", group: "g", min: 1, default: 1 },
  { name: "C", kind: "number", help: "C", group: "g", appliesWhen: [{ flag: "mode", values: ["a"] }], default: (v) => 2 * v.number("K") },
  { name: "list", kind: "list", help: "list", group: "g", integerElements: true, min: 0, allowInfinity: true },
  { name: "check", kind: "integer", help: "check", group: "g", min: 1, words: { none: false } },
  { name: "events", kind: "integer", help: "events", group: "g", min: 1 },
  { name: "time", kind: "number", help: "time", group: "g", conflictsWith: ["events"] },
  { name: "json", kind: "boolean", help: "json", group: "g" },
];

test("parseFlags: forms, defaults from earlier flags, conditions, words, lists, conflicts", () => {
  const v = parseFlags(["--mode", "a", "--K=3", "--list", "3,4,inf", "--check", "none", "--json"], demo, "demo");
  assert.equal(v.number("C"), 6, "C defaults to 2K, from the K given");
  assert.deepEqual(v.optionalList("list"), [3, 4, Infinity]);
  assert.equal(v.value("check"), false);
  assert.equal(v.boolean("json"), true);
  assert.equal(v.has("C"), false);
  assert.equal(v.has("K"), true);
  assert.equal(v.raw("K"), "3");
  const b = parseFlags(["--mode", "B"], demo, "demo");
  assert.equal(b.string("mode"), "b", "choices match any case");
  assert.equal(b.value("C"), undefined, "a flag that does not apply has no default");
  assert.equal(usage(() => parseFlags(["--mode", "b", "--C", "1"], demo, "demo")), "--C applies only to --mode a, not to --mode b");
  assert.equal(usage(() => parseFlags(["--C", "1"], demo, "demo")), "--mode is required: one of a, b", "the flag others depend on comes first");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--list", "3,1.5"], demo, "demo")), "--list = \"3,1.5\" is out of range: integers separated by commas (each >= 0) (inf allowed) (1.5 is not)");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--list", "3,,4"], demo, "demo")), "--list = \"3,,4\": \"\" is not a number (expected integers separated by commas (each >= 0) (inf allowed))");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--check", "inf"], demo, "demo")), "--check = \"inf\" is out of range: an integer >= 1, or none");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--events", "5", "--time", "1"], demo, "demo")), "--time and --events cannot be given together: choose one");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--json", "--json"], demo, "demo")), "--json is given twice (--json, then --json): give each flag once");
  assert.equal(usage(() => parseFlags(["--mode", "c"], demo, "demo")), "--mode = \"c\" is out of range: one of a, b");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--K", "-2"], demo, "demo")), "--K = -2 is out of range: an integer >= 1");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--K", "inf"], demo, "demo")), "--K = \"inf\" is out of range: an integer >= 1");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--time", "Infinity"], demo, "demo")), "--time = \"Infinity\" is out of range: a finite number");
  assert.equal(usage(() => parseFlags(["--mode", "a", "--list", "1,inf,-inf"], demo, "demo")), "--list = \"1,inf,-inf\" is out of range: integers separated by commas (each >= 0) (inf allowed) (-inf is not)");
  const e = (() => {
    try {
      parseFlags(["--mode", "a", "--evnts", "5"], demo, "demo");
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  assert.ok(e instanceof CliUsageError && e instanceof ParameterError && e.parameter === "--evnts", "a usage error is a ParameterError naming the flag");
});

test("declarations that collide or depend on undeclared flags are programming errors, not usage errors", () => {
  const twice: FlagDeclaration[] = [demo[0]!, { ...demo[0]! }];
  assert.throws(() => parseFlags([], twice, "demo"), (e: unknown) => e instanceof Error && !(e instanceof ParameterError) && /declared twice/.test(e.message));
  const dangling: FlagDeclaration[] = [{ name: "x", kind: "number", help: "", group: "g", appliesWhen: [{ flag: "nope" }] }];
  assert.throws(() => parseFlags([], dangling, "demo"), /depends on undeclared --nope/);
  for (const { path, command } of commandPaths(COMMANDS)) assert.doesNotThrow(() => commandHelp(command, path), `${path}: its flags are unique and consistent`);
});

test("every command's help lists every declared flag with its range, and every example in it parses", () => {
  for (const { path, command: c } of commandPaths(COMMANDS)) {
    const help = commandHelp(c, path);
    assert.match(help, new RegExp(`^usage: migration-penalties ${path} `), path);
    for (const f of c.flags()) {
      assert.ok(help.includes(`--${f.name}`), `${path} --help lists --${f.name}`);
      if (f.kind !== "boolean" && f.kind !== "string") {
        // The range may wrap: compare with white space collapsed.
        assert.ok(help.replace(/\s+/g, " ").includes(describeFlagRange(f)), `${path} --${f.name}: ${describeFlagRange(f)}`);
      }
    }
    for (const p of c.positionals ?? []) assert.ok(help.includes(`<${p.name}>`), `${path} <${p.name}>`);
    if (c.flags().some((f) => f.name === "json")) assert.match(help, /JSON:\n[^]*tail\[i\] = P\(Q >= i\)/);
    for (const example of c.examples) {
      assert.ok(example.startsWith(`${path} `), example);
      const argv = example.slice(path.length + 1).split(" ");
      assert.doesNotThrow(() => parseFlags(argv, c.flags(), path, c.positionals ?? []), example);
    }
  }
});

test("policy flags come from the declarations: defaults per policy, d only for policies that sample", () => {
  const flags = policyFlags();
  const names = flags.map((f) => f.name);
  for (const name of ["policy", "K", "C", "alpha", "migrate-from", "d", "sampling", "allow-outside-paper"]) assert.ok(names.includes(name), name);
  assert.ok(names.indexOf("K") < names.indexOf("C"), "K comes before the parameters whose defaults depend on it");
  const a = parseFlags(["--policy", "abounce", "--K", "3", "--d", "inf"], flags, "demo");
  assert.deepEqual(policyFromFlags(a), abounce(3, Infinity), "C defaults to K");
  assert.equal(parseFlags(["--policy", "mbounce"], flags, "demo").number("alpha"), 2);
  assert.equal(parseFlags(["--policy", "none"], flags, "demo").value("d"), undefined, "no d for a policy that samples nothing");
  assert.equal(describePolicy(abounce(2, Infinity)), "ABOUNCE(2,inf) (C = 2, d = inf)");
  assert.deepEqual(systemJson({ queues: 2, arrivalRate: 0.5, migrationPenalty: 2, policy: abounce(2, Infinity) }), {
    queues: 2, arrivalRate: 0.5, migrationPenalty: 2, policy: "ABOUNCE(2,inf)", policyKind: "abounce", samples: "inf", parameters: { threshold: 2 }, sampling: "others",
  });
});

test("renameParameterError names the flag, indexed parameters included, and the flags for opting out", () => {
  assert.equal((renameParameterError(new ParameterError("threshold (C)", 1, "a finite number >= K = 2"), { "threshold (C)": "--C" }) as Error).message,
    "--C = 1 is out of range: a finite number >= K = 2");
  assert.equal((renameParameterError(new ParameterError("migrateFrom[2]", -1, "an integer >= 0"), { "migrateFrom[": "--migrate-from" }) as Error).message,
    "--migrate-from[2] = -1 is out of range: an integer >= 0");
  assert.equal((renameParameterError(new ParameterError("ratio (alpha)", 1, "a finite number > 1", "pass allowOutsidePaper to explore"), { "ratio (alpha)": "--alpha" }) as Error).message,
    "--alpha = 1 is out of range: a finite number > 1 (add --allow-outside-paper to explore)");
  const other = new Error("not a parameter");
  assert.equal(renameParameterError(other, {}), other);
});

test("doc examples of the policy flags and of the commands' text output show real output", () => {
  assert.deepEqual(policyFlags().map((f) => f.name).slice(0, 4), ["policy", "K", "C", "alpha"]);
  assert.equal(samplingFromFlags(parseFlags(["--policy", "none"], policyFlags(), "demo")), "others");
  assert.equal(flagNames()["threshold (C)"], "--C");
  assert.equal(isUsageError(new ParameterError("--n", 0, "an integer >= 1")), true);
  assert.equal(isUsageError(new Error("disk full")), false);
  assert.equal(new CliUsageError("--events", undefined, "an integer", "--events: missing value").message, "--events: missing value");
  assert.equal(formatTheoryReport(theoryReport({ migrationPenalty: 2, threshold: 2 })).split("\n")[2], "Theorem 2 lambda* (claimed unstable above):   0.8866175248");
  assert.equal(formatDriftReport(driftReport({ lyapunov: "thm2", state: [5, 3], policy: abounce(2, Infinity), arrivalRate: 0.9, migrationPenalty: 2 })).split("\n")[1],
    "exact one-step drift:      0 (|computed value| <= 1.6e-15, the rounding error of the sum)");
  assert.deepEqual(parseMeanfieldArgs(["--policy", "abounce", "--lambda", "0.75", "--K", "2", "--d", "10"]).policy, abounce(2, 10));
  assert.equal(meanfieldOptions(parseFlags(["--policy", "sqd", "--lambda", "0.9", "--refined", "--n", "10"], meanfield.flags(), "meanfield")).refinedQueues, 10);
  assert.deepEqual(simulateArguments(["--policy", "abounce", "--lambda", "0.75", "--K", "2", "--d", "10"]).params.policy, abounce(2, 10));
  assert.deepEqual(exactArguments(["--policy", "abounce", "--n", "2", "--lambda", "0.6", "--K", "2", "--d", "inf"]).params.policy, abounce(2, Infinity));
  const params = simulateArguments(["--policy", "abounce", "--lambda", "0.75", "--K", "2", "--C", "2", "--d", "10"]).params;
  const workers = Math.min(4, Math.max(1, availableParallelism()));
  assert.equal(configurationLine(params, resolveSimulationOptions(params, { events: 1e7, replications: 4 })),
    "simulate: ABOUNCE(2,10) (C = 2, d = 10), n = 100, lambda = 0.75, K = 2, sampling others; 4 replications of " +
    `1e7 events after a warm-up of 1e6 events; seed 1, clock time, ${workers} worker${workers === 1 ? "" : "s"}`);
});

test("groups of subcommands with positional arguments: dispatch, help, refusals (the shape a command like study takes)", async () => {
  const seen: Array<{ manifest: string | undefined; shard: number | undefined; out: string | undefined }> = [];
  const runSub: CliCommand = {
    name: "run",
    summary: "runs one shard",
    description: "Runs the units of one shard of a manifest.",
    positionals: [{ name: "manifest", help: "the manifest file" }],
    flags: () => [
      { name: "shard", kind: "integer", group: "shard", min: 0, help: "this shard" },
      { name: "out", kind: "string", group: "output", metavar: "FILE", help: "where to write" },
    ],
    examples: ["demo run m.json --shard 0"],
    async run(v: ParsedFlags) {
      seen.push({ manifest: v.positional("manifest"), shard: v.optionalNumber("shard"), out: v.optionalString("out") });
      return 0;
    },
  };
  const group: CliCommandGroup = { name: "demo", summary: "a group", description: "A group of subcommands.", subcommands: [runSub] };
  assert.ok(isCommandGroup(group) && !isCommandGroup(runSub));
  assert.deepEqual(commandPaths([group]).map((c) => c.path), ["demo run"]);
  assert.equal(groupHelp({ name: "g", summary: "", description: "A group.", subcommands: [] }).split("\n")[0], "usage: migration-penalties g <subcommand> [flags]");
  const cli = (line: string) => captureOutput(() => runCli(line.split(" "), [group]));
  assert.equal((await cli("demo run m.json --shard 2 --out=r.json")).code, 0);
  assert.deepEqual(seen.pop(), { manifest: "m.json", shard: 2, out: "r.json" });
  assert.equal((await cli("demo run --shard 1 m.json")).code, 0, "positionals anywhere among the flags");
  assert.deepEqual(seen.pop(), { manifest: "m.json", shard: 1, out: undefined });
  const help = await cli("demo run --help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: migration-penalties demo run <manifest> \[flags\]/);
  assert.match(help.stdout, /arguments:\n  <manifest>  the manifest file \(required\)/);
  assert.match((await cli("demo --help")).stdout, /subcommands:\n  run  runs one shard/);
  const missing = await cli("demo run --shard 1");
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, "migration-penalties demo run: <manifest> is required: the manifest file (see demo run --help)\n");
  const extra = await cli("demo run m.json n.json");
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /unexpected argument "n\.json"/);
  const unknown = await cli("demo rum m.json");
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, "migration-penalties demo: unknown subcommand \"rum\"; did you mean run?; subcommands: run\n");
  const badFlag = await cli("demo run m.json --shrad 1");
  assert.match(badFlag.stderr, /^migration-penalties demo run: unknown flag --shrad; did you mean --shard\? \(see demo run --help\)/);
});
