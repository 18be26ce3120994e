import type { TailSeries } from "./logTailFigure";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";

/** A simulated tail as {@link tailOverlaySeries} draws it (a study cell's point has these fields). */
export interface SimulatedTail {
  /** The policy's label, the legend's prefix by default. */
  readonly policy: string;
  /** n, shown in the legend. */
  readonly queues: number;
  /** P(Q >= i), i = 0.. */
  readonly tail: readonly number[];
  /** 95% intervals of the tail (null or absent with one replication: no error bars). */
  readonly tailCi95?: ReadonlyArray<readonly [number, number]> | null;
}

/**
 * The mean-field curves drawn over a simulated tail (meanFieldTailReference returns them): the fixed point
 * derived from the rule, the printed one when there is one, and the tail lemma's rate.
 */
export interface TailReferenceCurves {
  /** The policy's label; "no sharing" labels the derived curve as the M/M/1 law lambda^i. */
  readonly policy: string;
  readonly derived: { readonly tail: readonly number[] };
  /** Its label names the printed equation: (1) when it mentions MBOUNCE, (2) otherwise. */
  readonly printed: { readonly tail: readonly number[]; readonly label: string } | null;
  readonly lemma: { readonly lemma: 1 | 2; readonly rate: readonly number[] } | null;
}

/** Options of {@link tailOverlaySeries}. */
export interface TailOverlayOptions {
  /** Legend prefix; default the point's policy label. */
  readonly name?: string;
  /** Draw the simulated tail (solid, with error bars); default true. */
  readonly simulation?: boolean;
  /** Values below this are not drawn (a log axis spanning 1e-40 hides everything else): in (0, 1), default 1e-10. */
  readonly floor?: number;
  /** Draw the derived fixed point (dashed); default true. */
  readonly derived?: boolean;
  /** Draw the printed fixed point (dotted), when there is one; default true. */
  readonly printed?: boolean;
  /** Draw the lemma's rate (dash-dot), when there is one; default true. */
  readonly lemma?: boolean;
  /**
   * Levels drawn, i = 0..levels-1: an integer in [2, 10000]; default one past the deepest level any drawn
   * curve has at or above `floor`.
   */
  readonly levels?: number;
}

/**
 * The series of one policy's panel of a tail figure (Figures 4 and 5): the simulated P(Q >= i) with its 95%
 * intervals as error bars (unless `simulation` is false), and the mean-field references of
 * `meanFieldTailReference` (theory) overlaid: the derived fixed point (dashed; for no sharing it is lambda^i,
 * labelled so), the printed one (dotted) and the lemma's rate with constant 1 (dash-dot). Values below `floor`
 * (and levels a curve does not have) are NaN, which `logTailFigure` leaves as gaps. Pure data; pass the result
 * to `logTailFigure`, or several policies' results to {@link policyTailFigure} (one colour per policy).
 *
 * Cost O(levels x curves).
 *
 * @param point a simulated configuration (its tail and tailCi95; tailCi95 may be null with one replication)
 * @param reference its mean-field references, or null to draw the simulation only
 * @param options legend prefix, floor, which curves, number of levels
 * @returns 0 to 4 series, simulation first
 * @throws ParameterError for a bad floor or levels
 * @example
 * tailOverlaySeries({ policy: "no sharing", queues: 100, tail: [1, 0.5, 0.25, 0], tailCi95: null }, null)
 * // => [{ name: "no sharing: simulation, n = 100", tail: [1, 0.5, 0.25], mode: "lines+markers", dash: "solid" }]
 */
export function tailOverlaySeries(
  point: SimulatedTail,
  reference: TailReferenceCurves | null,
  options: TailOverlayOptions = {},
): TailSeries[] {
  if (point === null || typeof point !== "object" || !Array.isArray(point.tail)) {
    throw new ParameterError("point", point, "a simulation point with a tail array");
  }
  const floor = requireNumber("floor", options.floor ?? 1e-10, 0, 1);
  const name = options.name ?? point.policy;
  const curves: Array<{ label: string; values: readonly number[]; dash: TailSeries["dash"] }> = [];
  if (reference !== null && options.derived !== false) {
    const label = reference.policy === "no sharing"
      ? `${name}: lambda^i (M/M/1, exact for every n)`
      : `${name}: mean field (derived from the rule)`;
    curves.push({ label, values: reference.derived.tail, dash: "dash" });
  }
  if (reference !== null && options.printed !== false && reference.printed !== null) {
    const eq = reference.printed.label.includes("MBOUNCE") ? "(1)" : "(2)";
    curves.push({ label: `${name}: mean field as printed ${eq}`, values: reference.printed.tail, dash: "dot" });
  }
  if (reference !== null && options.lemma !== false && reference.lemma !== null) {
    curves.push({ label: `${name}: Lemma ${reference.lemma.lemma} rate (constant 1)`, values: reference.lemma.rate, dash: "dashdot" });
  }

  const deepest = (values: readonly number[]): number => {
    let last = -1;
    values.forEach((v, i) => {
      if (v >= floor) last = i;
    });
    return last;
  };
  let levels: number;
  if (options.levels !== undefined) {
    levels = requireInteger("levels", options.levels, 2, 10000);
  } else {
    const simDepth = options.simulation === false ? 0 : deepest(point.tail) + 1;
    levels = Math.max(2, simDepth, ...curves.map((c) => deepest(c.values) + 1));
  }
  const clip = (values: readonly number[]): number[] =>
    Array.from({ length: levels }, (_, i) => {
      const v = values[i];
      return v !== undefined && v >= floor ? v : NaN;
    });

  const simTail = clip(point.tail);
  const sim: TailSeries = {
    name: `${name}: simulation, n = ${point.queues}`,
    tail: simTail,
    mode: "lines+markers",
    dash: "solid",
    ...(point.tailCi95 !== null && point.tailCi95 !== undefined
      ? {
        errorY: Array.from({ length: levels }, (_, i) => {
          const ci = point.tailCi95?.[i];
          return ci !== undefined && Number.isFinite(simTail[i]) ? (ci[1] - ci[0]) / 2 : NaN;
        }),
      }
      : {}),
  };
  const overlays = curves.map((c): TailSeries => ({ name: c.label, tail: clip(c.values), dash: c.dash, mode: "lines" }));
  return options.simulation === false ? overlays : [sim, ...overlays];
}
