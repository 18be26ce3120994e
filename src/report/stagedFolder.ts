import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const stagingTag = "staging";
const previousTag = "previous";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `.<base>.<tag>-<pid>-<hex>` siblings of `folder`, with the pid that made them. */
function siblings(folder: string, tag: string): { path: string; pid: number }[] {
  const parent = dirname(folder);
  const prefix = `.${basename(folder)}.${tag}-`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix))
    .map((name) => ({ path: join(parent, name), pid: Number(name.slice(prefix.length).split("-")[0]) }))
    .filter((entry) => Number.isInteger(entry.pid) && entry.pid > 0);
}

function moveEntries(from: string, to: string, keep: (name: string) => boolean): void {
  for (const name of readdirSync(from)) {
    if (keep(name) && !existsSync(join(to, name))) renameSync(join(from, name), join(to, name));
  }
}

/**
 * Makes an empty staging folder in which a new version of `folder` is built, beside it (so that
 * `swapInFolder` can rename it into place on the same file system): `.<name>.staging-<pid>-<random>`.
 * First it tidies what an earlier run that was killed outright (SIGKILL, power loss) may have left:
 * staging folders of processes that no longer run are removed, and a previous version left between
 * the two renames of `swapInFolder` is put back if `folder` itself is missing, or else merged as
 * `swapInFolder` would have (entries `keep` accepts are moved into `folder`) and removed.
 *
 * Cost: one directory listing of the parent folder, plus the removals.
 *
 * @param folder the folder to be replaced later (it need not exist yet)
 * @param keep which entries of an old version are carried into the new one (see `swapInFolder`)
 * @returns the absolute path of the new, empty staging folder
 * @example
 * import { basename } from "node:path";
 * const staging = stagingFolderFor("reports", (name) => name === "notes.txt");
 * basename(staging).startsWith(".reports.staging-") // => true
 */
export function stagingFolderFor(folder: string, keep: (name: string) => boolean): string {
  for (const stale of siblings(folder, stagingTag)) {
    if (!processAlive(stale.pid)) rmSync(stale.path, { recursive: true, force: true });
  }
  for (const previous of siblings(folder, previousTag)) {
    if (processAlive(previous.pid)) continue;
    if (!existsSync(folder)) {
      renameSync(previous.path, folder);
    } else {
      moveEntries(previous.path, folder, keep);
      rmSync(previous.path, { recursive: true, force: true });
    }
  }
  mkdirSync(dirname(folder), { recursive: true });
  const staging = join(dirname(folder), `.${basename(folder)}.${stagingTag}-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(staging);
  return staging;
}

/**
 * Puts a finished staging folder in the place of `folder`: `folder` is renamed aside
 * (`.<name>.previous-<pid>-<random>`), the staging folder is renamed to `folder`, the entries of the old
 * version that `keep` accepts (files the run does not generate) are moved into the new one, and the old
 * version is removed. Readers see either the old folder or the new one, never a half-written one: each
 * rename is atomic, and between the two (microseconds) `folder` is briefly absent; if the process dies
 * right there, the next `stagingFolderFor` puts the old version back.
 *
 * Cost: two renames, one listing of the old version, and its removal.
 *
 * @param staging the folder made by `stagingFolderFor`, now complete
 * @param folder where it goes
 * @param keep which entries of the old version are carried over
 * @example
 * import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
 * mkdirSync("reports");
 * writeFileSync("reports/notes.txt", "kept");
 * writeFileSync("reports/old.html", "replaced");
 * const staging = stagingFolderFor("reports", (name) => name === "notes.txt");
 * writeFileSync(`${staging}/new.html`, "the new report");
 * swapInFolder(staging, "reports", (name) => name === "notes.txt");
 * readdirSync("reports").sort() // => ["new.html", "notes.txt"]
 * readdirSync(".") // => ["reports"] (no staging folder left)
 */
export function swapInFolder(staging: string, folder: string, keep: (name: string) => boolean): void {
  if (!existsSync(folder)) {
    renameSync(staging, folder);
    return;
  }
  const previous = join(dirname(folder), `.${basename(folder)}.${previousTag}-${process.pid}-${randomBytes(4).toString("hex")}`);
  renameSync(folder, previous);
  renameSync(staging, folder);
  moveEntries(previous, folder, keep);
  rmSync(previous, { recursive: true, force: true });
}
