/** Per-kernel-session display state: whether the plotly bundle has been put into the notebook. */
export interface PlotlySession {
  plotlyEmbedded: boolean;
}

// Kept on globalThis, not in a module variable, so that reloading the package after a rebuild (see the
// package entry) does not forget that the bundle is already in the notebook.
const sessionKey = Symbol.for("migration-penalties.display.plotlySession");

/**
 * The display state of this process, that is, of this kernel session (a restarted kernel is a new
 * process and embeds the bundle again). Cost O(1).
 *
 * @returns the same mutable object on every call within a process
 * @example
 * plotlySession() === plotlySession() // => true
 */
export function plotlySession(): PlotlySession {
  const holder = globalThis as { [sessionKey]?: PlotlySession };
  holder[sessionKey] ??= { plotlyEmbedded: false };
  return holder[sessionKey];
}
