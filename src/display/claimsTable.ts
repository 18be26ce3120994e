import { ParameterError } from "../model/parameterError";
import type { Claim } from "../study/claims";
import { escapeHtml } from "./escapeHtml";
import { formatNumber } from "./formatNumber";

/** The MIME type under which a notebook's claims are saved beside their table, for the report's index to gather. */
export const CLAIMS_MIME_TYPE = "application/vnd.migration-penalties.claims+json";

const VERDICT_STYLE: Readonly<Record<Claim["verdict"], string>> = {
  holds: "background:#e6f4ea;color:#137333",
  fails: "background:#fce8e6;color:#a50e0e",
  undetermined: "background:#f1f3f4;color:#3c4043",
};

function requireClaims(claims: readonly Claim[]): readonly Claim[] {
  if (!Array.isArray(claims) || claims.length === 0) throw new ParameterError("claims", claims, "a non-empty array of claims");
  const ids = new Set<string>();
  for (const c of claims) {
    if (c === null || typeof c !== "object" || typeof c.id !== "string") throw new ParameterError("claims", c, "claims made by the claim builders");
    if (ids.has(c.id)) throw new ParameterError("claims", c.id, "claims with distinct ids");
    ids.add(c.id);
  }
  return claims;
}

/**
 * A measurement as the "ours" column writes it: "2.246 [2.21, 2.28]" for an estimate, "0.8941" for an exact value.
 *
 * @example
 * measurementText({ quantity: "q", mean: 2.2461, ci95: [2.2103, 2.2817] }) // => "2.246 [2.21, 2.282]"
 */
export function measurementText(m: Claim["measured"]): string {
  const f = (x: number): string => formatNumber(x, 4);
  return m.ci95 ? `${f(m.mean)} [${f(m.ci95[0])}, ${f(m.ci95[1])}]` : f(m.mean);
}

/**
 * Claims as an HTML table (claim | paper | ours | verdict), each row anchored at `claim-<id>`, followed by each
 * claim's evidence. Cost O(claims).
 *
 * @param claims a non-empty array of claims with distinct ids
 * @param caption optional caption
 * @throws ParameterError for an empty array or duplicate ids
 * @example
 * const stable = claimFromInterval({ id: "stable-0.77", statement: "stable when λ = 0.77", source: "Fig. 3" },
 *   { quantity: "growth per queue", mean: 1e-5, ci95: [-2e-4, 2.2e-4] }, { within: [-1e-3, 1e-3] });
 * const html = claimsHtml([stable]);
 * html.includes('<tr id="claim-stable-0.77">') // => true
 * html.includes("<b>holds</b>") // => true
 */
export function claimsHtml(claims: readonly Claim[], caption?: string): string {
  requireClaims(claims);
  const cell = (text: string, style = ""): string => `<td style="text-align:left;vertical-align:top;${style}">${text}</td>`;
  const rows = claims.map((c) => `<tr id="claim-${escapeHtml(c.id)}">` +
    cell(`“${escapeHtml(c.statement)}”`) + cell(escapeHtml(c.source)) +
    cell(`${escapeHtml(c.measured.quantity)}: ${escapeHtml(measurementText(c.measured))}`) +
    cell(`<b>${c.verdict}</b>`, VERDICT_STYLE[c.verdict]) + "</tr>");
  const evidence = claims.map((c) => `<li><b>${escapeHtml(c.id)}</b> (${c.verdict}): ${escapeHtml(c.evidence)}</li>`);
  return `<div class="mp-claims" style="overflow-x:auto;max-width:100%">` +
    `<table>${caption ? `<caption style="text-align:left">${escapeHtml(caption)}</caption>` : ""}` +
    "<thead><tr><th>claim</th><th>paper</th><th>ours</th><th>verdict</th></tr></thead>" +
    `<tbody>${rows.join("")}</tbody></table>` +
    `<details open><summary>evidence</summary><ul>${evidence.join("")}</ul></details></div>`;
}

/**
 * Claims as plain text for a terminal: one block per claim. Cost O(claims).
 *
 * @example
 * const stable = claimFromInterval({ id: "stable-0.77", statement: "stable when λ = 0.77", source: "Fig. 3" },
 *   { quantity: "growth per queue", mean: 1e-5, ci95: [-2e-4, 2.2e-4] }, { within: [-1e-3, 1e-3] });
 * claimsText([stable]).split("\n")
 * // => ["[holds] “stable when λ = 0.77” (Fig. 3)",
 * //     "  ours: growth per queue: 1e-5 [-0.0002, 0.00022]",
 * //     "  evidence: growth per queue = 1.000e-5, 95% CI [-2.000e-4, 2.200e-4]: the whole interval lies within [-0.001, 0.001]"]
 */
export function claimsText(claims: readonly Claim[]): string {
  requireClaims(claims);
  return claims.map((c) => `[${c.verdict}] “${c.statement}” (${c.source})\n  ours: ${c.measured.quantity}: ${measurementText(c.measured)}\n  evidence: ${c.evidence}`).join("\n");
}
