/**
 * The study layer: grids, per-cell seeds (a cell's result does not depend on the other cells), common random
 * numbers and paired comparisons, the cache, DataFrames and their export, claims and their verdicts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ParameterError } from "../src/model/parameterError";
import { abounce, mbounce, noSharing } from "../src/model/policy";
import {
  cellSeed, claimFromInterval, claimFromStability, compareCells, exactClaim, exportFrame, runStudy, studyCells, studyFrame,
  studyGrid, studyRows, tailFrame,
} from "../src/study/index";
import { claimsHtml, claimsText } from "../src/display/claimsTable";

const tmp = mkdtempSync(join(tmpdir(), "mp-study-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const cache = { directory: join(tmp, "cache") };

test("studyGrid: the Cartesian product in axis order, validated, duplicates refused", () => {
  const cells = studyGrid({ C: [2, 3], lambda: [0.7, 0.8, 0.9] }, ({ C, lambda }) =>
    ({ queues: 100, arrivalRate: lambda, migrationPenalty: 2, policy: abounce(C, 10) }));
  assert.equal(cells.length, 6);
  assert.deepEqual(cells.map((c) => c.axes), [
    { C: 2, lambda: 0.7 }, { C: 2, lambda: 0.8 }, { C: 2, lambda: 0.9 }, { C: 3, lambda: 0.7 }, { C: 3, lambda: 0.8 }, { C: 3, lambda: 0.9 },
  ]);
  assert.equal(new Set(cells.map((c) => c.key)).size, 6);
  assert.throws(() => studyGrid({ C: [1] }, ({ C }) => ({ queues: 10, arrivalRate: 0.5, migrationPenalty: 2, policy: abounce(C, 2) })),
    (e: unknown) => e instanceof ParameterError && e.parameter === "threshold (C)" && /cell 0/.test(e.message));
  assert.throws(() => studyGrid({ x: [1, 2] }, () => ({ queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() })),
    (e: unknown) => e instanceof ParameterError && /same system as cell 0/.test(e.message));
  assert.throws(() => studyGrid({ x: [] }, () => ({ queues: 10, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() })),
    (e: unknown) => e instanceof ParameterError && e.parameter === "axes.x");
});

test("a cell's result depends only on the study seed and its own system, not on the other cells", async () => {
  const system = (lambda: number) => ({ queues: 10, arrivalRate: lambda, migrationPenalty: 2, policy: mbounce(2, 2) });
  const simulation = { events: 30_000, replications: 2, clock: "events" as const };
  const both = await runStudy({ name: "seed-test", cells: studyCells([system(0.6), system(0.8)]), simulation, seed: 9, cache: { mode: "off" } });
  const alone = await runStudy({ name: "seed-test", cells: studyCells([system(0.8)]), simulation, seed: 9, cache: { mode: "off" } });
  assert.deepEqual(alone.cells[0]!.point.tail, both.cells[1]!.point.tail);
  assert.equal(alone.cells[0]!.seed, both.cells[1]!.seed);
  assert.equal(both.cells[1]!.seed, cellSeed(9, both.cells[1]!.key));
  assert.notEqual(both.cells[0]!.seed, both.cells[1]!.seed);
});

test("common random numbers: every cell uses the study seed, and the paired interval is narrower than Welch's", async () => {
  const cells = studyGrid({ alpha: [2, 3] }, ({ alpha }) => ({ queues: 20, arrivalRate: 0.85, migrationPenalty: 2, policy: mbounce(alpha, 4) }));
  const simulation = { events: 40_000, replications: 8, clock: "events" as const };
  const crn = await runStudy({ name: "crn-test", cells, simulation, seed: 3, commonRandomNumbers: true, cache: { mode: "off" } });
  assert.deepEqual(crn.cells.map((c) => c.seed), [3, 3]);
  const paired = compareCells(crn.cells[0]!, crn.cells[1]!, "meanQueueLength");
  assert.equal(paired.method, "paired");
  const independent = await runStudy({ name: "crn-test", cells, simulation, seed: 3, cache: { mode: "off" } });
  const welch = compareCells(independent.cells[0]!, independent.cells[1]!, "meanQueueLength");
  assert.equal(welch.method, "welch");
  assert.ok(paired.halfWidth < welch.halfWidth / 2, `paired ${paired.halfWidth} vs Welch ${welch.halfWidth}`);
});

test("the cache serves a rerun with identical numbers, and the frames carry every cell", async () => {
  const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) => ({ queues: 5, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
  const study = { name: "frame-test", cells, simulation: { events: 20_000, replications: 3 }, seed: 4, cache };
  const first = await runStudy(study);
  const second = await runStudy(study);
  assert.deepEqual(first.cells.map((c) => c.fromCache), [false, false]);
  assert.deepEqual(second.cells.map((c) => c.fromCache), [true, true]);
  assert.deepEqual(second.cells.map((c) => c.point.meanQueueLength), first.cells.map((c) => c.point.meanQueueLength));

  const rows = studyRows(second);
  assert.equal(rows[1]!["lambda"], 0.8);
  assert.equal(rows[1]!["meanQueueLength_lo"], second.cells[1]!.point.meanQueueLength.ci95[0]);
  const df = studyFrame(second);
  assert.deepEqual(df.shape, [2, Object.keys(rows[0]!).length]);
  const tails = tailFrame(second);
  const values = tails.values as unknown as Array<Array<number | string>>;
  const levelColumn = tails.columns.indexOf("level");
  const tailColumn = tails.columns.indexOf("tail");
  for (const row of values) if (row[levelColumn] === 0) assert.equal(row[tailColumn], 1, "tail[0] = P(Q >= 0) = 1");
  const file = join(tmp, "frame.csv");
  exportFrame(df, file);
  const csv = readFileSync(file, "utf8").trim().split("\n");
  assert.equal(csv.length, 3);
  assert.ok(csv[0]!.startsWith("lambda,policy,queues"), csv[0]);
  exportFrame(df, join(tmp, "frame.json"));
  assert.equal((JSON.parse(readFileSync(join(tmp, "frame.json"), "utf8")) as unknown[]).length, 2);
  assert.throws(() => exportFrame(df, join(tmp, "frame.xlsx")), (e: unknown) => e instanceof ParameterError && e.parameter === "file");
});

test("runStudy refuses a rule given as a function and bad options before any work, naming the cell", async () => {
  const custom = { queues: 5, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "custom", samples: 2, shouldMigrate: () => false } };
  assert.throws(() => studyCells([custom]), (e: unknown) => e instanceof ParameterError && e.parameter === "policy");
  const cells = studyCells([{ queues: 5, arrivalRate: 0.5, migrationPenalty: 1, policy: noSharing() }]);
  await assert.rejects(runStudy({ name: "x", cells, simulation: { events: -1 } }),
    (e: unknown) => e instanceof ParameterError && e.parameter === "events" && /cell 0/.test(e.message));
});

test("claims: verdicts from intervals, stability and exact values; undetermined says at which precision", () => {
  const base = { id: "c1", statement: "stable when λ = 0.77", source: "Section III, Fig. 3" };
  const within = { within: [-0.001, 0.001] as const };
  assert.equal(claimFromInterval(base, { quantity: "g", mean: 0, ci95: [-5e-4, 5e-4] }, within).verdict, "holds");
  assert.equal(claimFromInterval(base, { quantity: "g", mean: 0.01, ci95: [0.005, 0.015] }, within).verdict, "fails");
  const straddle = claimFromInterval(base, { quantity: "g", mean: 0.001, ci95: [0, 0.002] }, within);
  assert.equal(straddle.verdict, "undetermined");
  assert.match(straddle.evidence, /undetermined at (quick-mode|this) precision/);
  assert.equal(claimFromInterval(base, { quantity: "g", mean: 3, ci95: [2, 4] }, { above: 1 }).verdict, "holds");
  assert.equal(claimFromInterval(base, { quantity: "g", mean: 3, ci95: [2, 4] }, { below: 2 }).verdict, "fails");
  assert.equal(claimFromInterval(base, { quantity: "g", mean: NaN, ci95: [NaN, NaN] }, { below: 2 }).verdict, "undetermined");
  const st = { verdict: "inconclusive" as const, reason: "r", growthRatePerQueue: 0.002, growthRatePerQueueCi95: [0, 0.004] as const };
  assert.equal(claimFromStability(base, st, "stable").verdict, "undetermined");
  assert.equal(claimFromStability(base, { ...st, verdict: "unstable" }, "stable").verdict, "fails");
  assert.equal(exactClaim(base, { quantity: "x", mean: 1 }, true, "because").verdict, "holds");
  assert.throws(() => claimFromInterval({ ...base, id: "bad id" }, { quantity: "g", mean: 0, ci95: [0, 0] }, within),
    (e: unknown) => e instanceof ParameterError && e.parameter === "claim.id");
  const html = claimsHtml([claimFromInterval(base, { quantity: "g", mean: 0, ci95: [-5e-4, 5e-4] }, within)]);
  assert.match(html, /id="claim-c1"/);
  assert.match(claimsText([straddle]), /^\[undetermined\]/);
  assert.throws(() => claimsHtml([]), (e: unknown) => e instanceof ParameterError && e.parameter === "claims");
});
