// `npm run watch` stops as a whole: stopping npm by its pid (SIGTERM, or SIGKILL) leaves no tsc behind.
// Runs the project's own watch script in a throw-away project (a one-file tsconfig, node_modules linked
// to this checkout's), so tsc starts in about a second.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { processesOf, type ProcessEntry } from "./support/processScan";

const root = resolve(__dirname, "..");

function makeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "mp-watch-"));
  const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "watch-check", private: true, scripts: { watch: scripts["watch"] } }));
  mkdirSync(join(dir, "scripts"));
  copyFileSync(join(root, "scripts", "watch.js"), join(dir, "scripts", "watch.js"));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "a.ts"), "export const a: number = 1;\n");
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { outDir: "dist", strict: true }, include: ["src"] }));
  return dir;
}

async function survivorsAfter(dir: string, marker: string, graceMs: number): Promise<ProcessEntry[]> {
  const deadline = Date.now() + graceMs;
  let left = processesOf({ folder: dir, marker });
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = processesOf({ folder: dir, marker });
  }
  return left;
}

async function stopNpm(signal: NodeJS.Signals): Promise<ProcessEntry[]> {
  const dir = makeProject();
  const marker = `MP_TEST_RUN=watch-${process.pid}-${signal}`;
  try {
    const npm = spawn("npm", ["run", "watch"], {
      cwd: dir,
      env: { ...process.env, MP_TEST_RUN: marker.slice("MP_TEST_RUN=".length) },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    npm.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    // "exit", not "close": a tsc left running would hold the output pipes open.
    const exited = new Promise<void>((r) => npm.on("exit", () => r()));
    const deadline = Date.now() + 60000;
    while (!output.includes("Watching for file changes")) {
      if (Date.now() > deadline) {
        process.kill(-npm.pid!, "SIGKILL");
        throw new Error(`tsc --watch did not start: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // Only npm's own pid, as `kill <pid>` would.
    process.kill(npm.pid!, signal);
    await exited;
    // SIGKILL: the watch script notices within a second that its parent is gone.
    const left = await survivorsAfter(dir, marker, 4000);
    for (const p of left) process.kill(p.pid, "SIGKILL");
    return left;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("npm run watch stopped by npm's pid leaves no tsc --watch running (SIGTERM and SIGKILL)", async () => {
  assert.deepEqual(await stopNpm("SIGTERM"), []);
  assert.deepEqual(await stopNpm("SIGKILL"), []);
});
