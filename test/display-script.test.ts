// Figures and progress outside Jupyter: showFigure from a plain Node process, nodeplotlib only when asked,
// and one progress type from the simulator to the reporter.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import * as mp from "../src/index";
import { progressLine } from "../src/display/progressLine";
import { captureOutput } from "./support/captureOutput";

const root = resolve(__dirname, "..");
const plotlyBundle = join(dirname(require.resolve("plotly.js-dist-min/package.json")), "plotly.min.js");

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly killed: boolean;
}

/** Runs `node --import tsx -e script` in the checkout; kills it after `limitMs`. */
function runScript(script: string, env: Record<string, string | undefined>, limitMs: number): Promise<ChildRun> {
  const started = Date.now();
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let killed = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const limit = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, limitMs);
  return new Promise((resolvePromise) => {
    child.on("exit", (code) => {
      clearTimeout(limit);
      resolvePromise({ code, stdout, stderr, ms: Date.now() - started, killed });
    });
  });
}

const figureScript = `
const mp = require(${JSON.stringify(join(root, "src", "index.ts"))});
mp.showFigure(mp.lineFigure([{ name: "trace-7f3a", x: [0, 1, 2], y: [3.14159, 2.71828, 1.41421] }], { title: "from a script" }));
`;

test("showFigure from a plain script writes an offline HTML file, prints its path, and lets the process exit", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mp-figure-"));
  try {
    // A plain process: no MP_DISPLAY. The child loads the package through tsx (about a second); it must
    // exit by itself, long before the limit (it used to wait for a browser forever).
    const run = await runScript(figureScript, { MP_DISPLAY: undefined, MP_FIGURE_DIR: dir }, 60000);
    assert.equal(run.killed, false, `the script did not exit by itself: ${run.stderr}`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "", "nothing on stdout");
    const match = /^figure: (\S+\.html) \(a standalone page that draws offline; open it in a browser\)$/m.exec(run.stderr);
    assert.ok(match, run.stderr);
    const file = match[1]!;
    assert.equal(dirname(file), dir);
    const page = readFileSync(file, "utf8");
    assert.match(page, /^<!DOCTYPE html>/);
    assert.ok(page.includes('"name":"trace-7f3a"') && page.includes("[3.14159,2.71828,1.41421]"), "the figure's data");
    const bundle = readFileSync(plotlyBundle, "utf8");
    assert.ok(page.includes(bundle.slice(0, 2000)) && page.includes(bundle.slice(-2000)), "the whole plotly.js bundle, inline");
    assert.ok(!/<script[^>]*\ssrc=/i.test(page), "no script is loaded from anywhere");
    assert.ok(!page.includes("cdn.plot.ly/plotly"), "no CDN copy of plotly");
    assert.ok(statSync(file).size > 4_000_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Listening sockets on `port` from /proc/net/tcp and tcp6: local addresses in the kernel's hex form. */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const found: string[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "latin1").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [address, localPort] = (fields[1] ?? "").split(":");
      if (localPort === hexPort && fields[3] === "0A") found.push(address ?? "");
    }
  }
  return found;
}

test("MP_DISPLAY=nodeplotlib serves the figure on 127.0.0.1 only, with the bundled plotly, and nothing on stdout", async () => {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "-e", figureScript], {
    cwd: root,
    env: { ...process.env, MP_DISPLAY: "nodeplotlib", NODEPLOTLIB_PORT: "", DISPLAY: "", WAYLAND_DISPLAY: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  try {
    let match: RegExpExecArray | null = null;
    while ((match = /nodeplotlib: the figures are at http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr)) === null) {
      if (Date.now() - started > 60000 || child.exitCode !== null) assert.fail(`no address printed: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const port = Number(match[1]);
    assert.deepEqual(listeners(port), ["0100007F"], "one listening socket, on 127.0.0.1");
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    assert.ok(page.includes("<npl-root>"), "nodeplotlib's page");
    assert.ok(!page.includes("cdn.plot.ly"), "no CDN copy of plotly");
    assert.ok(page.includes('src="/mp-plotly.min.js"'));
    const served = await (await fetch(`http://127.0.0.1:${port}/mp-plotly.min.js`)).text();
    assert.equal(served.length, readFileSync(plotlyBundle, "utf8").length);
    assert.equal(stdout, "", "no log lines on stdout");
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
});

test("runSimulation's onProgress takes mp.progressReporter directly (one progress type)", async () => {
  const system = { queues: 10, arrivalRate: 0.5, migrationPenalty: 2, policy: mp.abounce(2, 2) };
  let report: Awaited<ReturnType<typeof mp.runSimulation>> | undefined;
  const captured = await captureOutput(async () => {
    report = await mp.runSimulation(system, { events: 2e5, replications: 2, workers: 1, seed: 1, onProgress: mp.progressReporter("x") });
    return 0;
  });
  assert.ok(report);
  // The last line is the end, counting every event of both replications (warm-up included).
  const lines = captured.stderr.split(/[\r\n]/).map((l) => l.replace(/\u001b\[K/g, "")).filter((l) => l !== "");
  assert.match(lines[lines.length - 1]!, new RegExp(`^x: 100% \\(${mp.formatNumber(report.totalEvents)} events\\), done in \\d+\\.\\d s$`));
  // The count form still works, and both forms fit the studies' and the simulator's callbacks.
  const studyCallback: (done: number, total: number) => void = mp.progressReporter("points", 3, { target: "none" });
  const simulatorCallback: (progress: mp.SimulationProgress) => void = mp.progressReporter("run", { target: "none" });
  studyCallback(3, 3);
  simulatorCallback({ fraction: 0.5, events: 10, elapsedSeconds: 1, etaSeconds: 1 });
});

test("progressReporter refuses nonsense with a ParameterError naming the value", () => {
  const progress = mp.progressReporter("x", 10, { target: "none" });
  const bad: [unknown[], RegExp][] = [
    [[-1], /^done = -1 is out of range/],
    [[NaN], /^done = NaN is out of range/],
    [[11], /^done = 11 is out of range: at most total = 10/],
    [[5, -2], /^total = -2 is out of range/],
    [[5, Infinity], /^total = Infinity is out of range/],
    [["3"], /^progress = "3" is out of range: a Progress object/],
    [[null], /^progress = null is out of range/],
    [[{ fraction: 1.5, events: 1, elapsedSeconds: 1, etaSeconds: 0 }], /^progress\.fraction = 1\.5 is out of range/],
    [[{ fraction: NaN, events: 1, elapsedSeconds: 1, etaSeconds: 0 }], /^progress\.fraction = NaN/],
    [[{ fraction: 0.5, events: -1, elapsedSeconds: 1, etaSeconds: 0 }], /^progress\.events = -1/],
    [[{ fraction: 0.5, events: 1, elapsedSeconds: -1, etaSeconds: 0 }], /^progress\.elapsedSeconds = -1/],
    [[{ fraction: 0.5, events: 1, elapsedSeconds: 1, etaSeconds: -3 }], /^progress\.etaSeconds = -3/],
    [[{ fraction: 0.5, events: 20, elapsedSeconds: 1, etaSeconds: 1, total: 10 }], /^progress\.events = 20 is out of range: at most progress\.total = 10/],
    [[{ done: 1 }], /^progress = \{"done":1\} is out of range/],
  ];
  for (const [args, message] of bad) {
    assert.throws(() => (progress as (...a: unknown[]) => void)(...args), (e: unknown) => e instanceof mp.ParameterError && message.test(e.message), JSON.stringify(args));
  }
  assert.throws(() => mp.progressReporter("x", { target: "none" })(4), /total = undefined is out of range: a finite number >= 0, given to progressReporter or with the count$/);
  assert.throws(() => mp.progressReporter("x", -1, { target: "none" }), mp.ParameterError);
  // A Progress object before any total is fine, and so is NaN for the time left (unknown yet).
  mp.progressReporter("x", { target: "none" })({ fraction: 0, events: 0, elapsedSeconds: 0, etaSeconds: NaN });
});

test("progressLine and progressReporter show a Progress object: percentage, events, the run's own estimate of the time left", () => {
  assert.equal(progressLine("simulation", { fraction: 0.25, events: 2500000, elapsedSeconds: 3, etaSeconds: 9 }), "simulation: 25.0% (2,500,000 events), 3.0 s elapsed, about 9.0 s left");
  assert.equal(progressLine("simulation", { fraction: 0.5, events: 10, elapsedSeconds: 2, etaSeconds: NaN }), "simulation: 50.0% (10 events), 2.0 s elapsed, about 2.0 s left");
  assert.equal(progressLine("simulation", { fraction: 0, events: 0, elapsedSeconds: 0, etaSeconds: NaN }), "simulation: 0.0% (0 events), 0.0 s elapsed");
  assert.equal(progressLine("points", { fraction: 0.3, events: 3, total: 10, elapsedSeconds: 6, etaSeconds: 20 }), "points: 3 / 10 (30.0%), 6.0 s elapsed, about 20.0 s left");
  let clock = 0;
  const lines: string[] = [];
  const progress = mp.progressReporter("run", { target: "script", interactive: false, intervalMs: 1000, now: () => clock, write: (t) => void lines.push(t) });
  for (let k = 1; k <= 10; k++) {
    clock = 300 * k;
    progress({ fraction: k / 10, events: 1000 * k, elapsedSeconds: clock / 1000, etaSeconds: (clock / 1000) * (10 - k) / k });
  }
  progress({ fraction: 1, events: 10000, elapsedSeconds: 3, etaSeconds: 0 });
  assert.deepEqual(lines, [
    "run: 10.0% (1,000 events), 0.3 s elapsed, about 2.7 s left\n",
    "run: 50.0% (5,000 events), 1.5 s elapsed, about 1.5 s left\n",
    "run: 90.0% (9,000 events), 2.7 s elapsed, about 0.3 s left\n",
    "run: 100% (10,000 events), done in 3.0 s\n",
  ]);
});
