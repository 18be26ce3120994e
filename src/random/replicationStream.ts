import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { requireInteger } from "../model/parameterError";
import type { Xoroshiro128PlusState } from "./xoroshiro128Plus";

/** Largest replication index accepted (each index costs one 2^64-step jump to reach). */
export const MAX_REPLICATION_INDEX = 1_000_000;

/**
 * The generator state of replication `replication` under `seed`: pure-rand's xoroshiro128+ seeded with
 * `seed`, then jumped `replication + 1` times with pure-rand's `jump()` (each jump advances 2^64 steps), so
 * replication r starts (r + 1) 2^64 steps into the seed's sequence and no two replications can overlap
 * (that would take 2^64 draws), whatever worker runs it and however many workers there are. Jumping at least once also moves replication 0 away from pure-rand's sparse seed
 * state (-1, ~seed, seed, 0), whose first outputs are poorly mixed.
 *
 * Cost O(replication) jumps of 128 generator steps each; allocates the returned state (4 state words and
 * the output slot, see Xoroshiro128PlusState).
 *
 * @param seed an integer in [0, 2^32 - 1]
 * @param replication an integer in [0, MAX_REPLICATION_INDEX]
 * @throws ParameterError naming `seed` or `replication` when out of range
 * @example
 * Array.from(replicationStreamState(1, 0)) // => [-518029428, -843825906, -1242315236, -327114591, 0]
 */
export function replicationStreamState(seed: number, replication: number): Xoroshiro128PlusState {
  requireInteger("seed", seed, 0, 0xffffffff);
  requireInteger("replication", replication, 0, MAX_REPLICATION_INDEX);
  const generator = xoroshiro128plus(seed | 0);
  for (let r = 0; r <= replication; r++) generator.jump();
  const state = new Int32Array(5);
  state.set(generator.getState());
  return state;
}
