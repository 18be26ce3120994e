// Part of `npm run test:cluster`: the study merged from a Slurm job array against the same study computed on
// this machine's worker threads. Usage: node compare.js <study module> <merged cache> <fresh local cache>
// Exits 0 when runStudy finds every cell in the merged cache (fromCache) and every point equals the local one
// bit for bit (canonical text: every double written exactly, -0 and NaN told apart); 1 otherwise.
const { resolve } = require("node:path");
const { canonicalJson, runStudy } = require("migration-penalties");

async function main() {
  const [studyFile, mergedCache, localCache] = process.argv.slice(2);
  if (!studyFile || !mergedCache || !localCache) throw new Error("usage: node compare.js <study module> <merged cache> <fresh local cache>");
  const study = require(resolve(studyFile));
  const definition = study.default ?? study.study ?? study;
  const merged = await runStudy({ ...definition, cache: { directory: mergedCache, mode: "use" } });
  const local = await runStudy({ ...definition, cache: { directory: localCache, mode: "refresh" } });
  let failures = 0;
  merged.cells.forEach((cell, k) => {
    const mine = local.cells[k];
    const same = canonicalJson(cell.point) === canonicalJson(mine.point);
    if (!cell.fromCache) failures++;
    if (mine.fromCache) failures++;
    if (!same) failures++;
    console.log(`cell ${k} ${JSON.stringify(cell.axes)}: merged fromCache=${cell.fromCache}, local computed=${!mine.fromCache}, ` +
      `mean queue length ${cell.point.meanQueueLength.mean} vs ${mine.point.meanQueueLength.mean}: ${same ? "identical" : "DIFFERENT"}`);
  });
  console.log(failures === 0
    ? `merged == local for all ${merged.cells.length} cells, bit for bit (local run ${local.wallSeconds.toFixed(2)} s)`
    : `${failures} problem(s): the merged study is not the local one`);
  return failures === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error) => { console.error(error); process.exitCode = 1; });
