import { plotlyBundleHtml } from "./plotlyBundleHtml";
import { plotlySession, type PlotlySession } from "./plotlySession";
import { requireTslabKernel, type TslabApi } from "./tslabKernel";

/**
 * Embeds the plotly.js bundle in the current notebook cell's output now, whether or not it was embedded
 * before in this kernel session: for a notebook whose bundle output was replaced by re-running cells
 * out of order (a re-opened copy would show notes instead of charts). Cost: adds about 4.9 MB to the
 * notebook.
 *
 * @param options the kernel API and session state (defaults: the running kernel's and this process's)
 * @throws Error outside a tslab kernel
 * @example
 * // In a notebook cell: embedPlotlyBundle(). Here with a stand-in for the kernel's display:
 * const shown: string[] = [];
 * const kernel = { display: { html: (html: string) => void shown.push(html) }, newDisplay: () => undefined };
 * const session = { plotlyEmbedded: false };
 * embedPlotlyBundle({ kernel, session });
 * [shown.length, shown[0].length > 4e6, session.plotlyEmbedded] // => [1, true, true] (the 4.9 MB bundle, once)
 * embedPlotlyBundle() // throws "not running inside a tslab kernel" (a plain script)
 */
export function embedPlotlyBundle(options: { readonly kernel?: TslabApi; readonly session?: PlotlySession } = {}): void {
  const kernel = options.kernel ?? requireTslabKernel();
  kernel.display.html(plotlyBundleHtml());
  (options.session ?? plotlySession()).plotlyEmbedded = true;
}
