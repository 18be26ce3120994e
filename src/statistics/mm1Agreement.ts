import { ParameterError, requireInteger } from "../model/parameterError";
import { type ReferenceAgreement, type ReferenceCheck, referenceAgreement } from "./referenceAgreement";

/** An estimate with its 95% Student-t interval. */
interface Estimate95 {
  readonly mean: number;
  readonly ci95: readonly [number, number];
}

/** What {@link mm1Agreement} reads of a simulated configuration (a study cell's point has these fields). */
export interface Mm1Simulation {
  /** The policy's kind: must be "none" (no sharing). */
  readonly policyKind: string;
  /** lambda, in (0, 1). */
  readonly arrivalRate: number;
  /** Independent replications the intervals rest on: an integer >= 2 (t on replications - 1 degrees of freedom). */
  readonly replications: number;
  /** P(Q >= i), i = 0.. */
  readonly tail: readonly number[];
  /** 95% intervals of the tail, level by level (null with one replication). */
  readonly tailCi95: ReadonlyArray<readonly [number, number]> | null;
  readonly meanQueueLength: Estimate95;
  /** Checked only when finite (delay tracking on). */
  readonly meanDelay: Estimate95;
}

/** Options of {@link mm1Agreement}. */
export interface Mm1AgreementOptions {
  /** Tail levels checked, i = 1..tailLevels: an integer >= 1; default the largest i with lambda^i >= 1e-3. */
  readonly tailLevels?: number;
  /** Family-wise confidence of all checks together: in (0, 1), default 0.99. */
  readonly familywiseLevel?: number;
}

/**
 * Checks a simulated no-sharing configuration against the M/M/1 closed forms (Section III: without sharing
 * the system splits into n independent M/M/1 queues with arrival rate lambda and service rate 1), with the
 * family-wise confidence of {@link referenceAgreement}:
 *   P(Q >= i) = lambda^i (i = 1..tailLevels),  E[Q] = lambda / (1 - lambda),  E[delay] = 1 / (1 - lambda).
 * The stationary law of an M/M/1 queue is geometric, P(Q = i) = (1 - lambda) lambda^i, whence the tail and
 * the mean; the sojourn time of a FIFO M/M/1 queue is Exp(1 - lambda). The mean delay is checked only when
 * the point has one (delay tracking on and not stopped).
 *
 * The default depth keeps lambda^i >= 1e-3: at such levels every replication of the budgets used here sees
 * many excursions, so its time average is close to normal and the t interval is trustworthy; deeper levels
 * rest on few excursions per replication and their replication means are skewed.
 *
 * Cost O(tailLevels).
 *
 * @param point a simulated configuration with policy "none", lambda < 1, two or more replications
 * @param options depth and family-wise level
 * @returns the agreement (throw in a notebook when allWithin is false)
 * @throws ParameterError for another policy, fewer than two replications or a missing tail interval
 * @example
 * const study = await runStudy({ name: "mm1", seed: 5, simulation: { events: 2e6, replications: 4, clock: "events" },
 *   cells: studyCells([{ queues: 20, arrivalRate: 0.6, migrationPenalty: 1, policy: noSharing() }]) });
 * mm1Agreement(study.cells[0].point).allWithin // => true (15 checks: 13 tail levels, the mean length and the mean delay)
 */
export function mm1Agreement(
  point: Mm1Simulation,
  options: Mm1AgreementOptions = {},
): ReferenceAgreement {
  if (point?.policyKind !== "none") throw new ParameterError("point.policyKind", point?.policyKind, '"none" (the M/M/1 closed forms hold without sharing only)');
  const lambda = point.arrivalRate;
  if (!(lambda > 0 && lambda < 1)) throw new ParameterError("point.arrivalRate", lambda, "0 < lambda < 1 (a stationary M/M/1 queue)");
  requireInteger("point.replications", point.replications, 2);
  const defaultLevels = Math.max(1, Math.floor(Math.log(1e-3) / Math.log(lambda)));
  const levels = requireInteger("tailLevels", options.tailLevels ?? defaultLevels, 1);
  const ci = point.tailCi95;
  if (ci === null || ci === undefined) throw new ParameterError("point.tailCi95", ci, "tail intervals (two or more replications)");
  const checks: ReferenceCheck[] = [];
  for (let i = 1; i <= levels; i++) {
    const mean = point.tail[i] ?? 0;
    const interval = ci[i] ?? [0, 0];
    checks.push({ label: `P(Q >= ${i})`, estimate: { mean, ci95: interval }, reference: lambda ** i });
  }
  checks.push({ label: "E[Q]", estimate: point.meanQueueLength, reference: lambda / (1 - lambda) });
  if (Number.isFinite(point.meanDelay.mean) && Number.isFinite(point.meanDelay.ci95[0])) {
    checks.push({ label: "E[delay]", estimate: point.meanDelay, reference: 1 / (1 - lambda) });
  }
  const opts = options.familywiseLevel !== undefined ? { familywiseLevel: options.familywiseLevel } : {};
  return referenceAgreement(checks, { degreesOfFreedom: point.replications - 1, ...opts });
}
