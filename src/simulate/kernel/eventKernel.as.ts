// The simulator's event loop as a WebAssembly kernel, written in AssemblyScript (compiled by
// scripts/build-kernel.js into eventKernelWasm.ts; not compiled by tsc). It runs the events of one
// replication between two checkpoints of the TypeScript driver (kernelReplication.ts), on state that lives
// in the kernel's linear memory, and reproduces the TypeScript reference loop (runReplication.ts) step
// for step: the same generator steps, the same words for the same decisions, the same floating-point
// operations in the same order, so both give bit-identical results from one seed (tested).
//
// Why a WebAssembly kernel, and why written this way:
// - xoroshiro128+ is a 64-bit generator. In JavaScript each step costs some twenty 32-bit operations and a
//   carry; here it is five native 64-bit operations on two locals. The same goes for the 64-bit products of
//   Lemire's bounded integers.
// - Memory accesses are plain loads and stores at computed addresses (no bounds checks, no typed-array
//   objects), and all scalar state sits in locals for the whole run of events: the hot loop touches memory
//   only for the queue arrays it must change.
// - The decision rule is a table (migrateBelow[own] = the smallest target length the rule refuses, exact for
//   rules monotone in the target, computed by the driver from the rule itself), so the kernel carries no copy
//   of any policy and calls nothing per event.
// - Rarely needed work leaves the kernel instead of branching inside it: when an array must grow, when a time
//   boundary (end of warm-up, end of run) falls, the kernel stops before or after an event with an exit code,
//   and the driver grows the arrays or handles the boundary and calls again. The clock and delay tracking
//   are compile-time switches (one exported copy of the loop for each of the four combinations), so the
//   common path carries no code for the features that are off; the remaining tests on loop-invariant flags
//   (scheme, reuse of the event's word) are perfectly predicted branches.
// - The costs that remain are mostly the mispredicted branches the model itself makes random (arrival or
//   departure, empty queue or not, stay or migrate), so the arrival decides stay or migrate with one
//   comparison (see the loop) and looks for the shortest sample's length only when the job migrates.
// - The generator's state stays in locals for the whole loop; the helper functions keep it in globals,
//   which V8 keeps in memory, so only the rare slow paths (rejections, the ziggurat's wedges) use them.
// - Math.log and Math.exp are imported from JavaScript (used only on the ziggurat's rare slow path, 1.1% of
//   holding times) so that the kernel's numbers are those of the reference, to the last bit.

@external("env", "log") declare function jsLog(x: f64): f64;
@external("env", "exp") declare function jsExp(x: f64): f64;

// ---- control block: scalars exchanged with the driver (byte offsets; keep in step with kernelLayout.ts) ----
const F_E: usize = 0;
const F_STOP: usize = 8;
const F_T: usize = 16;
const F_INV_RATE: usize = 24;
const F_NEXT_TIME_CHECK: usize = 32;
const F_TOTAL: usize = 40;
const F_QUEUE_LENGTH_SUM: usize = 48;
const F_ARRIVALS: usize = 56;
const F_MIGRATIONS: usize = 64;
const F_SERVED: usize = 72;
const F_COUNT_FROM: usize = 80;
const F_COMPLETED: usize = 88;
const F_DELAY_SUM: usize = 96;
const F_T_NEXT: usize = 104;
const F_ARRIVAL_THRESHOLD: usize = 112;
const F_LENGTH_EVENT: usize = 120;
const F_POOL_EVENT: usize = 128;

const I_N: usize = 256;
const I_K: usize = 260;
const I_QUEUE_THRESHOLD: usize = 264;
const I_CONTINUOUS: usize = 268;
const I_SHARING: usize = 272;
const I_REUSE_EVENT_WORD: usize = 276;
const I_SMALL_N: usize = 280;
const I_OWN_EXCLUDED: usize = 284;
const I_MIN_LEVEL: usize = 288;
const I_MAX_LEVEL: usize = 292;
const I_LEVEL_CAP: usize = 296;
const I_MAX_QUEUE_LENGTH: usize = 300;
const I_TRACKING: usize = 304;
const I_PENDING: usize = 308;
const I_RNG0: usize = 312;
const I_RNG1: usize = 316;
const I_RNG2: usize = 320;
const I_RNG3: usize = 324;
const I_P_Q: usize = 328;
const I_P_ORDER: usize = 332;
const I_P_POSITION: usize = 336;
const I_P_LEVEL_START: usize = 340;
const I_P_LEVEL_SUM: usize = 344;
const I_P_THRESHOLDS: usize = 348;
const I_P_MIGRATE_BELOW: usize = 352;
const I_P_HEAD: usize = 356;
const I_P_TAIL: usize = 360;
const I_P_NEXT: usize = 364;
const I_P_REMAINING: usize = 368;
const I_P_ARRIVAL: usize = 372;
const I_P_HISTOGRAM: usize = 376;
const I_P_ZIG_KE: usize = 380;
const I_P_ZIG_WE: usize = 384;
const I_P_ZIG_FE: usize = 388;
const I_FREE: usize = 392;
const I_USED: usize = 396;
const I_POOL_CAP: usize = 400;
const I_MAX_JOBS: usize = 404;
const I_FLAG_LENGTH: usize = 408; // a queue reached maxQueueLength (at event F_LENGTH_EVENT)
const I_FLAG_POOL_FULL: usize = 412; // delay tracking stopped: the pool is at maxJobs (at event F_POOL_EVENT)

const CONTROL_BYTES: i32 = 512;
const control = memory.data(CONTROL_BYTES, 16);

const EXIT_STOP: i32 = 0; // e reached stop, or a flag asks the driver to look (growth, maxQueueLength)
const EXIT_TIME: i32 = 1; // the pending holding time crosses nextTimeCheck: the driver handles the boundary

const ZIGGURAT_R: f64 = 7.69711747013104972;
const TWO_POW_21: f64 = 2097152;
const TWO_POW_MINUS_53: f64 = 1.1102230246251565e-16;
const MAX_DELAY: f64 = 2097152; // 2^21, the histogram's overflow edge (logLinearHistogram.ts)

/** Address of the control block. */
export function controlBlock(): usize {
  return control;
}

/** First free address after the kernel's static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

@inline function cf(offset: usize): f64 {
  return load<f64>(control + offset);
}
@inline function setF(offset: usize, v: f64): void {
  store<f64>(control + offset, v);
}
@inline function ci(offset: usize): i32 {
  return load<i32>(control + offset);
}
@inline function setI(offset: usize, v: i32): void {
  store<i32>(control + offset, v);
}

/** An int32 slot of the control block as an unsigned 64-bit value (zero-extended). */
@inline function word64(offset: usize): u64 {
  return <u64>load<u32>(control + offset);
}

// Generator state, in globals during a call (loaded from and stored to the control block at entry and exit).
let s0: u64 = 0;
let s1: u64 = 0;

/** One xoroshiro128+ step (a = 24, b = 16, c = 37); the 64-bit output s0 + s1. */
@inline function step(): u64 {
  const a = s0;
  let b = s1;
  const out = a + b;
  b ^= a;
  s0 = rotl<u64>(a, 24) ^ b ^ (b << 16);
  s1 = rotl<u64>(b, 37);
  return out;
}

@inline function high32(): u32 {
  return <u32>(step() >>> 32);
}

/**
 * The rejection loop of Lemire's exactly uniform integer in [0, bound) (boundedIndex.ts): the 64-bit product
 * word x bound is rejected while its low word is below 2^32 mod bound, with fresh high words from the
 * generator (in the globals). Returns the accepted product; its high word is the integer. Rare (the event
 * loop calls it only when the low word is below the bound).
 */
function boundedSlow(first: u64, bound: u32): u64 {
  const threshold = <u32>(<u64>0x100000000 % <u64>bound);
  let p = first;
  while (<u32>p < threshold) p = <u64>high32() * <u64>bound;
  return p;
}

@inline function uniform53(): f64 {
  const out = step();
  return (<f64>(<u32>(out >>> 32)) * TWO_POW_21 + <f64>(<u32>out >>> 11)) * TWO_POW_MINUS_53;
}

function exponentialSlow(abscissa: u32, layer: usize, ke: usize, we: usize, fe: usize): f64 {
  let jz = abscissa;
  let iz = layer;
  for (;;) {
    if (iz == 0) return ZIGGURAT_R - jsLog(1 - uniform53());
    const x = <f64>jz * load<f64>(we + (iz << 3));
    const top = load<f64>(fe + ((iz - 1) << 3));
    const bottom = load<f64>(fe + (iz << 3));
    if (bottom + uniform53() * (top - bottom) < jsExp(-x)) return x;
    const out = step();
    jz = <u32>(out >>> 32);
    iz = <usize>(<u32>out >>> 24);
    if (<f64>jz < load<f64>(ke + (iz << 3))) return <f64>jz * load<f64>(we + (iz << 3));
  }
  return 0; // not reached
}

/** logLinearBin of logLinearHistogram.ts. */
@inline function logLinearBin(value: f64): usize {
  if (!(value < MAX_DELAY)) return value >= MAX_DELAY ? 3200 : 0;
  const ticks = <i32>(value * 1024); // value < 2^21: in range, truncated toward zero like `| 0`
  if (ticks < 256) return ticks < 0 ? 0 : <usize>ticks;
  const exponent = 31 - clz<i32>(ticks);
  return <usize>((exponent - 6) * 128 + ((ticks >>> (exponent - 7)) & 127));
}

// Each runs events while e < stop (see the reference loop in runReplication.ts, which they mirror line by
// line), returns EXIT_STOP or EXIT_TIME, and sets the flags of the control block when the driver must act.
// One specialised copy of the loop per (clock, delay tracking), each its own exported function (the driver
// calls the one that applies): the compile-time constants remove the other features' code from the common
// path, and each copy gets the registers to itself (fewer live values, fewer spills).
export function runEventsClock(): i32 {
  return events<u32, u32>();
}
export function runEventsClockDelays(): i32 {
  return events<u32, u64>();
}
export function runTimeClock(): i32 {
  return events<u64, u32>();
}
export function runTimeClockDelays(): i32 {
  return events<u64, u64>();
}

/** The event loop; Clock and Delays are u64 for "on" and u32 for "off" (compile-time switches). */
function events<Clock, Delays>(): i32 {
  const continuous: bool = sizeof<Clock>() == 8;
  const tracking: bool = sizeof<Delays>() == 8;
  // Scalars into locals.
  let e = cf(F_E);
  let stop = cf(F_STOP);
  let t = cf(F_T);
  const invRate = cf(F_INV_RATE);
  const nextTimeCheck = cf(F_NEXT_TIME_CHECK);
  let total = cf(F_TOTAL);
  let queueLengthSum = cf(F_QUEUE_LENGTH_SUM);
  let arrivals = cf(F_ARRIVALS);
  let migrations = cf(F_MIGRATIONS);
  let served = cf(F_SERVED);
  const countFrom = cf(F_COUNT_FROM);
  let completed = cf(F_COMPLETED);
  let delaySum = cf(F_DELAY_SUM);
  let tNext = cf(F_T_NEXT);
  const arrivalThreshold = <u64>cf(F_ARRIVAL_THRESHOLD);

  const n = <u32>ci(I_N);
  const K = ci(I_K);
  const queueThreshold = <u32>ci(I_QUEUE_THRESHOLD);
  const sharing = ci(I_SHARING) != 0;
  const reuseEventWord = ci(I_REUSE_EVENT_WORD) != 0;
  const ownExcluded = ci(I_OWN_EXCLUDED) != 0;
  let minLevel = ci(I_MIN_LEVEL);
  let maxLevel = ci(I_MAX_LEVEL);
  const levelCap = ci(I_LEVEL_CAP);
  const maxQueueLength = ci(I_MAX_QUEUE_LENGTH);
  let pending = ci(I_PENDING) != 0;
  // The generator's state in locals for the whole loop (the helpers above keep it in globals, which V8
  // stores in memory: the slow paths copy it there and back).
  let r0 = (word64(I_RNG0) << 32) | word64(I_RNG1);
  let r1 = (word64(I_RNG2) << 32) | word64(I_RNG3);

  const q = <usize>ci(I_P_Q);
  const order = <usize>ci(I_P_ORDER);
  const position = <usize>ci(I_P_POSITION);
  const levelStart = <usize>ci(I_P_LEVEL_START);
  const levelSum = <usize>ci(I_P_LEVEL_SUM);
  const thresholds = <usize>ci(I_P_THRESHOLDS);
  const migrateBelow = <usize>ci(I_P_MIGRATE_BELOW);
  const head = <usize>ci(I_P_HEAD);
  const tail = <usize>ci(I_P_TAIL);
  const next = <usize>ci(I_P_NEXT);
  const remaining = <usize>ci(I_P_REMAINING);
  const arrival = <usize>ci(I_P_ARRIVAL);
  const histogram = <usize>ci(I_P_HISTOGRAM);
  const ke = <usize>ci(I_P_ZIG_KE);
  const we = <usize>ci(I_P_ZIG_WE);
  const fe = <usize>ci(I_P_ZIG_FE);
  let free = ci(I_FREE);
  let used = ci(I_USED);
  const poolCap = ci(I_POOL_CAP);
  const maxJobs = ci(I_MAX_JOBS);
  let exitCode = EXIT_STOP;

  while (e < stop) {
    if (continuous) {
      if (!pending) {
        const a0 = r0;
        const a1 = r1;
        const out = a0 + a1;
        const x = a1 ^ a0;
        r0 = rotl<u64>(a0, 24) ^ x ^ (x << 16);
        r1 = rotl<u64>(x, 37);
        // exponentialFromWords: high word the abscissa, bits 24-31 of the low word the layer.
        const hi = <u32>(out >>> 32);
        const layer = <usize>(<u32>out >>> 24);
        let holding: f64;
        if (<f64>hi < load<f64>(ke + (layer << 3))) {
          holding = <f64>hi * load<f64>(we + (layer << 3));
        } else {
          s0 = r0;
          s1 = r1;
          holding = exponentialSlow(hi, layer, ke, we, fe);
          r0 = s0;
          r1 = s1;
        }
        tNext = t + holding * invRate;
      }
      if (tNext > nextTimeCheck) {
        pending = true;
        exitCode = EXIT_TIME;
        break;
      }
      pending = false;
      t = tNext;
    }
    e += 1;

    const a0 = r0;
    const a1 = r1;
    const out = a0 + a1;
    const x = a1 ^ a0;
    r0 = rotl<u64>(a0, 24) ^ x ^ (x << 16);
    r1 = rotl<u64>(x, 37);
    const eventWord = <u32>(out >>> 32);
    const queueWord = <u32>out;
    // The queue: Lemire's method (boundedIndexSmall and boundedIndex agree with it word for word).
    let queueProduct = <u64>queueWord * <u64>n;
    if (<u32>queueProduct < queueThreshold) {
      s0 = r0;
      s1 = r1;
      queueProduct = boundedSlow(queueProduct, n);
      r0 = s0;
      r1 = s1;
    }
    const queue = <usize>(queueProduct >>> 32);
    if (<u64>eventWord < arrivalThreshold) {
      // ---- arrival at queue i ----
      const i = queue;
      arrivals += 1;
      let target = i;
      let units = 1;
      const own = load<i32>(q + (i << 2));
      const below = load<i32>(migrateBelow + (<usize>own << 2)); // the rule migrates to targets shorter than this
      if (sharing && minLevel < below) {
        let levelWord = <f64>eventWord;
        if (!reuseEventWord) {
          const b0 = r0;
          const b1 = r1;
          const y = b1 ^ b0;
          levelWord = <f64>(<u32>((b0 + b1) >>> 32));
          r0 = rotl<u64>(b0, 24) ^ y ^ (y << 16);
          r1 = rotl<u64>(y, 37);
        }
        const excluded = ownExcluded ? 1 : 0;
        // The rule migrates exactly when the shortest sample is shorter than `below`, that is when NOT
        // (min >= below), when levelWord >= thresholds[c_below]: one comparison decides, and the length of
        // the shortest sample is searched for only when the job migrates (the same length as the reference's
        // draw: the largest l with levelWord < thresholds[c_l], and it is < below). No queue reaches
        // maxLevel + 1, so a larger `below` is the same test (c = 0, threshold 0: always migrate).
        const cut = below <= maxLevel ? below : maxLevel + 1;
        const cBelow = <i32>n - load<i32>(levelStart + (<usize>cut << 2)) - (own >= cut ? excluded : 0);
        if (levelWord >= load<f64>(thresholds + (<usize>cBelow << 3))) {
          let l = minLevel;
          let steps = 0;
          while (levelWord < load<f64>(thresholds + (<usize>(<i32>n - load<i32>(levelStart + (<usize>(l + 1) << 2)) - (own > l ? excluded : 0)) << 3))) {
            l++;
            if (++steps == 16) {
              let hi = cut; // the predicate is false at `cut`
              while (hi - l > 1) {
                const mid = (l + hi) >>> 1;
                if (levelWord < load<f64>(thresholds + (<usize>(<i32>n - load<i32>(levelStart + (<usize>mid << 2)) - (own >= mid ? excluded : 0)) << 3))) l = mid;
                else hi = mid;
              }
              break;
            }
          }
          // i* uniform among the candidate queues of length l.
          const start = load<i32>(levelStart + (<usize>l << 2));
          const count = load<i32>(levelStart + (<usize>(l + 1) << 2)) - start;
          const c0 = r0;
          const c1 = r1;
          const z = c1 ^ c0;
          const pickWord = <u32>((c0 + c1) >>> 32);
          r0 = rotl<u64>(c0, 24) ^ z ^ (z << 16);
          r1 = rotl<u64>(z, 37);
          const bound = <u32>(ownExcluded && own == l ? count - 1 : count);
          let pickProduct = <u64>pickWord * <u64>bound;
          if (<u32>pickProduct < bound) {
            s0 = r0;
            s1 = r1;
            pickProduct = boundedSlow(pickProduct, bound);
            r0 = s0;
            r1 = s1;
          }
          const pick = <i32>(pickProduct >>> 32);
          if (ownExcluded) {
            let index = start + pick;
            if (own == l && index >= load<i32>(position + (i << 2))) index++;
            target = <usize>load<i32>(order + (<usize>index << 2));
            units = K;
            migrations += 1;
          } else {
            // "all": the own queue is one of the candidates; choosing it means staying.
            const chosen = <usize>load<i32>(order + (<usize>(start + pick) << 2));
            if (chosen != i) {
              target = chosen;
              units = K;
              migrations += 1;
            }
          }
        }
      }
      total += <f64>units;
      for (let k = 0; k < units; k++) {
        // +1 at `target`: swap it to the end of its level's block, then shrink the block.
        const v1 = load<i32>(q + (target << 2)) + 1;
        const lsAddr = levelStart + (<usize>v1 << 2);
        const last = load<i32>(lsAddr) - 1;
        const p = load<i32>(position + (target << 2));
        const other = load<i32>(order + (<usize>last << 2));
        store<i32>(order + (<usize>p << 2), other);
        store<i32>(position + (<usize>other << 2), p);
        store<i32>(order + (<usize>last << 2), <i32>target);
        store<i32>(position + (target << 2), last);
        const sumAddr = levelSum + (<usize>v1 << 3);
        store<f64>(sumAddr, load<f64>(sumAddr) + e);
        store<i32>(lsAddr, last);
        store<i32>(q + (target << 2), v1);
        if (last == 0) minLevel = v1;
        if (v1 > maxLevel) {
          maxLevel = v1;
          // The driver grows the level arrays (and the rule table) before the next event can need them.
          if (maxLevel + K + 2 >= levelCap) stop = e;
          if (maxLevel >= maxQueueLength && ci(I_FLAG_LENGTH) == 0) {
            setI(I_FLAG_LENGTH, 1);
            setF(F_LENGTH_EVENT, e);
            stop = e;
          }
        }
      }
      if (tracking) {
        // JobDelayTracker.arrive
        let node = free;
        if (node >= 0) {
          free = load<i32>(next + (<usize>node << 2));
        } else if (used < poolCap) {
          node = used++;
        } else {
          node = -1; // the pool is at maxJobs (the driver grows it before it fills otherwise)
        }
        if (node < 0) {
          // Tracking stops for good; the loop without delay tracking takes over after this event.
          setI(I_TRACKING, 0);
          setI(I_FLAG_POOL_FULL, 1);
          setF(F_POOL_EVENT, e);
          stop = e;
        } else {
          store<i32>(next + (<usize>node << 2), -1);
          store<i32>(remaining + (<usize>node << 2), units);
          store<f64>(arrival + (<usize>node << 3), continuous ? t : e * invRate);
          const lastNode = load<i32>(tail + (target << 2));
          if (lastNode >= 0) store<i32>(next + (<usize>lastNode << 2), node);
          else store<i32>(head + (target << 2), node);
          store<i32>(tail + (target << 2), node);
          if (free < 0 && used == poolCap && poolCap < maxJobs) stop = e; // the driver grows the pool
        }
      }
    } else {
      // ---- potential departure at queue j ----
      const j = queue;
      const v = load<i32>(q + (j << 2));
      if (v > 0) {
        // -1 at j: swap it to the start of its level's block, then advance the block's start.
        const lsAddr = levelStart + (<usize>v << 2);
        const first = load<i32>(lsAddr);
        const p = load<i32>(position + (j << 2));
        const other = load<i32>(order + (<usize>first << 2));
        store<i32>(order + (<usize>p << 2), other);
        store<i32>(position + (<usize>other << 2), p);
        store<i32>(order + (<usize>first << 2), <i32>j);
        store<i32>(position + (j << 2), first);
        const sumAddr = levelSum + (<usize>v << 3);
        store<f64>(sumAddr, load<f64>(sumAddr) - e);
        store<i32>(lsAddr, first + 1);
        store<i32>(q + (j << 2), v - 1);
        if (v <= minLevel) minLevel = v - 1;
        total -= 1;
        served += 1;
        if (tracking) {
          // JobDelayTracker.depart
          const now = continuous ? t : e * invRate;
          const node = load<i32>(head + (j << 2));
          const remAddr = remaining + (<usize>node << 2);
          const left = load<i32>(remAddr) - 1;
          store<i32>(remAddr, left);
          if (left == 0) {
            const arrivedAt = load<f64>(arrival + (<usize>node << 3));
            if (arrivedAt >= countFrom) {
              const delay = now - arrivedAt;
              completed += 1;
              delaySum += delay;
              const binAddr = histogram + (logLinearBin(delay) << 3);
              store<f64>(binAddr, load<f64>(binAddr) + 1);
            }
            const nextNode = load<i32>(next + (<usize>node << 2));
            store<i32>(head + (j << 2), nextNode);
            if (nextNode < 0) store<i32>(tail + (j << 2), -1);
            store<i32>(next + (<usize>node << 2), free);
            free = node;
          }
        }
      }
    }
    queueLengthSum += total;
  }

  // Locals back into the control block.
  setF(F_E, e);
  setF(F_T, t);
  setF(F_TOTAL, total);
  setF(F_QUEUE_LENGTH_SUM, queueLengthSum);
  setF(F_ARRIVALS, arrivals);
  setF(F_MIGRATIONS, migrations);
  setF(F_SERVED, served);
  setF(F_COMPLETED, completed);
  setF(F_DELAY_SUM, delaySum);
  setF(F_T_NEXT, tNext);
  setI(I_MIN_LEVEL, minLevel);
  setI(I_MAX_LEVEL, maxLevel);
  setI(I_PENDING, pending ? 1 : 0);
  setI(I_FREE, free);
  setI(I_USED, used);
  setI(I_RNG0, <i32>(r0 >>> 32));
  setI(I_RNG1, <i32>r0);
  setI(I_RNG2, <i32>(r1 >>> 32));
  setI(I_RNG3, <i32>r1);
  return exitCode;
}
