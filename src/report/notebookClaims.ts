import { readFileSync } from "node:fs";
import { CLAIMS_MIME_TYPE } from "../display/claimsTable";
import type { Claim } from "../study/claims";

/**
 * The claims an executed notebook shows (showClaims saves them as JSON under CLAIMS_MIME_TYPE beside each
 * claims table), in the order shown. A notebook without claims gives []. Cost O(size of the notebook).
 *
 * @param executedNotebook path to an executed .ipynb
 * @returns the claims, as showClaims saved them
 * @throws Error naming the file when it is not a notebook or an output holds malformed claims
 * @example
 * notebookClaims("reports/01-figure3.ipynb").map((c) => c.verdict) // => ["holds", "holds", ...] (after a report)
 */
export function notebookClaims(executedNotebook: string): Claim[] {
  const nb = JSON.parse(readFileSync(executedNotebook, "utf8")) as {
    cells?: Array<{ outputs?: Array<{ data?: Record<string, unknown> }> }>;
  };
  if (!Array.isArray(nb.cells)) throw new Error(`${executedNotebook} is not a notebook (no cells)`);
  const claims: Claim[] = [];
  for (const cell of nb.cells) {
    for (const output of cell.outputs ?? []) {
      const raw = output.data?.[CLAIMS_MIME_TYPE];
      if (raw === undefined) continue;
      const text = Array.isArray(raw) ? raw.join("") : raw;
      const parsed = typeof text === "string" ? (JSON.parse(text) as unknown) : text;
      if (!Array.isArray(parsed) || !parsed.every((c) => typeof (c as Claim)?.id === "string" && typeof (c as Claim)?.verdict === "string")) {
        throw new Error(`${executedNotebook}: an output under ${CLAIMS_MIME_TYPE} does not hold claims`);
      }
      claims.push(...(parsed as Claim[]));
    }
  }
  return claims;
}
