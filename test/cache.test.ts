import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { ParameterError } from "../src/model/parameterError";
import { cachedStudy, canonicalJson, parseCacheJson } from "../src/study/cache/resultCache";
import { codeVersion, currentCode, importedPackages } from "../src/study/cache/codeVersion";
import { removeOrphanTemporaries, writeFileAtomic } from "../src/study/cache/writeFileAtomic";
import { captureOutput } from "./support/captureOutput";

const made: string[] = [];
const fresh = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "mp-cache-"));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Runs fn with stderr captured; resolves to its value and what it wrote on stderr. */
async function withStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  let value: T | undefined;
  const { stderr } = await captureOutput(async () => {
    value = await fn();
    return 0;
  });
  return { value: value as T, stderr };
}

const cacheLines = (stderr: string): string[] => stderr.split("\n").filter((l) => l.startsWith("migration-penalties cache:"));

test("a result is reused only for identical parameters", async () => {
  const directory = fresh();
  let calls = 0;
  const compute = (): { value: number } => ({ value: ++calls });
  const a = await cachedStudy("demo", { lambda: 0.5, seed: 1, d: Infinity }, compute, { directory });
  const b = await cachedStudy("demo", { seed: 1, d: Infinity, lambda: 0.5 }, compute, { directory });
  assert.equal(a.fromCache, false);
  assert.equal(b.fromCache, true, "same parameters in another key order reuse the entry");
  assert.equal(b.result.value, 1);
  const c = await cachedStudy("demo", { lambda: 0.5, seed: 2, d: Infinity }, compute, { directory });
  assert.equal(c.fromCache, false, "another seed recomputes");
  const e = await cachedStudy("demo", { lambda: 0.5, seed: 1, d: 10 }, compute, { directory });
  assert.equal(e.fromCache, false, "d = 10 is not d = Infinity");
  assert.equal(calls, 3);
  assert.deepEqual(b.provenance.params, { d: Infinity, lambda: 0.5, seed: 1 });
  assert.equal(b.provenance.codeHash, codeVersion().codeHash);
  assert.equal(b.provenance.codeTree, "src", "the tests run the sources through tsx");
  assert.equal(readdirSync(directory).filter((f) => f.includes(".tmp-")).length, 0, "no temporary file survives");
});

test("NaN and the infinities survive the cache (JSON alone would turn them into null)", async () => {
  const directory = fresh();
  const compute = (): { estimate: number; bounds: number[] } => ({ estimate: NaN, bounds: [-Infinity, Infinity] });
  await cachedStudy("nonfinite", { d: Infinity }, compute, { directory });
  const again = await cachedStudy("nonfinite", { d: Infinity }, compute, { directory });
  assert.equal(again.fromCache, true);
  assert.ok(Number.isNaN(again.result.estimate));
  assert.deepEqual(again.result.bounds, [-Infinity, Infinity]);
  assert.equal(canonicalJson({ b: 1, a: [NaN] }), '{"a":[{"$number":"NaN"}],"b":1}');
});

test("an entry whose provenance does not match is recomputed, never reused", async () => {
  const directory = fresh();
  let calls = 0;
  const first = await cachedStudy("demo", { x: 1 }, () => ++calls, { directory });
  const entry = JSON.parse(readFileSync(first.file, "utf8")) as { provenance: { codeHash: string } };
  entry.provenance.codeHash = "0".repeat(64); // as if written by other code
  writeFileSync(first.file, JSON.stringify(entry));
  const second = await withStderr(() => cachedStudy("demo", { x: 1 }, () => ++calls, { directory }));
  assert.equal(second.value.fromCache, false);
  writeFileSync(first.file, "{ truncated");
  const third = await withStderr(() => cachedStudy("demo", { x: 1 }, () => ++calls, { directory }));
  assert.equal(third.value.fromCache, false, "an unreadable entry is recomputed");
  assert.equal(calls, 3);
});

test("refresh recomputes and off writes nothing; bad names and functions are refused", async () => {
  const directory = fresh();
  let calls = 0;
  await cachedStudy("demo", { x: 1 }, () => ++calls, { directory });
  const r = await cachedStudy("demo", { x: 1 }, () => ++calls, { directory, mode: "refresh" });
  assert.equal(r.fromCache, false);
  assert.equal((await cachedStudy("demo", { x: 1 }, () => ++calls, { directory })).result, 2, "refresh overwrote the entry");
  const other = fresh();
  await cachedStudy("demo", { x: 1 }, () => ++calls, { directory: other, mode: "off" });
  assert.deepEqual(readdirSync(other), []);
  await assert.rejects(cachedStudy("../evil", {}, () => 1, { directory }), /study = "..\/evil"/);
  await assert.rejects(cachedStudy("demo", { f: () => 1 }, () => 1, { directory }), /params\.f = "\[function\]"/);
  // @ts-expect-error a mode that does not exist
  await assert.rejects(cachedStudy("demo", {}, () => 1, { directory, mode: "of" }), /cache mode = "of"/);
});

// ---------------------------------------------------------------------------------------------------------
// Entries that are valid JSON but wrong

/** The entry layout, written here independently of resultCache.ts: checksum of everything after it. */
function forgeEntry(file: string, edit: (entry: Record<string, unknown>) => void): void {
  const text = readFileSync(file, "utf8");
  const entry = parseCacheJson(text) as Record<string, unknown>;
  delete entry["checksum"];
  edit(entry);
  const body = canonicalJson(entry);
  const checksum = createHash("sha256").update(body).digest("hex");
  writeFileSync(file, `{"checksum":"sha256:${checksum}",${body.slice(1)}\n`);
}

test("an edited number is detected by the checksum: recomputed, overwritten, said once on stderr", async () => {
  const directory = fresh();
  let calls = 0;
  const compute = (): { meanQueue: number } => {
    calls++;
    return { meanQueue: 2.359 };
  };
  const first = await cachedStudy("edited", { lambda: 0.75 }, compute, { directory });
  const text = readFileSync(first.file, "utf8");
  assert.ok(text.includes('"meanQueue":2.359'));
  writeFileSync(first.file, text.replace('"meanQueue":2.359', '"meanQueue":2.599')); // still valid JSON
  const second = await withStderr(() => cachedStudy("edited", { lambda: 0.75 }, compute, { directory }));
  assert.equal(second.value.fromCache, false, "an edited entry is not served");
  assert.equal(second.value.result.meanQueue, 2.359);
  const lines = cacheLines(second.stderr);
  assert.equal(lines.length, 1, second.stderr);
  assert.match(lines[0] as string, /unusable \(its checksum does not match its content/);
  assert.match(lines[0] as string, /recomputing and overwriting it/);
  const third = await withStderr(() => cachedStudy("edited", { lambda: 0.75 }, compute, { directory }));
  assert.equal(third.value.fromCache, true, "the overwritten entry is good again");
  assert.equal(third.value.result.meanQueue, 2.359);
  assert.equal(third.stderr, "");
  assert.equal(calls, 2);
});

test("an entry without its result is never served, even with a valid checksum", async () => {
  const directory = fresh();
  let calls = 0;
  const compute = (): { value: number } => ({ value: ++calls });
  const first = await cachedStudy("noresult", { x: 1 }, compute, { directory });
  const edits = [
    (e: Record<string, unknown>) => { e["result"] = null; },
    (e: Record<string, unknown>) => { delete e["result"]; },
  ];
  for (const [i, edit] of edits.entries()) {
    forgeEntry(first.file, edit);
    const again = await withStderr(() => cachedStudy("noresult", { x: 1 }, compute, { directory }));
    assert.equal(again.value.fromCache, false);
    assert.equal(typeof again.value.result.value, "number");
    // said once per entry and problem: the second time the same entry has no result, nothing is printed
    if (i === 0) assert.match(again.stderr, /holds no result/);
    else assert.equal(again.stderr, "");
  }
  // the same edits without a new checksum (what a hand edit does) are caught by the checksum
  const text = readFileSync(first.file, "utf8");
  writeFileSync(first.file, text.replace(/"result":\{[^}]*\}/, '"result":null'));
  const edited = await withStderr(() => cachedStudy("noresult", { x: 1 }, compute, { directory }));
  assert.equal(edited.value.fromCache, false);
  assert.match(edited.stderr, /checksum does not match/);
  assert.equal(calls, 4);
});

test("truncated entries, entries of the older layout and foreign files are recomputed", async () => {
  const directory = fresh();
  let calls = 0;
  const compute = (): number[] => [++calls, 2, 3];
  const first = await cachedStudy("damaged", { x: 1 }, compute, { directory });
  const text = readFileSync(first.file, "utf8");
  writeFileSync(first.file, text.slice(0, text.length - 10));
  const a = await withStderr(() => cachedStudy("damaged", { x: 1 }, compute, { directory }));
  assert.equal(a.value.fromCache, false);
  assert.match(a.stderr, /checksum does not match/);
  // the layout written before checksums: {"provenance": ..., "result": ...}
  const entry = parseCacheJson(readFileSync(first.file, "utf8")) as { provenance: unknown; result: unknown };
  writeFileSync(first.file, JSON.stringify({ provenance: entry.provenance, result: entry.result }));
  const b = await withStderr(() => cachedStudy("damaged", { x: 1 }, compute, { directory }));
  assert.equal(b.value.fromCache, false);
  assert.match(b.stderr, /no checksum/);
  assert.equal(calls, 3);
});

// ---------------------------------------------------------------------------------------------------------
// Encodings

test("Maps as parameters: different Maps get different entries, equal Maps share one", async () => {
  const directory = fresh();
  let calls = 0;
  const compute = (): number => ++calls;
  const a = await cachedStudy("maps", { rates: new Map([["a", 1]]) }, compute, { directory });
  const b = await cachedStudy("maps", { rates: new Map([["a", 2]]) }, compute, { directory });
  assert.equal(b.fromCache, false, "a Map with another value is another parameter (JSON writes both as {})");
  assert.notEqual(a.file, b.file);
  const c = await cachedStudy("maps", { rates: { a: 1 } }, compute, { directory });
  assert.equal(c.fromCache, false, "a plain object is not a Map");
  const d = await cachedStudy("maps", { rates: new Map([["b", 2], ["a", 1]]) }, compute, { directory });
  const e = await cachedStudy("maps", { rates: new Map([["a", 1], ["b", 2]]) }, compute, { directory });
  assert.equal(d.fromCache, false);
  assert.equal(e.fromCache, true, "insertion order does not matter, as key order of objects does not");
  assert.ok(e.provenance.params !== null && (e.provenance.params as { rates: unknown }).rates instanceof Map);
  assert.equal(calls, 4);
});

test("typed arrays, nested Maps, NaN, the infinities and -0 come back as they went in", async () => {
  const directory = fresh();
  const make = (): unknown => ({
    tail: Float64Array.from([1, 0.5, NaN, Infinity, -Infinity, -0, 5e-324, 1.7976931348623157e308]),
    counts: Int32Array.from([0, -1, 2147483647, -2147483648]),
    byLevel: new Map<unknown, unknown>([[1, new Map([["x", Float32Array.from([0.1, -0])]])], ["1", [-0, null]], [NaN, true]]),
    $odd: { $number: "NaN", $Map: [] },
    zero: -0,
  });
  await cachedStudy("typed", { n: 1 }, make, { directory });
  const again = await cachedStudy("typed", { n: 1 }, make, { directory });
  assert.equal(again.fromCache, true);
  assert.ok(isDeepStrictEqual(again.result, make()), "deep-strict equal: types, NaN, -0 and Map entries kept");
  const r = again.result as { tail: Float64Array; zero: number; $odd: Record<string, unknown> };
  assert.ok(r.tail instanceof Float64Array);
  assert.ok(Object.is(r.zero, -0));
  assert.equal(r.$odd["$number"], "NaN", "a plain object with $ keys stays a plain object");
});

/** Plain objects from [key, value] pairs; a "__proto__" key stays a member. */
function objectFrom(pairs: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const encodable = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, -Number.MAX_VALUE),
    fc.string({ unit: "binary" }),
    fc.array(fc.double()).map((a) => Float64Array.from(a)),
    fc.array(fc.double()).map((a) => Float32Array.from(a)),
    fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })).map((a) => Int32Array.from(a)),
    fc.array(fc.integer({ min: 0, max: 255 })).map((a) => Uint8Array.from(a)),
    tie("array"),
    tie("object"),
    tie("map"),
  ),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc
    .array(fc.tuple(fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom("$number", "$Map", "$object", "$Float64Array", "__proto__", "$")), tie("value")), { maxLength: 4 })
    .map(objectFrom),
  map: fc
    .array(fc.tuple(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null)), tie("value")), { maxLength: 4 })
    .map((entries) => new Map(entries)),
})).value;

test("round trip (property, 500 random values): parse(write(x)) is deep-strict equal to x, and writing is idempotent", () => {
  fc.assert(
    fc.property(encodable, (x) => {
      const text = canonicalJson(x);
      JSON.parse(text); // valid JSON
      const back = parseCacheJson(text);
      return isDeepStrictEqual(back, x) && canonicalJson(back) === text;
    }),
    { numRuns: 500 },
  );
});

// Values drawn from a few atoms, so that equal pairs and near-collisions (0 / -0, 1 / "1", Map / object,
// Float64Array / Int32Array / array, NaN / {"$number": "NaN"}) come up often.
const small = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom<unknown>(0, -0, NaN, 1, "1", "NaN", "$number", null, true),
    tie("array"),
    tie("object"),
    tie("map"),
    tie("typed"),
  ),
  array: fc.array(tie("value"), { maxLength: 2 }),
  object: fc.array(fc.tuple(fc.constantFrom("a", "$number", "0"), tie("value")), { maxLength: 2 }).map(objectFrom),
  map: fc.array(fc.tuple(fc.constantFrom<unknown>("a", 0, "0", NaN), tie("value")), { maxLength: 2 }).map((e) => new Map(e)),
  typed: fc
    .tuple(fc.constantFrom(Float64Array, Float32Array, Int32Array), fc.array(fc.constantFrom(0, 1, -0, NaN), { maxLength: 2 }))
    .map(([C, a]) => C.from(a)),
})).value;

test("one text per value (property, 3000 pairs): equal texts exactly when the values are deep-strict equal", () => {
  let equalPairs = 0;
  fc.assert(
    fc.property(small, small, (x, y) => {
      const same = isDeepStrictEqual(x, y);
      if (same) equalPairs++;
      return (canonicalJson(x) === canonicalJson(y)) === same;
    }),
    { numRuns: 3000 },
  );
  assert.ok(equalPairs > 30, `enough equal pairs to test the other direction (${equalPairs})`);
  // the collisions of plain JSON, one by one
  const distinct: unknown[] = [
    NaN, { $number: "NaN" }, { nonFinite: "NaN" }, null, 0, -0, new Map(), {}, new Map([["a", 1]]), { a: 1 },
    [1, 2], Float64Array.from([1, 2]), Int32Array.from([1, 2]), { 0: 1, 1: 2 }, new Map([[1, "x"]]), new Map([["1", "x"]]),
  ];
  const texts = distinct.map((v) => canonicalJson(v));
  assert.equal(new Set(texts).size, distinct.length, texts.join("\n"));
});

test("what cannot be written faithfully is refused with a ParameterError naming where, before any work", async () => {
  const directory = fresh();
  const cyclic: Record<string, unknown> = {};
  cyclic["self"] = cyclic;
  class Rates {
    readonly a = 1;
  }
  class MyMap extends Map<string, number> {}
  const refused: [string, unknown, RegExp][] = [
    ["Set", new Set([1, 2]), /params\.s = "\[Set\]".*sorted array/],
    ["Date", new Date(0), /params\.s = "\[Date\]".*toISOString/],
    ["BigInt", 10n, /params\.s = "10n"/],
    ["symbol", Symbol("k"), /params\.s = "Symbol\(k\)"/],
    ["function", () => 1, /params\.s = "\[function\]"/],
    ["class instance", new Rates(), /params\.s = "\[Rates instance\]"/],
    ["boxed number", Object(1), /params\.s = "\[Number instance\]"/],
    ["RegExp", /x/, /params\.s = "\[RegExp instance\]"/],
    ["Map subclass", new MyMap(), /params\.s = "\[Map subclass\]"/],
    ["undefined in an array", [1, undefined], /params\.s\[1\] = undefined/],
    // eslint-disable-next-line no-sparse-arrays
    ["hole in an array", [1, , 3], /params\.s\[1\] = "\[hole\]"/],
    ["cycle", cyclic, /params\.s\.self = "\[cycle\]"/],
    ["BigInt64Array", new BigInt64Array(2), /"\[BigInt64Array\]"/],
    ["ArrayBuffer", new ArrayBuffer(8), /"\[ArrayBuffer\]"/],
    ["DataView", new DataView(new ArrayBuffer(8)), /"\[DataView\]"/],
    ["object Map key", new Map([[{}, 1]]), /params\.s key = "\[object instance\]"|params\.s key/],
    ["symbol key", { [Symbol("k")]: 1 }, /symbol keys/],
    ["Map value", new Map([["k", new Set()]]), /params\.s\.get\("k"\) = "\[Set\]"/],
  ];
  for (const [what, value, message] of refused) {
    let computed = false;
    await assert.rejects(
      cachedStudy("refused", { s: value }, () => { computed = true; return 1; }, { directory }),
      (e: unknown) => e instanceof ParameterError && message.test(e.message),
      what,
    );
    assert.equal(computed, false, `${what}: refused before any work`);
  }
  await assert.rejects(cachedStudy("refused", undefined, () => 1, { directory }), /params = undefined/);
  // undefined object members are left out, as JSON does: { a: undefined } and {} are one parameter
  assert.equal(canonicalJson({ a: undefined, b: 1 }), canonicalJson({ b: 1 }));
  assert.deepEqual(readdirSync(directory), []);
});

test("a result the cache cannot hold, or null, is returned uncached with one line on stderr", async () => {
  const directory = fresh();
  let calls = 0;
  const set = new Set([1]);
  for (let i = 0; i < 2; i++) {
    const r = await withStderr(() => cachedStudy("setresult", { x: 1 }, () => { calls++; return { s: set }; }, { directory }));
    assert.equal(r.value.fromCache, false);
    assert.equal(r.value.result.s, set, "the computed result is returned as it is");
    assert.equal(cacheLines(r.stderr).length, i === 0 ? 1 : 0, r.stderr);
    if (i === 0) assert.match(r.stderr, /the result of setresult cannot be cached \(result\.s = "\[Set\]"/);
  }
  const n = await withStderr(() => cachedStudy("nullresult", { x: 1 }, () => null, { directory }));
  assert.equal(n.value.result, null);
  assert.match(n.stderr, /result = null is out of range/);
  assert.equal(calls, 2);
  assert.deepEqual(readdirSync(directory), []);
});

// ---------------------------------------------------------------------------------------------------------
// Where the cache lives, and when it cannot be written

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

test("MP_CACHE_DIR moves the cache, CacheOptions.directory wins over it, and MP_CACHE is checked", async () => {
  const moved = fresh();
  const explicit = fresh();
  await withEnv({ MP_CACHE_DIR: moved, MP_CACHE: undefined }, async () => {
    const r = await cachedStudy("moved", { x: 1 }, () => 1);
    assert.equal(r.file.startsWith(moved), true, r.file);
    assert.ok(existsSync(r.file));
    const s = await cachedStudy("moved", { x: 1 }, () => 1, { directory: explicit });
    assert.equal(s.file.startsWith(explicit), true);
  });
  await withEnv({ MP_CACHE_DIR: moved, MP_CACHE: "off" }, async () => {
    const r = await cachedStudy("moved", { x: 2 }, () => 2);
    assert.equal(r.fromCache, false);
    assert.equal(existsSync(r.file), false, "MP_CACHE=off writes nothing");
    assert.equal((await cachedStudy("moved", { x: 1 }, () => 3)).result, 3, "MP_CACHE=off reads nothing");
  });
  await withEnv({ MP_CACHE_DIR: moved, MP_CACHE: "refresh" }, async () => {
    assert.equal((await cachedStudy("moved", { x: 1 }, () => 4)).fromCache, false);
  });
  await withEnv({ MP_CACHE_DIR: moved, MP_CACHE: "of" }, async () => {
    await assert.rejects(cachedStudy("moved", { x: 1 }, () => 1), /MP_CACHE = "of" is out of range: "use", "refresh", "off" or unset/);
  });
});

test("a file where the cache directory should be: the result is returned, one warning says how to move the cache", async () => {
  // Exercises ENOTDIR/EEXIST (works as root too, unlike permission bits); EACCES and EROFS are in cacheFaults.test.ts.
  const base = fresh();
  const blocker = join(base, "cache");
  writeFileSync(blocker, "not a directory");
  for (const directory of [blocker, join(blocker, "inside")]) {
    let calls = 0;
    const first = await withStderr(() => cachedStudy("blocked", { x: 1 }, () => ({ v: ++calls }), { directory }));
    const second = await withStderr(() => cachedStudy("blocked", { x: 2 }, () => ({ v: ++calls }), { directory }));
    assert.deepEqual([first.value.result.v, second.value.result.v], [1, 2], "both computations are returned");
    const lines = cacheLines(first.stderr + second.stderr);
    assert.equal(lines.length, 1, "warned once");
    assert.match(lines[0] as string, /cannot write to the results cache in .*\((EEXIST|ENOTDIR)/);
    assert.match(lines[0] as string, /MP_CACHE_DIR=<directory> \(or CacheOptions\.directory\)/);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Temporaries

/** A pid that certainly belonged to a process that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

test("orphan temporaries are removed by rule; a temporary of a running writer never is", async () => {
  const directory = fresh();
  const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  try {
    const host = hostTag();
    const names = {
      dead: `a.json.tmp-${deadPid()}-${host}-0000aaaa`,
      deadLegacy: `b.json.tmp-${deadPid()}-0000bbbb`,
      running: `c.json.tmp-${sleeper.pid}-${host}-0000cccc`,
      mine: `d.json.tmp-${process.pid}-${host}-0000dddd`,
      reused: `e.json.tmp-${process.pid}-${host}-0000eeee`,
      foreignFresh: `f.json.tmp-${sleeper.pid}-ffffffff-0000ffff`,
      foreignOld: `g.json.tmp-1-ffffffff-00001111`,
      unrelated: "notes.tmp",
      entry: "h.json",
    };
    for (const name of Object.values(names)) writeFileSync(join(directory, name), "partial");
    const hourBeforeStart = (Date.now() - process.uptime() * 1000 - 3600e3) / 1000;
    utimesSync(join(directory, names.reused), hourBeforeStart, hourBeforeStart); // written before this process started
    const twoDaysAgo = Date.now() / 1000 - 2 * 86400;
    utimesSync(join(directory, names.foreignOld), twoDaysAgo, twoDaysAgo);
    const removed = removeOrphanTemporaries(directory).sort();
    assert.deepEqual(removed, [names.dead, names.deadLegacy, names.reused, names.foreignOld].sort());
    assert.deepEqual(readdirSync(directory).sort(), [names.running, names.mine, names.foreignFresh, names.unrelated, names.entry].sort());
  } finally {
    sleeper.kill("SIGKILL");
  }
});

/** The host tag writeFileAtomic puts in its temporaries, read from one it leaves at the rename hook. */
function hostTag(): string {
  const dir = fresh();
  const key = Symbol.for("migration-penalties.writeFileAtomic.beforeRename");
  let seen = "";
  (globalThis as Record<symbol, unknown>)[key] = (tmp: string) => { seen = tmp; };
  try {
    writeFileAtomic(join(dir, "x.json"), "{}");
  } finally {
    delete (globalThis as Record<symbol, unknown>)[key];
  }
  const match = /\.tmp-\d+-([0-9a-f]{8})-[0-9a-f]{8}$/.exec(seen);
  assert.ok(match, seen);
  return match[1] as string;
}

test("currentCode: nothing changed since load while the tests run", () => {
  const code = currentCode();
  assert.deepEqual(code.changedSinceLoad, []);
  assert.equal(code.version.codeHash, codeVersion().codeHash);
  assert.match(code.version.codeHash, /^[0-9a-f]{64}$/);
  assert.equal(code.version.dependencies["pure-rand"] !== undefined, true, "the random streams' package is part of the key");
  // Every package the code imports is installed: prose in comments (from "migrate" to "stay") is not an import.
  assert.deepEqual(Object.entries(code.version.dependencies).filter(([, version]) => version === "not installed"), []);
});

test("importedPackages: require, dynamic import and import/export-from; no built-ins; comment lines are not code", () => {
  const code = [
    'const a = require("pure-rand");',
    'const b = await import("simple-statistics/dist/x.js");',
    'import { c } from "@scope/pkg/deep"; export * from "danfojs-node";',
    'import fs from "node:fs"; const p = require("path");',
    '// the rule switches from "migrate" to "stay"',
    '/* from "K units at j+1" */',
    ' * lambda P_j / n from "K units at j+1..j+K" to "one unit at j+1"',
    'const glob = "src/**/*.ts"; const d = require("typescript");',
  ].join("\n");
  assert.deepEqual(importedPackages(code), ["@scope/pkg", "danfojs-node", "pure-rand", "simple-statistics", "typescript"]);
});
