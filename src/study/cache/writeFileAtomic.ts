import { createHash, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/** This host, as it appears in temporary names: a writer's pid can be checked only on its own host. */
const HOST_TAG = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);

/** `<target>.tmp-<pid>-<host>-<random>`; files written before the host tag existed lack it. */
const TEMPORARY = /\.tmp-(\d+)-(?:([0-9a-f]{8})-)?([0-9a-f]{8})$/;

/** Temporaries written on another host, whose writer cannot be checked, are orphans after this long. */
const FOREIGN_TEMPORARY_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * Fault-injection point for the tests: when `globalThis[Symbol.for(BEFORE_RENAME)]` is a function, it is
 * called with the temporary's path after the data is flushed and before the rename (a test blocks there
 * and kills the process, to leave an orphan as a crash would).
 */
const BEFORE_RENAME = "migration-penalties.writeFileAtomic.beforeRename";

/**
 * Writes a file atomically: the text goes to a temporary file beside the target
 * (`<target>.tmp-<pid>-<host>-<random>`), is flushed to disk, then renamed over the target, so a reader
 * sees the old complete file or the new complete file, never a part, even with several processes writing
 * the same target. A process killed between write and rename leaves its temporary behind:
 * {@link removeOrphanTemporaries} removes it later. Cost: one write, one fsync, one rename.
 *
 * @param file the target path (its directory must exist)
 * @param text the whole content
 * @throws the file system's error (EACCES, EROFS, ENOSPC, ...) with no temporary left behind
 * @example
 * import { readFileSync } from "node:fs";
 * writeFileAtomic("a.json", "{}\n");
 * readFileSync("a.json", "utf8") // => "{}\n"
 */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}-${HOST_TAG}-${randomBytes(4).toString("hex")}`;
  try {
    const fd = openSync(tmp, "wx");
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const hook = (globalThis as Record<symbol, unknown>)[Symbol.for(BEFORE_RENAME)];
    if (typeof hook === "function") hook(tmp);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Linux: whether the process is gone or a zombie, and when it started (ms since the epoch), from /proc. */
function processState(pid: number): { running: boolean; startedMs: number | undefined } {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the process exists and belongs to another user
    if ((e as NodeJS.ErrnoException).code !== "EPERM") return { running: false, startedMs: undefined };
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the command name, which is in parentheses and may contain spaces: state is field 3,
    // starttime (clock ticks after boot) field 22
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return { running: false, startedMs: undefined };
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    const ticks = Number(fields[19]);
    // USER_HZ is 100 on every Linux architecture Node supports (sysconf(_SC_CLK_TCK))
    const startedMs = bootSeconds * 1000 + ticks * 10;
    return { running: true, startedMs: Number.isFinite(startedMs) ? startedMs : undefined };
  } catch {
    return { running: true, startedMs: undefined }; // no /proc: alive, start unknown
  }
}

/**
 * Removes the temporaries that {@link writeFileAtomic} left in a directory when its writer was killed
 * between write and rename. A temporary is an orphan when its writer (the pid in its name, on this host)
 * is no longer running, or when the process now holding that pid started after the temporary was last
 * written (the pid was reused; Linux /proc); a temporary from another host (another machine sharing the
 * directory) is an orphan after 24 hours. A temporary whose writer is still running is never removed.
 * Files that cannot be removed (another user's) are left alone. Cost: one directory listing, and a stat
 * and a process check per temporary.
 *
 * @param directory the directory to clean (missing or unreadable: nothing happens)
 * @returns the names of the files removed
 * @example
 * import { writeFileSync } from "node:fs";
 * writeFileSync("a.json.tmp-999999999-0badf00d", "{"); // left by a writer of this host that no longer runs
 * writeFileSync(`b.json.tmp-${process.pid}-0badf00d`, "{"); // this process is still running
 * writeFileSync("c.json.tmp-999999999-00000000-0badf00d", "{"); // another host's, kept for 24 hours
 * removeOrphanTemporaries(".") // => ["a.json.tmp-999999999-0badf00d"]
 */
export function removeOrphanTemporaries(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (!match) continue;
    const path = join(directory, name);
    let modifiedMs: number;
    try {
      modifiedMs = statSync(path).mtimeMs;
    } catch {
      continue; // renamed or removed meanwhile
    }
    const pid = Number(match[1]);
    const host = match[2];
    let orphan: boolean;
    if (host !== undefined && host !== HOST_TAG) {
      orphan = Date.now() - modifiedMs > FOREIGN_TEMPORARY_MAX_AGE_MS;
    } else {
      const state = processState(pid);
      // 2 s of slack: the boot time in /proc/stat is in whole seconds
      orphan = !state.running || (state.startedMs !== undefined && state.startedMs > modifiedMs + 2000);
    }
    if (!orphan) continue;
    try {
      rmSync(path);
      removed.push(name);
    } catch {
      // not ours to remove (permissions) or gone already
    }
  }
  return removed;
}
