/**
 * Stops a study when an independent check fails: a result compared with an answer known without it (a closed
 * form, an exact chain, a hand value). Studies call it so that a wrong result fails the notebook, and with it
 * `npm test`, instead of being reported. Cost O(1).
 *
 * @param ok whether the check passed
 * @param what the check in words, with the numbers compared (shown in the error)
 * @throws Error with the message "check failed: <what>" when ok is not true
 * @example
 * requireCheck(Math.abs(0.1 + 0.2 - 0.3) <= 1e-15, "0.1 + 0.2 = 0.3 to 1e-15") // => undefined (passes)
 * requireCheck(1 > 2, "1 > 2") // throws Error "check failed: 1 > 2"
 */
export function requireCheck(ok: boolean, what: string): void {
  if (ok !== true) throw new Error(`check failed: ${what}`);
}
