/**
 * What every routing policy declares, once, in its own file of src/model/policies/: how to build it, its label,
 * its validation, its decision rule, the properties other parts of the package rely on, and its command-line
 * parameters. The simulator, the drift, the mean field, the CLI and the studies read declarations (through
 * src/model/policy.ts); none of them asks a policy for its kind.
 */

/**
 * A policy as data: its `kind` (the name of its declaration), d (`samples`, absent for a policy that samples
 * nothing) and its own parameters (for example `threshold` for ABOUNCE). Plain data, so that a policy can be
 * cached and sent to worker threads; the one exception is a custom rule, which carries a function.
 */
export interface PolicySpec {
  readonly kind: string;
  /** d, the number of queues sampled: an integer >= 1 or Infinity (absent when the policy samples nothing). */
  readonly samples?: number;
  /**
   * A rule given as a function (kind "custom" only; see custom.ts). Named here so that a literal
   * `{ kind: "custom", samples, shouldMigrate: (own, target) => ... }` types its arguments.
   */
  readonly shouldMigrate?: (own: number, target: number, migrationPenalty: number) => boolean;
  /** The policy's own parameters (see its declaration's `parameters`). */
  readonly [parameter: string]: unknown;
}

/** A decision rule: true when an arrival at a queue of length `own` migrates to a sampled queue of length `target`. */
export type MigrationRule = (own: number, target: number) => boolean;

/** Properties of a policy's rule that other parts of the package use; each is checked against the rule by a test. */
export interface PolicyProperties {
  /**
   * Monotone in the target's length: rule(own, t) implies rule(own, t') for every t' < t. The simulator then
   * skips the draw of the shortest sample when the rule refuses even the shortest queue.
   */
  readonly monotoneInTarget: boolean;
  /**
   * Translation invariant: rule(own + 1, target + 1) = rule(own, target) for all lengths. The mean-field front
   * criterion (meanFieldStabilityBoundary) needs it.
   */
  readonly translationInvariant: boolean;
  /** The derived mean field of Section IV (derivedMeanFieldSystem) applies to this policy. */
  readonly meanField: boolean;
}

/** One numeric parameter of a policy, as the spec field, the paper's symbol and the command-line flag. */
export interface PolicyParameter {
  /** The field of the spec, for example "threshold". */
  readonly name: string;
  /** The paper's symbol, which is also the command-line flag (`--C`), for example "C" or "alpha". */
  readonly symbol: string;
  /** One line for help texts, with the allowed range. */
  readonly description: string;
  /** "number", or "list" for a comma-separated list of numbers (`--migrate-from 3,4,6`). */
  readonly type: "number" | "list";
  /** The value the command line uses when the flag is absent, given K (undefined: the flag is required). */
  readonly defaultValue?: (migrationPenalty: number) => number | readonly number[];
}

/** Where the paper states something about this policy: its printed mean-field system (Section IV) and tail lemma. */
export interface PaperForms {
  /** The printed mean-field system: eq. (1) (MBOUNCE) or eq. (2) (ABOUNCE). */
  readonly meanFieldEquation: 1 | 2;
  /** The tail lemma of Section IV: Lemma 1 (MBOUNCE) or Lemma 2 (ABOUNCE). */
  readonly tailLemma: 1 | 2;
  /** alpha, for MBOUNCE (eq. (1) and Lemma 1 use it). */
  readonly ratio?: number;
}

/**
 * The declaration of a policy. `S` is the policy's own spec type.
 *
 * To add a policy, write one file in src/model/policies/ that exports `declaration` (and, for convenience, a
 * constructor): the registry (registry.ts) finds it, and the simulator, drift, mean field, CLI and studies
 * accept it. A test (test/policies.test.ts) checks every declared property against the rule on its examples.
 */
export interface PolicyDeclaration<S extends PolicySpec = PolicySpec> {
  /** The `kind` of its specs and the name the CLI takes (`--policy <kind>`): lower-case letters, digits and '-'. */
  readonly kind: string;
  /** The name as the paper or the literature writes it, for example "ABOUNCE(C, d)". */
  readonly title: string;
  /** One line: what the rule does. */
  readonly summary: string;
  /** Whether the policy samples d queues (no sharing does not). */
  readonly sampled: boolean;
  /** Whether a spec is plain data that can be cached and sent to worker threads (false for a rule given as a function). */
  readonly transferable: boolean;
  /** Its numeric parameters (not d, which every sampled policy has). */
  readonly parameters: readonly PolicyParameter[];
  /** Builds a spec from parameter values keyed by PolicyParameter.name, and d. Does not validate (see validate). */
  create(values: Readonly<Record<string, number | readonly number[]>>, samples: number): S;
  /** A short label, for example "ABOUNCE(2,10)". */
  label(spec: S): string;
  /**
   * Throws ParameterError unless `spec` is a valid policy of this kind for the migration penalty K. The paper's
   * own constraints (C >= K, alpha > 1, K = 1 for SQ(d)) apply unless `allowOutsidePaper`.
   */
  validate(spec: S, migrationPenalty: number, allowOutsidePaper: boolean): void;
  /** The decision rule of a validated spec, as a closure over its constants (O(1) per call for the built-in rules). */
  rule(spec: S, migrationPenalty: number): MigrationRule;
  /** The properties of a validated spec's rule. */
  properties(spec: S, migrationPenalty: number): PolicyProperties;
  /** Valid specs for migration penalty K, for examples and property tests. */
  examples(migrationPenalty: number): readonly S[];
  /** What the paper prints for this policy, when it does (ABOUNCE and MBOUNCE). */
  paperForms?(spec: S): PaperForms;
}
