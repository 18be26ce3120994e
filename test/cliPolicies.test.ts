/**
 * The command line reads policies from their declarations: every declared kind that a command line can build
 * runs in simulate, drift, meanfield and exact with the flags its declaration names, and builds the same policy
 * as the API (same label); a policy declared in a new file of src/model/policies/ (written by this test into a
 * temporary copy of src/) works in every command, with its flags in the help and refused for other policies,
 * with no change to src/cli.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCli } from "../src/cli/main";
import { commandLinePolicies } from "../src/cli/policyFlags";
import { type PolicySpec, policyDeclaration, policyLabel, switchingCurve, validatePolicy } from "../src/model/policy";
import { captureOutput } from "./support/captureOutput";

const root = resolve(__dirname, "..");

/** The policy flags that build `spec` (parameters by their declared symbols, d as "inf" when infinite). */
function policyArgs(spec: PolicySpec): string[] {
  const declaration = policyDeclaration(spec);
  const show = (x: number): string => (x === Infinity ? "inf" : String(x));
  const args = ["--policy", spec.kind];
  for (const p of declaration.parameters) {
    const v = spec[p.name] as number | readonly number[];
    args.push(`--${p.symbol}`, Array.isArray(v) ? v.map(show).join(",") : show(v as number));
  }
  if (declaration.sampled) args.push("--d", show(spec.samples as number));
  return args;
}

/** A K for which the example is valid under the paper's constraints (sqd needs K = 1). */
function validK(spec: PolicySpec): number {
  for (const K of [2, 1]) {
    try {
      validatePolicy(spec, K);
      return K;
    } catch {
      // try the next
    }
  }
  throw new Error(`no K in {1, 2} for ${policyLabel(spec)}`);
}

async function json(argv: string[]): Promise<Record<string, unknown>> {
  await new Promise((r) => setTimeout(r, 10));
  const out = await captureOutput(() => runCli(argv));
  assert.equal(out.code, 0, `${argv.join(" ")}: ${out.stderr}`);
  return JSON.parse(out.stdout) as Record<string, unknown>;
}

/** The examples to run: the first example of each declaration with finite d, and SWITCH([3, 4, inf], 2). */
function cases(): PolicySpec[] {
  const specs: PolicySpec[] = [];
  for (const declaration of commandLinePolicies()) {
    const examples = declaration.examples(2);
    specs.push(examples.find((s) => s.samples === undefined || Number.isFinite(s.samples as number)) ?? examples[0]!);
  }
  specs.push(switchingCurve([3, 4, Infinity], 2));
  return specs;
}

test("the command line offers every declared policy that is plain data, and nothing else", () => {
  const kinds = commandLinePolicies().map((p) => p.kind);
  for (const kind of ["none", "abounce", "mbounce", "sqd", "switching"]) assert.ok(kinds.includes(kind), kind);
  assert.ok(!kinds.includes("custom"), "a rule given as a function cannot be typed on a command line");
  // Nothing in src/cli lists the kinds or tests a policy's kind.
  const sources = readdirSync(join(root, "src/cli"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const file of sources) {
    const text = readFileSync(join(root, "src/cli", file), "utf8");
    // A policy's kind compared (flag.kind is a flag's, not a policy's), a switch over kinds, or a list of kinds.
    assert.doesNotMatch(text, /(policy|spec|kindOrSpec)\??\.kind\s*[!=]==|case\s+"(none|abounce|mbounce|sqd|switching)"|"(none|abounce|mbounce|sqd|switching)"\s*,\s*"(none|abounce|mbounce|sqd|switching)"/, file);
  }
});

for (const spec of cases()) {
  test(`${policyLabel(spec)} runs in simulate, drift, meanfield and exact from its declared flags`, async () => {
    const K = String(validK(spec));
    const flags = [...policyArgs(spec), "--K", K];
    const label = policyLabel(spec);
    const simulated = await json(["simulate", ...flags, "--n", "10", "--lambda", "0.5", "--events", "2e4", "--clock", "events", "--json"]);
    assert.equal((simulated["params"] as { policy: string }).policy, label);
    const alpha = policyDeclaration(spec).parameters.some((p) => p.symbol === "alpha") ? [] : ["--lyapunov-alpha", "2"];
    const drift = await json(["drift", "--lyapunov", "thm3", "--state", "6,2,0", ...flags, "--lambda", "0.5", ...alpha, "--samples", "1000", "--json"]);
    assert.equal(drift["policy"], label);
    const meanfield = await json(["meanfield", ...flags, "--lambda", "0.5", "--json"]);
    assert.equal((meanfield["system"] as { policy: string }).policy, label);
    assert.equal(meanfield["converged"], true);
    const exact = await json(["exact", ...flags, "--n", "2", "--lambda", "0.5", "--tolerance", "1e-4", "--json"]);
    assert.equal((exact["system"] as { policy: string }).policy, label);
  });
}

/** A policy declared in one new file: migrate when q_i > rho q_i* + f, with two parameters and their own symbols. */
const RATIO_FLOOR = `import { requireNumber } from "../parameterError";
import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";
import { formatSamples, requireSamples } from "./samples";

export interface RatioFloorSpec extends PolicySpec {
  readonly kind: "ratio-floor";
  readonly ratio: number;
  readonly floor: number;
  readonly samples: number;
}

export const declaration: PolicyDeclaration<RatioFloorSpec> = {
  kind: "ratio-floor",
  title: "RATIO-FLOOR(rho, f, d)",
  summary: "migrate K jobs to the shortest of d sampled queues when q_i > rho q_i* + f",
  sampled: true,
  transferable: true,
  parameters: [
    { name: "ratio", symbol: "rho", type: "number", defaultValue: () => 1.5, description: "the ratio rho >= 1" },
    { name: "floor", symbol: "floor", type: "number", defaultValue: (K) => K, description: "the additive floor f >= 0" },
  ],
  create: (values, samples) => ({ kind: "ratio-floor", ratio: values["ratio"] as number, floor: values["floor"] as number, samples }),
  label: (spec) => \`RF(\${spec.ratio},\${spec.floor},\${formatSamples(spec.samples)})\`,
  validate(spec) {
    requireSamples(spec.samples);
    requireNumber("ratio (rho)", spec.ratio, 1, Infinity, { loInclusive: true });
    requireNumber("floor", spec.floor, 0, Infinity, { loInclusive: true });
  },
  rule: (spec) => (own, target) => own > spec.ratio * target + spec.floor,
  properties: () => ({ monotoneInTarget: true, translationInvariant: false, meanField: true }),
  examples: (K) => [{ kind: "ratio-floor", ratio: 1.5, floor: K, samples: 2 }],
};
`;

test("a policy declared in a new file of src/model/policies/ works in every command with no change to src/cli", () => {
  const copy = mkdtempSync(join(tmpdir(), "mp-cli-policy-"));
  try {
    cpSync(join(root, "src"), join(copy, "src"), { recursive: true });
    for (const file of ["tsconfig.json", "package.json"]) cpSync(join(root, file), join(copy, file));
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
    writeFileSync(join(copy, "src/model/policies/ratioFloor.ts"), RATIO_FLOOR);
    const cli = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
      const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: copy, encoding: "utf8" });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const policy = ["--policy", "ratio-floor", "--rho", "1.5", "--K", "2"];
    const simulated = cli("simulate", ...policy, "--n", "10", "--lambda", "0.5", "--events", "2e4", "--json");
    assert.equal(simulated.code, 0, simulated.stderr);
    assert.equal(JSON.parse(simulated.stdout).params.policy, "RF(1.5,2,2)", "--floor defaults to K, --d to 2");
    assert.match(simulated.stderr, /simulate: RF\(1\.5,2,2\) \(rho = 1\.5, floor = 2, d = 2\)/);
    const drift = cli("drift", "--lyapunov", "thm3", "--state", "6,2", ...policy, "--floor", "0", "--d", "inf", "--lambda", "0.5", "--lyapunov-alpha", "2", "--json");
    assert.equal(drift.code, 0, drift.stderr);
    assert.equal(JSON.parse(drift.stdout).policy, "RF(1.5,0,inf)");
    const meanfield = cli("meanfield", ...policy, "--lambda", "0.5", "--json");
    assert.equal(meanfield.code, 0, meanfield.stderr);
    assert.equal(JSON.parse(meanfield.stdout).system.policy, "RF(1.5,2,2)");
    const exact = cli("exact", ...policy, "--n", "2", "--lambda", "0.5", "--tolerance", "1e-4", "--json");
    assert.equal(exact.code, 0, exact.stderr);
    assert.equal(JSON.parse(exact.stdout).system.policy, "RF(1.5,2,2)");
    const help = cli("exact", "--help");
    assert.match(help.stdout, /ratio-floor\s+RATIO-FLOOR\(rho, f, d\)/);
    assert.match(help.stdout, /--rho R\s+the ratio rho >= 1\.\s+Value: a finite number\.\s+Only with --policy ratio-floor\.\s+Default\s+1\.5\./);
    assert.match(help.stdout, /--floor F\s+the additive floor f >= 0\.\s+Value: a finite number\.\s+Only with --policy ratio-floor\.\s+Default\s+K\./);
    const misplaced = cli("simulate", "--policy", "abounce", "--rho", "2", "--lambda", "0.5");
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /--rho applies only to --policy ratio-floor, not to --policy abounce/);
    const invalid = cli("exact", "--policy", "ratio-floor", "--rho", "0.5", "--n", "2", "--lambda", "0.5");
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /--rho = 0\.5 is out of range/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
