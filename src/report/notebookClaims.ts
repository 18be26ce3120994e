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
 * import { writeFileSync } from "node:fs";
 * const shown = [{ id: "stable-0.77", statement: "stable when λ = 0.77", source: "Fig. 3", verdict: "holds",
 *   measured: { quantity: "growth", mean: 0 }, evidence: "..." }];
 * writeFileSync("executed.ipynb", JSON.stringify({ cells: [{ cell_type: "code", outputs: [
 *   { output_type: "display_data", data: { "application/vnd.migration-penalties.claims+json": JSON.stringify(shown) } }] }] }));
 * notebookClaims("executed.ipynb").map((c) => `${c.id}: ${c.verdict}`) // => ["stable-0.77: holds"]
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
      // The kernel sends the claims as JSON text (kept as a string, or as a list of lines); a front end that
      // saves the notebook again may store a JSON type's data parsed, as nbformat allows.
      const lines = Array.isArray(raw) && raw.length > 0 && raw.every((line) => typeof line === "string");
      const parsed = typeof raw === "string" || lines ? (JSON.parse(lines ? (raw as string[]).join("") : (raw as string)) as unknown) : raw;
      if (!Array.isArray(parsed) || !parsed.every((c) => typeof (c as Claim)?.id === "string" && typeof (c as Claim)?.verdict === "string")) {
        throw new Error(`${executedNotebook}: an output under ${CLAIMS_MIME_TYPE} does not hold claims`);
      }
      claims.push(...(parsed as Claim[]));
    }
  }
  return claims;
}
