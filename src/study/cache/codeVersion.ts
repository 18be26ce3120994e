import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, sep } from "node:path";

/** What identifies the code that produced a result. */
export interface CodeVersion {
  /** The package's version from package.json. */
  readonly packageVersion: string;
  /** The git commit of the checkout, or "unknown" outside a git checkout. */
  readonly commit: string;
  /** True when the checkout had uncommitted changes under src/. */
  readonly dirty: boolean;
  /**
   * The folder of the project the running code was loaded from: "dist" (compiled JavaScript, as notebooks,
   * the CLI and `npm run report` run it) or "src" (TypeScript run through tsx, as the unit tests run it).
   */
  readonly codeTree: string;
  /** Installed version of each package the code imports (name -> version, or "not installed"). */
  readonly dependencies: Readonly<Record<string, string>>;
  /**
   * SHA-256 over what computes a result: every code file of `codeTree` (path and content, as this thread
   * loaded it, or as it is on disk for files this thread has not loaded, which worker threads load when
   * they start), the Node.js version, the installed versions of the imported packages and of everything
   * they depend on, and, for sources run through tsx, the versions of tsx and its compiler.
   */
  readonly codeHash: string;
}

interface FileRecord {
  readonly stamp: string;
  readonly digest: string;
  readonly imports: readonly string[];
}

type TreeState = ReadonlyMap<string, FileRecord>;

/** The project root: the nearest folder above this file holding a package.json. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) return join(__dirname, "..", "..", "..");
    dir = up;
  }
  return dir;
}

const ROOT = projectRoot();
const TREE_NAME = relative(ROOT, __filename).split(sep)[0] ?? "dist";
const TREE = join(ROOT, TREE_NAME);
const CODE_FILE = /\.[cm]?[jt]s$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const BARE_IMPORT = /(?:\brequire\s*\(\s*|\bimport\s*\(\s*|\bfrom\s+)["']([^"'./][^"']*)["']/g;
/**
 * A line that is a comment as a whole: "//" lines, and the lines of block and doc comments ("/*", "*"). Only whole
 * lines are dropped, so no code is ever taken for a comment (a "/*" inside a string would be, by a scanner of block
 * comments): no import is missed, and prose such as `from "migrate" to "stay"` is not read as one.
 */
const COMMENT_LINE = /^[ \t]*(?:\/\/|\/\*|\*).*$/gm;
const BUILTINS = new Set(builtinModules);

function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
}

/**
 * The packages a code file imports (require, import(), import/export ... from), not Node's built-in modules, outside
 * comment lines; scoped packages by their scope and name. Cost O(length of the file).
 *
 * @param content the file's text (compiled JavaScript or TypeScript)
 * @returns the package names, sorted, each once
 * @example
 * importedPackages('const r = require("pure-rand/distribution");\n// switches from "migrate" to "stay"\nimport { x } from "@scope/p/sub";\nimport fs from "node:fs";')
 * // => ["@scope/p", "pure-rand"]
 */
export function importedPackages(content: string): string[] {
  const imports = new Set<string>();
  for (const match of content.replace(COMMENT_LINE, "").matchAll(BARE_IMPORT)) {
    const specifier = match[1] as string;
    if (specifier.startsWith("node:") || BUILTINS.has(specifier)) continue;
    imports.add(packageNameOf(specifier));
  }
  return [...imports].sort();
}

function listCodeFiles(dir: string, out: string[]): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listCodeFiles(path, out);
    else if (entry.isFile() && CODE_FILE.test(entry.name) && !DECLARATION.test(entry.name)) out.push(path);
  }
  return out;
}

/** The code files of the tree now; a file whose stat is unchanged keeps its previous digest unread. */
function scanTree(previous: TreeState | undefined): TreeState {
  const state = new Map<string, FileRecord>();
  for (const path of listCodeFiles(TREE, []).sort()) {
    let stamp: string;
    try {
      const s = statSync(path);
      stamp = `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
    } catch {
      continue;
    }
    const before = previous?.get(path);
    if (before !== undefined && before.stamp === stamp) {
      state.set(path, before);
      continue;
    }
    let content: string;
    try {
      content = readFileSync(path, "latin1"); // one character per byte: the digest is over the exact bytes
    } catch {
      continue;
    }
    state.set(path, { stamp, digest: createHash("sha256").update(content, "latin1").digest("hex"), imports: importedPackages(content) });
  }
  return state;
}

/** The code as this module's instance of the package loaded it: read when this file is evaluated. */
const atLoad: TreeState = scanTree(undefined);
let onDisk: TreeState = atLoad;

/**
 * Whether this thread has loaded a file. Node's require cache knows; if this very file is not in it
 * (a loader that bypasses it), every file counts as loaded, which is the strict choice.
 */
function loadedHere(path: string): boolean {
  const cache = require.cache;
  return cache[__filename] === undefined || cache[path] !== undefined;
}

function findPackage(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
}

const dependencyMemo = new Map<string, { direct: Record<string, string>; closure: string[] }>();

/** Installed versions of the imported packages (direct) and of their whole installed dependency closure. */
function dependencyVersions(names: readonly string[]): { direct: Record<string, string>; closure: string[] } {
  const memoKey = names.join("\0");
  const memo = dependencyMemo.get(memoKey);
  if (memo !== undefined) return memo;
  const direct: Record<string, string> = {};
  const closure = new Set<string>();
  const visited = new Set<string>();
  const stack: [string, string][] = names.map((n) => [n, ROOT]);
  while (stack.length > 0) {
    const [name, from] = stack.pop() as [string, string];
    const dir = findPackage(name, from);
    let version = "not installed";
    let pkg: PackageJson | undefined;
    if (dir !== undefined) {
      try {
        pkg = readPackage(dir);
        version = pkg.version ?? "unknown";
      } catch {
        version = "unreadable";
      }
    }
    if (from === ROOT && names.includes(name)) direct[name] = version;
    closure.add(`${name}@${version}`);
    if (dir === undefined || pkg === undefined || visited.has(dir)) continue;
    visited.add(dir);
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) stack.push([dep, dir]);
  }
  const result = { direct, closure: [...closure].sort() };
  dependencyMemo.set(memoKey, result);
  return result;
}

let gitMemo: { commit: string; dirty: boolean } | undefined;

function gitState(): { commit: string; dirty: boolean } {
  if (gitMemo) return gitMemo;
  gitMemo = { commit: "unknown", dirty: false };
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] })
      .toString().trim().length > 0;
    gitMemo = { commit, dirty };
  } catch {
    // not a git checkout: the hash still identifies the code
  }
  return gitMemo;
}

let packageVersionMemo: string | undefined;
let versionMemo: { fingerprint: string; version: CodeVersion } | undefined;

/** What runs in this thread now: its version, and the loaded files that changed on disk since they were loaded. */
export interface CurrentCode {
  readonly version: CodeVersion;
  /**
   * The code files this thread loaded whose content on disk has changed since (or that are gone), relative
   * to the project root: non-empty after a rebuild that this process has not reloaded, when the running
   * code and the code a new worker thread would load differ.
   */
  readonly changedSinceLoad: readonly string[];
}

/**
 * The code that computes results in this thread now: {@link codeVersion} and the files that changed since
 * this thread loaded them, from one look at the files. Cost: as codeVersion.
 *
 * @example
 * currentCode().changedSinceLoad // => []
 */
export function currentCode(): CurrentCode {
  onDisk = scanTree(onDisk);
  // The digest of each file as the code that runs now sees it: the load-time content for files this thread
  // has loaded, the content on disk for the others (worker threads load those when they start).
  const files = new Map<string, FileRecord>();
  const changedSinceLoad: string[] = [];
  for (const [path, record] of onDisk) files.set(path, loadedHere(path) ? (atLoad.get(path) ?? record) : record);
  for (const [path, record] of atLoad) {
    if (!loadedHere(path)) continue;
    if (onDisk.get(path)?.digest !== record.digest) changedSinceLoad.push(relative(ROOT, path).split(sep).join("/"));
    if (!files.has(path)) files.set(path, record);
  }
  const imports = new Set<string>();
  let fingerprint = "";
  for (const [path, record] of files) {
    fingerprint += `${path}\0${record.digest}\0`;
    for (const name of record.imports) imports.add(name);
  }
  if (versionMemo !== undefined && versionMemo.fingerprint === fingerprint) return { version: versionMemo.version, changedSinceLoad };
  let selfName: string | undefined;
  try {
    const pkg = readPackage(ROOT);
    selfName = pkg.name;
    packageVersionMemo ??= pkg.version ?? "unknown";
  } catch {
    packageVersionMemo ??= "unknown";
  }
  if (selfName !== undefined) imports.delete(selfName);
  const { direct, closure } = dependencyVersions([...imports].sort());
  const compiler = TREE_NAME === "dist" ? [] : dependencyVersions(["tsx"]).closure;
  const hash = createHash("sha256");
  hash.update(`code tree ${TREE_NAME}\0node ${process.version}\0`);
  for (const path of [...files.keys()].sort()) {
    hash.update(`${relative(ROOT, path).split(sep).join("/")}\0${(files.get(path) as FileRecord).digest}\0`);
  }
  for (const entry of closure) hash.update(`package ${entry}\0`);
  for (const entry of compiler) hash.update(`compiler ${entry}\0`);
  const version: CodeVersion = {
    packageVersion: packageVersionMemo,
    ...gitState(),
    codeTree: TREE_NAME,
    dependencies: direct,
    codeHash: hash.digest("hex"),
  };
  versionMemo = { fingerprint, version };
  return { version, changedSinceLoad };
}

/**
 * The version of the code that computes results in this thread now: package version, git commit and a hash
 * of the code actually loaded (see {@link CodeVersion.codeHash}). The hash, not the commit, decides whether a
 * cached result may be reused, so uncommitted edits and rebuilds invalidate caches too. When the package is
 * loaded from dist/, an edit under src/ changes nothing until `npm run build` rewrites dist/; a notebook
 * kernel that re-imports the package after a rebuild (reloadingEntry) gets a new instance of this module,
 * whose hash is that of the new code. Cost: a stat per code file (a few milliseconds for the package), plus
 * reading the files that changed; the first call also reads the installed packages' package.json files
 * (0.1-0.2 s) and asks git for the commit.
 *
 * @example
 * codeVersion().codeHash.length // => 64
 */
export function codeVersion(): CodeVersion {
  return currentCode().version;
}
