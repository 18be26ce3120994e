import type { PlotlyFigure } from "../display/plotlyFigure";
import { type TailSeriesGroup, policyTailFigure } from "../display/policyTailFigure";
import { tailOverlaySeries } from "../display/tailOverlaySeries";
import { ParameterError, requireInteger } from "../model/parameterError";
import { abounce } from "../model/policy";
import { type Claim, claim } from "../study/claims";
import { ci, num, wordList } from "./numberText";
import type { PaperTable } from "./paperOutput";
import {
  type PolicyTailsParameters, type PolicyTailsStudy, improvementClaims, improvementDetails, mm1Claim, policyTailsStudy, precisionLine, tailGap,
} from "./policyTailsStudy";

/** Parameters of {@link figure4AbounceTails}: the simulation of the tail study, and which ABOUNCE(C, d). */
export interface Figure4Parameters extends Omit<PolicyTailsParameters, "policies"> {
  /** The thresholds C of ABOUNCE(C, d), each an integer >= K; default [2, 3, 4]. */
  readonly thresholds?: readonly number[];
  /** d: an integer >= 1; default 10. */
  readonly samples?: number;
}

/** What {@link figure4AbounceTails} returns: plain data for the notebook. */
export interface Figure4AbounceTails {
  readonly claims: readonly Claim[];
  /** The findings in markdown, written from the numbers. */
  readonly details: string;
  /** The simulations, mean-field references, check and their tables. */
  readonly tails: PolicyTailsStudy;
  /** P(Q >= i) of the derived fixed points, of system (2) as printed, and Lemma 2's rate. */
  readonly meanFieldTailTable: PaperTable;
  /** Figure 4: simulated tails with 95% error bars, derived fixed points, printed (2) and Lemma 2's rate. */
  readonly figure: PlotlyFigure;
}

/**
 * Figure 4 of the paper (Section V): queue-size tails of ABOUNCE(C,10) against no sharing at n = 100, λ = 0.75,
 * K = 2 ("a significant improvement is seen versus the policy of not sharing"), with the mean-field references
 * of Section IV: the fixed point of the system derived from the rule, of system (2) as printed (which has no C),
 * and Lemma 2's rate. The no-sharing run is checked against the M/M/1 closed forms (policyTailsStudy throws on a
 * failure). Claims: the M/M/1 check, the improvement for each C (Welch intervals of the mean delay and queue
 * length differences, and the level from which the tail is significantly lighter), Lemma 2 on the fixed point
 * of (2).
 *
 * Cost: that of policyTailsStudy with 1 + |thresholds| policies.
 *
 * @param parameters the simulation (events, replications, seed, ...) and the thresholds
 * @returns claims, details, tables and the figure
 * @throws ParameterError for a bad parameter (before any simulation); Error when the no-sharing check fails
 * @example
 * const f4 = await figure4AbounceTails({ events: 2.5e6, replications: 6, seed: 4500 });
 * f4.claims.map((c) => c.id) // => ["no-sharing-mm1", "improvement-ABOUNCE-2-10", "improvement-ABOUNCE-3-10", "improvement-ABOUNCE-4-10", "lemma-2"]
 */
export async function figure4AbounceTails(parameters: Figure4Parameters): Promise<Figure4AbounceTails> {
  if (parameters === null || typeof parameters !== "object") throw new ParameterError("parameters", parameters, "the parameters of Figure 4");
  const K = requireInteger("migrationPenalty", parameters.migrationPenalty ?? 2, 1);
  const d = requireInteger("samples", parameters.samples ?? 10, 1);
  const thresholds = parameters.thresholds ?? [2, 3, 4];
  if (!Array.isArray(thresholds) || thresholds.length === 0) throw new ParameterError("thresholds", thresholds, "a non-empty array of integers >= K");
  thresholds.forEach((C, k) => requireInteger(`thresholds[${k}]`, C, K));
  const { thresholds: _t, samples: _d, ...simulation } = parameters;
  const tails = await policyTailsStudy({ ...simulation, policies: thresholds.map((C) => abounce(C, d)) });
  const { cells, references, noSharing } = tails;
  const refs = references.slice(1);
  const { levelsShown, tailFloor, queues, arrivalRate } = tails.parameters;
  const printed = refs[0]?.printed ?? null;
  const lemma = refs[0]?.lemma ?? null;

  const meanFieldTailTable: PaperTable = {
    caption: "P(Q ≥ i), mean-field fixed points (n → ∞) and Lemma 2's rate (constant 1)",
    rows: tails.tailTable.rows.map((r) => r["i"] as number).map((i) => {
        const row: Record<string, unknown> = { i };
        for (const r of references) row[`${r.policy}, derived`] = r.derived.tail[i] ?? 0;
        row["printed (2), every C"] = printed?.tail[i] ?? 0;
        row["Lemma 2 rate (constant 1)"] = lemma?.rate[i] ?? NaN;
        return row;
      }),
  };

  const groups: TailSeriesGroup[] = [noSharing, ...cells].map((c, k) => ({
    series: tailOverlaySeries(c.point, references[k] ?? null, { floor: tailFloor, levels: levelsShown, printed: false, lemma: false }),
  }));
  if (cells[0] !== undefined && refs[0] !== undefined) {
    groups.push({
      color: "#000000",
      series: tailOverlaySeries(cells[0].point, refs[0], { name: `ABOUNCE(C,${d}), every C`, simulation: false, derived: false, floor: tailFloor, levels: levelsShown }),
    });
  }
  const figure = policyTailFigure(groups, {
    title: `Figure 4: queue-size tails, ABOUNCE(C,${d}) vs no sharing (n = ${queues}, λ = ${arrivalRate}, K = ${K})`,
    height: 600,
  });

  // Lemma 2 is a statement about fixed points of (2): at its deepest computed level with e(i) > 0.
  const printedLast = printed === null ? -1 : printed.tail.length - 1;
  const checkpoint = lemma?.deepest.printed ?? null;
  const lemmaStart = 2 * (K + 1);
  const lemmaClaim = printed === null || lemma === null
    ? claim({ id: "lemma-2", statement: LEMMA_2, source: "Section IV, Lemma 2" }, { quantity: "fixed point of (2)", mean: NaN }, "undetermined", "no printed system or no lemma rate for these parameters")
    : checkpoint === null
      ? claim({ id: "lemma-2", statement: LEMMA_2, source: "Section IV, Lemma 2" },
        { quantity: `deepest level with s_i > 0 of the fixed point of (2), λ = ${arrivalRate}, d = ${d}, K = ${K}`, mean: printedLast },
        "holds", `the fixed point of (2) ends at level ${printedLast} (s_${printedLast} = ${num(printed.tail[printedLast] as number)}; below 1e-100 beyond), ` +
          `below level 2(K+1) = ${lemmaStart} where the lemma's exponent first exceeds 0, so the bound holds at every computed level with any constant (an O(·) statement for large i: consistent, not proved)`)
      : claim({ id: "lemma-2", statement: LEMMA_2, source: "Section IV, Lemma 2" },
        { quantity: `ln s_i / (e(i) ln λ) of the fixed point of (2) at i = ${checkpoint.level}`, mean: checkpoint.ratio },
        checkpoint.ratio >= 1 ? "holds" : "undetermined",
        checkpoint.ratio >= 1 ? `at least as light as the rate (ratio ≥ 1) at the deepest computed level, i = ${checkpoint.level}`
          : `heavier than the rate with constant 1 at i = ${checkpoint.level}; an O(·) statement for large i cannot be refuted at finite levels`);
  const claims = [mm1Claim(tails), ...improvementClaims(tails, "Fig. 4"), lemmaClaim];

  const derivedGaps = cells.map((c, k) => tailGap(c, refs[k]?.derived.tail ?? []));
  const printedGaps = cells.map((c) => (printed === null ? NaN : tailGap(c, printed.tail)));
  const first = cells[0];
  const lines = [...improvementDetails(tails)];
  lines.push(`- **Mean field, derived vs printed:** over levels 1-6 the simulated tails differ from the derived fixed points by at most ${wordList(derivedGaps.map((g, k) => `${num(g, 2)} (C = ${thresholds[k]})`))} ` +
    `and from the printed system (2) by at most ${wordList(printedGaps.map((g) => num(g, 2)))}. ` +
    `${derivedGaps.every((g, k) => g < (printedGaps[k] as number)) ? "The derived system describes the simulation better for every C" : "The printed system is closer for some C"}; ` +
    (printed !== null ? `system (2) has no C and loses ${num(100 * printed.unaccountedArrivalProbability)}% of arrivals at its fixed point.` : "") +
    (first !== undefined && refs[0] !== undefined && first.point.tailCi95?.[5] !== undefined
      ? ` With n = ${queues} the simulated tails are still heavier than the n → ∞ fixed point (e.g. P(Q ≥ 5) for C = ${thresholds[0]}: ${num(first.point.tail[5] ?? 0)} ${ci(first.point.tailCi95[5])} against ${num(refs[0].derived.tail[5] ?? 0)}).`
      : ""));
  if (lemma !== null) {
    const levels = Array.from({ length: levelsShown - lemmaStart }, (_, j) => j + lemmaStart);
    const ratios = cells.flatMap((c, k) => levels.filter((i) => (c.point.tail[i] ?? 0) > 0).map((i) => (c.point.tail[i] as number) / (refs[k]?.lemma?.rate[i] ?? NaN)));
    const simRatio = ratios.length > 0 ? Math.max(...ratios) : NaN;
    const deepest = cells.map((c, k) => ({ policy: refs[k]?.policy ?? c.point.policy, d: refs[k]?.lemma?.deepest.derived ?? null }));
    const known = deepest.filter((x) => x.d !== null);
    lines.push(`- **Lemma 2** (a statement about fixed points of (2); rate drawn with constant 1): e(i) = 0 below level 2(K+1) = ${lemmaStart} (rate 1) and 1 on levels ${lemmaStart}-${2 * lemmaStart - 1} (rate ${num(lemma.rate[lemmaStart] ?? NaN)}). ` +
      (Number.isFinite(simRatio) ? `The simulated tails are ${simRatio < 1 ? "below" : "not everywhere below"} it at every resolved level ≥ ${lemmaStart} (largest ratio tail / rate ${num(simRatio)}). ` : `No simulated tail reaches level ${lemmaStart}. `) +
      (known.length > 0 ? `Deep in the derived fixed points, ln s_i / (e(i) ln λ) = ${wordList(known.map((x) => `${num(x.d?.ratio ?? NaN)} at i = ${x.d?.level} (${x.policy})`))}: ` +
        `${known.every((x) => (x.d?.ratio ?? 0) >= 1) ? "far lighter than the rate (a ratio ≥ 1 means at least as light), so the lemma's bound holds there but does not describe the tails' shape" : "heavier than the rate at the deepest computed level for some C"}.` : ""));
  }
  lines.push(`- **Section IV's "lighter tails than MBOUNCE"** is examined with Figure 5.`);
  lines.push(`- **Independent check:** ${tails.mm1.summary}.`);
  lines.push(precisionLine(tails));
  return { claims, details: lines.join("\n"), tails, meanFieldTailTable, figure };
}

const LEMMA_2 = "Any fixed point of the system of equations (2), satisfying Σ s_i < ∞ and s_i ≥ 0 ∀i must also satisfy: s_i = O((λ(1+ε))^(((d+1)^⌊i/2(K+1)⌋ − 1)/d)) for arbitrary ε > 0";
