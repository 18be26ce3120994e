/**
 * `npm run report`: executes the notebooks headless with the project's tslab kernel and writes reports/
 * (executed and trusted notebooks, their HTML exports, index.html). See `usage` below and README.md.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { ParameterError } from "../model/parameterError";
import { jupyterEnvironment } from "./jupyterEnvironment";
import { reportProjectRoot } from "./projectRoot";
import { runMode, type RunMode } from "./runMode";
import { MAX_REPORT_CONCURRENCY, runNotebookReport } from "./runNotebookReport";
import { tslabKernelspecProblem } from "./tslabKernelspecProblem";

const usage = `Usage: npm run report [-- [options] [notebook.ipynb | folder ...]]

Executes notebooks (default: every notebooks/*.ipynb, sorted by name) headless with the project's
TypeScript kernel and writes the report folder: executed notebooks, their HTML exports, index.html.

Options:
  --out DIR        report folder (default: reports/ in the project)
  --timeout SEC    time limit per notebook in seconds (default: MP_NOTEBOOK_TIMEOUT, otherwise
                   900 in quick mode and 43200 in full mode)
  --check-kernel   only check that the TypeScript kernel is registered and starts
  --help           this text

Environment:
  MP_MODE=quick|full   how thoroughly notebooks compute (default quick); notebooks read it with mp.runMode()
  MP_*                 any other MP_ variable reaches the notebooks unchanged (process.env in a cell)
  MP_JUPYTER           the jupyter command (default /usr/bin/jupyter, else jupyter on PATH)
  MP_PYTHON            the Python with Jupyter's nbformat, to trust executed notebooks (default /usr/bin/python3)
  MP_REPORT_JOBS       notebooks executed at once, 1 to 8 (default 2 on two or more cores, else 1); they start
                       longest first, by the times of the last run (<report folder>/timings.json; name order
                       when there are none), and after a failure no further notebook starts

Ctrl-C (SIGINT) or SIGTERM stops the run and every process it started (nbconvert, the kernel); the
previous report stays in place and what ran goes to <report folder>/interrupted/.

Exit status: 0 every notebook ran; 1 a notebook failed (the notebook, cell and error are printed);
2 bad arguments or a setup problem (the message says what to run); 130 interrupted by SIGINT,
143 by SIGTERM, 129 by SIGHUP.`;

const defaultTimeoutSeconds: Readonly<Record<RunMode, number>> = { quick: 900, full: 43200 };

interface Arguments {
  readonly help: boolean;
  readonly checkKernel: boolean;
  readonly outDir: string | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly paths: readonly string[];
}

function parseTimeout(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new ParameterError(name, text, "a positive number of seconds");
  }
  return value;
}

/** MP_REPORT_JOBS: notebooks at once; default 2 where there are two cores (their single-threaded phases overlap). */
function reportConcurrency(text: string | undefined): number {
  if (text === undefined || text.trim() === "") return Math.min(2, availableParallelism());
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_REPORT_CONCURRENCY) {
    throw new ParameterError("MP_REPORT_JOBS", text, `an integer in [1, ${MAX_REPORT_CONCURRENCY}]`);
  }
  return value;
}

function parseArguments(argv: readonly string[]): Arguments {
  let help = false;
  let checkKernel = false;
  let outDir: string | undefined;
  let timeoutSeconds: number | undefined;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new ParameterError(arg, undefined, "a value after the option");
      return next;
    };
    if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--check-kernel") checkKernel = true;
    else if (arg === "--out") outDir = value();
    else if (arg.startsWith("--out=")) outDir = arg.slice("--out=".length);
    else if (arg === "--timeout") timeoutSeconds = parseTimeout("--timeout", value());
    else if (arg.startsWith("--timeout=")) timeoutSeconds = parseTimeout("--timeout", arg.slice("--timeout=".length));
    else if (arg.startsWith("-")) throw new ParameterError("option", arg, "one of --out, --timeout, --check-kernel, --help");
    else paths.push(arg);
  }
  return { help, checkKernel, outDir, timeoutSeconds, paths };
}

function notebooksIn(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => join(folder, name));
}

function resolveNotebooks(root: string, paths: readonly string[]): string[] {
  const targets = paths.length > 0 ? paths.map((p) => resolve(p)) : [join(root, "notebooks")];
  const notebooks: string[] = [];
  for (const target of targets) {
    if (!existsSync(target)) throw new ParameterError("notebook", target, "an existing .ipynb file or folder");
    if (statSync(target).isDirectory()) notebooks.push(...notebooksIn(target));
    else if (target.endsWith(".ipynb")) notebooks.push(target);
    else throw new ParameterError("notebook", target, "a .ipynb file or a folder of them");
  }
  const seen = new Set<string>();
  for (const nb of notebooks) {
    if (seen.has(basename(nb))) throw new ParameterError("notebook", nb, "notebooks with distinct file names (their outputs share one folder)");
    seen.add(basename(nb));
  }
  return notebooks;
}

function jupyterCommand(env: Readonly<Record<string, string | undefined>>): string {
  const forced = env["MP_JUPYTER"];
  if (forced !== undefined && forced !== "") return forced;
  return existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : "jupyter";
}

function pythonCommand(env: Readonly<Record<string, string | undefined>>): string {
  const forced = env["MP_PYTHON"];
  if (forced !== undefined && forced !== "") return forced;
  return existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

function kernelNameProblem(root: string, notebookPath: string): string | null {
  let name: unknown;
  try {
    const nb = JSON.parse(readFileSync(notebookPath, "utf8")) as { metadata?: { kernelspec?: { name?: unknown } } };
    name = nb.metadata?.kernelspec?.name;
  } catch (e) {
    return `${notebookPath} is not a readable notebook: ${(e as Error).message}`;
  }
  if (name === "tslab") return null;
  const known = [join(root, ".jupyter", "share", "jupyter", "kernels"), "/usr/share/jupyter/kernels", "/usr/local/share/jupyter/kernels"];
  if (typeof name === "string") {
    const kernel = name;
    if (known.some((dir) => existsSync(join(dir, kernel, "kernel.json")))) return null;
  }
  return `${notebookPath} asks for the kernel ${JSON.stringify(name ?? null)}, which is not registered; notebooks of this project use the TypeScript kernel: metadata.kernelspec = {"name": "tslab", "display_name": "TypeScript", "language": "typescript"}`;
}

const signalExitCodes: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Turns SIGINT, SIGTERM and SIGHUP into an abort of the run: the runner then ends the process tree,
 * saves the notebook it was running and keeps the previous report. Later signals are ignored while it
 * does so (which takes a few seconds at most), so a second Ctrl-C cannot leave a kernel behind.
 */
function stopOnSignals(): AbortController {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\n${signal}: stopping the report and every process it started...\n`);
    controller.abort(signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  return controller;
}

async function main(argv: readonly string[]): Promise<number> {
  const stop = stopOnSignals();
  const interruptedCode = (): number => signalExitCodes[String(stop.signal.reason)] ?? 130;
  const root = reportProjectRoot();
  let args: Arguments;
  let mode: RunMode;
  let notebooks: string[] = [];
  try {
    args = parseArguments(argv);
    if (args.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    mode = runMode(process.env);
    if (!args.checkKernel) notebooks = resolveNotebooks(root, args.paths);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const kernelProblem = tslabKernelspecProblem(root);
  if (kernelProblem !== null) {
    process.stderr.write(`${kernelProblem}\n`);
    return 2;
  }
  if (args.checkKernel) {
    process.stdout.write("The TypeScript kernel (tslab) is registered in .jupyter/ and starts.\n");
    return 0;
  }
  const env = jupyterEnvironment(root, { ...process.env, MP_MODE: mode });
  const jupyter = jupyterCommand(env);
  const probe = spawnSync(jupyter, ["nbconvert", "--version"], { env, encoding: "utf8", timeout: 60000 });
  if (probe.error || probe.status !== 0) {
    process.stderr.write(
      `Jupyter's nbconvert does not run (${probe.error?.message ?? probe.stderr.trim()}). Install what is missing with: npm run setup\n`,
    );
    return 2;
  }
  for (const nb of notebooks) {
    const problem = kernelNameProblem(root, nb);
    if (problem !== null) {
      process.stderr.write(`${problem}\n`);
      return 2;
    }
  }
  if (notebooks.length === 0) {
    process.stderr.write("No notebooks to run.\n");
    return 2;
  }
  let timeoutSeconds = args.timeoutSeconds;
  let concurrency: number;
  try {
    concurrency = reportConcurrency(process.env["MP_REPORT_JOBS"]);
    const fromEnv = process.env["MP_NOTEBOOK_TIMEOUT"];
    if (timeoutSeconds === undefined && fromEnv !== undefined && fromEnv !== "") {
      timeoutSeconds = parseTimeout("MP_NOTEBOOK_TIMEOUT", fromEnv);
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (stop.signal.aborted) return interruptedCode();
  const outDir = resolve(args.outDir ?? join(root, "reports"));
  const atOnce = Math.min(concurrency, notebooks.length);
  process.stderr.write(`Running ${notebooks.length} notebook${notebooks.length === 1 ? "" : "s"} in ${mode} mode (MP_MODE=${mode})` +
    `${atOnce > 1 ? `, ${atOnce} at once (MP_REPORT_JOBS)` : ""}; report in ${outDir}\n`);
  const result = await runNotebookReport({
    root,
    notebooks,
    outDir,
    mode,
    timeoutSeconds: timeoutSeconds ?? defaultTimeoutSeconds[mode],
    jupyter,
    python: pythonCommand(env),
    env,
    interactive: process.stderr.isTTY === true,
    signal: stop.signal,
    concurrency,
  });
  if (result.interrupted) return interruptedCode();
  process.stderr.write(`${result.ok ? "Report" : "Report (with the failure)"}: ${result.indexPath}\n`);
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
