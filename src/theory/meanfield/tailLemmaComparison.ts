import { ParameterError, requireNumber } from "../../model/parameterError";
import { lemma1TailExponent, lemma2TailExponent } from "./lemmaTailExponents";
import type { MeanFieldFixedPoint } from "./meanFieldFixedPoint";

/** One level of a tail-versus-lemma table. */
export interface TailLemmaRow {
  /** i. */
  readonly level: number;
  /** s_i at the fixed point. */
  readonly tail: number;
  /** ln s_i. */
  readonly logTail: number;
  /** The lemma's exponent e(i). */
  readonly exponent: number;
  /** e(i) ln(lambda (1 + epsilon)): the log of the lemma's rate (the bound up to its constant). */
  readonly logBound: number;
  /** ln s_i - logBound: bounded above as i grows iff the lemma's O(.) holds for this epsilon. */
  readonly margin: number;
  /**
   * ln s_i / (e(i) ln lambda): the lemma holds for every epsilon > 0 iff liminf of this is >= 1 (NaN where
   * e(i) = 0). Values well above 1 mean a much lighter tail than the lemma's rate.
   */
  readonly ratio: number;
}

/** Options of `tailLemmaComparison`. */
export interface TailLemmaOptions {
  /** 1 (MBOUNCE, eq. (1)) or 2 (ABOUNCE, eq. (2)); default from the fixed point's policy. */
  readonly lemma?: 1 | 2;
  /** epsilon > 0 in the lemma; default 0.01. */
  readonly epsilon?: number;
}

/**
 * Puts ln s_i of a fixed point beside the rate of Lemma 1 or Lemma 2 (Section IV), level by level, for a
 * notebook to plot and for checking whether computed tails obey the lemmas. Only levels with s_i > 0 are
 * listed (the fixed point's truncation; pass tailTolerance down to 1e-250 to meanFieldFixedPoint for deep tails).
 * Both lemmas are stated for the printed systems; applying them to a derived fixed point asks whether the
 * same rate holds for the system that follows the rules.
 *
 * Cost O(L).
 *
 * @param fixedPoint a converged fixed point of an MBOUNCE (Lemma 1) or ABOUNCE (Lemma 2) system with finite d
 * @param parameters policy constants: { ratio (alpha) } for Lemma 1, { migrationPenalty (K) } for Lemma 2, and
 *   { samples (d), arrivalRate (lambda) } for both
 * @param options which lemma and epsilon; ParameterError names a bad argument
 * @example
 * const fp = meanFieldFixedPoint(derivedMeanFieldSystem({ arrivalRate: 0.75, migrationPenalty: 2, policy: mbounce(2, 10) }));
 * tailLemmaComparison(fp, { arrivalRate: 0.75, samples: 10, ratio: 2, migrationPenalty: 2 }, { lemma: 1 }).at(-1)
 * // => { level: 10, tail: 1.988e-52, logTail: -119.047, exponent: 287.926, logBound: -79.966, margin: -39.081, ratio: 1.437 } (rounded)
 */
export function tailLemmaComparison(
  fixedPoint: Pick<MeanFieldFixedPoint, "occupancy">,
  parameters: { readonly arrivalRate: number; readonly samples: number; readonly ratio?: number; readonly migrationPenalty?: number },
  options: TailLemmaOptions = {},
): TailLemmaRow[] {
  const lemma = options.lemma ?? (parameters.ratio !== undefined ? 1 : 2);
  if (lemma !== 1 && lemma !== 2) throw new ParameterError("lemma", lemma, "1 or 2");
  const epsilon = options.epsilon ?? 0.01;
  requireNumber("epsilon", epsilon, 0, Infinity);
  const lambda = requireNumber("arrivalRate (lambda)", parameters.arrivalRate, 0, 1);
  const exponentOf = (i: number): number => {
    if (lemma === 1) {
      if (parameters.ratio === undefined) throw new ParameterError("ratio (alpha)", undefined, "a finite number > 1 for Lemma 1");
      return lemma1TailExponent(i, parameters.ratio, parameters.samples);
    }
    if (parameters.migrationPenalty === undefined) throw new ParameterError("migrationPenalty (K)", undefined, "an integer >= 1 for Lemma 2");
    return lemma2TailExponent(i, parameters.migrationPenalty, parameters.samples);
  };
  exponentOf(1); // validates the constants once
  const s = fixedPoint.occupancy;
  const logRate = Math.log(lambda * (1 + epsilon));
  const rows: TailLemmaRow[] = [];
  for (let i = 1; i < s.length; i++) {
    const tail = s[i] as number;
    if (!(tail > 0)) break;
    const exponent = exponentOf(i);
    const logTail = Math.log(tail);
    const logBound = exponent * logRate;
    rows.push({
      level: i, tail, logTail, exponent, logBound, margin: logTail - logBound,
      ratio: exponent > 0 ? logTail / (exponent * Math.log(lambda)) : NaN,
    });
  }
  return rows;
}
