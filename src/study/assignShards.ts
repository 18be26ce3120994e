import { requireInteger } from "../model/parameterError";
import type { ManifestUnit } from "./studyManifest";

/**
 * The shard of every unit of a manifest, for `shards` shards: a deterministic longest-processing-time-first
 * assignment, the same on every machine for the same manifest and shard count. The units are taken in order
 * of decreasing estimated cost (events, warm-ups included), ties by unit index; each goes to the shard with
 * the least cost so far, ties to the lowest shard index. Every unit gets exactly one shard; the busiest shard
 * gets at most 4/3 of the best possible load (Graham 1969), and at most the average load plus the largest unit.
 * With more shards than units, some shards get none. Cost O(units x (log units + shards)).
 *
 * @param units the manifest's units (their cost decides)
 * @param shards the number of shards, an integer in [1, 100000]
 * @returns shard[u] in [0, shards - 1] for unit u
 * @throws ParameterError when shards is out of range
 * @example
 * assignShards([{ cost: 3 }, { cost: 1 }, { cost: 2 }, { cost: 2 }], 2) // => [0, 0, 1, 1]
 */
export function assignShards(units: readonly Pick<ManifestUnit, "cost">[], shards: number): number[] {
  requireInteger("shards", shards, 1, 100_000);
  const order = units.map((_, k) => k).sort((a, b) => (units[b] as ManifestUnit).cost - (units[a] as ManifestUnit).cost || a - b);
  const load = new Float64Array(shards);
  const shardOf = new Array<number>(units.length);
  for (const u of order) {
    let best = 0;
    for (let s = 1; s < shards; s++) if ((load[s] as number) < (load[best] as number)) best = s;
    shardOf[u] = best;
    load[best] = (load[best] as number) + (units[u] as ManifestUnit).cost;
  }
  return shardOf;
}
