import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { requireInteger, requireNumber } from "../model/parameterError";
import { abounce } from "../model/policy";
import { meanConfidenceInterval } from "../statistics/confidenceInterval";
import { embeddedChainStepper } from "../theory/lyapunov/embeddedChainStepper";
import { requireIntegerThreshold, theorem2LambdaStar } from "../theory/thresholds/theorem2LambdaStar";
import { exactTwoQueueThreshold } from "../theory/thresholds/exactTwoQueueThreshold";
import { twoQueueDifferenceLaw } from "../theory/thresholds/twoQueueDifferenceLaw";

/** The simulated growth of the total at one arrival rate, beside the D-chain's prediction. */
export interface TwoQueueGrowthCheckRow {
  readonly arrivalRate: number;
  /** Predicted mean change of S = q1 + q2 per event: f(lambda) / (2 (lambda + 1)) (see `exactTwoQueueThreshold`). */
  readonly predictedDriftPerEvent: number;
  /** Simulated mean change of S per event (batch means) with its 95% interval. */
  readonly simulatedDriftPerEvent: number;
  readonly ci95: readonly [number, number];
  /** Whether the interval covers the prediction. */
  readonly covers: boolean;
  /** The sign the simulation shows: -1 (interval below 0: S decreases), +1 (above 0), 0 (undecided). */
  readonly simulatedSign: -1 | 0 | 1;
  /** Fraction of arrivals that migrated, simulated and predicted (P(|D| > C)/2). */
  readonly migratingArrivalFraction: number;
  readonly predictedMigratingArrivalFraction: number;
  /** Events at which a queue was empty (the prediction assumes both busy; should be 0 or negligible). */
  readonly eventsWithAnEmptyQueue: number;
  /** Theorem 2's verdict (unstable when lambda > lambda*) and the exact one (unstable when lambda > lambda_c). */
  readonly theorem2SaysUnstable: boolean;
  readonly exactSaysUnstable: boolean;
}

/**
 * Cross-checks the exact two-queue threshold by simulation of the FULL two-queue embedded chain (not the
 * D-chain): ABOUNCE(C, infinity), n = 2, started at q = (M, M) with M large, run for `events` events with
 * `embeddedChainStepper` (which reads `migrationRule`). The slope of S = q1 + q2 per event is estimated by
 * batch means (`batches` consecutive batches; 95% Student-t interval) and compared with the D-chain
 * prediction f(lambda) / (2(lambda + 1)); its sign decides growth. Rates between lambda* and lambda_c are where
 * Theorem 2 and the exact threshold disagree. A long statistical validation, not a unit test: with the
 * defaults (4e7 events per rate) it takes about ten seconds per rate on one core.
 *
 * Run it with `node dist/paper/twoQueueThresholdSimulationCheck.js [K C events lambda...]`
 * after `npm run build`, or import the function.
 *
 * @param options migrationPenalty: K (integer >= 2); threshold: C (integer >= K); arrivalRates: each in (0, 1);
 *   events: integer >= 1e4 (default 4e7); batches: integer in [10, 10000] (default 40); seed (default 1);
 *   start: M, integer >= 1 (default: 2 events / 10, enough that no queue empties)
 * @returns one row per rate
 * @throws ParameterError naming the parameter at fault
 * @example
 * twoQueueThresholdSimulationCheck({ migrationPenalty: 2, threshold: 2, arrivalRates: [0.89], events: 4e7 })[0]
 * // => { arrivalRate: 0.89, predictedDriftPerEvent: -0.002331..., simulatedSign: -1, theorem2SaysUnstable: true,
 * //      exactSaysUnstable: false, ... }   (see the report's table for measured values)
 */
export function twoQueueThresholdSimulationCheck(options: {
  readonly migrationPenalty: number;
  readonly threshold: number;
  readonly arrivalRates: readonly number[];
  readonly events?: number;
  readonly batches?: number;
  readonly seed?: number;
  readonly start?: number;
}): TwoQueueGrowthCheckRow[] {
  const K = requireInteger("migrationPenalty (K)", options.migrationPenalty, 2);
  const C = requireIntegerThreshold(options.threshold, K);
  const events = requireInteger("events", options.events ?? 4e7, 1e4);
  const batches = requireInteger("batches", options.batches ?? 40, 10, 10_000);
  const seed = requireInteger("seed", options.seed ?? 1, 0, 2 ** 31 - 1);
  const M = requireInteger("start", options.start ?? Math.ceil(events / 5), 1);
  const lambdaStar = theorem2LambdaStar(K, C);
  const lambdaC = exactTwoQueueThreshold(K, C).criticalArrivalRate;
  return options.arrivalRates.map((rate, r) => {
    const lambda = requireNumber("arrivalRates", rate, 0, 1);
    const law = twoQueueDifferenceLaw(lambda, K, C);
    const step = embeddedChainStepper({ queues: 2, arrivalRate: lambda, migrationPenalty: K, policy: abounce(C, Infinity) });
    const generator = xoroshiro128plus(seed + r);
    const q = [M, M];
    const perBatch = Math.floor(events / batches);
    const slopes = new Float64Array(batches);
    let arrivals = 0;
    let migrations = 0;
    let withEmpty = 0;
    for (let b = 0; b < batches; b++) {
      const before = (q[0] as number) + (q[1] as number);
      for (let t = 0; t < perBatch; t++) {
        if (q[0] === 0 || q[1] === 0) withEmpty += 1;
        const move = step(q, generator);
        if (move.delta > 0) {
          arrivals += 1;
          if (move.delta === K) migrations += 1;
        }
      }
      slopes[b] = ((q[0] as number) + (q[1] as number) - before) / perBatch;
    }
    const est = meanConfidenceInterval(slopes);
    const predicted = (law.workInflowRate - 2) / (2 * (lambda + 1));
    const [lo, hi] = est.ci95;
    return {
      arrivalRate: lambda,
      predictedDriftPerEvent: predicted,
      simulatedDriftPerEvent: est.mean,
      ci95: est.ci95,
      covers: lo <= predicted && predicted <= hi,
      simulatedSign: hi < 0 ? -1 : lo > 0 ? 1 : 0,
      migratingArrivalFraction: migrations / arrivals,
      predictedMigratingArrivalFraction: law.migratingArrivalFraction,
      eventsWithAnEmptyQueue: withEmpty,
      theorem2SaysUnstable: lambda > lambdaStar,
      exactSaysUnstable: lambda > lambdaC,
    };
  });
}

if (require.main === module) {
  const [K = "2", C = "2", events = "4e7", ...rates] = process.argv.slice(2);
  const k = Number(K);
  const c = Number(C);
  const ls = theorem2LambdaStar(k, c);
  const lc = exactTwoQueueThreshold(k, c).criticalArrivalRate;
  const chosen = rates.length > 0 ? rates.map(Number) : [ls - 0.01, (ls + lc) / 2, lc + 0.01];
  console.log(`K = ${k}, C = ${c}: lambda* = ${ls}, exact lambda_c = ${lc}`);
  const rows = twoQueueThresholdSimulationCheck({ migrationPenalty: k, threshold: c, arrivalRates: chosen, events: Number(events) });
  console.log(JSON.stringify(rows, null, 1));
}
