/**
 * The functions of simple-statistics the package uses, loaded through its CommonJS build (the package is an
 * ES module with a `require` export; TypeScript's node16 resolution would otherwise refuse to import it from
 * this CommonJS package). Where simple-statistics is accurate it is used rather than hand-written code: its
 * mean uses compensated (Kahan) summation and its variances a two-pass sum of squared deviations. Not used:
 * its `probit` (a crude approximation, 1.9572 for 0.975) and `tTest` (population standard deviation);
 * Student-t quantiles come from `@stdlib` instead.
 */
interface SimpleStatistics {
  mean(x: readonly number[]): number;
  sum(x: readonly number[]): number;
  variance(x: readonly number[]): number;
  sampleVariance(x: readonly number[]): number;
  sampleStandardDeviation(x: readonly number[]): number;
  quantile(x: readonly number[], p: number): number;
  linearRegression(data: ReadonlyArray<readonly [number, number]>): { m: number; b: number };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ss = require("simple-statistics") as SimpleStatistics;

/** Arithmetic mean (simple-statistics; Kahan-compensated sum). Throws on an empty array. */
export const mean = (x: readonly number[]): number => ss.mean(x);
/** Compensated sum (simple-statistics). */
export const sum = (x: readonly number[]): number => ss.sum(x);
/** Sample variance, n - 1 denominator (simple-statistics, two-pass). Throws with fewer than 2 values. */
export const sampleVariance = (x: readonly number[]): number => ss.sampleVariance(x);
/** Sample standard deviation, n - 1 denominator (simple-statistics). */
export const sampleStandardDeviation = (x: readonly number[]): number => ss.sampleStandardDeviation(x);
/** Quantile p of the values, linear interpolation between order statistics (simple-statistics). */
export const quantile = (x: readonly number[], p: number): number => ss.quantile(x, p);
/** Least-squares line y = m x + b through the points (simple-statistics). */
export const linearRegression = (points: ReadonlyArray<readonly [number, number]>): { m: number; b: number } => ss.linearRegression(points);
