import { formatDuration } from "./formatDuration";
import { formatNumber } from "./formatNumber";

/**
 * One line of progress: count done, percentage, elapsed time and, while work remains, the time left
 * estimated by assuming the remaining work goes at the average rate so far
 * (left = elapsed x (total - done) / done). Pure; cost O(1).
 *
 * @param label what is being computed
 * @param done units finished, in [0, total]
 * @param total units in all, >= 0 (0 counts as complete)
 * @param elapsedMs milliseconds since the work started
 * @returns the line, without a newline
 * @example
 * progressLine("replications", 250, 1000, 5000)
 * // => "replications: 250 / 1,000 (25.0%), 5.0 s elapsed, about 15.0 s left"
 * progressLine("replications", 1000, 1000, 20000)
 * // => "replications: 1,000 / 1,000 (100%), done in 20.0 s"
 */
export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  const complete = done >= total;
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const percent = complete ? "100%" : `${(100 * fraction).toFixed(1)}%`;
  const counts = `${label}: ${formatNumber(done)} / ${formatNumber(total)} (${percent})`;
  if (complete) return `${counts}, done in ${formatDuration(elapsedMs)}`;
  const left = done > 0 ? `, about ${formatDuration((elapsedMs * (total - done)) / done)} left` : "";
  return `${counts}, ${formatDuration(elapsedMs)} elapsed${left}`;
}
