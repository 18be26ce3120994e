/**
 * Every @example in the doc comments of src/ is executed, and what it states it gives is checked
 * (test/support/exampleRunner.ts describes the notation), so the documentation cannot drift from the code.
 * Each example runs in a fresh temporary folder, with MP_DISPLAY=script (tables and claims as text on stdout,
 * figures as files whose path goes to stderr), figures and the results cache in temporary folders, and must
 * finish within EXAMPLE_SECONDS.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { check, extractExamples, instrument, lineMatches, mismatch, parsePattern } from "./support/exampleRunner";


/** Wall-clock limit of one example, in seconds (examples must run in seconds on a shared machine). */
const EXAMPLE_SECONDS = 10;

const root = resolve(__dirname, "..");
const src = join(root, "src");

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith(".ts") && !p.endsWith(".d.ts") && !p.endsWith(".as.ts")) out.push(p);
  }
  return out.sort();
}

test("the example notation: literals, prefixes, rounding, wildcards, attachment (a check of the checker)", async () => {
  const matches = (actual: unknown, literal: string, approximate = false): boolean => mismatch(actual, parsePattern(literal), approximate) === null;
  // numbers: rounding at the last written digit, prefixes truncate, integers are exact
  assert.ok(matches(2.246, "2.25") && !matches(2.256, "2.25") && !matches(2.244, "2.25"));
  assert.ok(matches(6.04e-7, "6.0e-7") && !matches(6.06e-7, "6.0e-7"));
  assert.ok(matches(0.44579, "0.4457...") && !matches(0.44569, "0.4457...") && !matches(0.4458, "0.4457..."));
  assert.ok(matches(-0.05128, "-0.0512...") && !matches(0.05128, "-0.0512...") && !matches(-0.0511, "-0.0512..."));
  assert.ok(matches(0.75 - 1e-17, "0.7500..."), "a few ulps below still start so");
  assert.ok(matches(47, "47") && !matches(47.0000001, "47"));
  assert.ok(matches(1.05, "1 (M/M/1)", true) && !matches(1.2, "1", true));
  assert.ok(matches(NaN, "NaN") && matches(-Infinity, "-Infinity") && !matches(0, "NaN"));
  // arrays: plain and typed are told apart; "..." for a prefix, a suffix or both ends
  assert.ok(matches(Float64Array.from([1, 0.5]), "Float64Array [1, 0.5]") && !matches(Float64Array.from([1, 0.5]), "[1, 0.5]"));
  assert.ok(!matches([1, 0.5], "Float64Array [1, 0.5]"));
  assert.ok(matches([1, 2, 3, 4], "[1, 2, ...]") && matches([1, 2, 3, 4], "[..., 4]") && matches([1, 2, 3, 4], "[1, ..., 4]"));
  assert.ok(!matches([1, 2, 3, 4], "[1, ..., 3]") && !matches([1, 2], "[1, 2, 3, ...]") && !matches([1, 2, 3], "[1, 2]"));
  // objects: exactly the keys written, or more with "..."
  assert.ok(matches({ a: 1, b: [1, 2, 3] }, "{ a: 1, b: [1, ...] } remark") && !matches({ a: 1, b: 2 }, "{ a: 1 }"));
  assert.ok(matches({ a: 1, b: 2 }, "{ a: 1, ... }") && matches({ "a b": "x" }, `{ "a b": 'x' }`));
  // a remark must be separated from the literal
  assert.throws(() => parsePattern("the lower bound of the interval"));
  assert.throws(() => parsePattern("1 = lambda / (1 - lambda)"));
  assert.equal(parsePattern("[3, 7] (then 12)").t, "array");
  // output lines: whole lines, "..." inside a line
  assert.ok(lineMatches("  points: 8 / 8 (100%), done in 0.3 s ", "points: 8 / 8 (100%), done in ... s"));
  assert.ok(!lineMatches("a points: 8 / 8", "points: 8 / 8"));
  // statements and their comments
  assert.equal(instrument("const x = f(1); // => 3\ng(x) // => [1]").checks, 2);
  assert.equal(instrument("const x = f(1);\n// => {\n//   a: 1,\n// }\nx").checks, 1, "a literal continues while its brackets are open");
  assert.equal(instrument("f(); // prints: a\n// prose\ng()").checks, 1);
  assert.equal(instrument("// prose\nf()").checks, 0);
  assert.match(instrument("const r = f();\nr.x // => 3").program, /^const r = f\(\);\nawait __check\(async \(\) => \(r\.x\)/, "a comment belongs to the statement before it");
  assert.throws(() => instrument("for (const x of [1]) {\n  f(x); // => 1\n}"), /not attached/);
  assert.throws(() => instrument("f();\n\n// => 1"), /not attached/);
  assert.throws(() => instrument("f(); // => the answer"), /a literal/);
  assert.throws(() => instrument("f(); // prints:"), /no output line/);
  assert.throws(() => instrument("f(); // throws ParameterError: n = 0 is out of range"), /quoted/);
  assert.equal(instrument('f(); // throws ParameterError: "n = 0" (the message names n)').checks, 1);
  const { program, declared } = instrument('import * as mp from "migration-penalties";\nimport { join as j, type X } from "node:path";\nconst p = j("a", "b"); // => "a/b"');
  assert.ok(declared.has("mp") && declared.has("j") && declared.has("p") && !declared.has("X"));
  assert.match(program, /const mp = __import\("migration-penalties"\);/);
  assert.match(program, /const \{ join: j \} = __import\("node:path"\);/);
  // the checks themselves fail when they should
  const spec = (text: string) => ({ kind: "value" as const, text, approximate: false, line: 1 });
  await assert.rejects(check(async () => 3, spec("4")), /line 1: value: 3 !== 4/);
  assert.equal(await check(async () => 3, spec("3")), 3);
  await assert.rejects(check(async () => 1, { kind: "throws", name: null, fragment: null, line: 2 }), /nothing was thrown/);
  await assert.rejects(check(async () => { throw new RangeError("x"); }, { kind: "throws", name: "TypeError", fragment: null, line: 2 }), /expected TypeError/);
  await assert.rejects(check(async () => { throw new Error("abc"); }, { kind: "throws", name: null, fragment: "abd", line: 2 }), /containing "abd"/);
  await assert.rejects(check(async () => void console.log("b\na"), { kind: "prints", stream: "stdout", lines: ["a", "b"], line: 3 }), /the line "b" after/);
  assert.equal(await check(async () => (console.log("a\nb"), 5), { kind: "prints", stream: "stdout", lines: ["a", "b"], line: 3 }), 5);
});

test("every @example in src/ runs and gives what it states", async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), "mp-examples-"));
  const saved = { MP_DISPLAY: process.env["MP_DISPLAY"], MP_CACHE_DIR: process.env["MP_CACHE_DIR"], MP_FIGURE_DIR: process.env["MP_FIGURE_DIR"] };
  const cwd = process.cwd();
  process.env["MP_DISPLAY"] = "script";
  process.env["MP_CACHE_DIR"] = join(tmp, "cache");
  process.env["MP_FIGURE_DIR"] = join(tmp, "figures");
  const barrel = (await import(join(src, "index.ts"))) as Record<string, unknown>;
  // MP_EXAMPLES=src/study runs only the files whose path contains it (while writing examples).
  const only = process.env["MP_EXAMPLES"] || undefined;
  let count = 0;
  let folders = 0;
  try {
    for (const file of sources(src)) {
      const rel = relative(root, file);
      const examples = extractExamples(rel, readFileSync(file, "utf8"));
      if (examples.length === 0 || (only !== undefined && !rel.includes(only))) continue;
      await t.test(rel, async () => {
        const own = (await import(file)) as Record<string, unknown>;
        const scope: Record<string, unknown> = { ...barrel, ...own };
        const load = (spec: string): unknown => {
          if (spec === "migration-penalties") return barrel;
          return require(spec.startsWith(".") ? resolve(dirname(file), spec) : spec);
        };
        const loadDefault = (spec: string): unknown => {
          const m = load(spec) as { __esModule?: boolean; default?: unknown };
          return m !== null && typeof m === "object" && m.__esModule ? m.default : m;
        };
        const failures: string[] = [];
        for (const ex of examples) {
          count++;
          const where = `${ex.file}:${ex.line}`;
          const folder = join(tmp, `example-${folders++}`);
          let environment: NodeJS.ProcessEnv = { ...process.env };
          try {
            const { program, declared, checks } = instrument(ex.code);
            if (checks === 0) throw new Error("states no outcome (// =>, // prints:, // stderr: or // throws)");
            const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !declared.has(n) && n !== "default");
            const body = `return (async () => {\nconst { ${names.join(", ")} } = __scope;\n${program}\n})();`;
            const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
            const run = new Function("__scope", "__check", "__import", "__importDefault", js) as
              (s: unknown, c: typeof check, i: typeof load, d: typeof loadDefault) => Promise<void>;
            rmSync(folder, { recursive: true, force: true });
            mkdirSync(folder, { recursive: true });
            process.chdir(folder);
            environment = { ...process.env };
            const started = performance.now();
            await run(scope, check, load, loadDefault);
            const seconds = (performance.now() - started) / 1000;
            if (seconds > EXAMPLE_SECONDS) failures.push(`${where}: took ${seconds.toFixed(1)} s (examples must run within ${EXAMPLE_SECONDS} s)`);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const line = /^line (\d+): /.exec(message);
            const at = line ? `${ex.file}:${ex.codeLine + Number(line[1]) - 1}` : where;
            failures.push(`${at} (example at line ${ex.line}): ${message.replace(/^line \d+: /, "").split("\n").slice(0, 4).join(" | ")}`);
          } finally {
            process.chdir(cwd);
            // An example may set environment variables; the next one starts without them.
            for (const k of Object.keys(process.env)) if (!(k in environment)) delete process.env[k];
            Object.assign(process.env, environment);
          }
        }
        assert.deepEqual(failures, [], `${failures.length} of ${examples.length} example(s) fail:\n${failures.join("\n")}`);
      });
    }
  } finally {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  t.diagnostic(`${count} examples run`);
  if (only === undefined) assert.ok(count > 100, `found ${count} examples`);
});
