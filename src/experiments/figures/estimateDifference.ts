/**
 * The import path the delay studies use for estimateDifference; the function lives in
 * src/statistics/estimateDifference.ts (one copy) and is exported from the package through statistics.
 */
export { type EstimateDifference, estimateDifference } from "../../statistics/estimateDifference";
