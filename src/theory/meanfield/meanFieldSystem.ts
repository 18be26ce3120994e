import { ParameterError, requireInteger, requireNumber } from "../../model/parameterError";
import { type PolicySpec, policyLabel, sampleCount, validatePolicy } from "../../model/policy";
import { MAX_MIGRATION_PENALTY } from "../../model/system";

/**
 * Parameters of a mean-field (n -> infinity) system: the model of Section II without n.
 * `arrivalRate` is lambda (jobs per queue per unit time), `migrationPenalty` is K.
 */
export interface MeanFieldParams {
  /** lambda: finite, > 0. Fixed points additionally need lambda < 1. */
  readonly arrivalRate: number;
  /** K: an integer >= 1. */
  readonly migrationPenalty: number;
  /** The routing policy (see src/model/policy.ts). */
  readonly policy: PolicySpec;
  /** Opt in to C < K, alpha <= 1, sqd with K > 1 (as in `validateSystem`). Default false. */
  readonly allowOutsidePaper?: boolean;
}

/** Which ODE system: the one printed in Section IV (eqs. (1), (2)) or the one derived from the rule. */
export type MeanFieldVariant = "derived" | "printed";

/**
 * A truncated mean-field ODE system in the occupancy variables s_i = fraction of queues with >= i units
 * (s_0 = 1). Every variant is written as upward flows minus departures:
 *
 *   ds_i/dt = stayUp_i(s) + migrationUp_i(s) - (s_i - s_{i+1}),  i = 1..L,
 *
 * where stayUp_i is the rate at which arrivals that stay raise queues from i-1 to i, and migrationUp_i the
 * rate at which migrated batches of K units raise queues across level i. A state is a Float64Array
 * `s` of length L + 1 (s[0] = 1); levels above L are 0 (the truncation; see `meanFieldDrift`).
 */
export interface MeanFieldSystem {
  /** "derived" or "printed". */
  readonly variant: MeanFieldVariant;
  /** For example "derived ABOUNCE(2,10), K=2, lambda=0.75". */
  readonly label: string;
  readonly arrivalRate: number;
  readonly migrationPenalty: number;
  readonly policy: PolicySpec;
  /** d (Infinity allowed; 0 for no sharing). */
  readonly samples: number;
  /**
   * True when the terms above the lowest levels depend on queue lengths only through differences (the rule
   * satisfies rule(j + 1, m + 1) = rule(j, m)): ABOUNCE, SQ(d), no sharing, printed (2). Then a front of busy
   * queues far from empty moves at a speed that does not depend on its height (see meanFieldFrontMotion).
   */
  readonly translationInvariant: boolean;
  /**
   * Writes stayUp_i into stayUp[i] and migrationUp_i into migrationUp[i] for i = 1..L (index 0 is set to 0),
   * where L = s.length - 1. `complement`, when given, holds u_k = 1 - s_k to full relative precision (used for
   * levels near 1). Cost O(L min(K, L)) for the built-in rules. Does not mutate its inputs.
   */
  upwardRates(s: Float64Array, stayUp: Float64Array, migrationUp: Float64Array, complement?: Float64Array): void;
  /**
   * What an arrival does at state s: `stay` = P(it joins its own queue), `migrate` = P(it is sent as K units).
   * For the derived system stay + migrate = 1. For the printed systems `stay` is read from the first term
   * of (1)/(2) and `migrate` from the migration terms (their total rate divided by lambda K); the two come
   * from different rules and need not add to 1 (see printedMeanFieldSystem).
   */
  arrivalOutcomes(s: Float64Array): { stay: number; migrate: number };
  /**
   * Mean sojourn of a job under FIFO at state s, when derivable (derived system): NaN for the printed ones.
   * See meanFieldMetrics for the definition.
   */
  fifoJobDelay(s: Float64Array): number;
}

/**
 * Validates mean-field parameters once (as `validateSystem` does, without n) and returns the policy's d.
 * Throws `ParameterError` naming the parameter.
 */
export function validateMeanFieldParams(params: MeanFieldParams): number {
  if (params === null || typeof params !== "object") throw new ParameterError("params", params, "an object");
  requireNumber("arrivalRate (lambda)", params.arrivalRate, 0, Infinity);
  requireInteger("migrationPenalty (K)", params.migrationPenalty, 1, MAX_MIGRATION_PENALTY);
  if (params.allowOutsidePaper !== undefined && typeof params.allowOutsidePaper !== "boolean") {
    throw new ParameterError("allowOutsidePaper", params.allowOutsidePaper, "true or false");
  }
  validatePolicy(params.policy, params.migrationPenalty, params.allowOutsidePaper === true);
  return sampleCount(params.policy);
}

/** "derived ABOUNCE(2,10), K=2, lambda=0.75" */
export function meanFieldLabel(variant: MeanFieldVariant, params: MeanFieldParams): string {
  return `${variant} ${policyLabel(params.policy)}, K=${params.migrationPenalty}, lambda=${params.arrivalRate}`;
}

/**
 * Read access to a truncated occupancy state with the conventions of the mean-field systems: s_k = 1 for
 * k <= 0 and 0 for k > L; A_l = P(min of d samples >= l) = s_l^d (1 for l <= 0, 0 for l > L; for d = Infinity
 * the limit of s^d: 1 when s_l = 1, else 0). Differences are computed from whichever side is accurate:
 * near 1 from the complements u_k = 1 - s_k (given to full relative precision by the caller, or 1 - s_k),
 * so that states with 1 - s_k far below 1e-16 (every queue busy, as at MBOUNCE fixed points with lambda
 * near 1) keep their level balances. Internal to the mean-field folder. Cost O(L) to build.
 */
export interface OccupancyView {
  readonly levels: number;
  /** s_k. */
  s(k: number): number;
  /** s_a - s_b for a <= b. */
  sDiff(a: number, b: number): number;
  /** A_a - A_b for a <= b: P(a <= min < b). */
  aDiff(a: number, b: number): number;
}

export function occupancyView(s: Float64Array, samples: number, complement?: Float64Array): OccupancyView {
  return new OccupancyBuffers().fill(s, samples, complement);
}

/**
 * An OccupancyView whose arrays are kept and refilled (`fill`), so that the right-hand side of an ODE
 * integration, evaluated some 10^5 times per fixed point or front, allocates nothing: the systems keep one
 * per truncation and refill it at each call. A class, not closures, so that V8 inlines the accessors into the
 * rates' loops. Internal to the mean-field folder.
 */
export class OccupancyBuffers implements OccupancyView {
  levels = -1;
  private S = new Float64Array(0);
  private U = new Float64Array(0);
  private A = new Float64Array(0);
  private Abar = new Float64Array(0);

  /** Fills the view for state s (length L + 1) and returns it. Cost O(L); allocates only when L changes. */
  fill(s: Float64Array, samples: number, complement?: Float64Array): this {
    const L = s.length - 1;
    if (L !== this.levels) {
      this.levels = L;
      this.S = new Float64Array(L + 2);
      this.U = new Float64Array(L + 2);
      this.A = new Float64Array(L + 2);
      this.Abar = new Float64Array(L + 2);
    }
    const { S, U, A, Abar } = this;
    S[0] = 1;
    U[0] = 0;
    A[0] = 1;
    Abar[0] = 0;
    for (let k = 1; k <= L; k++) {
      const sk = s[k] as number;
      const uk = complement !== undefined ? (complement[k] as number) : 1 - sk;
      S[k] = sk;
      U[k] = uk;
      if (samples === Infinity) {
        A[k] = uk <= 0 ? 1 : 0;
        Abar[k] = 1 - (A[k] as number);
      } else if (sk <= 0) {
        A[k] = 0;
        Abar[k] = 1;
      } else {
        const logS = uk < 0.5 ? Math.log1p(-uk) : Math.log(sk);
        A[k] = Math.exp(samples * logS);
        Abar[k] = -Math.expm1(samples * logS);
      }
    }
    S[L + 1] = 0;
    U[L + 1] = 1;
    A[L + 1] = 0;
    Abar[L + 1] = 1;
    return this;
  }

  private clamp(k: number): number {
    return k < 0 ? 0 : k > this.levels + 1 ? this.levels + 1 : k;
  }

  s(k: number): number {
    return this.S[this.clamp(k)] as number;
  }

  sDiff(a: number, b: number): number {
    const i = this.clamp(a);
    const j = this.clamp(b);
    const { S, U } = this;
    return (S[j] as number) >= 0.5 ? (U[j] as number) - (U[i] as number) : (S[i] as number) - (S[j] as number);
  }

  aDiff(a: number, b: number): number {
    const i = this.clamp(a);
    const j = this.clamp(b);
    const { A, Abar } = this;
    return (A[j] as number) >= 0.5 ? (Abar[j] as number) - (Abar[i] as number) : (A[i] as number) - (A[j] as number);
  }
}
