/**
 * Delay and mean-field studies (notebooks 04-figure6 and 07-meanfield): mean delays simulated to a stated
 * precision, best-of-family searches with an independent confirmation run, tests of shrinking gaps, tails and
 * sample paths against references (closed forms, mean-field fixed points and transients).
 */
export * from "./pointDegreesOfFreedom";
export * from "./intervalAtConfidence";
export * from "./meanFieldJobDelay";
export * from "./meanFieldFamilyDelays";
export * from "./simulateDelayToPrecision";
export * from "./bestOfFamilyDelay";
export * from "./compareTailWithReference";
export * from "./meanFieldRelaxationTime";
export * from "./compareSamplePathWithMeanField";
export * from "./tailGapShrinkage";
