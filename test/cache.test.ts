import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedStudy, canonicalJson } from "../src/experiments/resultCache";
import { codeVersion } from "../src/experiments/codeVersion";

const fresh = (): string => mkdtempSync(join(tmpdir(), "mp-cache-"));

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
  assert.equal(canonicalJson({ b: 1, a: [NaN] }), '{"a":[{"nonFinite":"NaN"}],"b":1}');
});

test("an entry whose provenance does not match is recomputed, never reused", async () => {
  const directory = fresh();
  let calls = 0;
  const first = await cachedStudy("demo", { x: 1 }, () => ++calls, { directory });
  const entry = JSON.parse(readFileSync(first.file, "utf8")) as { provenance: { codeHash: string } };
  entry.provenance.codeHash = "0".repeat(64); // as if written by other code
  writeFileSync(first.file, JSON.stringify(entry));
  const second = await cachedStudy("demo", { x: 1 }, () => ++calls, { directory });
  assert.equal(second.fromCache, false);
  writeFileSync(first.file, "{ truncated");
  const third = await cachedStudy("demo", { x: 1 }, () => ++calls, { directory });
  assert.equal(third.fromCache, false, "an unreadable entry is recomputed");
  assert.equal(calls, 3);
});

test("refresh recomputes and off writes nothing; bad names and functions are refused", async () => {
  const directory = fresh();
  let calls = 0;
  await cachedStudy("demo", { x: 1 }, () => ++calls, { directory });
  const r = await cachedStudy("demo", { x: 1 }, () => ++calls, { directory, mode: "refresh" });
  assert.equal(r.fromCache, false);
  const other = fresh();
  await cachedStudy("demo", { x: 1 }, () => ++calls, { directory: other, mode: "off" });
  assert.deepEqual(readdirSync(other), []);
  await assert.rejects(cachedStudy("../evil", {}, () => 1, { directory }), /study = "..\/evil"/);
  await assert.rejects(cachedStudy("demo", { f: () => 1 }, () => 1, { directory }), /params/);
});
