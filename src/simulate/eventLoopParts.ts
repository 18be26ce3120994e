import type { ReplicationResult } from "./replicationResult";

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
