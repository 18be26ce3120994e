import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

/** What a finished command left behind. */
export interface CommandResult {
  /** Exit status, or null when the process was ended by a signal. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the time limit ended the command. */
  readonly timedOut: boolean;
  /** True when `signal` aborted the command (or was aborted before it started, which then never ran). */
  readonly interrupted: boolean;
  readonly durationMs: number;
}

/** Options of `runCommand`. */
export interface CommandOptions {
  readonly env: Record<string, string>;
  readonly cwd?: string;
  /** Time limit in milliseconds; the whole process tree is ended when it passes. */
  readonly timeoutMs: number;
  /** Called with each complete line the command writes to stderr. */
  readonly onStderrLine?: (line: string) => void;
  /**
   * Stops the command: its process group gets the signal named by the abort's reason ("SIGINT" or
   * "SIGHUP"; SIGTERM otherwise), then SIGKILL after `graceMs`, and every process carrying the run's
   * token is killed once the command has ended.
   */
  readonly signal?: AbortSignal;
  /** Milliseconds between SIGTERM and SIGKILL when the time limit passes or `signal` aborts; default 10000. */
  readonly graceMs?: number;
}

const tokenVariable = "MP_REPORT_RUN_TOKEN";

/**
 * Ends every process whose environment carries this run's token: the command and anything it started,
 * including Jupyter kernels, which jupyter_client launches in a session of their own (so ending the
 * command's process group does not reach them). Linux only (reads /proc); elsewhere it does nothing.
 */
function endProcessesWithToken(token: string): void {
  const marker = `${tokenVariable}=${token}\u0000`;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker)) process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone already, or not ours to read
    }
  }
}

/**
 * Runs a command with a time limit and an abort signal that end the whole process tree: the command
 * runs in its own process group with a unique token in its environment; when the limit passes or the
 * signal aborts, the group gets SIGTERM (the runner's nbconvert hooks then save the partly executed
 * notebook and kill the kernel), `graceMs` later SIGKILL, and every process still carrying the token is
 * killed. The token sweep also runs after the command ends (and 5 s after it exits, if something still
 * holds its output open), so no kernel outlives it.
 *
 * Cost: the command's own; the sweep reads /proc once or twice.
 *
 * @param command the executable
 * @param args its arguments
 * @param options environment, working directory, time limit, stderr line callback, abort signal
 * @returns status, captured output, whether the limit struck or the signal aborted, and the duration
 * @example
 * const hi = await runCommand("sh", ["-c", "echo hi"], { env: {}, timeoutMs: 1000 });
 * hi.stdout // => "hi\n"
 * const sleeper = await runCommand("sleep", ["60"], { env: {}, timeoutMs: 500 });
 * sleeper.timedOut // => true
 */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const token = randomBytes(12).toString("hex");
  const started = Date.now();
  const graceMs = options.graceMs ?? 10000;
  if (options.signal?.aborted === true) {
    return Promise.resolve({ status: null, stdout: "", stderr: "", timedOut: false, interrupted: true, durationMs: 0 });
  }
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...options.env, [tokenVariable]: token },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    let timedOut = false;
    let interrupted = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) options.onStderrLine?.(line);
    });
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // the group is gone
      }
    };
    const stop = (first: NodeJS.Signals): void => {
      if (killTimer !== undefined) return;
      signalGroup(first);
      killTimer = setTimeout(() => {
        signalGroup("SIGKILL");
        endProcessesWithToken(token);
      }, graceMs);
    };
    const limitTimer = setTimeout(() => {
      timedOut = true;
      stop("SIGTERM");
    }, options.timeoutMs);
    const onAbort = (): void => {
      interrupted = true;
      const reason: unknown = options.signal?.reason;
      stop(reason === "SIGINT" || reason === "SIGHUP" ? reason : "SIGTERM");
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let finished = false;
    const finish = (status: number | null, error?: Error): void => {
      if (finished) return;
      finished = true;
      clearTimeout(limitTimer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      endProcessesWithToken(token);
      if (pending !== "") options.onStderrLine?.(pending);
      resolvePromise({
        status,
        stdout,
        stderr: error ? `${stderr}${error.message}\n` : stderr,
        timedOut,
        interrupted,
        durationMs: Date.now() - started,
      });
    };
    // A process that outlived the command (an orphaned kernel) would keep the output pipes open and
    // delay "close"; sweep it shortly after the command itself has exited.
    child.on("exit", () => {
      setTimeout(() => {
        if (!finished) endProcessesWithToken(token);
      }, 5000).unref();
    });
    child.on("error", (error) => finish(null, error));
    child.on("close", (status) => finish(status));
  });
}
