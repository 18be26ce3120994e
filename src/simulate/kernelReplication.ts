import { migrationRule, sampleCount } from "../model/policy";
import { validateSampling } from "../model/sampling";
import type { SystemParams } from "../model/system";
import { EXPONENTIAL_ZIGGURAT_TABLES } from "../random/exponentialZiggurat";
import { replicationStreamState } from "../random/replicationStream";
import { LOG_LINEAR_HISTOGRAM_BINS } from "../statistics/logLinearHistogram";
import {
  RECORD_CAPACITY, RECORD_FIELDS, finishReplication, initialLevels, lastEventBy, mergeRecordPairs, storeRecord,
} from "./eventLoopParts";
import { EVENT_KERNEL_WASM_BASE64 } from "./kernel/eventKernelWasm";
import type { ReplicationResult } from "./replicationResult";
import { shortestSampleThresholds } from "./shortestSampledLevel";
import type { ResolvedSimulationOptions } from "./simulationOptions";

/**
 * The driver of the WebAssembly event kernel (kernel/eventKernel.as.ts): the same replication as the
 * TypeScript reference loop (runReplicationReference in runReplication.ts), bit for bit, with the events
 * themselves run by the kernel. This file keeps everything that happens between events (warm-up, records,
 * sample path, progress, time boundaries, the rare growth of arrays) in the reference's order; the kernel
 * runs the events between two such checkpoints on state kept in its linear memory, laid out here. Only for
 * rules monotone in the target's length: the kernel reads the rule as the table migrateBelow[own], the
 * smallest target length the rule refuses (rule(own, t) is then exactly t < migrateBelow[own]).
 *
 * Not part of the public API: runReplication chooses it.
 */

const TWO_POW_32 = 4294967296;
const PROGRESS_EVENTS = 1 << 21;
const PAGE = 65536;

// Control block layout (byte offsets; the same as in eventKernel.as.ts). F_*: float64 slots, I_*: int32 slots.
const F_E = 0, F_STOP = 1, F_T = 2, F_INV_RATE = 3, F_NEXT_TIME_CHECK = 4, F_TOTAL = 5, F_QUEUE_LENGTH_SUM = 6;
const F_ARRIVALS = 7, F_MIGRATIONS = 8, F_SERVED = 9, F_COUNT_FROM = 10, F_COMPLETED = 11, F_DELAY_SUM = 12;
const F_T_NEXT = 13, F_ARRIVAL_THRESHOLD = 14, F_LENGTH_EVENT = 15, F_POOL_EVENT = 16;
const I_BASE = 64; // int32 slot of byte 256
const I_N = I_BASE, I_K = I_BASE + 1, I_QUEUE_THRESHOLD = I_BASE + 2, I_CONTINUOUS = I_BASE + 3, I_SHARING = I_BASE + 4;
const I_REUSE_EVENT_WORD = I_BASE + 5, I_SMALL_N = I_BASE + 6, I_OWN_EXCLUDED = I_BASE + 7, I_MIN_LEVEL = I_BASE + 8;
const I_MAX_LEVEL = I_BASE + 9, I_LEVEL_CAP = I_BASE + 10, I_MAX_QUEUE_LENGTH = I_BASE + 11, I_TRACKING = I_BASE + 12;
const I_PENDING = I_BASE + 13, I_RNG = I_BASE + 14; // 4 words
const I_P_Q = I_BASE + 18, I_P_ORDER = I_BASE + 19, I_P_POSITION = I_BASE + 20, I_P_LEVEL_START = I_BASE + 21;
const I_P_LEVEL_SUM = I_BASE + 22, I_P_THRESHOLDS = I_BASE + 23, I_P_MIGRATE_BELOW = I_BASE + 24, I_P_HEAD = I_BASE + 25;
const I_P_TAIL = I_BASE + 26, I_P_NEXT = I_BASE + 27, I_P_REMAINING = I_BASE + 28, I_P_ARRIVAL = I_BASE + 29;
const I_P_HISTOGRAM = I_BASE + 30, I_P_ZIG_KE = I_BASE + 31, I_P_ZIG_WE = I_BASE + 32, I_P_ZIG_FE = I_BASE + 33;
const I_FREE = I_BASE + 34, I_USED = I_BASE + 35, I_POOL_CAP = I_BASE + 36, I_MAX_JOBS = I_BASE + 37;
const I_FLAG_LENGTH = I_BASE + 38, I_FLAG_POOL_FULL = I_BASE + 39;
const EXIT_TIME = 1;

// The WebAssembly API of Node (its types are not in the project's lib: ES2022 and @types/node).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: ArrayBufferView) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
  readonly memory: WasmMemory;
  readonly runEventsClock: () => number;
  readonly runEventsClockDelays: () => number;
  readonly runTimeClock: () => number;
  readonly runTimeClockDelays: () => number;
  readonly controlBlock: () => number;
  readonly heapBase: () => number;
}

let compiledKernel: object | null = null;

/** The kernel's module, compiled once per thread (synchronously: it is a few kilobytes). */
function kernelModule(): object {
  if (compiledKernel === null) compiledKernel = new wasm.Module(Buffer.from(EVENT_KERNEL_WASM_BASE64, "base64"));
  return compiledKernel;
}

/**
 * A fresh kernel instance with its own memory, and a bump allocator over that memory. Arrays that grow (the
 * level arrays, the delay tracker's pool) are copied to a new block and the old block is not reused, so the
 * memory holds at most about twice the final arrays (the growth is by doubling); it is released with the
 * instance at the end of the replication.
 */
class KernelMemory {
  readonly exports: KernelExports;
  private top: number;
  /** Float64 and Int32 views of the control block (renewed when the memory grows). */
  f!: Float64Array;
  i!: Int32Array;

  constructor() {
    const instance = new wasm.Instance(kernelModule(), { env: { log: Math.log, exp: Math.exp } });
    this.exports = instance.exports as unknown as KernelExports;
    this.top = this.exports.heapBase();
    this.refresh();
  }

  /** Reserves `bytes` (16-byte aligned), growing the memory if needed; returns the address. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = at + Math.ceil(bytes / 16) * 16;
    const have = this.exports.memory.buffer.byteLength;
    if (this.top > have) {
      this.exports.memory.grow(Math.ceil((this.top - have) / PAGE));
      this.refresh();
    }
    return at;
  }

  private refresh(): void {
    const buffer = this.exports.memory.buffer;
    const control = this.exports.controlBlock();
    this.f = new Float64Array(buffer, control, 32);
    this.i = new Int32Array(buffer, control, 128);
  }

  i32(pointer: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, pointer, length);
  }

  f64(pointer: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, pointer, length);
  }
}

/**
 * The table migrateBelow[o] for o = 0..cap - 1: the smallest t in [0, cap] with rule(o, t) false (cap when
 * the rule migrates to every length below cap), by bisection, which is exact for a rule monotone in t.
 * Cost O(cap log cap) rule calls.
 */
function fillMigrateBelow(table: Int32Array, rule: (own: number, target: number) => boolean, cap: number, sharing: boolean): void {
  for (let o = 0; o < cap; o++) {
    if (!sharing) {
      table[o] = 0;
      continue;
    }
    let lo = 0; // rule(o, t) true for every t < lo
    let hi = cap; // rule(o, hi) false, or hi = cap
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rule(o, mid)) lo = mid + 1;
      else hi = mid;
    }
    table[o] = lo;
  }
}

/**
 * One replication on the WebAssembly kernel, for validated inputs and a rule monotone in the target's length
 * (see the file comment); the same result as the reference loop, wall-clock fields aside.
 */
export function runReplicationKernel(
  params: SystemParams,
  o: ResolvedSimulationOptions,
  replication: number,
  onProgress?: (fraction: number, events: number) => void,
): ReplicationResult {
  const wallStart = performance.now();
  const n = params.queues;
  const lambda = params.arrivalRate;
  const K = params.migrationPenalty;
  const sharing = sampleCount(params.policy) > 0;
  const rule = migrationRule(params.policy, K);
  const d = sampleCount(params.policy);
  const scheme = validateSampling(params.sampling);
  const ownExcluded = scheme === "all" ? 0 : 1;
  const rng = replicationStreamState(o.seed, replication);
  const arrivalThreshold = Math.round((lambda / (lambda + 1)) * TWO_POW_32);
  const reuseEventWord = arrivalThreshold >= 2 ** 28;
  const thresholdTable = sharing
    ? shortestSampleThresholds(n, d, reuseEventWord ? arrivalThreshold : TWO_POW_32, scheme)
    : new Float64Array(1);
  const invRate = 1 / (n * (lambda + 1));
  const continuous = o.clock === "time";
  const maxQueueLength = o.maxQueueLength;
  const levelHardCap = maxQueueLength + K + 2;

  // ---- the kernel's memory: the sorted structure, the rule table, the delay tracker, the ziggurat ----
  const mem = new KernelMemory();
  const pQ = mem.alloc(4 * n);
  const pOrder = mem.alloc(4 * n);
  const pPosition = mem.alloc(4 * n);
  const pThresholds = mem.alloc(8 * thresholdTable.length);
  const zig = EXPONENTIAL_ZIGGURAT_TABLES;
  const pKe = mem.alloc(8 * 256);
  const pWe = mem.alloc(8 * 256);
  const pFe = mem.alloc(8 * 256);
  const pHead = mem.alloc(4 * n);
  const pTail = mem.alloc(4 * n);
  const pHistogram = mem.alloc(8 * LOG_LINEAR_HISTOGRAM_BINS);
  const maxJobs = o.maxTrackedJobs;
  let poolCap = Math.min(1024, maxJobs);
  let pNext = mem.alloc(4 * poolCap);
  let pRemaining = mem.alloc(4 * poolCap);
  let pArrival = mem.alloc(8 * poolCap);
  const q0 = new Int32Array(n);
  const order0 = new Int32Array(n);
  const position0 = new Int32Array(n);
  const start = initialLevels(o.initialState, n, K, levelHardCap, q0, order0, position0);
  let levelCap = start.levelStart.length;
  let pLevelStart = mem.alloc(4 * levelCap);
  let pLevelSum = mem.alloc(8 * levelCap);
  let pMigrateBelow = mem.alloc(4 * levelCap);
  // Views are taken only now: an allocation that grows the memory detaches every earlier view.
  mem.i32(pQ, n).set(q0);
  mem.i32(pOrder, n).set(order0);
  mem.i32(pPosition, n).set(position0);
  mem.i32(pLevelStart, levelCap).set(start.levelStart);
  mem.f64(pThresholds, thresholdTable.length).set(thresholdTable);
  mem.f64(pKe, 256).set(zig.ke);
  mem.f64(pWe, 256).set(zig.we);
  mem.f64(pFe, 256).set(zig.fe);
  mem.i32(pHead, n).fill(-1);
  mem.i32(pTail, n).fill(-1);
  fillMigrateBelow(mem.i32(pMigrateBelow, levelCap), rule, levelCap, sharing);

  // Views used between events (renewed after any growth of the memory).
  let levelStart = mem.i32(pLevelStart, levelCap);
  let levelSum = mem.f64(pLevelSum, levelCap);
  const views = (): void => {
    levelStart = mem.i32(pLevelStart, levelCap);
    levelSum = mem.f64(pLevelSum, levelCap);
  };

  const I = (): Int32Array => mem.i;
  const F = (): Float64Array => mem.f;
  {
    const ci = I();
    const cf = F();
    ci[I_N] = n;
    ci[I_K] = K;
    ci[I_QUEUE_THRESHOLD] = TWO_POW_32 % n;
    ci[I_CONTINUOUS] = continuous ? 1 : 0;
    ci[I_SHARING] = sharing ? 1 : 0;
    ci[I_REUSE_EVENT_WORD] = reuseEventWord ? 1 : 0;
    ci[I_SMALL_N] = n <= 32768 ? 1 : 0;
    ci[I_OWN_EXCLUDED] = ownExcluded;
    ci[I_MAX_QUEUE_LENGTH] = maxQueueLength;
    ci[I_MAX_JOBS] = maxJobs;
    for (let k = 0; k < 4; k++) ci[I_RNG + k] = rng[k] as number;
    cf[F_INV_RATE] = invRate;
    cf[F_ARRIVAL_THRESHOLD] = arrivalThreshold;
  }
  const pointers = (): void => {
    const ci = I();
    ci[I_P_Q] = pQ; ci[I_P_ORDER] = pOrder; ci[I_P_POSITION] = pPosition; ci[I_P_LEVEL_START] = pLevelStart;
    ci[I_P_LEVEL_SUM] = pLevelSum; ci[I_P_THRESHOLDS] = pThresholds; ci[I_P_MIGRATE_BELOW] = pMigrateBelow;
    ci[I_P_HEAD] = pHead; ci[I_P_TAIL] = pTail; ci[I_P_NEXT] = pNext; ci[I_P_REMAINING] = pRemaining;
    ci[I_P_ARRIVAL] = pArrival; ci[I_P_HISTOGRAM] = pHistogram; ci[I_P_ZIG_KE] = pKe; ci[I_P_ZIG_WE] = pWe;
    ci[I_P_ZIG_FE] = pFe; ci[I_LEVEL_CAP] = levelCap; ci[I_POOL_CAP] = poolCap;
  };
  pointers();

  /** Grows the level arrays (and the rule table) until one event's K units fit above the longest queue. */
  const growLevels = (maxLevel: number): void => {
    let cap = levelCap;
    while (maxLevel + K + 2 >= cap && cap < levelHardCap) cap = Math.min(2 * cap, levelHardCap);
    if (cap === levelCap) return;
    const oldStart = pLevelStart;
    const oldSum = pLevelSum;
    const oldCap = levelCap;
    pLevelStart = mem.alloc(4 * cap);
    pLevelSum = mem.alloc(8 * cap);
    pMigrateBelow = mem.alloc(4 * cap);
    const ls = mem.i32(pLevelStart, cap);
    ls.fill(n);
    ls.set(mem.i32(oldStart, oldCap));
    mem.f64(pLevelSum, cap).set(mem.f64(oldSum, oldCap));
    fillMigrateBelow(mem.i32(pMigrateBelow, cap), rule, cap, sharing);
    levelCap = cap;
    views();
    pointers();
  };
  /** Doubles the delay tracker's pool of job nodes (up to maxJobs). */
  const growPool = (): void => {
    const cap = Math.min(2 * poolCap, maxJobs);
    const oldNext = pNext;
    const oldRemaining = pRemaining;
    const oldArrival = pArrival;
    pNext = mem.alloc(4 * cap);
    pRemaining = mem.alloc(4 * cap);
    pArrival = mem.alloc(8 * cap);
    mem.i32(pNext, cap).set(mem.i32(oldNext, poolCap));
    mem.i32(pRemaining, cap).set(mem.i32(oldRemaining, poolCap));
    mem.f64(pArrival, cap).set(mem.f64(oldArrival, poolCap));
    poolCap = cap;
    views();
    pointers();
  };

  let maxLevel = start.maxLevel;
  let minLevel = start.minLevel;
  let total = start.total;

  // Per-job delay bookkeeping: the tracker's state lives in the kernel (see JobDelayTracker for the logic).
  let trackingDelays = o.trackDelays;
  let trackerStopReason: string | null = null;
  let delayStopEvent = NaN;
  let free = -1;
  let used = 0;
  let completed = 0;
  let delaySum = 0;
  let countFrom = Infinity;
  if (trackingDelays && total > 0) {
    // Units present at time 0: jobs of one unit each, never counted (as in the reference loop).
    // Each queue's jobs are consecutive nodes, linked in order.
    fill: for (let j = 0; j < n; j++) {
      const units = q0[j] as number;
      if (units === 0) continue;
      while (used + units > poolCap && poolCap < maxJobs) growPool();
      const room = Math.min(units, poolCap - used);
      const next = mem.i32(pNext, poolCap);
      const remaining = mem.i32(pRemaining, poolCap);
      const arrival = mem.f64(pArrival, poolCap);
      for (let k = 0; k < room; k++) {
        const node = used + k;
        next[node] = k + 1 < room ? node + 1 : -1;
        remaining[node] = 1;
        arrival[node] = -Infinity;
      }
      mem.i32(pHead, n)[j] = used;
      mem.i32(pTail, n)[j] = used + room - 1;
      used += room;
      if (room < units) {
        trackingDelays = false;
        trackerStopReason = `more than maxTrackedJobs = ${maxJobs} jobs in the system at event 0`;
        delayStopEvent = 0;
        break fill;
      }
    }
    if (trackingDelays && used === poolCap && poolCap < maxJobs) growPool();
  }
  growLevels(maxLevel);

  const byEvents = o.budget === "events";
  const warmupEvents = byEvents ? o.warmup : continuous ? Infinity : lastEventBy(o.warmup, invRate);
  const endEvent = byEvents ? o.warmup + o.events : continuous ? Infinity : lastEventBy(o.warmup + o.time, invRate);
  const warmupTimeTarget = byEvents ? NaN : o.warmup;
  const endTime = byEvents ? Infinity : o.warmup + o.time;
  let measuring = false;
  let warmupEndTime = Infinity;
  let warmupEndEvent = 0;

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

  const pathCap = o.pathPoints;
  const pathEvents = new Float64Array(pathCap + 1);
  const pathTime = new Float64Array(pathCap + 1);
  const pathTotal = new Float64Array(pathCap + 1);
  let pathCount = 0;
  let pathStride = 1;
  let nextPathEvent = 0;

  let nextProgressEvent = onProgress ? PROGRESS_EVENTS : Infinity;
  let stopReason: string | null = null;
  let e = 0;
  let t = 0;
  let tNext = 0;
  let pending = false;
  let nextTimeCheck = continuous && !byEvents ? (warmupTimeTarget > 0 ? warmupTimeTarget : endTime) : Infinity;
  let finalTime = NaN;

  if (warmupEvents === 0 || (!byEvents && continuous && !(warmupTimeTarget > 0))) {
    measuring = true;
    warmupEndTime = 0;
    countFrom = 0;
    for (let l = 0; l < levelCap; l++) levelSum[l] = n - (levelStart[l] as number);
    recStartTotal = total;
  }

  /** Runs the kernel up to event `stop` with the driver's scalars, and reads them back. */
  const runKernel = (stop: number): number => {
    const cf = F();
    const ci = I();
    cf[F_E] = e; cf[F_STOP] = stop; cf[F_T] = t; cf[F_NEXT_TIME_CHECK] = nextTimeCheck; cf[F_TOTAL] = total;
    cf[F_QUEUE_LENGTH_SUM] = queueLengthSum; cf[F_ARRIVALS] = arrivals; cf[F_MIGRATIONS] = migrations;
    cf[F_SERVED] = served; cf[F_COUNT_FROM] = countFrom; cf[F_COMPLETED] = completed; cf[F_DELAY_SUM] = delaySum;
    cf[F_T_NEXT] = tNext;
    ci[I_MIN_LEVEL] = minLevel; ci[I_MAX_LEVEL] = maxLevel; ci[I_TRACKING] = trackingDelays ? 1 : 0;
    ci[I_PENDING] = pending ? 1 : 0; ci[I_FREE] = free; ci[I_USED] = used;
    const x = mem.exports;
    const code = continuous
      ? (trackingDelays ? x.runTimeClockDelays() : x.runTimeClock())
      : (trackingDelays ? x.runEventsClockDelays() : x.runEventsClock());
    e = cf[F_E] as number; t = cf[F_T] as number; total = cf[F_TOTAL] as number;
    queueLengthSum = cf[F_QUEUE_LENGTH_SUM] as number; arrivals = cf[F_ARRIVALS] as number;
    migrations = cf[F_MIGRATIONS] as number; served = cf[F_SERVED] as number; completed = cf[F_COMPLETED] as number;
    delaySum = cf[F_DELAY_SUM] as number; tNext = cf[F_T_NEXT] as number;
    minLevel = ci[I_MIN_LEVEL] as number; maxLevel = ci[I_MAX_LEVEL] as number;
    trackingDelays = ci[I_TRACKING] === 1; pending = ci[I_PENDING] === 1;
    free = ci[I_FREE] as number; used = ci[I_USED] as number;
    if (ci[I_FLAG_POOL_FULL] === 1 && trackerStopReason === null) {
      const at = cf[F_POOL_EVENT] as number;
      trackerStopReason = `more than maxTrackedJobs = ${maxJobs} jobs in the system at event ${at}`;
      delayStopEvent = at;
    }
    if (ci[I_FLAG_LENGTH] === 1 && stopReason === null) {
      stopReason = `a queue reached maxQueueLength = ${maxQueueLength} at event ${cf[F_LENGTH_EVENT] as number}`;
    }
    // Growth the kernel asked for: room for the next event's units, a pool with a free node.
    if (maxLevel + K + 2 >= levelCap) growLevels(maxLevel);
    if (trackingDelays && free < 0 && used === poolCap && poolCap < maxJobs) growPool();
    return code;
  };

  main: for (;;) {
    // ---- checkpoints between events (state X_e), as in the reference loop ----
    const now = continuous ? t : e * invRate;
    if (stopReason !== null) {
      finalTime = now;
      break;
    }
    if (!measuring && e === warmupEvents) {
      measuring = true;
      warmupEndTime = now;
      warmupEndEvent = e;
      for (let l = 0; l < levelCap; l++) levelSum[l] = (e + 1) * (n - (levelStart[l] as number));
      recStartEvent = e;
      recStartTime = now;
      recStartTotal = total;
      queueLengthSum = arrivals = migrations = served = completed = delaySum = 0;
      countFrom = now;
    }
    if (measuring && e === recStartEvent + recordSize) {
      if (recordCount === RECORD_CAPACITY) {
        mergeRecordPairs(records, recordCount);
        recordCount /= 2;
        recordSize *= 2;
      }
      if (e === recStartEvent + recordSize) {
        storeRecord(records, recordCount++, e - recStartEvent, now - recStartTime, queueLengthSum, arrivals, migrations,
          served, completed, delaySum, recStartTotal, total);
        recStartEvent = e;
        recStartTime = now;
        recStartTotal = total;
        queueLengthSum = arrivals = migrations = served = completed = delaySum = 0;
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

    // ---- the events up to the next checkpoint, in the kernel ----
    while (e < stop) {
      const code = runKernel(stop);
      if (stopReason !== null) break; // a queue reached maxQueueLength: the reference stops after that event
      if (code !== EXIT_TIME) continue; // growth done (or stop reached): go on
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
        queueLengthSum = arrivals = migrations = served = completed = delaySum = 0;
        countFrom = warmupTimeTarget;
        nextTimeCheck = endTime;
        stop = Math.min(stop, e + recordSize);
      }
    }
  }

  return finishReplication({
    replication, options: o, n, wallStart, e, measuring, warmupEndEvent, warmupEndTime, finalTime, recStartEvent, recStartTime,
    recStartTotal, queueLengthSum, arrivals, migrations, served, completed, delaySum, total, records, recordCount, recordSize,
    maxLevel, levelStart, levelSum, pathEvents, pathTime, pathTotal, pathCount, pathStride,
    delayHistogram: o.trackDelays ? mem.f64(pHistogram, LOG_LINEAR_HISTOGRAM_BINS) : null, delayStopEvent, trackerStopReason, stopReason,
  });
}
