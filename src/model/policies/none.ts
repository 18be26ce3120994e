import type { PolicyDeclaration, PolicySpec } from "./policyDeclaration";

/** No sharing (Section III): every job joins its own queue, so each queue is an M/M/1 queue. */
export interface NoSharingSpec extends PolicySpec {
  readonly kind: "none";
}

/**
 * No sharing.
 *
 * @example
 * noSharing() // => { kind: "none" }
 */
export const noSharing = (): NoSharingSpec => ({ kind: "none" });

export const declaration: PolicyDeclaration<NoSharingSpec> = {
  kind: "none",
  title: "no sharing",
  summary: "every job joins its own queue (n independent M/M/1 queues)",
  sampled: false,
  transferable: true,
  parameters: [],
  create: () => noSharing(),
  label: () => "no sharing",
  validate: () => undefined,
  rule: () => () => false,
  properties: () => ({ monotoneInTarget: true, translationInvariant: true, meanField: true }),
  examples: () => [noSharing()],
};
