import type { Display } from "tslab";

/** The part of tslab's public API the display adapters use (`import * as tslab from "tslab"` in a cell). */
export interface TslabApi {
  readonly display: Display;
  newDisplay(): Display;
}

interface TslabHook {
  readonly require?: unknown;
}

/**
 * tslab's display API when this code runs inside a tslab kernel, or null anywhere else (a plain Node
 * script, a test, a non-tslab kernel).
 *
 * How the kernel is recognized: tslab 1.0.22 (pinned) evaluates every cell with
 * `globalThis.__tslab__ = { exports, require }`, where `require` is hooked so that `require("tslab")`
 * returns the running kernel's own tslab module. Asking that hook for "tslab" therefore both proves we
 * are inside the kernel and yields the very module instance whose `display` writes into the executing
 * cell, even if another copy of tslab is installed elsewhere. A plain script never defines
 * `__tslab__` and never loads tslab (which would load zeromq) through this function.
 *
 * Cost O(1).
 *
 * @returns `{ display, newDisplay }` inside the kernel, otherwise null
 * @example
 * tslabKernelApi() // => null (in a plain Node script)
 */
export function tslabKernelApi(): TslabApi | null {
  const hook = (globalThis as { __tslab__?: TslabHook }).__tslab__;
  if (hook === undefined || hook === null || typeof hook.require !== "function") return null;
  try {
    const api = (hook.require as (id: string) => unknown)("tslab") as Partial<TslabApi> | null;
    if (api && typeof api.newDisplay === "function" && api.display) return api as TslabApi;
  } catch {
    // not a tslab kernel after all
  }
  return null;
}

/**
 * The tslab API for the "notebook" display target. Cost O(1).
 *
 * @returns the running kernel's `{ display, newDisplay }`
 * @throws Error saying that the code is not running inside a tslab kernel, and how to choose another target
 * @example
 * requireTslabKernel() // throws 'The display target is "notebook" (MP_DISPLAY=notebook) but this code is not running inside a tslab kernel'
 */
export function requireTslabKernel(): TslabApi {
  const api = tslabKernelApi();
  if (api === null) {
    throw new Error(
      'The display target is "notebook" (MP_DISPLAY=notebook) but this code is not running inside a tslab kernel; unset MP_DISPLAY or set it to "script" or "none".',
    );
  }
  return api;
}
