import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** What identifies the code that produced a result. */
export interface CodeVersion {
  /** The package's version from package.json. */
  readonly packageVersion: string;
  /** The git commit of the checkout, or "unknown" outside a git checkout. */
  readonly commit: string;
  /** True when the checkout had uncommitted changes under src/. */
  readonly dirty: boolean;
  /** SHA-256 over every file under src/ (path and content, sorted): changes whenever the code does. */
  readonly codeHash: string;
}

let memo: CodeVersion | undefined;

/** The project root: dist/experiments/ or src/experiments/ sit two levels below it. */
export function projectRoot(): string {
  return resolve(__dirname, "..", "..");
}

function listFiles(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(p, out);
    else if (entry.isFile()) out.push(p);
  }
}

/**
 * The version of the code, computed once per process: package version, git commit and a hash of the
 * sources. The hash (not the commit) decides whether a cached result may be reused, so uncommitted edits
 * invalidate caches too. Cost: reads every file under src/ once (about a millisecond per file).
 *
 * @example
 * codeVersion().codeHash.length // => 64
 */
export function codeVersion(): CodeVersion {
  if (memo) return memo;
  const root = projectRoot();
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string };
  const sourceDir = existsSync(join(root, "src")) ? join(root, "src") : join(root, "dist");
  const files: string[] = [];
  listFiles(sourceDir, files);
  files.sort();
  const hash = createHash("sha256");
  for (const f of files) {
    hash.update(f.slice(root.length));
    hash.update("\0");
    hash.update(readFileSync(f));
    hash.update("\0");
  }
  let commit = "unknown";
  let dirty = false;
  try {
    commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
      .toString().trim().length > 0;
  } catch {
    // not a git checkout: the hash still identifies the code
  }
  memo = { packageVersion: pkg.version ?? "unknown", commit, dirty, codeHash: hash.digest("hex") };
  return memo;
}
