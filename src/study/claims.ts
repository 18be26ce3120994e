import { ParameterError } from "../model/parameterError";
import { runMode } from "../report/runMode";

/**
 * A finding as data: what the paper says, where, what we measured, and whether the measurement supports it.
 * Studies return claims; `showClaims` renders them in a notebook; the report gathers every notebook's claims
 * into one table that links to the evidence.
 */
export type ClaimVerdict = "holds" | "fails" | "undetermined";

/** What was measured: a number, with its 95% interval when it is an estimate. */
export interface ClaimMeasurement {
  /** What the number is, in words ("growth rate per queue at λ = 0.77"). */
  readonly quantity: string;
  readonly mean: number;
  /** The 95% interval of an estimate; absent for an exact computation. */
  readonly ci95?: readonly [number, number];
}

export interface Claim {
  /** A stable identifier, unique within its notebook (letters, digits, '-', '_', '.'): the anchor of its row. */
  readonly id: string;
  /** The paper's statement, quoted. */
  readonly statement: string;
  /** Where the paper makes it: section, figure, theorem ("Section III, Fig. 3"). */
  readonly source: string;
  readonly measured: ClaimMeasurement;
  readonly verdict: ClaimVerdict;
  /** Why the verdict follows from the measurement, in words with the numbers. */
  readonly evidence: string;
}

/** The fields every claim builder takes. */
export interface ClaimBase {
  readonly id: string;
  readonly statement: string;
  readonly source: string;
}

/** A region of the real line a measurement must lie in for the claim to hold. */
export type ClaimRegion =
  | { readonly above: number }
  | { readonly below: number }
  | { readonly within: readonly [number, number] };

const ID = /^[A-Za-z0-9_.-]{1,80}$/;

function requireBase(base: ClaimBase): void {
  if (base === null || typeof base !== "object") throw new ParameterError("claim", base, "an object with id, statement and source");
  if (typeof base.id !== "string" || !ID.test(base.id)) throw new ParameterError("claim.id", base.id, "1-80 letters, digits, '-', '_' or '.'");
  if (typeof base.statement !== "string" || base.statement.trim() === "") throw new ParameterError("claim.statement", base.statement, "the paper's statement, quoted");
  if (typeof base.source !== "string" || base.source.trim() === "") throw new ParameterError("claim.source", base.source, "where the paper makes it");
}

function regionText(region: ClaimRegion): string {
  if ("above" in region) return `above ${region.above}`;
  if ("below" in region) return `below ${region.below}`;
  return `within [${region.within[0]}, ${region.within[1]}]`;
}

function inRegion(x: number, region: ClaimRegion): boolean {
  if ("above" in region) return x > region.above;
  if ("below" in region) return x < region.below;
  return x >= region.within[0] && x <= region.within[1];
}

/** "at quick-mode precision" in quick mode, "at this precision" otherwise. */
export function precisionPhrase(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return runMode(env) === "quick" ? "at quick-mode precision" : "at this precision";
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

/**
 * A claim decided by an estimate's 95% interval against the region where the claim holds: "holds" when the
 * whole interval lies in the region, "fails" when the whole interval lies outside it (for `within`, entirely
 * below or entirely above), "undetermined" otherwise, with "at quick-mode precision" in quick mode. A NaN
 * bound is undetermined. Cost O(1).
 *
 * @param base id, statement (quoted), source
 * @param measured quantity, mean, ci95
 * @param holdsWhen the region
 * @example
 * claimFromInterval({ id: "stable-0.77", statement: "The system is clearly stable when λ = 0.77", source: "Section III, Fig. 3" },
 *   { quantity: "growth per queue", mean: 1e-5, ci95: [-2e-4, 2.2e-4] }, { within: [-1e-3, 1e-3] }).verdict // => "holds"
 */
export function claimFromInterval(base: ClaimBase, measured: ClaimMeasurement, holdsWhen: ClaimRegion): Claim {
  requireBase(base);
  const ci = measured.ci95;
  if (!ci) throw new ParameterError("measured.ci95", ci, "the 95% interval of the estimate (use exactClaim for exact values)");
  const [lo, hi] = ci;
  let verdict: ClaimVerdict;
  let evidence: string;
  const shown = `${fmt(measured.mean)}, 95% CI [${fmt(lo)}, ${fmt(hi)}]`;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    verdict = "undetermined";
    evidence = `${measured.quantity} = ${fmt(measured.mean)} has no finite interval (too few replications or batches)`;
  } else if (inRegion(lo, holdsWhen) && inRegion(hi, holdsWhen)) {
    verdict = "holds";
    evidence = `${measured.quantity} = ${shown}: the whole interval lies ${regionText(holdsWhen)}`;
  } else {
    const outside = "above" in holdsWhen ? hi <= holdsWhen.above
      : "below" in holdsWhen ? lo >= holdsWhen.below
      : hi < holdsWhen.within[0] || lo > holdsWhen.within[1];
    verdict = outside ? "fails" : "undetermined";
    evidence = outside
      ? `${measured.quantity} = ${shown}: the whole interval lies outside ${regionText(holdsWhen).replace(/^within /, "")}`
      : `${measured.quantity} = ${shown}: the interval straddles the boundary of ${regionText(holdsWhen)}; undetermined ${precisionPhrase()}`;
  }
  return { ...base, measured: { ...measured, ci95: [lo, hi] }, verdict, evidence };
}

/**
 * A claim about a stability verdict of the simulator (stabilityVerdict): it holds when the verdict is the one
 * the paper states, fails when it is the opposite, and is undetermined when the test was inconclusive.
 *
 * @param base id, statement, source
 * @param stability the verdict with the growth rate per queue and its interval
 * @param expected what the paper says: "stable" or "unstable"
 * @example
 * claimFromStability({ id: "unstable-0.79", statement: "unstable when λ = 0.79", source: "Fig. 3" },
 *   { verdict: "unstable", reason: "...", growthRatePerQueue: 0.01, growthRatePerQueueCi95: [0.008, 0.012] }, "unstable").verdict // => "holds"
 */
export function claimFromStability(
  base: ClaimBase,
  stability: { readonly verdict: "stable" | "unstable" | "inconclusive"; readonly reason: string; readonly growthRatePerQueue: number; readonly growthRatePerQueueCi95: readonly [number, number] },
  expected: "stable" | "unstable",
): Claim {
  requireBase(base);
  if (expected !== "stable" && expected !== "unstable") throw new ParameterError("expected", expected, '"stable" or "unstable"');
  const verdict: ClaimVerdict = stability.verdict === "inconclusive" ? "undetermined" : stability.verdict === expected ? "holds" : "fails";
  const [lo, hi] = stability.growthRatePerQueueCi95;
  const evidence = `stability test: ${stability.verdict} (${stability.reason}); growth ${fmt(stability.growthRatePerQueue)} per queue per unit time, 95% CI [${fmt(lo)}, ${fmt(hi)}]` +
    (verdict === "undetermined" ? `; undetermined ${precisionPhrase()}` : "");
  return { ...base, measured: { quantity: "growth rate per queue per unit time", mean: stability.growthRatePerQueue, ci95: [lo, hi] }, verdict, evidence };
}

/**
 * A claim decided by an exact computation (no sampling error): it holds or fails as `holds` says; a NaN value
 * is undetermined.
 *
 * @param base id, statement, source
 * @param measured quantity and value (no interval)
 * @param holds whether the value supports the statement
 * @param evidence why, with the numbers
 * @example
 * exactClaim({ id: "thm2", statement: "unstable if λ > λ*", source: "Theorem 2" },
 *   { quantity: "exact threshold − λ*", mean: 0.0075 }, false, "the exact threshold 0.8941 exceeds λ* = 0.8866").verdict // => "fails"
 */
export function exactClaim(base: ClaimBase, measured: Omit<ClaimMeasurement, "ci95">, holds: boolean, evidence: string): Claim {
  requireBase(base);
  if (typeof holds !== "boolean") throw new ParameterError("holds", holds, "true or false");
  const verdict: ClaimVerdict = Number.isNaN(measured.mean) ? "undetermined" : holds ? "holds" : "fails";
  return { ...base, measured: { quantity: measured.quantity, mean: measured.mean }, verdict, evidence };
}

/**
 * A claim with its verdict decided by the caller (a compound statement that a study function decides from
 * several intervals); the evidence must say how.
 *
 * @example
 * claim({ id: "x", statement: "s", source: "Fig. 6" }, { quantity: "q", mean: 1 }, "undetermined", "two of four intervals straddle 0").verdict // => "undetermined"
 */
export function claim(base: ClaimBase, measured: ClaimMeasurement, verdict: ClaimVerdict, evidence: string): Claim {
  requireBase(base);
  if (verdict !== "holds" && verdict !== "fails" && verdict !== "undetermined") {
    throw new ParameterError("verdict", verdict, '"holds", "fails" or "undetermined"');
  }
  if (typeof evidence !== "string" || evidence.trim() === "") throw new ParameterError("evidence", evidence, "why the verdict follows, in words");
  return { ...base, measured: { ...measured }, verdict, evidence };
}
