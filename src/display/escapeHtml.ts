/**
 * Escapes text for HTML element content and double-quoted attribute values. Cost O(length).
 *
 * @param text any string
 * @returns the text with & < > " ' replaced by entities
 * @example
 * escapeHtml('a < b & "c"') // => "a &lt; b &amp; &quot;c&quot;"
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
