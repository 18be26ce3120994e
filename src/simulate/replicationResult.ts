/**
 * What one replication of the simulator returns: plain numbers and arrays (JSON-serialisable, cheap to post
 * between threads), from which `summarizeSimulation` builds estimates and intervals.
 *
 * Clocks. Events are the steps of the chain uniformized at total rate n(lambda + 1). Quantities marked
 * "per event" are averages over the post-warm-up events of the state just after each event; by
 * uniformization each state is held for an independent Exp(n(lambda + 1)) time, independent of the chain, so
 * a per-event average has the same expectation as the time average (and a smaller variance). Quantities
 * marked "per unit time" divide by the simulated time (continuous clock), or by events / (n(lambda + 1)) when
 * the run used the events clock.
 */

/** The post-warm-up run cut into consecutive records of `recordSize` events (the last one may be shorter). */
export interface ReplicationRecords {
  /** Events in each record. */
  readonly events: number[];
  /** Time length of each record (time units). */
  readonly duration: number[];
  /** Sum over the record's events of the total queue length just after each event (per event). */
  readonly queueLengthSum: number[];
  /** Arrivals (jobs). */
  readonly arrivals: number[];
  /** Arrivals that migrated. */
  readonly migrations: number[];
  /** Units of work served (departures). */
  readonly unitsServed: number[];
  /** Jobs that arrived after the warm-up and completed in the record (delay tracking on). */
  readonly jobsCompleted: number[];
  /** Sum of those jobs' delays (time units). */
  readonly delaySum: number[];
  /** Total queue length at the record's start. */
  readonly startTotal: number[];
  /** Total queue length at the record's end. */
  readonly endTotal: number[];
}

/** A sample path of the total queue length, thinned to a bounded number of points (every `stride`-th event). */
export interface SamplePath {
  /** Event index of each point (0 is the empty initial state). */
  readonly events: number[];
  /** Time of each point (time units; the events clock uses the mean holding time). */
  readonly time: number[];
  /** Total queue length (all queues) at each point. */
  readonly totalQueueLength: number[];
  /** Mean queue length per queue at each point (totalQueueLength / n). */
  readonly meanQueueLength: number[];
  /** Events between consecutive points (the last point, the run's end, may be closer). */
  readonly stride: number;
}

/** State of per-job delay bookkeeping. */
export interface DelayTracking {
  readonly enabled: boolean;
  /** False when tracking stopped before the end (too many jobs in the system); delays are then not reported. */
  readonly complete: boolean;
  /** Event at which tracking stopped (NaN when it did not). */
  readonly stoppedAtEvent: number;
  readonly reason: string | null;
}

/** The raw output of one replication. */
export interface ReplicationResult {
  readonly replication: number;
  readonly seed: number;
  /** Events simulated, warm-up included. */
  readonly totalEvents: number;
  /** Warm-up events (discarded). */
  readonly warmupEvents: number;
  /** Post-warm-up events. */
  readonly events: number;
  /** Time at the end of the warm-up. */
  readonly warmupTime: number;
  /** Post-warm-up simulated time. */
  readonly simulatedTime: number;
  readonly clock: "time" | "events";
  readonly wallSeconds: number;
  readonly eventsPerSecond: number;
  /** Post-warm-up totals. */
  readonly arrivals: number;
  readonly migrations: number;
  readonly unitsServed: number;
  readonly jobsCompleted: number;
  readonly delaySum: number;
  /** Per event: tail[l] = fraction of (queue, event) pairs with queue length >= l, l = 0..max length seen. */
  readonly tail: number[];
  /** Longest queue seen during the whole run. */
  readonly maxQueueLengthSeen: number;
  /** Total queue length at the end. */
  readonly finalTotalQueueLength: number;
  readonly path: SamplePath;
  readonly records: ReplicationRecords;
  /** Events per full record. */
  readonly recordSize: number;
  /** Counts in the log-linear delay histogram (see logLinearHistogram), or null without delay tracking. */
  readonly delayHistogram: number[] | null;
  readonly delayTracking: DelayTracking;
  readonly stoppedEarly: boolean;
  readonly stopReason: string | null;
}
