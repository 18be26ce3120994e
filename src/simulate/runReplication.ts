import { ParameterError } from "../model/parameterError";
import { migrationRule, policyProperties, sampleCount } from "../model/policy";
import { validateSampling } from "../model/sampling";
import type { SystemParams } from "../model/system";
import { boundedIndex, boundedIndexSmall } from "../random/boundedIndex";
import { nextExponential } from "../random/exponentialZiggurat";
import { replicationStreamState } from "../random/replicationStream";
import { nextXoroshiro128PlusHigh32 } from "../random/xoroshiro128Plus";
import {
  RECORD_CAPACITY, RECORD_FIELDS, finishReplication, initialLevels, lastEventBy, mergeRecordPairs, storeRecord,
} from "./eventLoopParts";
import { JobDelayTracker } from "./jobDelayTracker";
import { runReplicationKernel } from "./kernelReplication";
import type { ReplicationResult } from "./replicationResult";
import { shortestSampleThresholds, shortestSampledLevel } from "./shortestSampledLevel";
import type { ResolvedSimulationOptions } from "./simulationOptions";

// This file imports nothing heavier than the model and the random streams (options only as types), so that
// a worker thread, which loads it and nothing else, stays small (see replicationTask.ts).

/** Callback of {@link runReplication}: fraction of this replication done and events simulated so far. */
export type ReplicationProgress = (fraction: number, events: number) => void;

const TWO_POW_32 = 4294967296;
/** Events between two progress reports. */
export const PROGRESS_EVENTS = 1 << 21;

/** Level arrays of the sorted structure, in a holder so that their (rare) growth can live outside the loop. */
interface LevelArrays {
  levelStart: Int32Array;
  levelSum: Float64Array;
}


/** Which implementation of the event loop runs a replication (see {@link runReplication}). */
export type EventLoopEngine = "auto" | "kernel" | "reference";

/**
 * The event loop behind {@link simulateReplication}, for already validated inputs (the worker threads call
 * it directly). Not part of the public API.
 *
 * Two implementations give bit-identical results (tested): the WebAssembly kernel (kernelReplication.ts,
 * the fast one) and the TypeScript reference loop below (the readable one, and the only one that can call a
 * rule that is not monotone in the target's length, since the kernel reads the rule as a table of
 * thresholds). `engine` "auto" takes the kernel whenever it can.
 */
export function runReplication(
  params: SystemParams,
  o: ResolvedSimulationOptions,
  replication: number,
  onProgress?: ReplicationProgress,
  engine: EventLoopEngine = "auto",
): ReplicationResult {
  // A rule declared monotone in the target's length (ABOUNCE: q_i > q_i* + C; MBOUNCE; SQ(d); a nondecreasing
  // switching table) can only switch from "migrate" to "stay" as the target grows: true(own, t) implies
  // true(own, t') for t' < t. A custom rule is not assumed to be. test/policies.test.ts checks each declaration.
  const monotoneRule = policyProperties(params.policy, params.migrationPenalty).monotoneInTarget;
  if (engine === "kernel" && !monotoneRule) {
    throw new ParameterError("engine", engine, '"auto" or "reference" for a rule not known to be monotone in the target\'s length');
  }
  if (engine !== "reference" && monotoneRule) return runReplicationKernel(params, o, replication, onProgress);
  return runReplicationReference(params, o, replication, onProgress, monotoneRule);
}

/**
 * The TypeScript reference event loop (see simulateReplication for the model, and the comments below). It is
 * written to be read and checked, in one function with its state in locals and typed arrays (no allocation
 * per event), and it calls the rule itself: the kernel must reproduce it bit for bit (test/simulate-kernel).
 */
function runReplicationReference(
  params: SystemParams,
  o: ResolvedSimulationOptions,
  replication: number,
  onProgress: ReplicationProgress | undefined,
  monotoneRule: boolean,
): ReplicationResult {
  const wallStart = performance.now();
  const n = params.queues;
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const sharing = sampleCount(params.policy) > 0;
  const rule = migrationRule(params.policy, K); // created once per run, called in the loop
  const d = sampleCount(params.policy);
  const scheme = validateSampling(params.sampling);
  // The candidates of the shortest-sample draw: the n - 1 other queues, or all n under "all" (then c_l counts
  // the own queue too, and a draw that picks the own queue means the job stays).
  const ownExcluded = scheme === "all" ? 0 : 1;

  const rng = replicationStreamState(o.seed, replication);
  // One generator step per event. Its high word W decides the type: an arrival when W < A, with
  // A = round(2^32 lambda / (lambda + 1)), so with probability lambda / (lambda + 1) +- 2^-33. Its low word gives
  // the queue, exactly uniform (boundedIndex). Given an arrival, W is uniform on the integers [0, A) and
  // independent of the queue, so when A >= 2^28 (lambda >= 1/15) it is used again as the word of the
  // shortest-sample draw, with thresholds round(A (c / (n - 1))^d): P(min >= l) = (c_l / (n - 1))^d +- 1 / (2A),
  // within 2^-29 (see shortestSampledLevel). Below, a fresh 32-bit word is drawn (within 2^-33).
  const arrivalThreshold = Math.round((lambda / (lambda + 1)) * TWO_POW_32);
  const reuseEventWord = arrivalThreshold >= 2 ** 28;
  const levelThreshold = sharing
    ? shortestSampleThresholds(n, d, reuseEventWord ? arrivalThreshold : TWO_POW_32, scheme)
    : new Float64Array(1);
  const smallN = n <= 32768; // then the queue index is computed in integer arithmetic (boundedIndexSmall)
  const queueThreshold = TWO_POW_32 % n;
  const invRate = 1 / (n * (lambda + 1));
  const continuous = o.clock === "time";

  // Queues sorted by length.
  const q = new Int32Array(n);
  const order = new Int32Array(n);
  const position = new Int32Array(n);
  const maxQueueLength = o.maxQueueLength;
  const levelHardCap = maxQueueLength + K + 2; // room for the event that crosses the limit
  const start = initialLevels(o.initialState, n, K, levelHardCap, q, order, position);
  const levels: LevelArrays = { levelStart: start.levelStart, levelSum: new Float64Array(start.levelStart.length) }; // A_l above
  let levelStart = levels.levelStart;
  let levelSum = levels.levelSum;
  let levelCap = levelStart.length;
  let maxLevel = start.maxLevel; // longest queue seen
  let minLevel = start.minLevel; // length of the shortest queue now
  let total = start.total;

  // Per-job delay bookkeeping (a FIFO list of jobs per queue).
  let trackingDelays = o.trackDelays;
  const tracker = new JobDelayTracker(trackingDelays ? n : 0, o.maxTrackedJobs);
  let delayStopEvent = NaN;
  if (trackingDelays && total > 0) {
    // Units present at time 0 are jobs of one unit each; they did not arrive during the run and are never counted.
    for (let j = 0; j < n && trackingDelays; j++) {
      for (let k = 0; k < (q[j] as number); k++) {
        tracker.arrive(j, 1, -Infinity, 0);
        if (!tracker.active) {
          trackingDelays = false;
          delayStopEvent = 0;
          break;
        }
      }
    }
  }

  // Budget and warm-up, in events where possible. On the events clock event e happens at e / (n(lambda + 1)),
  // so a time budget is the event budget of the events at or before the requested time.
  const byEvents = o.budget === "events";
  const warmupEvents = byEvents ? o.warmup : continuous ? Infinity : lastEventBy(o.warmup, invRate);
  const endEvent = byEvents ? o.warmup + o.events : continuous ? Infinity : lastEventBy(o.warmup + o.time, invRate);
  const warmupTimeTarget = byEvents ? NaN : o.warmup;
  const endTime = byEvents ? Infinity : o.warmup + o.time;
  let measuring = false;
  let warmupEndTime = Infinity;
  let warmupEndEvent = 0;

  // Records of the post-warm-up run.
  const records = new Float64Array(RECORD_CAPACITY * RECORD_FIELDS);
  let recordCount = 0;
  let recordSize = 1;
  let recStartEvent = 0;
  let recStartTime = 0;
  let recStartTotal = 0;
  let queueLengthSum = 0;
  let arrivals = 0;
  let migrations = 0;
  let served = 0;

  // Sample path.
  const pathCap = o.pathPoints;
  const pathEvents = new Float64Array(pathCap + 1);
  const pathTime = new Float64Array(pathCap + 1);
  const pathTotal = new Float64Array(pathCap + 1);
  let pathCount = 0;
  let pathStride = 1;
  let nextPathEvent = 0;

  let nextProgressEvent = onProgress ? PROGRESS_EVENTS : Infinity;
  let stopReason: string | null = null;
  let e = 0; // events done
  let t = 0; // time of the last event (continuous clock; the events clock uses e / (n(lambda + 1)))
  let nextTimeCheck = continuous && !byEvents ? (warmupTimeTarget > 0 ? warmupTimeTarget : endTime) : Infinity;
  let finalTime = NaN;

  if (warmupEvents === 0 || (!byEvents && continuous && !(warmupTimeTarget > 0))) {
    measuring = true;
    warmupEndTime = 0;
    tracker.countFrom = 0;
    // A_l = (w + 1) c_l(w) with w = 0 (zero at l >= 1 for the empty start).
    for (let l = 0; l < levelCap; l++) levelSum[l] = n - (levelStart[l] as number);
    recStartTotal = total;
  }

  main: for (;;) {
    // ---- checkpoints between events (state X_e) ----
    const now = continuous ? t : e * invRate;
    if (stopReason !== null) {
      finalTime = now;
      break;
    }
    if (!measuring && e === warmupEvents) {
      // End of an events warm-up: statistics start with the state after event e + 1.
      measuring = true;
      warmupEndTime = now;
      warmupEndEvent = e;
      for (let l = 0; l < levelCap; l++) levelSum[l] = (e + 1) * (n - (levelStart[l] as number));
      recStartEvent = e;
      recStartTime = now;
      recStartTotal = total;
      queueLengthSum = arrivals = migrations = served = tracker.completed = tracker.delaySum = 0;
      tracker.countFrom = now; // jobs arriving before the end of the warm-up are not counted
    }
    if (measuring && e === recStartEvent + recordSize) {
      if (recordCount === RECORD_CAPACITY) {
        mergeRecordPairs(records, recordCount);
        recordCount /= 2;
        recordSize *= 2;
      }
      if (e === recStartEvent + recordSize) {
        storeRecord(records, recordCount++, e - recStartEvent, now - recStartTime, queueLengthSum, arrivals, migrations,
          served, tracker.completed, tracker.delaySum, recStartTotal, total);
        recStartEvent = e;
        recStartTime = now;
        recStartTotal = total;
        queueLengthSum = arrivals = migrations = served = tracker.completed = tracker.delaySum = 0;
      }
    }
    if (e === nextPathEvent) {
      if (pathCount === pathCap) {
        for (let k = 0; k < pathCap / 2; k++) {
          pathEvents[k] = pathEvents[2 * k] as number;
          pathTime[k] = pathTime[2 * k] as number;
          pathTotal[k] = pathTotal[2 * k] as number;
        }
        pathCount = pathCap / 2;
        pathStride *= 2;
      }
      if (e % pathStride === 0) {
        pathEvents[pathCount] = e;
        pathTime[pathCount] = now;
        pathTotal[pathCount] = total;
        pathCount++;
      }
      nextPathEvent = (Math.floor(e / pathStride) + 1) * pathStride;
    }
    if (e >= endEvent) {
      finalTime = now;
      break;
    }
    if (e >= nextProgressEvent && onProgress) {
      onProgress(continuous && !byEvents ? Math.min(1, t / endTime) : e / endEvent, e);
      nextProgressEvent = e + PROGRESS_EVENTS;
    }
    let stop = Math.min(nextPathEvent, nextProgressEvent, endEvent, measuring ? recStartEvent + recordSize : warmupEvents);

    // ---- the events up to the next checkpoint ----
    while (e < stop) {
      if (continuous) {
        const tNext = t + nextExponential(rng) * invRate;
        while (tNext > nextTimeCheck) {
          // A time boundary falls while state X_e holds.
          if (measuring) {
            finalTime = endTime;
            break main;
          }
          measuring = true;
          warmupEndTime = warmupTimeTarget;
          warmupEndEvent = e;
          for (let l = 0; l < levelCap; l++) levelSum[l] = (e + 1) * (n - (levelStart[l] as number));
          recStartEvent = e;
          recStartTime = warmupTimeTarget;
          recStartTotal = total;
          queueLengthSum = arrivals = migrations = served = tracker.completed = tracker.delaySum = 0;
          tracker.countFrom = warmupTimeTarget;
          nextTimeCheck = endTime;
          stop = Math.min(stop, e + recordSize);
        }
        t = tNext;
      }
      e++;

      const eventWord = nextXoroshiro128PlusHigh32(rng);
      const queueWord = (rng[4] as number) >>> 0;
      const queue = smallN ? boundedIndexSmall(queueWord, n, queueThreshold, rng) : boundedIndex(queueWord, n, rng);
      if (eventWord < arrivalThreshold) {
        // ---- arrival at queue i ----
        const i = queue;
        arrivals++;
        let target = i;
        let units = 1;
        const own = q[i] as number;
        const shortest = minLevel;
        // With a rule that is monotone in the target's length, no sample can be shorter than the shortest
        // queue: if the rule refuses that one, it refuses every sample, and the draw can be skipped.
        if (sharing && (!monotoneRule || rule(own, shortest))) {
          const levelWord = reuseEventWord ? eventWord : nextXoroshiro128PlusHigh32(rng);
          const l = shortestSampledLevel(levelWord, own, shortest, maxLevel, n, levelStart, levelThreshold, ownExcluded);
          if (rule(own, l)) {
            // i* uniform among the candidate queues of length l.
            const first = levelStart[l] as number;
            const count = (levelStart[l + 1] as number) - first;
            const pickWord = nextXoroshiro128PlusHigh32(rng);
            if (ownExcluded === 1) {
              let index: number;
              if (own === l) {
                index = first + boundedIndex(pickWord, count - 1, rng);
                if (index >= (position[i] as number)) index++;
              } else {
                index = first + boundedIndex(pickWord, count, rng);
              }
              target = order[index] as number;
              units = K;
              migrations++;
            } else {
              // "all": the own queue is one of the candidates of length l; choosing it means staying.
              const chosen = order[first + boundedIndex(pickWord, count, rng)] as number;
              if (chosen !== i) {
                target = chosen;
                units = K;
                migrations++;
              }
            }
          }
        }
        total += units;
        for (let k = 0; k < units; k++) {
          // +1 at `target`: swap it to the end of its level's block, then shrink the block.
          const v1 = (q[target] as number) + 1;
          const last = (levelStart[v1] as number) - 1;
          const p = position[target] as number;
          const other = order[last] as number;
          order[p] = other;
          position[other] = p;
          order[last] = target;
          position[target] = last;
          levelSum[v1] = (levelSum[v1] as number) + e;
          levelStart[v1] = last;
          q[target] = v1;
          if (last === 0) minLevel = v1; // no queue is shorter than v1 any more
          if (v1 > maxLevel) {
            maxLevel = v1;
            if (maxLevel + 2 >= levelCap) {
              growLevels(levels, Math.min(2 * levelCap, levelHardCap), n);
              levelStart = levels.levelStart;
              levelSum = levels.levelSum;
              levelCap = levelStart.length;
            }
            if (maxLevel >= maxQueueLength && stopReason === null) {
              stopReason = `a queue reached maxQueueLength = ${maxQueueLength} at event ${e}`;
              stop = e;
            }
          }
        }
        if (trackingDelays) {
          tracker.arrive(target, units, continuous ? t : e * invRate, e);
          if (!tracker.active) {
            trackingDelays = false;
            delayStopEvent = e;
          }
        }
      } else {
        // ---- potential departure at queue j ----
        const j = queue;
        const v = q[j] as number;
        if (v > 0) {
          // -1 at j: swap it to the start of its level's block, then advance the block's start.
          const first = levelStart[v] as number;
          const p = position[j] as number;
          const other = order[first] as number;
          order[p] = other;
          position[other] = p;
          order[first] = j;
          position[j] = first;
          levelSum[v] = (levelSum[v] as number) - e;
          levelStart[v] = first + 1;
          q[j] = v - 1;
          if (v <= minLevel) minLevel = v - 1;
          total--;
          served++;
          if (trackingDelays) tracker.depart(j, continuous ? t : e * invRate);
        }
      }
      queueLengthSum += total;
    }
  }

  return finishReplication({
    replication, options: o, n, wallStart, e, measuring, warmupEndEvent, warmupEndTime, finalTime, recStartEvent, recStartTime,
    recStartTotal, queueLengthSum, arrivals, migrations, served, completed: tracker.completed, delaySum: tracker.delaySum, total,
    records, recordCount, recordSize, maxLevel, levelStart, levelSum, pathEvents, pathTime, pathTotal, pathCount, pathStride,
    delayHistogram: o.trackDelays ? tracker.histogram : null, delayStopEvent, trackerStopReason: tracker.stopReason, stopReason,
  });
}

/** Grows the level arrays to `cap` entries (new levels: no queue there yet, levelStart = n). */
function growLevels(levels: LevelArrays, cap: number, n: number): void {
  const levelStart = new Int32Array(cap).fill(n);
  levelStart.set(levels.levelStart);
  const levelSum = new Float64Array(cap);
  levelSum.set(levels.levelSum);
  levels.levelStart = levelStart;
  levels.levelSum = levelSum;
}


