import type { Progress } from "../model/progress";
import { formatDuration } from "./formatDuration";
import { formatNumber } from "./formatNumber";

function countsLine(label: string, done: number, total: number, elapsedMs: number, etaMs = NaN): string {
  const complete = done >= total;
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const percent = complete ? "100%" : `${(100 * fraction).toFixed(1)}%`;
  const counts = `${label}: ${formatNumber(done)} / ${formatNumber(total)} (${percent})`;
  if (complete) return `${counts}, done in ${formatDuration(elapsedMs)}`;
  const leftMs = Number.isFinite(etaMs) ? etaMs : done > 0 ? (elapsedMs * (total - done)) / done : NaN;
  const left = Number.isFinite(leftMs) ? `, about ${formatDuration(leftMs)} left` : "";
  return `${counts}, ${formatDuration(elapsedMs)} elapsed${left}`;
}

function progressObjectLine(label: string, progress: Progress): string {
  const elapsedMs = 1000 * progress.elapsedSeconds;
  if (progress.total !== undefined) return countsLine(label, progress.events, progress.total, elapsedMs, 1000 * progress.etaSeconds);
  const fraction = Math.min(1, Math.max(0, progress.fraction));
  const complete = fraction >= 1;
  const head = `${label}: ${complete ? "100%" : `${(100 * fraction).toFixed(1)}%`} (${formatNumber(progress.events)} events)`;
  if (complete) return `${head}, done in ${formatDuration(elapsedMs)}`;
  const etaMs = Number.isFinite(progress.etaSeconds)
    ? 1000 * progress.etaSeconds
    : fraction > 0
      ? (elapsedMs * (1 - fraction)) / fraction
      : NaN;
  return `${head}, ${formatDuration(elapsedMs)} elapsed${Number.isFinite(etaMs) ? `, about ${formatDuration(etaMs)} left` : ""}`;
}

/**
 * One line of progress: count done (or percentage), elapsed time and, while work remains, the time
 * left: the computation's own estimate when a `Progress` carries one, otherwise the remaining work at
 * the average rate so far (left = elapsed x (total - done) / done). Pure; cost O(1). It does not check
 * its input (`progressReporter` does).
 *
 * @param label what is being computed
 * @param done units finished, in [0, total]; or a `Progress` object (`{ fraction, events, elapsedSeconds, etaSeconds, total? }`)
 * @param total units in all, >= 0 (0 counts as complete); not given with a `Progress`
 * @param elapsedMs milliseconds since the work started; not given with a `Progress`
 * @returns the line, without a newline
 * @example
 * progressLine("replications", 250, 1000, 5000)
 * // => "replications: 250 / 1,000 (25.0%), 5.0 s elapsed, about 15.0 s left"
 * progressLine("replications", 1000, 1000, 20000)
 * // => "replications: 1,000 / 1,000 (100%), done in 20.0 s"
 * progressLine("simulation", { fraction: 0.25, events: 2500000, elapsedSeconds: 3, etaSeconds: 9 })
 * // => "simulation: 25.0% (2,500,000 events), 3.0 s elapsed, about 9.0 s left"
 */
export function progressLine(label: string, done: number, total: number, elapsedMs: number): string;
export function progressLine(label: string, progress: Progress): string;
export function progressLine(label: string, done: number | Progress, total?: number, elapsedMs?: number): string {
  if (typeof done === "object") return progressObjectLine(label, done);
  return countsLine(label, done, total ?? 0, elapsedMs ?? 0);
}
