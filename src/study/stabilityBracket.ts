import { ParameterError } from "../model/parameterError";

/** One rate and the stability test's verdict there (a study cell's `point.stability`, with its arrival rate). */
export interface StabilityObservation {
  /** The arrival rate lambda (any finite number; the family's parameter). */
  readonly arrivalRate: number;
  readonly verdict: "stable" | "unstable" | "inconclusive";
  /** Why the test decided so, in words (stabilityVerdict's reason). */
  readonly reason: string;
}

/** Where a family of systems turns unstable, as far as the verdicts at the simulated rates tell. */
export interface StabilityBracket {
  /**
   * The interval [a, b], where b is the smallest rate judged unstable and a the largest rate below b judged
   * stable. Each end rests on one test (95% by default), so the threshold lies in [a, b] with the confidence of
   * the two tests. An end the verdicts do not give is NaN.
   */
  readonly interval: readonly [number, number];
  /** Both ends exist and no rate above b was judged stable. */
  readonly bracketed: boolean;
  /** Rates strictly inside (a, b) where the test was inconclusive: there the side of the threshold is undetermined. */
  readonly undetermined: readonly StabilityObservation[];
  /** Inconclusive rates outside [a, b] (below a or above b), which the bracket does not rest on. */
  readonly inconclusiveOutside: readonly StabilityObservation[];
  /** Rates above b judged stable: the verdicts are not monotone in the rate, and [a, b] is then not a bracket. */
  readonly stableAboveUnstable: readonly StabilityObservation[];
  /** One or two sentences with the numbers: the bracket, or why there is none, and each undetermined rate with its reason. */
  readonly description: string;
}

const show = (x: number): string => String(Number(x.toPrecision(6)));

function list(observations: readonly StabilityObservation[], withReasons: boolean): string {
  return observations.map((o) => (withReasons ? `λ = ${show(o.arrivalRate)} (${o.reason})` : show(o.arrivalRate))).join(", ");
}

/**
 * Brackets a stability threshold from stability verdicts at several rates: the interval between the largest
 * rate judged stable and the smallest rate judged unstable above it. Rates where the test was inconclusive are
 * never guessed at: those inside the bracket are listed as undetermined (the threshold may lie on either side
 * of them), those outside it separately; a rate judged stable above an unstable one means the verdicts are not
 * monotone in the rate, and the bracket says so instead of hiding it. Cost O(r log r) for r observations.
 *
 * @param observations the rates with their verdicts (at least one; rates finite and distinct)
 * @returns the interval, whether it is a bracket, the undetermined rates and a description
 * @throws ParameterError for an empty list, a non-finite or repeated rate, or an unknown verdict
 * @example
 * const b = stabilityBracket([
 *   { arrivalRate: 0.78, verdict: "stable", reason: "within" },
 *   { arrivalRate: 0.785, verdict: "inconclusive", reason: "growth interval [0.00097, 0.0012] straddles +0.001" },
 *   { arrivalRate: 0.79, verdict: "unstable", reason: "above" },
 * ]);
 * b.interval                  // => [0.78, 0.79]
 * b.undetermined.map((o) => o.arrivalRate) // => [0.785]
 */
export function stabilityBracket(observations: readonly StabilityObservation[]): StabilityBracket {
  if (!Array.isArray(observations) || observations.length === 0) {
    throw new ParameterError("observations", observations, "a non-empty array of { arrivalRate, verdict, reason }");
  }
  const seen = new Set<number>();
  observations.forEach((o, k) => {
    if (o === null || typeof o !== "object" || !Number.isFinite(o.arrivalRate)) {
      throw new ParameterError(`observations[${k}].arrivalRate`, o?.arrivalRate, "a finite number");
    }
    if (o.verdict !== "stable" && o.verdict !== "unstable" && o.verdict !== "inconclusive") {
      throw new ParameterError(`observations[${k}].verdict`, o.verdict, '"stable", "unstable" or "inconclusive"');
    }
    if (seen.has(o.arrivalRate)) throw new ParameterError(`observations[${k}].arrivalRate`, o.arrivalRate, "a rate no other observation has");
    seen.add(o.arrivalRate);
  });
  const sorted = [...observations].sort((x, y) => x.arrivalRate - y.arrivalRate);
  const unstable = sorted.filter((o) => o.verdict === "unstable");
  const b = unstable.length > 0 ? (unstable[0] as StabilityObservation).arrivalRate : NaN;
  const stableBelow = sorted.filter((o) => o.verdict === "stable" && !(o.arrivalRate > b));
  const a = stableBelow.length > 0 ? (stableBelow[stableBelow.length - 1] as StabilityObservation).arrivalRate : NaN;
  const stableAboveUnstable = sorted.filter((o) => o.verdict === "stable" && o.arrivalRate > b);
  const inconclusive = sorted.filter((o) => o.verdict === "inconclusive");
  const inside = (o: StabilityObservation): boolean =>
    (Number.isNaN(a) || o.arrivalRate > a) && (Number.isNaN(b) || o.arrivalRate < b);
  const hasBoth = !Number.isNaN(a) && !Number.isNaN(b);
  const undetermined = hasBoth ? inconclusive.filter(inside) : [];
  const inconclusiveOutside = hasBoth ? inconclusive.filter((o) => !inside(o)) : inconclusive;
  const bracketed = hasBoth && stableAboveUnstable.length === 0;

  const parts: string[] = [];
  if (bracketed) {
    parts.push(`threshold in [${show(a)}, ${show(b)}]: stable at ${show(a)}, unstable at ${show(b)}`);
  } else if (hasBoth) {
    parts.push(`no bracket: the verdicts are not monotone in λ (stable at ${list(stableAboveUnstable, false)}, above the unstable ${show(b)})`);
  } else if (Number.isNaN(b) && Number.isNaN(a)) {
    parts.push(`no bracket: no rate was judged stable or unstable (rates ${show(sorted[0]!.arrivalRate)} to ${show(sorted[sorted.length - 1]!.arrivalRate)})`);
  } else if (Number.isNaN(b)) {
    parts.push(`no bracket: no rate was judged unstable (stable up to ${show(a)})`);
  } else {
    parts.push(`no bracket: no rate below ${show(b)} was judged stable (unstable from ${show(b)})`);
  }
  if (undetermined.length > 0) parts.push(`undetermined (the test was inconclusive) at ${list(undetermined, true)}`);
  if (inconclusiveOutside.length > 0) {
    parts.push(`${hasBoth ? "also inconclusive, outside the bracket," : "inconclusive"} at ${list(inconclusiveOutside, true)}`);
  }
  return { interval: [a, b], bracketed, undetermined, inconclusiveOutside, stableAboveUnstable, description: `${parts.join("; ")}.` };
}
