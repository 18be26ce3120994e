// `npm run build` (scripts/build.js) and `npm run docs` (scripts/docs.js): each runs in a throw-away project (a
// two-file src/, this checkout's node_modules linked), so that tsc and TypeDoc take a second or two.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");

function makeProject(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), "mp-scripts-"));
  mkdirSync(join(dir, "scripts"));
  copyFileSync(join(root, "scripts", script), join(dir, "scripts", script));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "src", "sub"), { recursive: true });
  writeFileSync(join(dir, "src", "index.ts"), 'export { b } from "./sub/b";\n/** One. */\nexport const a: number = 1;\n');
  writeFileSync(join(dir, "src", "sub", "b.ts"), "/** Two. */\nexport const b: number = 2;\n");
  // An AssemblyScript kernel beside them: tsc does not compile it, so it has no outputs and must not force full builds.
  writeFileSync(join(dir, "src", "sub", "k.as.ts"), "export function f(x: i32): i32 { return x; }\n");
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { outDir: "dist", rootDir: "src", declaration: true, strict: true, module: "commonjs", target: "es2022", lib: ["ES2022"], types: [], skipLibCheck: true },
    include: ["src/**/*.ts"], exclude: ["src/**/*.as.ts"],
    typedocOptions: { entryPoints: ["src/index.ts"], out: "reports/api", readme: "none", skipErrorChecking: true },
  }));
  return dir;
}

function run(dir: string, script: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(dir, "scripts", script), ...args], { cwd: dir, encoding: "utf8", timeout: 120000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const mtime = (path: string): number => statSync(path).mtimeMs;

test("scripts/build.js: a full build, then incremental; an output deleted by hand is emitted again; type errors fail the build", () => {
  const dir = makeProject("build.js");
  try {
    const first = run(dir, "build.js");
    assert.equal(first.status, 0, first.output);
    for (const file of ["index.js", "index.d.ts", "sub/b.js", "sub/b.d.ts"]) assert.ok(existsSync(join(dir, "dist", file)), file);
    assert.ok(existsSync(join(dir, "dist", ".tsbuildinfo")), "tsc's record is kept for the next build");
    const stamp = mtime(join(dir, "dist", "sub", "b.js"));

    // Nothing changed: tsc's record says so and nothing is written again.
    assert.equal(run(dir, "build.js").status, 0);
    assert.equal(mtime(join(dir, "dist", "sub", "b.js")), stamp, "an unchanged source is not emitted again");

    // An output deleted by hand: tsc alone would trust its record and not emit it; the script drops the record.
    rmSync(join(dir, "dist", "sub", "b.js"));
    const rebuilt = run(dir, "build.js");
    assert.equal(rebuilt.status, 0, rebuilt.output);
    assert.ok(existsSync(join(dir, "dist", "sub", "b.js")), "the deleted output is back");
    assert.match(readFileSync(join(dir, "dist", "sub", "b.js"), "utf8"), /exports\.b = 2/);

    // A changed source is compiled; a type error fails the build with tsc's message and status.
    writeFileSync(join(dir, "src", "sub", "b.ts"), "export const b: number = 3;\n");
    assert.equal(run(dir, "build.js").status, 0);
    assert.match(readFileSync(join(dir, "dist", "sub", "b.js"), "utf8"), /exports\.b = 3/);
    writeFileSync(join(dir, "src", "sub", "b.ts"), 'export const b: number = "three";\n');
    const broken = run(dir, "build.js");
    assert.notEqual(broken.status, 0);
    assert.match(broken.output, /error TS2322: Type 'string' is not assignable to type 'number'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("scripts/docs.js: TypeDoc runs once per set of inputs; a changed source, a deleted page or --force builds again", () => {
  const dir = makeProject("docs.js");
  try {
    const index = join(dir, "reports", "api", "index.html");
    const record = join(dir, "reports", "api", ".inputs.sha256");
    const first = run(dir, "docs.js");
    assert.equal(first.status, 0, first.output);
    assert.ok(existsSync(index), first.output);
    assert.match(readFileSync(record, "utf8"), /^[0-9a-f]{64}\n$/);
    const stamp = mtime(index);

    const again = run(dir, "docs.js");
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /reports\/api is current \(built from the same sources\)/);
    assert.equal(mtime(index), stamp, "TypeDoc did not run");

    const forced = run(dir, "docs.js", "--force");
    assert.equal(forced.status, 0, forced.output);
    assert.doesNotMatch(forced.output, /is current/);
    assert.notEqual(mtime(index), stamp, "--force rebuilt it");

    const recorded = readFileSync(record, "utf8");
    writeFileSync(join(dir, "src", "sub", "b.ts"), "/** Two, changed. */\nexport const b: number = 2;\n");
    const changed = run(dir, "docs.js");
    assert.equal(changed.status, 0, changed.output);
    assert.doesNotMatch(changed.output, /is current/);
    assert.notEqual(readFileSync(record, "utf8"), recorded, "the record follows the sources");

    rmSync(index);
    const restored = run(dir, "docs.js");
    assert.equal(restored.status, 0, restored.output);
    assert.ok(existsSync(index), "a missing page is built again even with a matching record");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
