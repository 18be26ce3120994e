import { type TwoQueueGrid, stepEvents } from "./twoQueueGrid";

/** What a stationary law on the truncated two-queue grid says (see twoQueueGrid.ts). */
export interface GridMeasures {
  /** Long-run fraction of arrivals that migrate. */
  readonly migrationFraction: number;
  /** tail[i] = P(q1 >= i), i = 0..N (the queues are exchangeable, so also P(q2 >= i)); tail[0] = 1. */
  readonly tail: number[];
  /** P(max(q1, q2) > N - K): the stationary mass of the states where capping can lose work. */
  readonly edgeMass: number;
  /** Units lost by capping per arrival (long run). */
  readonly lostUnitsPerArrival: number;
  /** tailOfMax[m] = P(max(q1, q2) >= m), m = 0..N. */
  readonly tailOfMax: number[];
}

/** Measures of a stationary law under a decision table. Cost O(N^2). Private to src/theory/optimal. */
export function gridMeasures(grid: TwoQueueGrid, migrate: Uint8Array, stationary: Float64Array): GridMeasures {
  const { side: M, truncation: N, migrationPenalty: K, arrivalProbability: a } = grid;
  const marginal = new Float64Array(M);
  const ofMax = new Float64Array(M);
  const destination = new Int32Array(4);
  const lost = new Float64Array(4);
  let migrating = 0;
  let lostUnits = 0;
  for (let x = 0; x < M; x++) {
    for (let y = 0; y < M; y++) {
      const p = stationary[x * M + y]!;
      marginal[x] = (marginal[x] as number) + p;
      ofMax[Math.max(x, y)] = (ofMax[Math.max(x, y)] as number) + p;
      migrating += p * ((migrate[x * M + y] ?? 0) + (migrate[y * M + x] ?? 0));
      stepEvents(grid, migrate, x, y, destination, lost);
      lostUnits += p * a * (lost[0]! + lost[1]!);
    }
  }
  const tail = tailFrom(marginal);
  const tailOfMax = tailFrom(ofMax);
  return {
    migrationFraction: migrating / 2,
    tail,
    edgeMass: tailOfMax[N - K + 1] ?? 0,
    lostUnitsPerArrival: lostUnits / (2 * a),
    tailOfMax,
  };
}

function tailFrom(mass: Float64Array): number[] {
  const tail = new Array<number>(mass.length);
  let sum = 0;
  for (let i = mass.length - 1; i >= 0; i--) {
    sum += mass[i]!;
    tail[i] = sum;
  }
  if (tail.length > 0) tail[0] = 1;
  return tail;
}
