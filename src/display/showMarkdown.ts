import { displayTarget, type DisplayTarget } from "./displayTarget";
import { requireTslabKernel, type TslabApi } from "./tslabKernel";

/** Options of `showMarkdown`. */
export interface ShowMarkdownOptions {
  /** Overrides `displayTarget()`. */
  readonly target?: DisplayTarget;
  /** The tslab API to display through (default: the running kernel's). */
  readonly kernel?: TslabApi;
  /** Where the "script" target writes the text (default: console.log). */
  readonly print?: (text: string) => void;
}

/**
 * Shows Markdown text: rendered inline in a tslab notebook (and in its HTML export), printed as is from a
 * plain script, nothing for target "none". Notebooks use it for conclusions built from computed numbers.
 * Cost O(length of the text).
 *
 * @param text Markdown
 * @param options the target
 * @throws Error when MP_DISPLAY=notebook outside a kernel
 * @example
 * showMarkdown("**stable** at lambda = 0.77", { target: "script" }) // prints: **stable** at lambda = 0.77
 */
export function showMarkdown(text: string, options: ShowMarkdownOptions = {}): void {
  const target = options.target ?? displayTarget();
  if (target === "none") return;
  if (target === "notebook") {
    (options.kernel ?? requireTslabKernel()).display.markdown(String(text));
    return;
  }
  (options.print ?? ((t: string) => console.log(t)))(String(text));
}
