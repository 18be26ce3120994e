// Fault injection for the notebook runner (npm run report): Ctrl-C during a run, and kernels that die.
// Each test runs the real runner (src/report/main.ts through tsx) on a fixture notebook with the project's
// tslab kernel, so it needs Jupyter and the kernel registered (bash scripts/prepare.sh); without them the
// tests are skipped, except under CI, where they fail. About 10 s per report on a 2-core machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { tslabKernelspecProblem } from "../src/report/tslabKernelspecProblem";
import { clockTicks, processesOf, type ProcessEntry } from "./support/processScan";

const root = resolve(__dirname, "..");
const kernelBinary = join(root, "node_modules", ".bin", "tslab");
const unavailable = !existsSync("/usr/bin/jupyter")
  ? "Jupyter is not installed (npm run setup installs it)"
  : tslabKernelspecProblem(root, { probe: false });
const skip = unavailable !== null && process.env["CI"] === undefined ? `skipped: ${unavailable}` : false;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** Processes of the run still alive right after the runner exited. */
  readonly survivors: ProcessEntry[];
}

interface Work {
  readonly dir: string;
  readonly marker: string;
  readonly env: Record<string, string>;
}

function makeWork(): Work {
  const dir = mkdtempSync(join(tmpdir(), "mp-report-faults-"));
  mkdirSync(join(dir, "tmp"));
  const marker = `MP_TEST_RUN=${randomBytes(8).toString("hex")}`;
  const [name, value] = marker.split("=") as [string, string];
  // TMPDIR inside the work folder: the hook folder and the kernel's connection file must be gone afterwards.
  return { dir, marker, env: { [name]: value, TMPDIR: join(dir, "tmp"), MP_TEST_STARTED: join(dir, "started") } };
}

/**
 * Runs the report on `notebook` (in work.dir); `whileRunning` may act on the runner's process group.
 * Survivors are the processes of the work folder and of the run's environment marker, and, with
 * `anyNewKernel`, every kernel of this checkout started meanwhile (only for a report that runs alone).
 */
function runReport(work: Work, notebook: string, anyNewKernel: boolean, whileRunning?: (pgid: number) => Promise<void>): Promise<Run> {
  const since = clockTicks();
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src", "report", "main.ts"), notebook, "--out", join(work.dir, "reports")], {
    cwd: root,
    env: { ...process.env, ...work.env, MP_MODE: "quick" },
    // A process group of its own, as a shell gives a foreground job: Ctrl-C signals the whole group.
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const limit = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 120000);
  const exited = new Promise<Run>((resolvePromise) => {
    child.on("close", (code, signal) => {
      clearTimeout(limit);
      const query = { folder: work.dir, marker: work.marker, ...(anyNewKernel ? { command: `${kernelBinary} kernel`, since } : {}) };
      resolvePromise({ code, signal, stderr, survivors: processesOf(query) });
    });
  });
  if (whileRunning) void whileRunning(child.pid!).catch((error: unknown) => {
    stderr += `\n(the test's action failed: ${String(error)})`;
    process.kill(-child.pid!, "SIGKILL");
  });
  return exited;
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function killSurvivors(survivors: readonly ProcessEntry[]): void {
  for (const p of survivors) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

function filesUnder(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) Object.assign(out, filesUnder(join(dir, entry.name), `${rel}/`));
    else out[rel] = readFileSync(join(dir, entry.name), "utf8");
  }
  return out;
}

interface SavedNotebook {
  metadata: { mp_report?: Record<string, unknown> };
  cells: { outputs?: { output_type: string; name?: string; text?: string | string[] }[] }[];
}

const outputText = (nb: SavedNotebook, cell: number): string =>
  (nb.cells[cell]?.outputs ?? []).map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""))).join("");

test("Ctrl-C during a report ends every process, keeps the previous report, saves the notebook marked as interrupted", { skip }, async () => {
  const work = makeWork();
  try {
    const notebook = join(work.dir, "sleeps.ipynb");
    copyFileSync(join(__dirname, "report-fixture-sleeps.ipynb"), notebook);
    // The previous, complete report.
    const reports = join(work.dir, "reports");
    mkdirSync(join(reports, "failed"), { recursive: true });
    writeFileSync(join(reports, "index.html"), "<html>the previous report</html>\n");
    writeFileSync(join(reports, "00-old.html"), "<html>an old page</html>\n");
    writeFileSync(join(reports, "00-old.ipynb"), "{}\n");
    writeFileSync(join(reports, "failed", "01-old.ipynb"), "{}\n");
    writeFileSync(join(reports, "notes.txt"), "a file of the user's\n");
    const before = filesUnder(reports);

    const run = await runReport(work, notebook, true, async (pgid) => {
      // The sleeping cell writes MP_TEST_STARTED once it runs.
      await waitFor(() => existsSync(work.env["MP_TEST_STARTED"]!), 90000, "the sleeping cell to start");
      process.kill(-pgid, "SIGINT");
    });
    killSurvivors(run.survivors);
    assert.deepEqual(run.survivors, [], "no process of the run outlives it");
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /Interrupted \(SIGINT\) while cell index 1 was running \(first line: "\/\/ says that it started, then sleeps for a minute"\)/);

    const after = filesUnder(reports);
    const interrupted = Object.keys(after).filter((name) => name.startsWith("interrupted/")).sort();
    for (const name of interrupted) delete after[name];
    assert.deepEqual(after, before, "the previous report is intact");
    assert.deepEqual(interrupted, ["interrupted/index.html", "interrupted/sleeps.ipynb"]);
    const saved = JSON.parse(readFileSync(join(reports, "interrupted", "sleeps.ipynb"), "utf8")) as SavedNotebook;
    assert.deepEqual(saved.metadata.mp_report, { failed_cell: 1, reason: "interrupted", signal: "SIGINT" });
    assert.equal(outputText(saved, 0), "before\n");
    assert.match(outputText(saved, 1), /^Interrupted \(SIGINT\) while this cell was running; the cells after it did not run\.\n$/);
    assert.match(readFileSync(join(reports, "interrupted", "index.html"), "utf8"), /The run was interrupted: this report is incomplete\./);

    // Temporary files: no staging folder beside the report, no hook folder or kernel connection file in TMPDIR.
    assert.deepEqual(readdirSync(work.dir).filter((name) => name.startsWith(".reports.")), []);
    assert.deepEqual(readdirSync(join(work.dir, "tmp")).filter((name) => !name.startsWith("tsx-")), []);
    // Nothing writes into the report afterwards (an orphaned nbconvert used to, about 40 s later).
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(Object.keys(filesUnder(reports)).sort(), [...Object.keys(before), ...interrupted].sort());
  } finally {
    rmSync(work.dir, { recursive: true, force: true });
  }
});

test("a kernel killed by SIGKILL or exiting with a status is named, with the cell, and the partial notebook is saved", { skip }, async () => {
  const cases = [
    {
      fixture: "report-fixture-kernel-sigkill.ipynb",
      firstLine: "// the kernel kills itself with SIGKILL, as the out-of-memory killer would",
      headline: "kernel died (signal SIGKILL: likely out of memory)",
      kernel: { signal: "SIGKILL", signal_number: 9 },
    },
    {
      fixture: "report-fixture-kernel-exit.ipynb",
      firstLine: "// the kernel exits with status 3",
      headline: "kernel died (exit code 3)",
      kernel: { exit_code: 3 },
    },
  ];
  // The two reports run at the same time: each is mostly kernel start-up.
  await Promise.all(
    cases.map(async (c) => {
      const work = makeWork();
      try {
        const notebook = join(work.dir, c.fixture);
        copyFileSync(join(__dirname, c.fixture), notebook);
        // Two reports run at once here, so each looks only for its own processes.
        const run = await runReport(work, notebook, false);
        killSurvivors(run.survivors);
        assert.deepEqual(run.survivors, [], "no process of the run outlives it");
        assert.equal(run.code, 1, run.stderr);
        assert.ok(
          run.stderr.includes(`failed in cell index 1 (first line: ${JSON.stringify(c.firstLine)}):\n\n    ${c.headline}\n`),
          run.stderr,
        );
        assert.ok(!run.stderr.includes("CancelledError"), run.stderr);
        const failedPath = join(work.dir, "reports", "failed", c.fixture);
        assert.ok(run.stderr.includes(`The partly executed notebook is ${failedPath}`), run.stderr);
        const saved = JSON.parse(readFileSync(failedPath, "utf8")) as SavedNotebook;
        assert.deepEqual(saved.metadata.mp_report, { failed_cell: 1, reason: "kernel died", error: "DeadKernelError: Kernel died", kernel: c.kernel });
        assert.equal(outputText(saved, 0), "before\n");
        assert.equal(outputText(saved, 1), "The kernel died while this cell was running.\n");
        const index = readFileSync(join(work.dir, "reports", "index.html"), "utf8");
        assert.ok(index.includes(`<pre>${c.headline}</pre>`), "index.html names the kernel's death");
        assert.deepEqual(readdirSync(join(work.dir, "tmp")).filter((name) => !name.startsWith("tsx-")), []);
      } finally {
        rmSync(work.dir, { recursive: true, force: true });
      }
    }),
  );
});

test("two notebooks at once (MP_REPORT_JOBS=2): the report lists them in order; after a failure no later notebook starts, the running one finishes", { skip }, async () => {
  const work = makeWork();
  try {
    const folder = join(work.dir, "notebooks");
    mkdirSync(folder);
    copyFileSync(join(__dirname, "report-fixture-failing-runtime.ipynb"), join(folder, "a-failing.ipynb"));
    const notebook = (source: string): string => JSON.stringify({
      cells: [{ cell_type: "code", execution_count: null, id: "c00", metadata: {}, outputs: [], source }],
      metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
      nbformat: 4, nbformat_minor: 5,
    });
    // b outlives a's failure, so a's lane is free first and must not start c.
    writeFileSync(join(folder, "b-slow.ipynb"), notebook('await new Promise((resolve) => setTimeout(resolve, 8000));\nconsole.log("b done");'));
    writeFileSync(join(folder, "c-later.ipynb"), notebook('console.log("c ran");'));
    const run = await runReport({ ...work, env: { ...work.env, MP_REPORT_JOBS: "2" } }, folder, false);
    killSurvivors(run.survivors);
    assert.deepEqual(run.survivors, [], "no process of the run outlives it");
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Running 3 notebooks in quick mode \(MP_MODE=quick\), 2 at once \(MP_REPORT_JOBS\)/);
    const started = (name: string): number => run.stderr.indexOf(`${name}: starting the kernel`);
    assert.ok(started("[1/3] a-failing.ipynb") >= 0 && started("[2/3] b-slow.ipynb") >= 0, run.stderr);
    assert.ok(started("[2/3] b-slow.ipynb") < run.stderr.indexOf("a-failing.ipynb failed in cell index 3"), "b started before a failed");
    assert.equal(started("[3/3] c-later.ipynb"), -1, "c did not start");
    assert.match(run.stderr, /\[2\/3\] b-slow\.ipynb: ok in/);
    const index = readFileSync(join(work.dir, "reports", "index.html"), "utf8");
    const rows = [...index.matchAll(/<tr[^>]*><td>(?:<a [^>]*>)?([a-c]-[a-z]+\.ipynb)/g)].map((m) => m[1]);
    assert.deepEqual(rows, ["a-failing.ipynb", "b-slow.ipynb", "c-later.ipynb"], "in name order");
    assert.match(index, /<tr class="skipped"><td>c-later\.ipynb<\/td><td>not run<\/td>/);
    assert.ok(existsSync(join(work.dir, "reports", "b-slow.html")), "the notebook that was running is in the report");
  } finally {
    rmSync(work.dir, { recursive: true, force: true });
  }
});

test("recorded times set the start order (longest first), the report lists name order, lanes export as they run out, times are recorded", { skip }, async () => {
  const work = makeWork();
  try {
    const folder = join(work.dir, "notebooks");
    mkdirSync(folder);
    for (const name of ["x", "y", "z"]) {
      writeFileSync(join(folder, `${name}.ipynb`), JSON.stringify({
        cells: [{ cell_type: "code", execution_count: null, id: "c00", metadata: {}, outputs: [], source: `console.log("${name} ran");` }],
        metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
        nbformat: 4, nbformat_minor: 5,
      }));
    }
    mkdirSync(join(work.dir, "reports"));
    const earlier = { quick: { "x.ipynb": 1000, "y.ipynb": 3000, "z.ipynb": 2000 }, full: { "x.ipynb": 99000 } };
    writeFileSync(join(work.dir, "reports", "timings.json"), JSON.stringify(earlier));
    const run = await runReport({ ...work, env: { ...work.env, MP_REPORT_JOBS: "2" } }, folder, false);
    killSurvivors(run.survivors);
    assert.deepEqual(run.survivors, [], "no process of the run outlives it");
    assert.equal(run.code, 0, run.stderr);
    const started = (tag: string): number => run.stderr.indexOf(`${tag}: starting the kernel`);
    assert.ok(started("[2/3] y.ipynb") >= 0 && started("[2/3] y.ipynb") < started("[3/3] z.ipynb"), run.stderr);
    assert.ok(started("[3/3] z.ipynb") < started("[1/3] x.ipynb"), "x, the shortest, starts last");
    // Each lane exports what has finished when it runs out of notebooks: two batches, three notebooks in all.
    const batches = [...run.stderr.matchAll(/exporting (\d+) notebooks? to HTML/g)].map((m) => Number(m[1]));
    assert.equal(batches.length, 2, run.stderr);
    assert.equal(batches[0]! + batches[1]!, 3);
    const index = readFileSync(join(work.dir, "reports", "index.html"), "utf8");
    const rows = [...index.matchAll(/<tr[^>]*><td>(?:<a [^>]*>)?([x-z]\.ipynb)/g)].map((m) => m[1]);
    assert.deepEqual(rows, ["x.ipynb", "y.ipynb", "z.ipynb"], "listed in name order");
    for (const name of ["x", "y", "z"]) {
      assert.ok(existsSync(join(work.dir, "reports", `${name}.html`)), `${name}.html`);
      assert.match(index, new RegExp(`<a href="${name}\\.html">`), `${name} links its HTML export`);
    }
    const timings = JSON.parse(readFileSync(join(work.dir, "reports", "timings.json"), "utf8")) as { quick: Record<string, number>; full: unknown };
    assert.deepEqual(Object.keys(timings.quick).sort(), ["x.ipynb", "y.ipynb", "z.ipynb"]);
    for (const [name, ms] of Object.entries(timings.quick)) {
      assert.ok(Number.isInteger(ms) && ms > 0 && ms !== earlier.quick[name as keyof typeof earlier.quick], `${name}: this run's time, ${ms} ms`);
    }
    assert.deepEqual(timings.full, earlier.full, "the other mode's times are kept");
  } finally {
    rmSync(work.dir, { recursive: true, force: true });
  }
});

test("MP_REPORT_JOBS out of range is refused, naming it and the range, before any notebook runs", { skip }, async () => {
  const work = makeWork();
  try {
    const notebook = join(work.dir, "sleeps.ipynb");
    copyFileSync(join(__dirname, "report-fixture-sleeps.ipynb"), notebook);
    const run = await runReport({ ...work, env: { ...work.env, MP_REPORT_JOBS: "0" } }, notebook, false);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /MP_REPORT_JOBS = "0" is out of range: an integer in \[1, 8\]/);
    assert.ok(!existsSync(work.env["MP_TEST_STARTED"]!), "no notebook ran");
  } finally {
    rmSync(work.dir, { recursive: true, force: true });
  }
});
