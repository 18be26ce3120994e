/**
 * Formats a duration for people: seconds with one decimal below a minute, then minutes and seconds,
 * then hours and minutes. Cost O(1).
 *
 * @param ms a duration in milliseconds; negative or non-finite values give "?"
 * @returns the text
 * @example
 * formatDuration(4210)    // => "4.2 s"
 * formatDuration(125000)  // => "2 min 05 s"
 * formatDuration(3720000) // => "1 h 02 min"
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  const seconds = ms / 1000;
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const wholeSeconds = Math.round(seconds);
  if (wholeSeconds < 3600) {
    return `${Math.floor(wholeSeconds / 60)} min ${String(wholeSeconds % 60).padStart(2, "0")} s`;
  }
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
