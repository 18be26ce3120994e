import { createHash } from "node:crypto";
import { requireInteger } from "../model/parameterError";

/**
 * The seed of one cell of a study: the first 32 bits of SHA-256 over (study seed, cell key). A cell's result
 * therefore depends only on the study seed and its own system, never on which other cells the study has or
 * in what order they run. With common random numbers every cell uses the study seed itself, so cells that
 * differ only in their policy see the same arrival and service streams at the start of each replication
 * (paired comparisons; see compareCells). Cost O(key length).
 *
 * @param studySeed an integer in [0, 2^32 - 1]
 * @param key the cell's key (studyGrid)
 * @param commonRandomNumbers true: return studySeed unchanged
 * @returns an integer in [0, 2^32 - 1]
 * @example
 * cellSeed(1, "0123456789abcdef") === cellSeed(1, "0123456789abcdef") // => true
 * cellSeed(7, "anything", true) // => 7
 */
export function cellSeed(studySeed: number, key: string, commonRandomNumbers = false): number {
  requireInteger("seed", studySeed, 0, 0xffffffff);
  if (commonRandomNumbers) return studySeed;
  return createHash("sha256").update(`${studySeed}\0${key}`).digest().readUInt32BE(0);
}
