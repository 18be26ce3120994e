/**
 * migration-penalties: the model, simulator, theory, studies and display helpers for "Load Balancing with
 * Migration Penalties" (Farias, Moallemi, Prabhakar). Notebooks and scripts import this barrel:
 * `import * as mp from "migration-penalties"` (the package entry, reloadingEntry.ts, returns it).
 *
 * Every name is listed explicitly, by group. What is not here (the notebook runner behind `npm run report`,
 * the event loop's parts, the random streams, the cache's file handling, the display adapters for tslab and
 * nodeplotlib) is internal: import it from its file.
 *
 * @packageDocumentation
 */

// ---- model (src/model) ----
// The system and its parameters, their validation and the error bad input throws (ParameterError), the
// policies (constructors, labels, decision rules, declared properties, the registry of declarations), the
// sampling schemes, the exact law of the shortest of d samples, and the one progress type.
export { type SystemParams, MAX_MIGRATION_PENALTY, MAX_QUEUES, validateSystem } from "./model/system";
export { ParameterError, requireInteger, requireNumber } from "./model/parameterError";
export {
  type PolicySpec, type MigrationRule, type PolicyProperties, type PolicyParameter, type PaperForms, type PolicyDeclaration,
  type NoSharingSpec, type AbounceSpec, type MbounceSpec, type ShortestOfDSpec, type CustomPolicySpec, type SwitchingCurveSpec,
  noSharing, abounce, mbounce, shortestOfD, customPolicy, switchingCurve,
  policyLabel, policyParameters, sampleCount, validatePolicy, migrationRule, policyProperties, isTransferable, paperFormsOf,
  additiveThreshold, makePolicy, policyDeclaration, policyDeclarations,
} from "./model/policy";
export { type SamplingScheme, DEFAULT_SAMPLING, SAMPLING_SCHEMES, validateSampling } from "./model/sampling";
export { shortestSampleLaw } from "./model/shortestSample";
export { type Progress } from "./model/progress";

// ---- simulate (src/simulate) ----
// Running the model: runSimulation (parallel replications and their summary), one replication on the calling
// thread, combining replications run elsewhere, the options (fixed length or a precision target) and their
// documented bounds, and the report with its estimates, verdict and scope.
export { runSimulation } from "./simulate/runSimulation";
export { simulateReplication } from "./simulate/simulateReplication";
export {
  type SimulationOptions, type ResolvedSimulationOptions, type SimulationProgress, resolveSimulationOptions,
  DEFAULT_SIMULATION_EVENTS, MAX_SIMULATION_EVENTS, MIN_SIMULATION_EVENTS, SIMULATION_BATCHES, SIMULATION_ARRIVAL_RATE_RANGE, SIMULATION_WORK_LIMIT,
} from "./simulate/simulationOptions";
export { type PrecisionTarget, DEFAULT_PRECISION_MAX_EVENTS, DEFAULT_PRECISION_REPLICATIONS } from "./simulate/precisionTarget";
export {
  type SimulationReport, type RunEstimate, type RunProbabilityEstimate, type EstimateScope, type SteadyStateStatus,
  type ReplicationSummary, type DelayQuantile, summarizeSimulation,
} from "./simulate/summarizeSimulation";
export type { ReplicationResult, ReplicationRecords, SamplePath, DelayTracking } from "./simulate/replicationResult";

// ---- statistics (src/statistics) ----
// What a researcher uses on simulated numbers: t intervals, probability intervals clipped to [0, 1],
// differences of means (Welch, paired) and of estimates, agreement with a reference (and with M/M/1), the
// stability verdict and its constants, and the MSER warm-up rule.
export { type MeanEstimate, meanConfidenceInterval } from "./statistics/confidenceInterval";
export { type ProbabilityEstimate, probabilityInterval } from "./statistics/probabilityInterval";
export { type MeanDifference, pairedDifference, welchDifference } from "./statistics/differenceOfMeans";
export { type EstimateDifference, estimateDifference } from "./statistics/estimateDifference";
export {
  type ReferenceAgreement, type ReferenceAgreementRow, type ReferenceCheck, referenceAgreement,
} from "./statistics/referenceAgreement";
export { type Mm1AgreementOptions, type Mm1Simulation, mm1Agreement } from "./statistics/mm1Agreement";
export {
  type GrowthBatch, type StabilityAssessment, DEFAULT_STABILITY_TOLERANCE, GROWTH_PERSISTENCE_RATIO, MIN_EVENTS_PER_QUEUE,
  MIN_STABILITY_BATCHES, stabilityVerdict,
} from "./statistics/stabilityVerdict";
export { type MserTruncation, mserTruncation } from "./statistics/mserTruncation";

// ---- theory (src/theory/index.ts) ----
// Thresholds, Lyapunov drift, mean field (plain and refined), exact small systems, the optimal two-queue rule.
export {
  theorem1ArrivalRateBound, theorem3ArrivalRateBound, THEOREM2_MAX_PRODUCT, theorem2LambdaStar,
  TWO_QUEUE_MAX_THRESHOLD, type TwoQueueDifferenceLaw, differenceLawProbability, twoQueueDifferenceLaw,
  EXACT_THRESHOLD_WORK_LIMIT, type ExactTwoQueueThreshold, exactTwoQueueThreshold,
  type ThresholdComparisonRow, thresholdComparisonTable,
  type LyapunovFunction, lyapunovFromFunction, theorem2LyapunovFunction, type Theorem3Part, theorem3LyapunovFunction,
  type ChainTransition, embeddedChainTransitions, type ChainStep, embeddedChainStepper, exactDrift,
  type MonteCarloDriftEstimate, monteCarloDrift,
  EMBEDDED_CHAIN_ARRIVAL_RATE_RANGE, EXACT_DRIFT_MAX_QUEUES, MONTE_CARLO_DRIFT_MAX_SAMPLES, MONTE_CARLO_DRIFT_WORK_LIMIT,
  type Theorem2ConditionReport, type Theorem2Set, type Theorem2SetSummary, type Theorem2StateDrift, theorem2ConditionCheck,
  theorem2SetOf, type RateInterval, type Theorem2ConditionOneRates, theorem2ConditionOneRates,
  type Theorem3DriftRecord, type Theorem3DriftSurvey, type Theorem3StateFamily, theorem3DriftSurvey,
  type Theorem2DriftGrid, theorem2DriftGrid, theorem3NoMigrationDrift, theorem3CrossingTotal,
  type Theorem3LevelMaximum, type Theorem3LevelMaximumRow, theorem3LevelMaximum,
  type MeanFieldParams, type MeanFieldSystem, type MeanFieldVariant, derivedMeanFieldSystem, printedMeanFieldSystem,
  buildMeanFieldSystem, meanFieldDrift, type MeanFieldMetrics, meanFieldMetrics,
  type MeanFieldFixedPoint, type MeanFieldFixedPointOptions, meanFieldFixedPoint,
  type MeanFieldTrajectory, type MeanFieldTrajectoryOptions, integrateMeanField,
  type FrontMotion, type FrontMotionOptions, type FrontMotionResult, meanFieldFrontMotion,
  type MeanFieldStabilityBoundary, type StabilityBoundaryOptions, meanFieldStabilityBoundary,
  supermarketFixedPoint, lemma1TailExponent, lemma2TailExponent, type TailLemmaOptions, type TailLemmaRow, tailLemmaComparison,
  type LemmaCheckpoint, type LemmaRateCurve, type MeanFieldTailCurve, type MeanFieldTailReference,
  type MeanFieldTailReferenceOptions, meanFieldTailReference,
  type RefinedMeanField, type RefinedMeanFieldOptions, refinedMeanField, type LyapunovSolution, solveLyapunov,
  MAX_EXACT_QUEUES, MAX_EXACT_STATES, type ExactSystemSummary, maxExactTruncation,
  type ExactSolverReport, type TruncatedStationaryLaw, truncatedStationary,
  type ExactStationary, type ExactStationaryOptions, type ExactTruncationError, exactStationary,
  type CurveShape, type OptimalTwoQueueRule, type OptimalTwoQueueRuleOptions, type SwitchingPoint, type TruncationCheck,
  optimalTwoQueueRule, type EvaluateTwoQueueRuleOptions, type TwoQueueRuleEvaluation, evaluateTwoQueueRule,
  type CompareTwoQueueRulesOptions, type TwoQueueRuleComparison, type TwoQueueRuleRanking, compareTwoQueueRules,
  defaultTwoQueueRules, switchingTablePolicy, switchingTableRule, MAX_TWO_QUEUE_TRUNCATION, ruleSwitchingCurve,
} from "./theory";

// ---- study (src/study, its cache in src/study/cache) ----
// Grids of configurations with per-cell seeds, runStudy on the shared worker pool with the results cache,
// results as danfojs DataFrames, comparisons of cells, stability brackets and threshold searches, claims (the
// paper's statement, our measurement, a verdict), and manifests of units run as shards on a cluster and
// merged back. Also the cache itself (cachedStudy, its options and provenance, the canonical text that keys it
// and compares results bit for bit, the code version) and simulated points with their intervals.
export {
  type StudyCell, cellKey, studyCells, studyGrid, cellSeed,
  type StudyCellResult, type StudyOptions, type StudyProgress, type StudyResult, type StudySimulation, runStudy,
  FRAME_ESTIMATES, exportFrame, studyFrame, studyRows, tailFrame, dataFrame,
  type ComparedEstimate, compareCells, type TailWithIntervals, tailLighterFrom, tailDifference,
  type StabilityBracket, type StabilityObservation, stabilityBracket,
  type ThresholdSearchOptions, type ThresholdSearchResult, locateStabilityThreshold,
  type Claim, type ClaimBase, type ClaimMeasurement, type ClaimRegion, type ClaimVerdict, claim, claimFromInterval,
  claimFromStability, exactClaim, precisionPhrase,
  type ManifestCell, type ManifestCode, type ManifestPlanOptions, type ManifestUnit, type StudyDefinition, type StudyManifest,
  planStudyManifest, writeStudyManifest, type ReadManifestOptions, type StudyManifestProblem, StudyManifestError,
  readStudyManifest, assignShards, type ShardRunOptions, type ShardRunSummary, runStudyShard,
  type MergeOptions, type MergeSummary, type UnitProblem, mergeStudyResults, type SlurmScriptOptions, slurmScript,
  loadStudyDefinition, requireCheck, runOnWorkers,
} from "./study";
export { type CacheOptions, type CachedResult, type Provenance, cachedStudy } from "./study/cache/resultCache";
export { canonicalJson } from "./study/cache/cacheJson";
export { type CodeVersion, codeVersion } from "./study/cache/codeVersion";
export { type IntervalEstimate, type SimulationPoint, simulationPoint } from "./study/simulationPoint";
export { type SimulatePointsOptions, type StudyPoint, simulatePoints } from "./study/simulatePoints";
export { type RunMode, runMode } from "./report/runMode";

// ---- Figure 6 and Section IV helpers (src/statistics, src/theory/meanfield, src/study) ----
// What the delay and mean-field studies are made of, for a researcher building a new one: intervals at any
// confidence, tails against a reference, how the tail gap shrinks with n, the M/M/1 and mean-field relaxation
// times, the mean-field job delay, a sample path against the mean field, the mean-field delays of the policy
// families, precision-driven simulation plans and the best member of a family.
export { type ConfidenceBounds, intervalAtConfidence } from "./statistics/intervalAtConfidence";
export {
  type ComparedTail, type TailComparison, type TailComparisonOptions, type TailComparisonRow, compareTailWithReference,
} from "./statistics/compareTailWithReference";
export { type TailGapRun, type TailGapShrinkage, tailGapShrinkage } from "./statistics/tailGapShrinkage";
export { mm1RelaxationTime } from "./theory/queueing/mm1RelaxationTime";
export { type MeanFieldJobDelay, meanFieldJobDelay } from "./theory/meanfield/meanFieldJobDelay";
export { type MeanFieldRelaxation, meanFieldRelaxationTime } from "./theory/meanfield/meanFieldRelaxationTime";
export { type SamplePathComparison, compareSamplePathWithMeanField } from "./study/compareSamplePathWithMeanField";
export { MEAN_FIELD_DELAY_STUDY, meanFieldDelays } from "./study/meanFieldDelays";
export { type PrecisionPlan, precisionSimulation } from "./study/precisionSimulation";
export {
  type FamilyMember, type FamilySearch, type FamilySearchOptions, type FamilySearchResult, bestOfFamilyDelay,
} from "./study/bestOfFamilyDelay";

// ---- paper (src/paper/index.ts) ----
// The paper's studies, one per figure or theorem: short compositions of the study layer, the theory and the
// display helpers, each returning tables, figures, claims and details. Every name of src/paper/index.ts.
export {
  type PaperTable, markdownParagraphs, THEOREM2_SOURCE, THEOREM2_STATEMENT, type Theorem2ThresholdStudy,
  theorem2ThresholdStudy, type TwoQueueExactMeanRow, type TwoQueueExactMeanStudy, twoQueueExactMeanStudy,
  type Theorem2ConditionOneStudy, type Theorem2Pair, theorem2ConditionOneStudy, type Theorem2SimulationVerdicts,
  type Theorem2VerdictRow, theorem2SimulationVerdicts, type TwoQueueGrowthCheckRow, twoQueueThresholdSimulationCheck,
  type Theorem3AbounceConfig, type Theorem3DriftConfiguration, type Theorem3DriftStudy, type Theorem3MbounceConfig,
  theorem3DriftStudy, type Theorem3SimulationConfig, type Theorem3SimulationStudy, theorem3SimulationStudy,
  type Figure3Parameters, type Figure3Stability, figure3Stability, type PolicyTailsParameters, type PolicyTailsStudy,
  policyTailsStudy, type Figure4Parameters, type Figure4AbounceTails, figure4AbounceTails, type Figure5Parameters,
  type Figure5MbounceTails, figure5MbounceTails, type OptimalRulePair, type OptimalRuleTwoQueues,
  type OptimalRuleTwoQueuesParameters, optimalRuleTwoQueues, type OptimalRuleManyQueues,
  type OptimalRuleManyQueuesParameters, optimalRuleManyQueues, type Figure6MbounceDelays, type Figure6Parameters,
  type Figure6Point, figure6MbounceDelays, type FamilyComparison, type ThresholdFamilyComparison,
  type ThresholdFamilyParameters, thresholdFamilyComparison, type MeanFieldTailCase, type MeanFieldTailCaseResult,
  type MeanFieldTails, type MeanFieldTailsParameters, meanFieldTails, type CloserVerdict, type RefinedGapCase,
  type RefinedGapCaseResult, type RefinedGapParameters, type RefinedGapPoint, type RefinedMeanFieldGap,
  refinedMeanFieldGap,
} from "./paper";

// ---- display (src/display) ----
// Plain data for people: numbers and durations as text, tables (HTML, text, shown inline or on the terminal),
// plotly figures (line, log tail, heatmap, tails of several policies, tails against references), claims
// rendered as tables, markdown, parameter rows, and progress reporters. The adapters that know tslab or
// nodeplotlib, and the plotly bundle they embed, are internal: showTable, showFigure, showClaims and
// showMarkdown use them, chosen by MP_DISPLAY or the `target` option.
export { formatNumber } from "./display/formatNumber";
export { formatDuration } from "./display/formatDuration";
export type { TableInput, DataFrameLike, TableOptions } from "./display/tableCells";
export { tableHtml } from "./display/tableHtml";
export { tableText } from "./display/tableText";
export { type ShowTableOptions, showTable } from "./display/showTable";
export type {
  PlotlyFigure, PlotlyTrace, PlotlyLayout, PlotlyAxis, PlotlyConfig, PlotlyErrorBars,
} from "./display/plotlyFigure";
export { type FigureOptions, type FigureSeries, lineFigure } from "./display/lineFigure";
export { type TailSeries, logTailFigure } from "./display/logTailFigure";
export { type HeatmapData, heatmapFigure } from "./display/heatmapFigure";
export { type TailSeriesGroup, policyTailFigure } from "./display/policyTailFigure";
export {
  type SimulatedTail, type TailOverlayOptions, type TailReferenceCurves, tailOverlaySeries,
} from "./display/tailOverlaySeries";
export { type FigureHtmlOptions, figureHtml } from "./display/figureHtml";
export { figurePageHtml } from "./display/figurePageHtml";
export { type FigurePlotter, type ShowFigureOptions, showFigure } from "./display/showFigure";
export type { DisplayTarget } from "./display/displayTarget";
export { claimsHtml, claimsText, measurementText } from "./display/claimsTable";
export { type ShowClaimsOptions, showClaims } from "./display/showClaims";
export { type ShowMarkdownOptions, showMarkdown } from "./display/showMarkdown";
export { parameterRows } from "./display/parameterRows";
export { formatEstimate } from "./display/formatEstimate";
export { type HeatmapGridOptions, type TableRow, heatmapGrid } from "./display/heatmapGrid";
export { overlaySeries } from "./display/overlaySeries";
export { type ProgressCallback, type ProgressOptions, progressReporter } from "./display/progressReporter";
export { type StudyProgressUpdate, studyProgressReporter } from "./display/studyProgressReporter";
