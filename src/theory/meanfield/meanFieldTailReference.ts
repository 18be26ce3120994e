import { paperFormsOf, policyLabel } from "../../model/policy";
import { requireInteger, requireNumber } from "../../model/parameterError";
import { derivedMeanFieldSystem } from "./derivedMeanFieldSystem";
import { lemma1TailExponent, lemma2TailExponent } from "./lemmaTailExponents";
import { type MeanFieldFixedPointOptions, meanFieldFixedPoint } from "./meanFieldFixedPoint";
import { type MeanFieldParams, type MeanFieldSystem, validateMeanFieldParams } from "./meanFieldSystem";
import { printedMeanFieldSystem } from "./printedMeanFieldSystem";
import { tailLemmaComparison } from "./tailLemmaComparison";

/** The fixed point of one mean-field system, reduced to what a tail figure and its table show. */
export interface MeanFieldTailCurve {
  /** "derived" (from the policy's rule) or "printed" (eq. (1) or (2) of Section IV as printed). */
  readonly variant: "derived" | "printed";
  /** For example "derived ABOUNCE(2,10), K=2, lambda=0.75". */
  readonly label: string;
  /** Whether a fixed point of finite mean was found (see meanFieldFixedPoint). */
  readonly converged: boolean;
  /** Why not, when converged is false; null otherwise. */
  readonly failure: string | null;
  /** s_0 = 1, s_1, ..., s_L: the fraction of queues with at least i units at the fixed point. */
  readonly tail: readonly number[];
  /** sum_{i >= 1} s_i: mean units per queue. */
  readonly meanQueueLength: number;
  /** Estimated |mean(truncated) - mean(infinite system)| (meanFieldFixedPoint's truncationErrorEstimate). */
  readonly truncationErrorEstimate: number;
  /** P(an arrival migrates) as the system's terms imply it. */
  readonly migrationProbability: number;
  /** Fraction of arrivals the system neither keeps nor sends: 0 for derived systems, > 0 for the printed ones. */
  readonly unaccountedArrivalProbability: number;
  /** Mean time from a job's arrival to the completion of its last unit under FIFO (derived only; NaN when printed). */
  readonly meanJobDelayFifo: number;
}

/** Where a fixed point's tail stands against a lemma's rate at its deepest computed level. */
export interface LemmaCheckpoint {
  /** i: the deepest level with s_i > 0 and e(i) > 0. */
  readonly level: number;
  readonly tail: number;
  /** e(i). */
  readonly exponent: number;
  /**
   * ln s_i / (e(i) ln lambda): >= 1 when s_i <= lambda^e(i), i.e. the tail is at least as light as the rate (the
   * lemma asks for liminf >= 1 as i grows); < 1 when the tail is heavier there.
   */
  readonly ratio: number;
}

/** The rate of Lemma 1 (MBOUNCE) or Lemma 2 (ABOUNCE), level by level, with its constant set to 1. */
export interface LemmaRateCurve {
  readonly lemma: 1 | 2;
  /** epsilon > 0 of the lemma. */
  readonly epsilon: number;
  /** The statement, in words, with the exponent as read (see lemma1TailExponent, lemma2TailExponent). */
  readonly statement: string;
  /** rate[i] = (lambda (1 + epsilon))^e(i) for i = 1..levels; rate[0] = NaN (the lemmas speak of i >= 1). */
  readonly rate: readonly number[];
  /** exponent[i] = e(i); exponent[0] = NaN. */
  readonly exponent: readonly number[];
  /** The derived and the printed fixed points at their deepest levels (tailLemmaComparison); null when none applies. */
  readonly deepest: { readonly derived: LemmaCheckpoint | null; readonly printed: LemmaCheckpoint | null };
}

/** The mean-field references of a simulated tail: derived fixed point, printed fixed point, lemma rate. */
export interface MeanFieldTailReference {
  /** policyLabel of the policy, for example "MBOUNCE(2,10)". */
  readonly policy: string;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  /** Fixed point of the system derived from the rule (derivedMeanFieldSystem); for no sharing s_i = lambda^i. */
  readonly derived: MeanFieldTailCurve;
  /** Fixed point of the printed system ((1) for MBOUNCE with integer alpha, (2) for ABOUNCE), or null. */
  readonly printed: MeanFieldTailCurve | null;
  /** Which printed equation `printed` is, or why there is none. */
  readonly printedNote: string;
  /** Lemma 1's rate (MBOUNCE), Lemma 2's rate (ABOUNCE), or null (other policies, or d = Infinity). */
  readonly lemma: LemmaRateCurve | null;
}

/** Options of {@link meanFieldTailReference}. */
export interface MeanFieldTailReferenceOptions {
  /** epsilon of the lemmas: finite, > 0; default 0.01. */
  readonly epsilon?: number;
  /** Levels of the lemma rate (i = 1..lemmaLevels): an integer in [1, 10000]; default 40. */
  readonly lemmaLevels?: number;
  /**
   * Passed to meanFieldFixedPoint for both systems. Default: tailTolerance 1e-100 for ABOUNCE and MBOUNCE, whose
   * tails fall super-exponentially (10 - 20 levels, milliseconds), so that the lemma is compared deep in the tail;
   * meanFieldFixedPoint's default (1e-12) for other policies, since a geometric tail (no sharing) would need
   * about ln(1e-100)/ln(lambda) levels and Newton costs O(L^3) (minutes).
   */
  readonly fixedPoint?: MeanFieldFixedPointOptions;
}

function curveOf(system: MeanFieldSystem, options: MeanFieldFixedPointOptions | undefined): MeanFieldTailCurve {
  const fp = meanFieldFixedPoint(system, options);
  const m = fp.metrics;
  return {
    variant: system.variant,
    label: system.label,
    converged: fp.converged,
    failure: fp.converged ? null : (fp.failure ?? "no fixed point of finite mean found"),
    tail: Array.from(fp.occupancy),
    meanQueueLength: m.meanQueueLength,
    truncationErrorEstimate: fp.truncationErrorEstimate,
    migrationProbability: m.migrationProbability,
    unaccountedArrivalProbability: m.unaccountedArrivalProbability,
    meanJobDelayFifo: m.meanJobDelayFifo,
  };
}

/**
 * The mean-field references a simulated queue-size tail is drawn against in Figures 4 and 5 (Section IV):
 * the fixed point of the ODE system derived from the policy's rule, the fixed point of the system as printed
 * (eq. (2) for ABOUNCE, which has no C and so is the same for every threshold; eq. (1) for MBOUNCE, defined
 * only for integer alpha as the paper assumes), and the rate of the paper's tail lemma with its unknown
 * constant set to 1: Lemma 2 (ABOUNCE), s_i = O((lambda (1 + epsilon))^e(i)) with
 * e(i) = ((d + 1)^floor(i / (2(K + 1))) - 1) / d, and Lemma 1 (MBOUNCE), e(i) = (i^(log_alpha(d + 1)) - 1) / d.
 * The lemmas are O(.) statements for large i about fixed points of the printed systems; drawing their rate
 * with constant 1 shows its shape, not a bound valid at every level.
 *
 * Where each fixed point stands against the lemma's rate at its deepest computed level is in `lemma.deepest`.
 *
 * Cost: two fixed points (milliseconds each for ABOUNCE and MBOUNCE at lambda = 0.75; up to seconds near the
 * stability boundary, see meanFieldFixedPoint) plus O(lemmaLevels).
 *
 * @param params lambda in (0, 1), K, the policy (as for derivedMeanFieldSystem; any policy it accepts)
 * @param options epsilon, number of lemma levels, fixed-point options
 * @returns the references; `printed` is null, with `printedNote` saying why, for policies without a printed system
 * @throws ParameterError for bad parameters or options (before any computation), including lambda >= 1
 * @example
 * const r = meanFieldTailReference({ arrivalRate: 0.75, migrationPenalty: 2, policy: abounce(2, 10) });
 * r.derived.tail.slice(0, 6).map((x) => +x.toPrecision(4)) // => [1, 0.9397, 0.7496, 0.4175, 0.1236, 0.004983]
 * r.printed?.meanQueueLength.toFixed(4)                   // => "1.4348" (printed (2) loses 17.4% of arrivals)
 * r.lemma?.exponent[12]                                    // => 12 (Lemma 2: ((d+1)^2 - 1)/d)
 */
export function meanFieldTailReference(
  params: MeanFieldParams,
  options: MeanFieldTailReferenceOptions = {},
): MeanFieldTailReference {
  const samples = validateMeanFieldParams(params);
  const lambda = requireNumber("arrivalRate (lambda)", params.arrivalRate, 0, 1);
  const epsilon = requireNumber("epsilon", options.epsilon ?? 0.01, 0, Infinity);
  const lemmaLevels = requireInteger("lemmaLevels", options.lemmaLevels ?? 40, 1, 10000);
  const policy = params.policy;
  const K = params.migrationPenalty;
  const paper = paperFormsOf(policy);

  const fixedPointOptions: MeanFieldFixedPointOptions | undefined = options.fixedPoint
    ?? (paper ? { tailTolerance: 1e-100 } : undefined);
  const derived = curveOf(derivedMeanFieldSystem(params), fixedPointOptions);

  let printed: MeanFieldTailCurve | null = null;
  let printedNote: string;
  if (paper?.meanFieldEquation === 2) {
    printed = curveOf(printedMeanFieldSystem(params), fixedPointOptions);
    printedNote = "eq. (2) as printed (it contains no C: the same system for every threshold)";
  } else if (paper?.meanFieldEquation === 1 && Number.isInteger(paper.ratio)) {
    printed = curveOf(printedMeanFieldSystem(params), fixedPointOptions);
    printedNote = "eq. (1) as printed";
  } else if (paper?.meanFieldEquation === 1) {
    printedNote = `none: eq. (1) indexes s_{alpha m} and is printed for integer alpha only (alpha = ${paper.ratio})`;
  } else {
    printedNote = `none: the paper prints no mean-field system for ${policyLabel(policy)}`;
  }

  let lemma: LemmaRateCurve | null = null;
  const finiteD = Number.isFinite(samples) && samples >= 1;
  if (finiteD && paper) {
    const which = paper.tailLemma;
    const exponentOf = (i: number): number =>
      which === 1 ? lemma1TailExponent(i, paper.ratio as number, samples) : lemma2TailExponent(i, K, samples);
    const logRate = Math.log(lambda * (1 + epsilon));
    const exponent = [NaN];
    const rate = [NaN];
    for (let i = 1; i <= lemmaLevels; i++) {
      const e = exponentOf(i);
      exponent.push(e);
      rate.push(Math.exp(e * logRate));
    }
    const checkpoint = (curve: MeanFieldTailCurve | null): LemmaCheckpoint | null => {
      if (curve === null) return null;
      const rows = tailLemmaComparison(
        { occupancy: Float64Array.from(curve.tail) },
        { arrivalRate: lambda, samples, migrationPenalty: K, ...(paper.ratio !== undefined ? { ratio: paper.ratio } : {}) },
        { lemma: which, epsilon },
      ).filter((r) => r.exponent > 0);
      const last = rows[rows.length - 1];
      return last === undefined ? null : { level: last.level, tail: last.tail, exponent: last.exponent, ratio: last.ratio };
    };
    lemma = {
      lemma: which,
      epsilon,
      statement: which === 1
        ? `Lemma 1: s_i = O((lambda(1+eps))^e(i)), e(i) = (i^(log_alpha(d+1)) - 1)/d, eps = ${epsilon}, constant drawn as 1`
        : `Lemma 2: s_i = O((lambda(1+eps))^e(i)), e(i) = ((d+1)^floor(i/(2(K+1))) - 1)/d, eps = ${epsilon}, constant drawn as 1`,
      rate,
      exponent,
      deepest: { derived: checkpoint(derived), printed: checkpoint(printed) },
    };
  }
  return { policy: policyLabel(policy), arrivalRate: lambda, migrationPenalty: K, derived, printed, printedNote, lemma };
}
