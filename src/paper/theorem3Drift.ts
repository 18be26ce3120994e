import { formatNumber } from "../display/formatNumber";
import { lineFigure } from "../display/lineFigure";
import type { PlotlyFigure } from "../display/plotlyFigure";
import { ParameterError, requireInteger, requireNumber } from "../model/parameterError";
import { type PolicySpec, abounce, mbounce, policyLabel } from "../model/policy";
import { type Claim, exactClaim } from "../study/claims";
import { requireCheck } from "../study/requireCheck";
import { exactDrift } from "../theory/lyapunov/exactDrift";
import { theorem3CrossingTotal } from "../theory/lyapunov/theorem3CrossingTotal";
import { type Theorem3DriftSurvey, theorem3DriftSurvey } from "../theory/lyapunov/theorem3DriftSurvey";
import { type Theorem3LevelMaximum, theorem3LevelMaximum } from "../theory/lyapunov/theorem3LevelMaximum";
import { theorem3LyapunovFunction } from "../theory/lyapunov/theorem3LyapunovFunction";
import { theorem3NoMigrationDrift } from "../theory/lyapunov/theorem3NoMigrationDrift";
import { type PaperTable, markdownParagraphs } from "./paperOutput";

/** An MBOUNCE(alpha, d) configuration of the drift study; alpha is also V2's constant 1/(alpha - 1). */
export interface Theorem3MbounceConfig {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly ratio: number;
  readonly samples: number;
}

/** An ABOUNCE(C, d) configuration, with the alpha of V it is measured with. */
export interface Theorem3AbounceConfig {
  readonly queues: number;
  readonly arrivalRate: number;
  readonly threshold: number;
  readonly samples: number;
  readonly ratio: number;
}

/** One configuration with its survey, crossing total and (n small) exhaustive maxima. */
export interface Theorem3DriftConfiguration {
  readonly label: string;
  readonly family: "MBOUNCE" | "ABOUNCE";
  readonly queues: number;
  readonly arrivalRate: number;
  readonly ratio: number;
  readonly policy: PolicySpec;
  /** S*: where the no-migration drift reaches -epsilon (`theorem3CrossingTotal`). */
  readonly crossing: number;
  readonly survey: Theorem3DriftSurvey;
  /** Exhaustive maxima over every state of a total (null when n > exhaustiveQueues). */
  readonly exhaustive: Theorem3LevelMaximum | null;
  /** The largest surveyed total with a drift > -epsilon (NaN when none). */
  readonly lastAboveMinusEpsilon: number;
  /** The largest surveyed drift at totals > S*. */
  readonly maxBeyondCrossing: number;
  /** Whether the drift is > -epsilon exactly up to floor(S*) and <= -epsilon beyond. */
  readonly crossesAtClosedForm: boolean;
}

/** What `theorem3DriftStudy` returns. */
export interface Theorem3DriftStudy {
  readonly configurations: readonly Theorem3DriftConfiguration[];
  /** Worst drift at selected totals; exhaustive maxima; where the drift is not yet below -epsilon. */
  readonly tables: readonly PaperTable[];
  /** MBOUNCE worst drift against S (clipped to [-12, 12]); worst drift per job, MBOUNCE against ABOUNCE at one rate. */
  readonly figures: readonly PlotlyFigure[];
  readonly checks: readonly string[];
  readonly claims: readonly Claim[];
  readonly details: string;
}

const APPENDIX = "Appendix, proof of Theorem 3";

/**
 * The drift of Theorem 3's Lyapunov function V = V1 + V2 (Appendix) against the size S of the state, exactly
 * (the sum over every move of the uniformized chain): a survey of families of states and an adversarial search
 * at each total (`theorem3DriftSurvey`), exhaustive maxima over every state of a total for n <= exhaustiveQueues
 * (`theorem3LevelMaximum`), and where the drift falls below -epsilon, beside the closed forms
 * (`theorem3NoMigrationDrift`, `theorem3CrossingTotal`). MBOUNCE configurations test the Appendix; ABOUNCE
 * ones, with the same V, are the contrast. Each configuration's totals are `totals` plus floor(S*) and ceil(S*).
 *
 * Independent checks (each throws Error when it fails): the drift at q = (10, 10), lambda = 0.9, alpha = 2,
 * MBOUNCE(2, inf), K = 2 equals 2 - 4/3.8 (by hand: no migration, Delta V1 = 2S(lambda - 1)/(n(lambda + 1)) + 1 and
 * Delta V2 = (n - 1)/(alpha - 1)); every surveyed state with all queues equal has the closed-form drift (to
 * 1e-12 S: the exact drift sums increments of size about 2S/n); no surveyed drift exceeds the exhaustive
 * maximum at its total (1e-9 relative); n = 2 enumerates floor(S/2) + 1 states.
 * Cost: the surveys (well under a second per total for n = 10) and the exhaustive maxima (up to
 * exhaustiveMaxStates drifts per total); about 5 s for the notebook's quick configuration on a shared machine.
 *
 * @param options migrationPenalty: K, an integer >= 1; epsilon > 0; mbounce and abounce: the configurations
 *   (queues an integer in [2, 200], arrivalRate in (0, 1), ratio > 1, samples an integer >= 1 or Infinity,
 *   threshold an integer >= K); totals: integers >= 1; randomStates, restarts, surveySeed (theorem3DriftSurvey);
 *   exhaustiveQueues: an integer in [0, 12]; exhaustiveMaxStates: an integer >= 1; onProgress(done, total) per
 *   configuration
 * @returns the configurations, tables, figures, passed checks, claims and details
 * @throws ParameterError naming the option at fault; Error when a check fails
 * @example
 * const s = theorem3DriftStudy({ migrationPenalty: 2, epsilon: 0.01, totals: [10, 100, 1000],
 *   mbounce: [{ queues: 2, arrivalRate: 0.95, ratio: 2, samples: Infinity }], abounce: [],
 *   randomStates: 5, restarts: 1, surveySeed: 7, exhaustiveQueues: 2, exhaustiveMaxStates: 1e4 });
 * s.configurations[0]!.crossing               // => 78.38999999999992  (2 * 1.95 * 2.01 / 0.1 = 78.39)
 * s.configurations[0]!.crossesAtClosedForm    // => true
 * s.claims.map((c) => c.verdict)              // => ["holds", "holds", "holds"]
 */
export function theorem3DriftStudy(options: {
  readonly migrationPenalty: number;
  readonly epsilon: number;
  readonly mbounce: readonly Theorem3MbounceConfig[];
  readonly abounce: readonly Theorem3AbounceConfig[];
  readonly totals: readonly number[];
  readonly randomStates: number;
  readonly restarts: number;
  readonly surveySeed: number;
  readonly exhaustiveQueues: number;
  readonly exhaustiveMaxStates: number;
  readonly onProgress?: (done: number, total: number) => void;
}): Theorem3DriftStudy {
  const K = requireInteger("migrationPenalty (K)", options.migrationPenalty, 1);
  const epsilon = requireNumber("epsilon", options.epsilon, 0, Infinity);
  const exhaustiveQueues = requireInteger("exhaustiveQueues", options.exhaustiveQueues, 0, 12);
  const exhaustiveMaxStates = requireInteger("exhaustiveMaxStates", options.exhaustiveMaxStates, 1);
  if (!Array.isArray(options.mbounce) || options.mbounce.length === 0) throw new ParameterError("mbounce", options.mbounce, "a non-empty array of MBOUNCE configurations");
  if (!Array.isArray(options.abounce)) throw new ParameterError("abounce", options.abounce, "an array of ABOUNCE configurations");
  if (!Array.isArray(options.totals) || options.totals.length === 0) throw new ParameterError("totals", options.totals, "a non-empty array of integers >= 1");
  for (const S of options.totals) requireInteger("totals", S, 1, 1e12);

  const hand = exactDrift(theorem3LyapunovFunction(2), [10, 10], { queues: 2, arrivalRate: 0.9, migrationPenalty: 2, policy: mbounce(2, Infinity) });
  requireCheck(Math.abs(hand - (2 - 4 / 3.8)) <= 1e-12, `drift at (10, 10) = 2 - 4/3.8, got ${hand}`);

  const plans = [
    ...options.mbounce.map((c) => ({ family: "MBOUNCE" as const, queues: c.queues, arrivalRate: c.arrivalRate, ratio: c.ratio, policy: mbounce(c.ratio, c.samples) })),
    ...options.abounce.map((c) => ({ family: "ABOUNCE" as const, queues: c.queues, arrivalRate: c.arrivalRate, ratio: c.ratio, policy: abounce(c.threshold, c.samples) })),
  ].map((p) => ({ ...p, label: `${policyLabel(p.policy)}, n = ${p.queues}, λ = ${p.arrivalRate}${p.family === "ABOUNCE" ? ` (V with α = ${p.ratio})` : ""}` }));
  const configurations: Theorem3DriftConfiguration[] = [];
  options.onProgress?.(0, plans.length);
  for (const p of plans) {
    const crossing = theorem3CrossingTotal({ queues: p.queues, arrivalRate: p.arrivalRate, ratio: p.ratio, epsilon });
    const totals = [...new Set([...options.totals, Math.floor(crossing), Math.ceil(crossing)])].filter((S) => S >= 1).sort((a, b) => a - b);
    const survey = theorem3DriftSurvey({
      queues: p.queues, arrivalRate: p.arrivalRate, migrationPenalty: K, ratio: p.ratio, policy: p.policy,
      totals, randomStates: options.randomStates, restarts: options.restarts, seed: options.surveySeed, epsilon,
    });
    for (const r of survey.records) {
      if (r.family !== "balanced" || r.total % p.queues !== 0) continue;
      const closed = theorem3NoMigrationDrift({ queues: p.queues, arrivalRate: p.arrivalRate, ratio: p.ratio, total: r.total });
      requireCheck(Math.abs(r.drift - closed) <= 1e-12 * Math.max(1, r.total), `${p.label}: balanced drift at S = ${r.total}: ${r.drift} vs ${closed}`);
    }
    let exhaustive: Theorem3LevelMaximum | null = null;
    if (p.queues <= exhaustiveQueues) {
      exhaustive = theorem3LevelMaximum({
        queues: p.queues, arrivalRate: p.arrivalRate, migrationPenalty: K, ratio: p.ratio, policy: p.policy,
        totals, maxStatesPerTotal: exhaustiveMaxStates, tooManyStates: "skip",
      });
      for (const row of exhaustive.rows) {
        const best = Math.max(...survey.records.filter((r) => r.total === row.total).map((r) => r.drift));
        requireCheck(!(best > row.maxDrift + 1e-9 * Math.max(1, Math.abs(row.maxDrift))), `${p.label}: a surveyed state at S = ${row.total} beats the exhaustive maximum`);
        if (p.queues === 2) requireCheck(row.states === Math.floor(row.total / 2) + 1, `n = 2 enumerates floor(S/2) + 1 states at S = ${row.total}`);
      }
    }
    const aboveEps = survey.records.filter((r) => r.drift > -epsilon);
    const lastAboveMinusEpsilon = aboveEps.length > 0 ? Math.max(...aboveEps.map((r) => r.total)) : NaN;
    const beyond = survey.records.filter((r) => r.total > crossing);
    const maxBeyondCrossing = beyond.length > 0 ? Math.max(...beyond.map((r) => r.drift)) : NaN;
    configurations.push({
      ...p, crossing, survey, exhaustive, lastAboveMinusEpsilon, maxBeyondCrossing,
      crossesAtClosedForm: lastAboveMinusEpsilon === Math.floor(crossing) && maxBeyondCrossing <= -epsilon,
    });
    options.onProgress?.(configurations.length, plans.length);
  }
  const checks = [
    `hand value at (10, 10); the closed form on every balanced state of ${configurations.length} surveys (1e-12 S)`,
    "exhaustive maxima ≥ every surveyed drift; n = 2 state counts",
  ];

  const shownTotals = options.totals.filter((S) => [100, 1e3, 1e4, 1e5, 1e6].includes(S));
  const tables: PaperTable[] = [
    {
      caption: "Worst drift found at some totals, beside the no-migration closed form",
      significantDigits: 6,
      rows: configurations.flatMap((c) => c.survey.bySize.filter((r) => shownTotals.includes(r.targetTotal)).map((r) => ({
        configuration: c.label, S: r.targetTotal, "worst ΔV found": r.worstDrift, "worst family": r.worstFamily,
        "no-migration ΔV at S": theorem3NoMigrationDrift({ queues: c.queues, arrivalRate: c.arrivalRate, ratio: c.ratio, total: r.targetTotal }),
      }))),
    },
    {
      caption: "Exhaustive maximum of ΔV over all states of each total, minus the no-migration closed form",
      significantDigits: 4,
      rows: configurations.filter((c) => c.exhaustive !== null && c.exhaustive.rows.length > 0).map((c) => {
        const rows = (c.exhaustive as Theorem3LevelMaximum).rows;
        const worst = rows.reduce((a, b) => (b.excessOverNoMigration > a.excessOverNoMigration ? b : a));
        return {
          configuration: c.label, "totals evaluated": rows.length, "largest total": Math.max(...rows.map((r) => r.total)),
          "states at largest": (rows[rows.length - 1] as { states: number }).states, "skipped (too many states)": (c.exhaustive as Theorem3LevelMaximum).skippedTotals.length,
          "max excess over closed form": worst.excessOverNoMigration, "at S": worst.total, "attained at": `(${worst.argmax.join(", ")})`,
        };
      }),
    },
    {
      caption: `Where the drift is not yet below −ε = −${epsilon}`,
      significantDigits: 6,
      rows: configurations.map((c) => {
        const at = (S: number): number | string => c.exhaustive?.rows.find((r) => r.total === S)?.maxDrift ?? "not evaluated";
        const largest = Math.max(...c.survey.records.map((r) => r.total));
        return {
          configuration: c.label, "S* (closed form)": c.crossing, "largest surveyed S with ΔV > −ε": c.lastAboveMinusEpsilon,
          "max ΔV surveyed, S > S*": c.maxBeyondCrossing, "exhaustive max at ⌊S*⌋": at(Math.floor(c.crossing)), "exhaustive max at ⌈S*⌉": at(Math.ceil(c.crossing)),
          "crossing at S*?": c.crossesAtClosedForm ? "yes" : c.lastAboveMinusEpsilon >= largest ? `never below −ε up to S = ${largest}` : "no",
        };
      }),
    },
  ];

  const mb = configurations.filter((c) => c.family === "MBOUNCE");
  const ab = configurations.filter((c) => c.family === "ABOUNCE");
  const worstDrift = lineFigure(mb.map((c) => ({
    name: c.label, x: c.survey.bySize.map((r) => r.targetTotal), y: c.survey.bySize.map((r) => r.worstDrift), mode: "lines+markers" as const,
  })), { title: "MBOUNCE: worst drift of V = V1 + V2 found at each total (y clipped to [−12, 12])", xTitle: "total S = q1 + … + qn (log)", yTitle: "worst ΔV found", logX: true, height: 480 });
  const figures: PlotlyFigure[] = [{ ...worstDrift, layout: { ...worstDrift.layout, yaxis: { ...worstDrift.layout.yaxis, range: [-12, 12] } } }];
  const contrast = ab[0];
  if (contrast) {
    const pick = configurations.filter((c) => c.arrivalRate === contrast.arrivalRate && c.ratio === contrast.ratio);
    figures.push(lineFigure(pick.map((c) => ({
      name: c.label, x: c.survey.bySize.map((r) => r.targetTotal), y: c.survey.bySize.map((r) => r.worstDrift / r.targetTotal),
      dash: c.family === "ABOUNCE" ? "dash" as const : "solid" as const, mode: "lines+markers" as const,
    })), { title: `Same V, λ = ${contrast.arrivalRate}: worst drift per job, MBOUNCE (solid) vs ABOUNCE (dashed)`, xTitle: "total S (log)", yTitle: "worst ΔV / S", logX: true }));
  }

  const tolerance = 1e-8;
  const surveyExcess = Math.max(...mb.flatMap((c) => c.survey.records.filter((r) => r.total >= c.queues).map((r) => r.excessOverBalancedFormula)));
  const exhaustiveMb = mb.filter((c) => c.exhaustive !== null);
  const exhaustiveExcess = Math.max(-Infinity, ...exhaustiveMb.flatMap((c) => (c.exhaustive as Theorem3LevelMaximum).rows.filter((r) => r.total >= c.queues).map((r) => r.excessOverNoMigration)));
  const excess = Math.max(surveyExcess, exhaustiveExcess);
  const balancedDeviation = Math.max(...mb.flatMap((c) => c.survey.records.filter((r) => r.family === "balanced" && r.total % c.queues === 0)
    .map((r) => Math.abs(r.drift - theorem3NoMigrationDrift({ queues: c.queues, arrivalRate: c.arrivalRate, ratio: c.ratio, total: r.total })))));
  const matching = mb.filter((c) => c.crossesAtClosedForm);
  const largestCrossing = mb.reduce((a, b) => (b.crossing > a.crossing ? b : a));
  const exhaustiveReach = [...new Set(exhaustiveMb.map((c) => c.queues))].map((n) =>
    `S = ${Math.max(...exhaustiveMb.filter((c) => c.queues === n).flatMap((c) => (c.exhaustive as Theorem3LevelMaximum).rows.map((r) => r.total)))} for n = ${n}`);
  const largestSurveyed = Math.max(...configurations.flatMap((c) => c.survey.records.map((r) => r.total)));
  const scope = `${mb.length} MBOUNCE configurations (n = ${[...new Set(mb.map((c) => c.queues))].join(", ")}; λ = ${[...new Set(mb.map((c) => c.arrivalRate))].join(", ")}; α = ${[...new Set(mb.map((c) => c.ratio))].join(", ")}; K = ${K})`;
  const abLast = ab.map((c) => {
    const last = c.survey.bySize[c.survey.bySize.length - 1] as Theorem3DriftSurvey["bySize"][number];
    const first = c.survey.bySize[0] as Theorem3DriftSurvey["bySize"][number];
    return { c, last, grows: last.worstDrift > first.worstDrift && last.worstDrift > 0 };
  });
  const claims: Claim[] = [
    exactClaim(
      { id: "thm3-drift-below-epsilon", statement: "(8) holds for all m, 1 ≤ m ≤ n−1, and so together with (3) we have (ΔV)(q) ≤ −ε, for Σ q_i sufficiently large ({Σ q_i ≥ N_ε}, say).", source: APPENDIX },
      { quantity: "largest excess of an evaluated drift over the no-migration closed form (MBOUNCE, S ≥ n)", mean: excess },
      excess <= tolerance && matching.length === mb.length,
      `in ${scope}, no surveyed state (totals up to ${formatNumber(largestSurveyed)}) and no state of the exhaustive maxima (n ≤ ${exhaustiveQueues}; up to ${exhaustiveReach.join(" and ")}) has a drift above 2S(λ − 1)/(n(λ + 1)) + 1 + (n − 1)/(α − 1) by more than ${excess.toExponential(1)} (rounding; tolerance ${tolerance}), and the drift is ≤ −ε = −${epsilon} beyond S* in ${matching.length} of ${mb.length}: N_ε = ⌈S*⌉ works on every evaluated state. Numerical evidence at finitely many totals (exhaustive only for n ≤ ${exhaustiveQueues}), not a proof`,
    ),
    exactClaim(
      { id: "thm3-eq3", statement: "It is then straightforward to check that for q ∈ E_n, (ΔV)(q) = (2/N)((λ − 1)/(λ + 1)) Σ q_i + C_1, (3) where C_1 is a constant depending on n, λ.", source: APPENDIX },
      { quantity: "largest |ΔV − closed form| on the surveyed balanced states (MBOUNCE)", mean: balancedDeviation },
      true,
      `exact where every queue is busy and no arrival can migrate, with N = n and C_1 = 1 + (n − 1)/(α − 1) (derived in theorem3NoMigrationDrift; it depends on α as well as n, and not on λ); the largest deviation over the balanced states of every survey is ${balancedDeviation.toExponential(1)} (checked to 1e-12 S)`,
    ),
    exactClaim(
      { id: "thm3-crossing", statement: "Since the complement of this set is compact, we are done.", source: APPENDIX },
      { quantity: `S* = N_ε for ${largestCrossing.label}`, mean: largestCrossing.crossing },
      matching.length === mb.length,
      `the set {S < N_ε} is finite with N_ε = S* = n(1 + λ)(1 + (n − 1)/(α − 1) + ε)/(2(1 − λ)): the drift crosses −ε exactly there in ${matching.length} of ${mb.length} configurations (${mb.map((c) => `${c.label}: S* = ${formatNumber(c.crossing, 6)}, last S with ΔV > −ε = ${c.lastAboveMinusEpsilon}`).join("; ")}); no smaller bound can hold, as every total has a balanced state; S* grows like 1/(1 − λ)`,
    ),
  ];
  if (abLast.length > 0) {
    claims.push(exactClaim(
      { id: "abounce-drift", statement: "The fraction of states in which no migration occurs under the ABOUNCE policy goes to 0 [...] Intuitively, this suggests that the ABOUNCE policy creates too much work and can therefore be unstable while the MBOUNCE policy can be stable.", source: "Section II" },
      { quantity: `worst ΔV of the same V under ${abLast[0]!.c.label} at S = ${formatNumber(abLast[0]!.last.targetTotal)}`, mean: abLast[0]!.last.worstDrift },
      abLast.every((a) => a.grows),
      `under ABOUNCE the worst drift of V grows with the total (${abLast.map((a) => `${formatNumber(a.last.worstDrift, 4)} at S = ${formatNumber(a.last.targetTotal)} for n = ${a.c.queues}`).join("; ")}), from states where the other queues sit just over the migration threshold, while under MBOUNCE it falls linearly: this V certifies MBOUNCE and cannot certify ABOUNCE, as the intuition says (that ABOUNCE is unstable is shown by simulation, not by this drift)`,
    ));
  }
  const details = markdownParagraphs([
    `**Drift of V = V1 + V2 under MBOUNCE.** In all ${scope}, no surveyed state of total S ≥ n had a drift above the no-migration closed form 2S(λ − 1)/(n(λ + 1)) + 1 + (n − 1)/(α − 1) by more than ${surveyExcess.toExponential(1)} (rounding), and the exhaustive maxima over all states of a total (n ≤ ${exhaustiveQueues}; up to ${exhaustiveReach.join(" and ")}) exceeded it by at most ${exhaustiveExcess.toExponential(1)}: no state, with migrations possible or with an empty queue, had a larger drift than the states where no arrival can migrate. The drift falls below −ε = −${epsilon} exactly beyond the closed-form point S* in ${matching.length} of ${mb.length} configurations; S* grows like 1/(1 − λ): the "compact set" of the Appendix is {S ≤ S*}, e.g. S* = ${formatNumber(largestCrossing.crossing, 6)} for ${largestCrossing.label}.`,
    excess <= tolerance && matching.length === mb.length
      ? `So the Appendix's key inequality, ΔV ≤ −ε outside a finite set, **holds on every state we evaluated**, and the paper's eq. (3) is exact where no arrival can migrate and no queue is empty, with C_1 = 1 + (n − 1)/(α − 1). This is numerical evidence at finitely many totals (up to ${formatNumber(largestSurveyed)}; exhaustive only for n ≤ ${exhaustiveQueues} at the listed totals; heuristic search beyond), not a proof; we did not check the intermediate bounds (4)-(8) of the Appendix.`
      : `The Appendix's key inequality is **not** borne out everywhere: ${mb.length - matching.length} configuration(s) cross −ε elsewhere than S*, or some state exceeds the no-migration drift (largest excess ${excess.toExponential(2)}); see the tables.`,
    abLast.length > 0
      ? `**ABOUNCE with the same V** has a worst drift that grows with the total (${abLast.map((a) => `${formatNumber(a.last.worstDrift, 6)} at S = ${formatNumber(a.last.targetTotal)} for n = ${a.c.queues}`).join("; ")}): this V cannot certify ABOUNCE. (That alone does not prove ABOUNCE unstable; for n = 2 notebook 05 finds λ_c = 0.894.)`
      : "",
  ]);
  return { configurations, tables, figures, checks, claims, details };
}
