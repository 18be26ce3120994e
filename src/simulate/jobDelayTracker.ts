import { LOG_LINEAR_HISTOGRAM_BINS, logLinearBin } from "../statistics/logLinearHistogram";

/**
 * Per-job delay bookkeeping of the simulator: a FIFO list of jobs per queue (a migrated job's K units sit
 * together at its target), in a pool of nodes with a free list. A job's delay runs from its arrival to the
 * departure of its last unit; it is counted (sum, count, log-linear histogram) when the job arrived at or
 * after `countFrom` (the end of the warm-up). Memory O(jobs in the system): the pool grows by doubling up to
 * `maxJobs` nodes, after which tracking stops for good and says why (an unstable system must not exhaust
 * memory). Every operation is O(1) and allocation-free except the rare growth.
 *
 * Used by the event loop only (see simulateReplication); not part of the public API.
 */
export class JobDelayTracker {
  /** False once tracking has stopped. */
  active = true;
  /** Why tracking stopped (null while active). */
  stopReason: string | null = null;
  /** Jobs counted and the sum of their delays since the last `takeTotals`. */
  completed = 0;
  delaySum = 0;
  /** Jobs arriving before this time are not counted. */
  countFrom = Infinity;
  /** Counts per bin of logLinearBin(delay), all counted jobs. */
  readonly histogram = new Float64Array(LOG_LINEAR_HISTOGRAM_BINS);

  private next: Int32Array;
  private remaining: Int32Array;
  private arrival: Float64Array;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private free = -1;
  private used = 0;

  /**
   * @param queues n
   * @param maxJobs the most jobs tracked at once (>= 1024)
   */
  constructor(queues: number, private readonly maxJobs: number) {
    this.next = new Int32Array(1024);
    this.remaining = new Int32Array(1024);
    this.arrival = new Float64Array(1024);
    this.head = new Int32Array(queues).fill(-1);
    this.tail = new Int32Array(queues).fill(-1);
  }

  /** A job of `units` units joins the back of `queue` at time `now`. Stops tracking when the pool is full. */
  arrive(queue: number, units: number, now: number, event: number): void {
    let node = this.free;
    if (node >= 0) {
      this.free = this.next[node] as number;
    } else if (this.used < this.next.length) {
      node = this.used++;
    } else if (this.next.length < this.maxJobs) {
      this.grow(Math.min(2 * this.next.length, this.maxJobs));
      node = this.used++;
    } else {
      this.active = false;
      this.stopReason = `more than maxTrackedJobs = ${this.maxJobs} jobs in the system at event ${event}`;
      return;
    }
    const next = this.next;
    next[node] = -1;
    this.remaining[node] = units;
    this.arrival[node] = now;
    const last = this.tail[queue] as number;
    if (last >= 0) next[last] = node;
    else this.head[queue] = node;
    this.tail[queue] = node;
  }

  /** One unit of the job at the front of `queue` departs at time `now`; the job completes with its last unit. */
  depart(queue: number, now: number): void {
    const node = this.head[queue] as number;
    const left = (this.remaining[node] as number) - 1;
    this.remaining[node] = left;
    if (left !== 0) return;
    const arrivedAt = this.arrival[node] as number;
    if (arrivedAt >= this.countFrom) {
      const delay = now - arrivedAt;
      this.completed++;
      this.delaySum += delay;
      const bin = logLinearBin(delay);
      this.histogram[bin] = (this.histogram[bin] as number) + 1;
    }
    const next = this.next[node] as number;
    this.head[queue] = next;
    if (next < 0) this.tail[queue] = -1;
    this.next[node] = this.free;
    this.free = node;
  }

  private grow(cap: number): void {
    const next = new Int32Array(cap);
    next.set(this.next);
    const remaining = new Int32Array(cap);
    remaining.set(this.remaining);
    const arrival = new Float64Array(cap);
    arrival.set(this.arrival);
    this.next = next;
    this.remaining = remaining;
    this.arrival = arrival;
  }
}
