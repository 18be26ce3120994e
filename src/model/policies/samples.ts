import { ParameterError } from "../parameterError";

/** d as labels write it: an integer, or "inf". */
export function formatSamples(samples: number): string {
  return samples === Infinity ? "inf" : String(samples);
}

/** Throws ParameterError unless d is an integer >= 1 or Infinity. */
export function requireSamples(samples: unknown): number {
  if (samples === Infinity) return samples;
  if (typeof samples !== "number" || !Number.isInteger(samples) || samples < 1 || samples > Number.MAX_SAFE_INTEGER) {
    throw new ParameterError("samples (d)", samples, "an integer >= 1, or Infinity (the shortest other queue)");
  }
  return samples;
}
