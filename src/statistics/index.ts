/** Statistics: confidence intervals (probabilities clipped to [0, 1]), the MSER warm-up rule, the stability test, the delay histogram. */
export * from "./confidenceInterval";
export * from "./mserTruncation";
export * from "./stabilityVerdict";
export * from "./logLinearHistogram";
export * from "./estimateDifference";
export * from "./referenceAgreement";
export * from "./mm1Agreement";
export * from "./probabilityInterval";
