import { ParameterError } from "../parameterError";
import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";
import { formatSamples, requireSamples } from "./samples";

/**
 * A rule given as a table of switching points: an arrival whose shortest sampled queue has length t migrates
 * (K units to that queue) when its own queue has at least migrateFrom[t] units. Beyond the table the curve
 * goes on with slope 1 from its last entry, m(t) = m(T - 1) + (t - T + 1) (the additive form of ABOUNCE, which
 * is the table m(t) = t + C + 1 for an integer C); an entry Infinity means "never migrate to a queue of that
 * length" (and, as the last entry, to any longer one). The optimal two-queue rule (src/theory/optimal) is
 * such a table.
 */
export interface SwitchingCurveSpec extends PolicySpec {
  readonly kind: "switching";
  /** migrateFrom[t]: the smallest own length that migrates to a target of length t (integers >= 0, or Infinity). */
  readonly migrateFrom: readonly number[];
  readonly samples: number;
  /** A name for tables in place of the table itself, for example "optimal(0.9,2)"; shown as `name(d=...)`. */
  readonly label?: string;
}

/** Longest table accepted. */
const MAX_TABLE = 1_000_000;

/**
 * A switching-curve rule. Cost O(table length) (the table is copied). Validation happens where the policy is
 * used (validateSystem): a bad entry, d or label throws ParameterError naming it.
 *
 * @param migrateFrom for each target length t = 0, 1, ..., the smallest own length that migrates (integers >= 0,
 *   or Infinity: never migrate to a queue of that length)
 * @param d queues sampled: an integer >= 1 or Infinity
 * @param label a name for tables (default: the table itself, as SWITCH([m(0),...],d))
 * @example
 * switchingCurve([3, 4, 6], 10) // => { kind: "switching", migrateFrom: [3, 4, 6], samples: 10 }
 * policyLabel(switchingCurve([3, 7, Infinity], 10, "optimal(0.5,2)")) // => "optimal(0.5,2)(d=10)"
 */
export const switchingCurve = (migrateFrom: readonly number[], d: number, label?: string): SwitchingCurveSpec =>
  ({ kind: "switching", migrateFrom: [...migrateFrom], samples: d, ...(label !== undefined ? { label } : {}) });

/** m(t) for every t, from the table and its slope-1 extension. */
function curve(spec: SwitchingCurveSpec): (target: number) => number {
  const table = Float64Array.from(spec.migrateFrom);
  const last = table.length - 1;
  const end = table[last] as number;
  return (t) => (t <= last ? (table[t] as number) : end + (t - last));
}

export const declaration: PolicyDeclaration<SwitchingCurveSpec> = {
  kind: "switching",
  title: "SWITCH(m, d)",
  summary: "migrate K jobs to the shortest of d sampled queues, of length t, when q_i >= m(t), a table of switching points",
  sampled: true,
  transferable: true,
  parameters: [{
    name: "migrateFrom", symbol: "migrate-from", type: "list",
    description: "the switching points m(0),m(1),...: migrate to a target of length t when q_i >= m(t) (integers >= 0 or inf; slope 1 beyond)",
  }],
  create: (values, samples) => switchingCurve(values["migrateFrom"] as readonly number[], samples),
  label(spec) {
    if (spec.label !== undefined) return `${spec.label}(d=${formatSamples(spec.samples)})`;
    const shown = spec.migrateFrom.slice(0, 6).map((m) => (m === Infinity ? "inf" : String(m)));
    return `SWITCH([${shown.join(",")}${spec.migrateFrom.length > 6 ? ",..." : ""}],${formatSamples(spec.samples)})`;
  },
  validate(spec) {
    requireSamples(spec.samples);
    if (spec.label !== undefined && (typeof spec.label !== "string" || spec.label.trim() === "")) {
      throw new ParameterError("label", spec.label, "a non-empty string, or absent");
    }
    const table = spec.migrateFrom;
    if (!Array.isArray(table) || table.length < 1 || table.length > MAX_TABLE) {
      throw new ParameterError("migrateFrom", table, `an array of 1 to ${MAX_TABLE} switching points`);
    }
    table.forEach((m, t) => {
      if (m !== Infinity && !(typeof m === "number" && Number.isInteger(m) && m >= 0 && m <= Number.MAX_SAFE_INTEGER)) {
        throw new ParameterError(`migrateFrom[${t}]`, m, "an integer >= 0, or Infinity (never migrate to a queue of that length)");
      }
    });
  },
  rule(spec) {
    const m = curve(spec);
    return (own, target) => own >= m(target);
  },
  properties(spec) {
    const table = spec.migrateFrom;
    // Monotone in the target: m nondecreasing (the slope-1 extension keeps it so). Translation invariant:
    // m(t) - t constant, or no migration at all.
    let nondecreasing = true;
    for (let t = 1; t < table.length; t++) if ((table[t] as number) < (table[t - 1] as number)) nondecreasing = false;
    const never = table.every((m) => m === Infinity);
    const gap = (table[0] as number) - 0;
    const constantGap = table.every((m, t) => m - t === gap) && Number.isFinite(gap);
    return { monotoneInTarget: nondecreasing, translationInvariant: never || constantGap, meanField: true };
  },
  examples: (K) => [
    switchingCurve([K + 3], 10), // ABOUNCE(K + 2, 10)
    switchingCurve([3, 4, 6, 8, 11], 2),
    switchingCurve([4, 4, 9, Infinity], Infinity),
    switchingCurve([6, 3, 8], 2), // not monotone in the target
  ],
};
