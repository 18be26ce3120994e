import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** One process that matched `processesOf`. */
export interface ProcessEntry {
  readonly pid: number;
  readonly commandLine: string;
  readonly cwd: string;
}

/** What makes a process belong to a test. */
export interface ProcessQuery {
  /** The test's temporary folder: its command line mentions it, or its working directory is inside it. */
  readonly folder: string;
  /** "NAME=value" in its environment (inherited by everything the test's child starts). */
  readonly marker: string;
  /** A command-line fragment (such as the checkout's tslab binary) that counts only for processes started after `since`. */
  readonly command?: string;
  /** A time from `clockTicks()`, taken before the test started its child. */
  readonly since?: number;
}

// Linux reports process start times in clock ticks since boot; USER_HZ is 100 on every mainstream architecture.
const ticksPerSecond = 100;

/** Clock ticks since boot now (Linux, /proc/uptime), to compare with process start times. */
export function clockTicks(): number {
  return Math.floor(Number(readFileSync("/proc/uptime", "latin1").split(" ")[0]) * ticksPerSecond);
}

/**
 * The live processes (Linux: read from /proc) that belong to a test: see `ProcessQuery`. The test
 * process itself and zombies are left out; processes that cannot be read (other users') are skipped.
 */
export function processesOf(query: ProcessQuery): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "latin1");
      // Fields after the command name (which is in parentheses): state is the 1st, start time the 20th.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      const startTicks = Number(fields[19]);
      const commandLine = readFileSync(`/proc/${name}/cmdline`, "latin1").split("\u0000").join(" ").trim();
      let cwd = "";
      let environment: string[] = [];
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
        environment = readFileSync(`/proc/${name}/environ`, "latin1").split("\u0000");
      } catch {
        // not ours to read
      }
      const mine =
        commandLine.includes(query.folder) ||
        cwd === query.folder ||
        cwd.startsWith(`${query.folder}/`) ||
        environment.includes(query.marker) ||
        (query.command !== undefined && commandLine.includes(query.command) && startTicks >= (query.since ?? 0));
      if (mine) found.push({ pid: Number(name), commandLine, cwd });
    } catch {
      // the process ended while it was read
    }
  }
  return found;
}
