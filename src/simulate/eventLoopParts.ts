import type { ReplicationResult } from "./replicationResult";
import type { ResolvedSimulationOptions } from "./simulationOptions";

/**
 * Pieces shared by the two implementations of the event loop (the TypeScript reference in
 * runReplication.ts and the WebAssembly kernel's driver in kernelReplication.ts): the state at time 0,
 * the records of the post-warm-up run, and time budgets on the events clock. Not part of the public API.
 */

/** Values per record (see storeRecord). */
export const RECORD_FIELDS = 10;
/** Records kept; pairs merge when full, so 512..1024 of them after a long run. */
export const RECORD_CAPACITY = 1024;

/** The last event k with k x holding <= time (events clock: event k happens at k x holding). */
export function lastEventBy(time: number, holding: number): number {
  let k = Math.floor(time / holding);
  while ((k + 1) * holding <= time) k++;
  while (k > 0 && k * holding > time) k--;
  return k;
}

/** The sorted structure at time 0 (see {@link initialLevels}). */
export interface InitialLevels {
  /** levelStart[l] = index in `order` of the first queue of length >= l (n beyond the longest queue). */
  readonly levelStart: Int32Array;
  readonly minLevel: number;
  readonly maxLevel: number;
  /** Total units in the system. */
  readonly total: number;
}

/**
 * Fills q, order and position for the state at time 0 (`initialState`, or all queues empty when null) and
 * returns the level starts, in an array of 64 entries or the next power of two that leaves room for one
 * event's K units above the longest queue (at most `hardCap`). Queues of equal length are ordered by index.
 * Shared by both event loops, so that they start from the same structure. Cost O(n log n + L).
 */
export function initialLevels(
  initialState: readonly number[] | null, n: number, K: number, hardCap: number,
  q: Int32Array, order: Int32Array, position: Int32Array,
): InitialLevels {
  let total = 0;
  let maxLevel = 0;
  let minLevel = initialState === null ? 0 : Infinity;
  for (let j = 0; j < n; j++) {
    const v = initialState === null ? 0 : (initialState[j] as number);
    q[j] = v;
    order[j] = j;
    total += v;
    if (v > maxLevel) maxLevel = v;
    if (v < minLevel) minLevel = v;
  }
  if (maxLevel > 0) order.sort((a, b) => (q[a] as number) - (q[b] as number) || a - b);
  for (let k = 0; k < n; k++) position[order[k] as number] = k;
  let cap = 64;
  while (cap <= maxLevel + K + 2 && cap < hardCap) cap *= 2;
  cap = Math.min(cap, hardCap);
  const levelStart = new Int32Array(cap).fill(n);
  // levelStart[l] for l = 0..maxLevel + 1: walk the sorted order once.
  let k = 0;
  for (let l = 0; l <= maxLevel + 1 && l < cap; l++) {
    while (k < n && (q[order[k] as number] as number) < l) k++;
    levelStart[l] = k;
  }
  return { levelStart, minLevel, maxLevel, total };
}

export function storeRecord(
  records: Float64Array, k: number, events: number, duration: number, queueLengthSum: number, arrivals: number,
  migrations: number, served: number, completed: number, delaySum: number, startTotal: number, endTotal: number,
): void {
  const b = k * RECORD_FIELDS;
  records[b] = events;
  records[b + 1] = duration;
  records[b + 2] = queueLengthSum;
  records[b + 3] = arrivals;
  records[b + 4] = migrations;
  records[b + 5] = served;
  records[b + 6] = completed;
  records[b + 7] = delaySum;
  records[b + 8] = startTotal;
  records[b + 9] = endTotal;
}

/** Merges records 2k and 2k+1 into k (sums; start of the first, end of the second). */
export function mergeRecordPairs(records: Float64Array, count: number): void {
  for (let k = 0; k < count / 2; k++) {
    const a = 2 * k * RECORD_FIELDS;
    const b = a + RECORD_FIELDS;
    const out = k * RECORD_FIELDS;
    for (let f = 0; f < 8; f++) records[out + f] = (records[a + f] as number) + (records[b + f] as number);
    records[out + 8] = records[a + 8] as number;
    records[out + 9] = records[b + 9] as number;
  }
}

export function unpackRecords(records: Float64Array, count: number): ReplicationResult["records"] {
  const column = (f: number): number[] => {
    const out: number[] = new Array(count);
    for (let k = 0; k < count; k++) out[k] = records[k * RECORD_FIELDS + f] as number;
    return out;
  };
  return {
    events: column(0),
    duration: column(1),
    queueLengthSum: column(2),
    arrivals: column(3),
    migrations: column(4),
    unitsServed: column(5),
    jobsCompleted: column(6),
    delaySum: column(7),
    startTotal: column(8),
    endTotal: column(9),
  };
}

/** The state of a replication when its event loop has ended, as both implementations hold it (see finishReplication). */
export interface LoopEnd {
  readonly replication: number;
  readonly options: ResolvedSimulationOptions;
  readonly n: number;
  /** performance.now() when the replication started. */
  readonly wallStart: number;
  /** Events run, warm-up included. */
  readonly e: number;
  readonly measuring: boolean;
  readonly warmupEndEvent: number;
  readonly warmupEndTime: number;
  readonly finalTime: number;
  /** The record being filled: where it started, and its sums so far. */
  readonly recStartEvent: number;
  readonly recStartTime: number;
  readonly recStartTotal: number;
  readonly queueLengthSum: number;
  readonly arrivals: number;
  readonly migrations: number;
  readonly served: number;
  readonly completed: number;
  readonly delaySum: number;
  readonly total: number;
  /** The records (merged in place when full) and their count and size. */
  readonly records: Float64Array;
  readonly recordCount: number;
  readonly recordSize: number;
  readonly maxLevel: number;
  readonly levelStart: Int32Array;
  readonly levelSum: Float64Array;
  readonly pathEvents: Float64Array;
  readonly pathTime: Float64Array;
  readonly pathTotal: Float64Array;
  readonly pathCount: number;
  readonly pathStride: number;
  /** The delay histogram's counts (delay tracking on), else null. */
  readonly delayHistogram: ArrayLike<number> | null;
  readonly delayStopEvent: number;
  readonly trackerStopReason: string | null;
  readonly stopReason: string | null;
}

/**
 * The result of a replication from the state its event loop ended in: the last, partial record is stored, the
 * tail P(Q >= l) read off the level sums, the final state added to the sample path, and the fields gathered. One
 * function for both loops, so that the kernel and the reference loop cannot differ in what they report. Cost: O(the
 * records + the levels + the path points).
 */
export function finishReplication(s: LoopEnd): ReplicationResult {
  const { e, n, measuring, maxLevel, levelStart, levelSum, records, finalTime, total } = s;
  const postEvents = measuring ? e - s.warmupEndEvent : 0;
  let recordCount = s.recordCount;
  let recordSize = s.recordSize;
  if (measuring && e > s.recStartEvent) {
    if (recordCount === RECORD_CAPACITY) {
      mergeRecordPairs(records, recordCount);
      recordCount /= 2;
      recordSize *= 2;
    }
    storeRecord(records, recordCount++, e - s.recStartEvent, finalTime - s.recStartTime, s.queueLengthSum, s.arrivals, s.migrations,
      s.served, s.completed, s.delaySum, s.recStartTotal, total);
  }
  const tailOut: number[] = [1];
  if (measuring && postEvents > 0) {
    for (let l = 1; l <= maxLevel; l++) {
      const area = (e + 1) * (n - (levelStart[l] as number)) - (levelSum[l] as number);
      tailOut.push(area / (n * postEvents));
    }
  } else {
    tailOut[0] = NaN;
  }
  const { pathEvents, pathTime, pathTotal } = s;
  let pathCount = s.pathCount;
  if (pathCount === 0 || pathEvents[pathCount - 1] !== e) {
    pathEvents[pathCount] = e;
    pathTime[pathCount] = finalTime;
    pathTotal[pathCount] = total;
    pathCount++;
  }
  const rec = unpackRecords(records, recordCount);
  const sum = (xs: number[]): number => xs.reduce((acc, x) => acc + x, 0);
  const o = s.options;
  const wallSeconds = (performance.now() - s.wallStart) / 1000;
  return {
    replication: s.replication,
    seed: o.seed,
    totalEvents: e,
    warmupEvents: measuring ? s.warmupEndEvent : e,
    events: postEvents,
    warmupTime: measuring ? s.warmupEndTime : finalTime,
    simulatedTime: measuring ? finalTime - s.warmupEndTime : 0,
    clock: o.clock,
    wallSeconds,
    eventsPerSecond: e / wallSeconds,
    arrivals: sum(rec.arrivals),
    migrations: sum(rec.migrations),
    unitsServed: sum(rec.unitsServed),
    jobsCompleted: sum(rec.jobsCompleted),
    delaySum: sum(rec.delaySum),
    tail: tailOut,
    maxQueueLengthSeen: maxLevel,
    finalTotalQueueLength: total,
    path: {
      events: Array.from(pathEvents.subarray(0, pathCount)),
      time: Array.from(pathTime.subarray(0, pathCount)),
      totalQueueLength: Array.from(pathTotal.subarray(0, pathCount)),
      meanQueueLength: Array.from(pathTotal.subarray(0, pathCount), (x) => x / n),
      stride: s.pathStride,
    },
    records: rec,
    recordSize,
    delayHistogram: o.trackDelays && s.delayHistogram !== null ? Array.from(s.delayHistogram) : null,
    delayTracking: {
      enabled: o.trackDelays,
      complete: o.trackDelays && s.trackerStopReason === null,
      stoppedAtEvent: s.delayStopEvent,
      reason: s.trackerStopReason,
    },
    stoppedEarly: s.stopReason !== null,
    stopReason: s.stopReason,
  };
}
