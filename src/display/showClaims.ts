import type { Claim } from "../study/claims";
import { CLAIMS_MIME_TYPE, claimsHtml, claimsText } from "./claimsTable";
import { displayTarget, type DisplayTarget } from "./displayTarget";
import { requireTslabKernel, type TslabApi } from "./tslabKernel";

/** Options of `showClaims`. */
export interface ShowClaimsOptions {
  readonly caption?: string;
  /** Overrides `displayTarget()`. */
  readonly target?: DisplayTarget;
  readonly kernel?: TslabApi;
  /** Where the "script" target writes (default: console.log). */
  readonly print?: (text: string) => void;
}

/**
 * Shows claims: in a notebook, the table of claimsHtml, and the claims themselves as JSON under
 * CLAIMS_MIME_TYPE (not rendered; the report's index gathers them from the executed notebook); from a plain
 * script, claimsText; nothing for target "none". Cost O(claims).
 *
 * @param claims a non-empty array of claims with distinct ids
 * @throws ParameterError for an empty array or duplicate ids
 * @example
 * const stable = claimFromInterval({ id: "stable-0.77", statement: "stable when λ = 0.77", source: "Fig. 3" },
 *   { quantity: "growth per queue", mean: 1e-5, ci95: [-2e-4, 2.2e-4] }, { within: [-1e-3, 1e-3] });
 * showClaims([stable], { target: "script" });
 * // prints:
 * // [holds] “stable when λ = 0.77” (Fig. 3)
 * // ours: growth per queue: 1e-5 [-0.0002, 0.00022]
 * // evidence: growth per queue = 1.000e-5, 95% CI [...]: the whole interval lies within [-0.001, 0.001]
 */
export function showClaims(claims: readonly Claim[], options: ShowClaimsOptions = {}): void {
  const target = options.target ?? displayTarget();
  if (target === "none") {
    claimsText(claims); // still validates
    return;
  }
  if (target === "notebook") {
    const kernel = options.kernel ?? requireTslabKernel();
    kernel.display.html(claimsHtml(claims, options.caption));
    kernel.display.raw(CLAIMS_MIME_TYPE, JSON.stringify(claims));
    return;
  }
  (options.print ?? ((t: string) => console.log(t)))(claimsText(claims));
}
