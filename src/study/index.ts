/**
 * The study layer: grids of configurations with per-cell seeds, one run on the shared worker pool with the
 * results cache, results as DataFrames, comparisons, and claims (the paper's statement, our measurement, a
 * verdict); and the same studies planned as a manifest of independent units, run as shards elsewhere (a Slurm
 * job array, a Kubernetes Indexed Job, GNU parallel) and merged back into the cache.
 */
export { type StudyCell, cellKey, studyCells, studyGrid } from "./studyGrid";
export { cellSeed } from "./cellSeed";
export {
  type StudyCellResult, type StudyOptions, type StudyProgress, type StudyResult, type StudySimulation, runStudy,
} from "./runStudy";
export { FRAME_ESTIMATES, exportFrame, studyFrame, studyRows, tailFrame } from "./studyFrames";
export { type ComparedEstimate, compareCells } from "./compareCells";
export { dataFrame } from "./dataFrame";
export { type StabilityBracket, type StabilityObservation, stabilityBracket } from "./stabilityBracket";
export { type ThresholdSearchOptions, type ThresholdSearchResult, locateStabilityThreshold } from "./locateStabilityThreshold";
export { type TailWithIntervals, tailLighterFrom } from "./tailLighterFrom";
export { tailDifference } from "./tailDifference";
export {
  type Claim, type ClaimBase, type ClaimMeasurement, type ClaimRegion, type ClaimVerdict, claim, claimFromInterval,
  claimFromStability, exactClaim, precisionPhrase,
} from "./claims";
export {
  type ManifestCell, type ManifestCode, type ManifestPlanOptions, type ManifestUnit, type StudyDefinition, type StudyManifest,
  planStudyManifest, writeStudyManifest,
} from "./studyManifest";
export { type ReadManifestOptions, type StudyManifestProblem, StudyManifestError, readStudyManifest } from "./readStudyManifest";
export { assignShards } from "./assignShards";
export { type ShardRunOptions, type ShardRunSummary, runStudyShard } from "./runStudyShard";
export { type MergeOptions, type MergeSummary, type UnitProblem, mergeStudyResults } from "./mergeStudyResults";
export { type SlurmScriptOptions, slurmScript } from "./slurmScript";
export { loadStudyDefinition } from "./loadStudyDefinition";
export { requireCheck } from "./requireCheck";
export { runOnWorkers } from "./runOnWorkers";
