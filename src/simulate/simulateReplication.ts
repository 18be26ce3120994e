import { requireInteger } from "../model/parameterError";
import { type SystemParams, validateSystem } from "../model/system";
import type { ReplicationResult } from "./replicationResult";
import { type ReplicationProgress, runReplication } from "./runReplication";
import { type SimulationOptions, resolveSimulationOptions } from "./simulationOptions";

export { type EventLoopEngine, type ReplicationProgress, runReplication } from "./runReplication";

/**
 * Simulates one replication of the model of Section II on the calling thread and returns its raw output
 * (see ReplicationResult; `summarizeSimulation` turns replications into estimates with intervals, and
 * `runSimulation` runs several in parallel).
 *
 * The model: n queues, Poisson(lambda) arrivals at each, exp(1) service per unit of work, uniformized at
 * total rate n(lambda + 1) (Sections II-III): each event is an arrival at a uniform queue with probability
 * lambda / (lambda + 1), otherwise a potential departure at a uniform queue (nothing happens if it is empty).
 * An arrival at queue i (unless the policy is "none") looks at the shortest of d samples of its candidate
 * queues, of length l, and calls the policy's rule `migrationRule(policy, K)(q_i, l)`; if it says migrate,
 * K units join a queue i* of length l, otherwise one unit joins i. The candidates and the sampling follow
 * `params.sampling` (src/model/sampling.ts): d of the other n - 1 with replacement (the paper's, default), d
 * of all n with replacement ("all": when i* is the arrival's own queue the job stays), or d distinct others
 * ("others-without-replacement"). The system starts empty, or in `options.initialState`.
 *
 * Cost per event independent of d: O(1) while the queues are within a few units of each other, O(log L) at
 * worst (the draw of the shortest sample; L the longest queue). The queues are kept sorted by length
 * (counting sort: `order` holds queue ids by length, `position[id]` inverts it, `levelStart[l]` is the first
 * index in `order` of the queues of length >= l), so a change of +-1 is one swap, and the number of OTHER
 * queues with length >= l is c_l = n - levelStart[l] - [q_i >= l] (under "all", of all queues: n - levelStart[l]).
 * The length of the shortest of d samples is drawn directly from its law (src/model/shortestSample.ts),
 * P(min >= l) = G(c_l) with G(c) = (c / m)^d (with replacement, m = n - 1 or n candidates) or C(c, d) / C(m, d)
 * (without), by shortestSampledLevel: one uniform word against a table of G(c), c = 0..m, built once per run,
 * so the cost does not depend on d or the scheme (d = Infinity: the table [0, ..., 0, 1], the minimum is the
 * shortest candidate). Given its length, i* is uniform among the candidates of that length, by symmetry of
 * sampling. With the built-in rules, which can only refuse more
 * as the target grows, an arrival whose rule refuses even the shortest queue skips the draw (its outcome could
 * not matter). Memory O(n + L), plus O(jobs in system) for delay tracking; nothing is allocated per event
 * (arrays grow by doubling, rarely).
 *
 * Random numbers: one xoroshiro128+ step per event (type and queue, and for an arrival the shortest-sample
 * draw, see the comment in the loop), one more for the target of a migration, and one per event for the
 * continuous clock (an Exp holding time by the ziggurat method, no logarithm). The arrival probability is
 * represented to within 2^-33 and the law of the shortest sample to within 2^-29; the queue and target
 * indices are exactly uniform.
 *
 * Statistics: the per-event tail P(Q >= l) needs area_l = sum over post-warm-up events e of c_l(e), the number
 * of queues with length >= l after event e (c_l = n - levelStart[l]). It changes only when a queue crosses
 * level l, so it is accumulated by parts: with warm-up end w, end E, and changes delta_k = +-1 at events e_k,
 * c_l(e) = c_l(w) + sum_{e_k <= e} delta_k gives area_l = (E + 1) c_l(E) - A_l with
 * A_l = (w + 1) c_l(w) + sum_k delta_k e_k: one addition of +-e per crossing. All terms are integers below
 * 2^53 while n x E < 4.5e15, so the sums are exact. Delays: each queue holds a FIFO list of its jobs
 * (a migrated job's K units sit together); a job's delay runs from its arrival to the departure of its last
 * unit, and counts when the job arrived after the warm-up. See ReplicationResult for what is per event and
 * what per unit time. Units present at time 0 (`initialState`) are jobs of one unit each, never counted.
 * Same params, options and replication give bit-identical results, whichever of the two implementations of
 * the loop runs them (see runReplication).
 *
 * @param params the system (validated by validateSystem)
 * @param options run options (validated by resolveSimulationOptions; `replications` and `workers` are ignored)
 * @param replication which independent stream of the seed to use: an integer in [0, 1e6]; default 0
 * @throws ParameterError for bad params, options or replication, before any work
 * @example
 * const r = simulateReplication({ queues: 1, arrivalRate: 0.5, migrationPenalty: 1, policy: { kind: "none" } },
 *   { events: 1e6, seed: 7 });
 * r.tail.slice(0, 3) // => [1, 0.500281, 0.250064]  (M/M/1: P(Q >= l) = 0.5^l)
 */
export function simulateReplication(params: SystemParams, options: SimulationOptions = {}, replication = 0): ReplicationResult {
  validateSystem(params);
  const resolved = resolveSimulationOptions(params, options);
  requireInteger("replication", replication, 0, 1_000_000);
  const report = options.onProgress;
  const started = performance.now();
  const progress: ReplicationProgress | undefined = report
    ? (fraction, events) => {
        const elapsedSeconds = (performance.now() - started) / 1000;
        report({ fraction, events, elapsedSeconds, etaSeconds: fraction > 0 ? (elapsedSeconds * (1 - fraction)) / fraction : NaN });
      }
    : undefined;
  return runReplication(params, resolved, replication, progress);
}

