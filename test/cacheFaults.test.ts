/**
 * Fault injection for the results cache, with real processes: a copy of the project compiled with the
 * project's own build (tsc -p tsconfig.json, as `npm run build`), child processes that run it from dist/ or
 * from src/ through tsx, edits and rebuilds between runs, a kernel-like process that re-imports the package
 * through reloadingEntry, a writer killed by SIGKILL between write and rename, an unwritable cache (a
 * non-root user, a read-only bind mount) and two processes writing the same entry while a third reads it.
 *
 * The "probe" used to tell code versions apart is an export appended to src/model/policy.ts (the edit) and
 * to dist/model/policy.js (what a rebuild does to the compiled file): the code hash sees only file contents,
 * so a real `tsc` run and this edit are the same to it, and the test does not depend on policy.ts's content.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cachedStudy } from "../src/study/cache/resultCache";

const root = resolve(__dirname, "..");
let project = "";

before(() => {
  project = mkdtempSync(join(tmpdir(), "mp-cache-project-"));
  chmodSync(project, 0o755); // readable by the non-root user of the permission test
  for (const f of ["package.json", "tsconfig.json"]) cpSync(join(root, f), join(project, f));
  cpSync(join(root, "src"), join(project, "src"), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(project, "node_modules"), "dir");
  // the compiler `npm run build` uses (the pinned typescript package, not tslab's copy behind node_modules/.bin/tsc)
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(project, "tsconfig.json")], { stdio: "pipe" });
});

const made: string[] = [];

after(() => {
  if (project !== "") rmSync(project, { recursive: true, force: true });
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const cacheDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "mp-cache-faults-"));
  chmodSync(dir, 0o755);
  made.push(dir);
  return dir;
};

interface StudyRun {
  readonly value: number;
  readonly fromCache: boolean;
  readonly codeHash: string;
  readonly codeTree: string;
  readonly stderr: string;
}

/** The study run by the child processes: its result is the probe exported by model/policy (0 without it). */
const studyScript = (tree: "dist" | "src"): string => {
  const ext = tree === "dist" ? "js" : "ts";
  return `
    const { cachedStudy } = require(${JSON.stringify(join(project, tree, "study", "cache", `resultCache.${ext}`))});
    const policy = require(${JSON.stringify(join(project, tree, "model", `policy.${ext}`))});
    cachedStudy("stale-code", { x: 1 }, () => ({ value: policy.cacheProbe ?? 0 }), { directory: process.env.DIR })
      .then((r) => process.stdout.write(JSON.stringify({ value: r.result.value, fromCache: r.fromCache,
        codeHash: r.provenance.codeHash, codeTree: r.provenance.codeTree })));`;
};

function runStudy(tree: "dist" | "src", directory: string): StudyRun {
  const script = join(project, `study-${tree}.js`);
  writeFileSync(script, studyScript(tree));
  const args = tree === "dist" ? [script] : ["--import", "tsx", script];
  const r = spawnSync(process.execPath, args, { cwd: project, encoding: "utf8", env: { ...process.env, DIR: directory, MP_CACHE: "" } });
  assert.equal(r.status, 0, r.stderr);
  return { ...(JSON.parse(r.stdout) as Omit<StudyRun, "stderr">), stderr: r.stderr };
}

const editSource = (): void => appendFileSync(join(project, "src", "model", "policy.ts"), "\nexport const cacheProbe = 1;\n");
const rebuildDist = (value: number): void => appendFileSync(join(project, "dist", "model", "policy.js"), `\nexports.cacheProbe = ${value};\n`);
test("stale code: an edit under src/ without a build changes nothing for dist/; the build is never served the old result", () => {
  const directory = cacheDir();
  const dist0 = readFileSync(join(project, "dist", "model", "policy.js"), "utf8");
  const src0 = readFileSync(join(project, "src", "model", "policy.ts"), "utf8");
  try {
    const first = runStudy("dist", directory);
    assert.deepEqual([first.value, first.fromCache], [0, false]);
    assert.equal(runStudy("dist", directory).fromCache, true);

    editSource(); // edited, not rebuilt: what runs is still the old dist/
    const edited = runStudy("dist", directory);
    rebuildDist(1); // npm run build
    const built = runStudy("dist", directory);
    assert.deepEqual([built.value, built.fromCache], [1, false], "the rebuilt code computes; the old result is not served");
    assert.notEqual(built.codeHash, first.codeHash);
    assert.equal(edited.codeHash, first.codeHash, "before the build, the key followed dist/, which had not changed");
    assert.deepEqual([edited.value, edited.fromCache], [0, true]);
    assert.deepEqual([runStudy("dist", directory).value, runStudy("dist", directory).fromCache], [1, true]);
    assert.equal(first.codeTree, "dist", "the provenance names the tree that ran");
  } finally {
    writeFileSync(join(project, "dist", "model", "policy.js"), dist0);
    writeFileSync(join(project, "src", "model", "policy.ts"), src0);
  }
});

test("from sources through tsx the key follows src/, not dist/", () => {
  const directory = cacheDir();
  const dist0 = readFileSync(join(project, "dist", "model", "policy.js"), "utf8");
  const src0 = readFileSync(join(project, "src", "model", "policy.ts"), "utf8");
  try {
    const first = runStudy("src", directory);
    assert.deepEqual([first.value, first.fromCache], [0, false]);
    rebuildDist(1); // dist/ is not what runs here
    assert.deepEqual([runStudy("src", directory).fromCache, runStudy("src", directory).codeHash], [true, first.codeHash]);
    editSource();
    const edited = runStudy("src", directory);
    assert.deepEqual([edited.value, edited.fromCache], [1, false]);
    const fromDist = runStudy("dist", directory);
    assert.notEqual(fromDist.codeHash, edited.codeHash, "dist/ and src/ runs never share entries");
    assert.equal(first.codeTree, "src", "the provenance names the tree that ran");
  } finally {
    writeFileSync(join(project, "dist", "model", "policy.js"), dist0);
    writeFileSync(join(project, "src", "model", "policy.ts"), src0);
  }
});

test("a kernel that re-imports after a rebuild gets the new code's hash; the old instance is never cached", () => {
  const directory = cacheDir();
  const dist0 = readFileSync(join(project, "dist", "model", "policy.js"), "utf8");
  const worker0 = readFileSync(join(project, "dist", "simulate", "replicationTask.js"), "utf8");
  const entry = join(project, "dist", "reloadingEntry.js");
  const script = join(project, "kernel.js");
  // One long-lived process, as a notebook kernel: `import * as mp from "migration-penalties"` is require(entry).
  writeFileSync(script, `
    const fs = require("fs");
    const out = [];
    // The probe is read from the policy module the instance loaded (the barrel lists its names explicitly, so
    // a name appended to dist/model/policy.js shows on that module, not on the barrel).
    const policyFile = ${JSON.stringify(join(project, "dist", "model", "policy.js"))};
    const instances = new Map();
    const load = () => { const mp = require(${JSON.stringify(entry)}); instances.set(mp, require(policyFile)); return mp; };
    const study = (mp, params, compute) => mp.cachedStudy("kernel", params, compute ?? (() => ({ value: instances.get(mp).cacheProbe ?? 0 })),
      { directory: ${JSON.stringify(directory)} });
    const note = async (label, p) => { const r = await p; out.push({ label, value: r.result.value, fromCache: r.fromCache, codeHash: r.provenance.codeHash }); };
    const entries = () => fs.readdirSync(${JSON.stringify(directory)}).filter((f) => f.endsWith(".json")).length;
    (async () => {
      const mp1 = load();
      await note("first", study(mp1, { x: 1 }));
      await note("again", study(mp1, { x: 1 }));
      const worker = ${JSON.stringify(join(project, "dist", "simulate", "replicationTask.js"))};
      out.push({ label: "worker loaded in the main thread", value: require.cache[worker] !== undefined });
      fs.appendFileSync(worker, "\\n// rebuilt\\n"); // loaded by worker threads only, when they start
      await note("worker file rebuilt", study(mp1, { x: 1 }));
      await note("worker file rebuilt, again", study(mp1, { x: 1 }));
      fs.appendFileSync(${JSON.stringify(join(project, "dist", "model", "policy.js"))}, "\\nexports.cacheProbe = 1;\\n");
      const before = entries();
      await note("old instance after the rebuild", study(mp1, { x: 1 }));
      out.push({ label: "entries written by the old instance", value: entries() - before });
      const mp2 = load(); // re-running the import cell
      out.push({ label: "reloaded", value: mp2 !== mp1 });
      await note("new instance", study(mp2, { x: 1 }));
      await note("new instance, again", study(mp2, { x: 1 }));
      await note("old instance, again", study(mp1, { x: 1 }));
      const before2 = entries();
      await note("code changed while computing", study(mp2, { x: 2 }, () => {
        fs.appendFileSync(worker, "\\n// rebuilt during the computation\\n");
        return { value: 7 };
      }));
      out.push({ label: "entries written for it", value: entries() - before2 });
      await note("new instance, now", study(mp2, { x: 3 }));
      process.stdout.write(JSON.stringify(out));
    })();`);
  try {
    const r = spawnSync(process.execPath, [script], { cwd: project, encoding: "utf8", env: { ...process.env, MP_CACHE: "" } });
    assert.equal(r.status, 0, r.stderr);
    const steps = new Map((JSON.parse(r.stdout) as { label: string; value: unknown; fromCache?: boolean; codeHash?: string }[]).map((s) => [s.label, s]));
    const at = (label: string): { value: unknown; fromCache?: boolean; codeHash?: string } => {
      const s = steps.get(label);
      assert.ok(s, label);
      return s;
    };
    assert.deepEqual([at("first").value, at("first").fromCache, at("again").fromCache], [0, false, true]);
    assert.equal(at("worker loaded in the main thread").value, false);
    assert.notEqual(at("worker file rebuilt").codeHash, at("first").codeHash, "the worker's file is part of the key");
    assert.deepEqual([at("worker file rebuilt").fromCache, at("worker file rebuilt, again").fromCache], [false, true],
      "a rebuilt file the process has not loaded does not stop caching");
    assert.deepEqual([at("old instance after the rebuild").value, at("old instance after the rebuild").fromCache], [0, false]);
    assert.equal(at("entries written by the old instance").value, 0, "old code after a rebuild writes nothing");
    assert.equal(at("reloaded").value, true);
    assert.deepEqual([at("new instance").value, at("new instance").fromCache], [1, false]);
    assert.deepEqual([at("new instance, again").value, at("new instance, again").fromCache], [1, true]);
    assert.deepEqual([at("old instance, again").value, at("old instance, again").fromCache], [0, false], "the old instance is never served the new result");
    assert.equal(at("code changed while computing").value, 7);
    assert.equal(at("entries written for it").value, 0, "a result computed while the code changed is not stored");
    assert.match(r.stderr, /compiled file\(s\) changed on disk since this process loaded them \(dist\/model\/policy\.js\)/);
    assert.match(r.stderr, /re-run the import cell/);
    assert.match(r.stderr, /changed on disk while kernel was computed/);
    // a restarted kernel (a fresh process) computes the same hash as the reloaded instance
    assert.equal(runStudy("dist", cacheDir()).codeHash, at("new instance, now").codeHash);
  } finally {
    writeFileSync(join(project, "dist", "model", "policy.js"), dist0);
    writeFileSync(join(project, "dist", "simulate", "replicationTask.js"), worker0);
  }
});

// ---------------------------------------------------------------------------------------------------------

function waitForLine(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let text = "";
    let err = "";
    child.stderr?.on("data", (d: Buffer) => { err += String(d); });
    child.stdout?.on("data", (d: Buffer) => {
      text += String(d);
      const line = text.split("\n").find((l) => l.startsWith(prefix));
      if (line !== undefined) resolveLine(line.slice(prefix.length));
    });
    child.on("exit", (code, signal) => reject(new Error(`child exited (${code ?? signal}) before "${prefix}": ${err}`)));
  });
}

const exited = (child: ChildProcess): Promise<NodeJS.Signals | number | null> =>
  new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r(child.signalCode ?? child.exitCode);
    else child.on("exit", (code, signal) => r(signal ?? code));
  });

test("a writer killed by SIGKILL between write and rename: its temporary is left, a live one is kept, the next open removes it", async () => {
  const directory = cacheDir();
  const writer = join(project, "paused-writer.js");
  writeFileSync(writer, `
    const fs = require("fs");
    const { cachedStudy } = require(${JSON.stringify(join(project, "dist", "study", "cache", "resultCache.js"))});
    globalThis[Symbol.for("migration-penalties.writeFileAtomic.beforeRename")] = (tmp) => {
      fs.writeSync(1, "paused " + tmp + "\\n");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000); // until killed
    };
    cachedStudy(process.env.STUDY, { x: 1 }, () => ({ data: Array.from({ length: 1000 }, (_, i) => i) }), { directory: process.env.DIR });`);
  const other = join(project, "other-writer.js");
  writeFileSync(other, `
    require(${JSON.stringify(join(project, "dist", "study", "cache", "resultCache.js"))})
      .cachedStudy("other", { x: 1 }, () => 1, { directory: process.env.DIR }).then((r) => process.stdout.write(r.file));`);
  const env = { ...process.env, DIR: directory, STUDY: "killed", MP_CACHE: "" };
  const a = spawn(process.execPath, [writer], { env, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const tmp = await waitForLine(a, "paused ");
    assert.ok(existsSync(tmp), "the temporary is on disk");
    assert.match(tmp, /killed-[0-9a-f]{20}\.json\.tmp-\d+-[0-9a-f]{8}-[0-9a-f]{8}$/);
    const target = tmp.replace(/\.tmp-.*$/, "");
    assert.equal(existsSync(target), false, "not renamed yet");

    // another process opens the directory while the writer is alive (paused): the temporary stays
    const b = spawnSync(process.execPath, [other], { env, encoding: "utf8" });
    assert.equal(b.status, 0, b.stderr);
    assert.ok(existsSync(b.stdout), "the other process wrote its entry");
    assert.ok(existsSync(tmp), "a running writer's temporary is never removed");

    a.kill("SIGKILL");
    assert.equal(await exited(a), "SIGKILL");
    assert.ok(existsSync(tmp), "the killed writer left its temporary (as a crash does)");
    assert.equal(existsSync(target), false, "and no entry");

    // the next process to open the directory (this one) removes it, and computes the study
    const r = await cachedStudy("killed", { x: 1 }, () => ({ data: Array.from({ length: 1000 }, (_, i) => i) }), { directory });
    assert.equal(r.fromCache, false);
    assert.equal(existsSync(tmp), false, "the orphan is removed");
    assert.deepEqual(readdirSync(directory).filter((f) => f.includes(".tmp-")), []);
  } finally {
    a.kill("SIGKILL");
  }
});

// ---------------------------------------------------------------------------------------------------------

const unwritableScript = (): string => {
  const script = join(project, "unwritable.js");
  writeFileSync(script, `
    const { cachedStudy } = require(${JSON.stringify(join(project, "dist", "study", "cache", "resultCache.js"))});
    const options = process.env.USE_OPTION ? { directory: process.env.DIR } : {};
    (async () => {
      const a = await cachedStudy("unwritable", { x: 1 }, () => ({ v: 1 }), options);
      const b = await cachedStudy("unwritable", { x: 2 }, () => ({ v: 2 }), options);
      process.stdout.write(JSON.stringify({ uid: process.getuid(), results: [a.result.v, b.result.v], fromCache: [a.fromCache, b.fromCache] }));
    })();`);
  return script;
};

function checkUnwritable(r: { status: number | null; stdout: string; stderr: string }, code: RegExp): { uid: number } {
  assert.equal(r.status, 0, `the computation is not thrown away: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { uid: number; results: number[]; fromCache: boolean[] };
  assert.deepEqual(out.results, [1, 2]);
  assert.deepEqual(out.fromCache, [false, false]);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("migration-penalties cache:"));
  assert.equal(lines.length, 1, `one warning for two studies: ${r.stderr}`);
  assert.match(lines[0] as string, code);
  assert.match(lines[0] as string, /MP_CACHE_DIR=<directory> \(or CacheOptions\.directory\)/);
  return out;
}

const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync("setpriv", ["--version"]).status === 0;

test("EACCES, for real: a cache directory owned by another user, written by a non-root process", { skip: isRoot && !hasSetpriv ? "as root, needs setpriv to start a non-root child (root ignores permission bits)" : false }, () => {
  // Root ignores permission bits, so as root the writer runs as nobody (uid 65534) through setpriv; as any
  // other user a directory without write permission is enough.
  const base = cacheDir();
  const directory = join(base, "data-cache-of-root");
  mkdirSync(directory, { mode: 0o755 });
  if (!isRoot) chmodSync(directory, 0o555);
  const command = isRoot ? "setpriv" : process.execPath;
  const prefix = isRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath] : [];
  try {
    for (const viaOption of [true, false]) {
      const env = { ...process.env, MP_CACHE: "", ...(viaOption ? { USE_OPTION: "1", DIR: directory } : { MP_CACHE_DIR: directory }) };
      const r = spawnSync(command, [...prefix, unwritableScript()], { cwd: project, encoding: "utf8", env });
      const out = checkUnwritable(r, /cannot write to the results cache in .*data-cache-of-root \(EACCES/);
      assert.notEqual(out.uid, 0, "the writer really ran as a non-root user");
    }
    assert.deepEqual(readdirSync(directory), []);
  } finally {
    chmodSync(directory, 0o755);
  }
});

const canBindReadOnly = ((): boolean => {
  const probe = mkdtempSync(join(tmpdir(), "mp-cache-mount-"));
  const ok = spawnSync("unshare", ["-rm", "sh", "-c", `mount --bind -o ro "${probe}" "${probe}"`]).status === 0;
  rmSync(probe, { recursive: true, force: true });
  return ok;
})();

test("EROFS, for real: the cache directory on a read-only bind mount", { skip: canBindReadOnly ? false : "needs unshare -rm and bind mounts" }, () => {
  // The mount lives in a private mount namespace (unshare -rm), so nothing outside the child sees it.
  const directory = cacheDir();
  const r = spawnSync("unshare", ["-rm", "sh", "-c", 'mount --bind -o ro "$DIR" "$DIR" && exec "$NODE" "$SCRIPT"'], {
    cwd: project, encoding: "utf8",
    env: { ...process.env, MP_CACHE: "", USE_OPTION: "1", DIR: directory, NODE: process.execPath, SCRIPT: unwritableScript() },
  });
  checkUnwritable(r, /\(EROFS/);
  assert.deepEqual(readdirSync(directory), []);
});

// ---------------------------------------------------------------------------------------------------------

test("two processes computing the same study while others read: every read is a complete entry (regression guard)", async () => {
  // Atomic rename already guarantees this; the test keeps it so. The raw reads here are checked independently
  // of resultCache.ts (complete JSON, and the SHA-256 of everything after the checksum field equals the
  // checksum); a third process reads through cachedStudy with a computation that throws: every read is served.
  const directory = cacheDir();
  const resultCache = JSON.stringify(join(project, "dist", "study", "cache", "resultCache.js"));
  const writer = join(project, "same-study-writer.js");
  writeFileSync(writer, `
    const { cachedStudy } = require(${resultCache});
    const tail = Array.from({ length: 20000 }, (_, i) => Math.exp(-i / 1000));
    (async () => {
      for (let i = 0; i < 30; i++) {
        const r = await cachedStudy("same", { x: 1 }, () => ({ tail }), { directory: process.env.DIR, mode: "refresh" });
        if (i === 0) process.stdout.write(r.file);
      }
    })();`);
  const reader = join(project, "same-study-reader.js");
  writeFileSync(reader, `
    const { cachedStudy } = require(${resultCache});
    (async () => {
      let served = 0;
      for (let i = 0; i < 100; i++) {
        const r = await cachedStudy("same", { x: 1 }, () => { throw new Error("a complete entry exists: nothing to compute"); },
          { directory: process.env.DIR });
        if (r.fromCache && r.result.tail.length === 20000) served++;
      }
      process.stdout.write(String(served));
    })();`);
  const env = { ...process.env, DIR: directory, MP_CACHE: "" };
  const writers = [0, 1].map(() => spawn(process.execPath, [writer], { env, stdio: ["ignore", "pipe", "inherit"] }));
  const file = await new Promise<string>((r) => writers[0]?.stdout?.once("data", (d: Buffer) => r(String(d))));
  const readerProcess = spawn(process.execPath, [reader], { env, stdio: ["ignore", "pipe", "pipe"] });
  let readerOut = "";
  let readerErr = "";
  readerProcess.stdout?.on("data", (d: Buffer) => { readerOut += String(d); });
  readerProcess.stderr?.on("data", (d: Buffer) => { readerErr += String(d); });
  const done = Promise.all([...writers, readerProcess].map(exited));
  let finished = false;
  void done.then(() => { finished = true; });
  let complete = 0;
  while (!finished) {
    const text = readFileSync(file, "utf8"); // exists from the first write on, replaced only by rename
    const entry = JSON.parse(text) as { result?: { tail?: Record<string, unknown> } }; // a torn entry is not JSON
    assert.ok(entry.result?.tail !== undefined, "the entry holds its result");
    const match = /^\{"checksum":"sha256:([0-9a-f]{64})",/.exec(text);
    if (match) {
      const body = `{${text.slice(match[0].length).replace(/\n$/, "")}`;
      assert.equal(createHash("sha256").update(body).digest("hex"), match[1], "never a torn entry");
    }
    complete++;
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual(await done, [0, 0, 0], readerErr);
  assert.equal(readerOut, "100", `every read through cachedStudy was served: ${readerErr}`);
  assert.equal(readerErr, "", "and none was reported unusable");
  assert.ok(complete >= 5, `enough raw reads during the writes (${complete})`);
});
