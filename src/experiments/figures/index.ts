/**
 * Helpers of the figure studies (notebooks 01-03: Figures 3-5): mean-field references drawn over simulated
 * tails, checks of simulations against closed forms with a family-wise confidence, differences of estimates.
 */
export * from "./meanFieldTailReference";
export * from "./tailOverlaySeries";
export * from "./referenceAgreement";
export * from "./mm1Agreement";
export * from "./estimateDifference";
export * from "./policyTailFigure";
export * from "./simulateIndependentPoints";
