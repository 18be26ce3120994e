import { type PolicyDeclaration, type PolicySpec, policyDeclaration, policyDeclarations, policyLabel, policyParameters, sampleCount } from "../model/policy";
import { DEFAULT_SAMPLING, SAMPLING_SCHEMES, type SamplingScheme } from "../model/sampling";
import { MAX_MIGRATION_PENALTY, type SystemParams } from "../model/system";
import { type FlagCondition, type FlagDeclaration, type ParsedFlags, readableNumber } from "./args";

/**
 * The flags of a policy, read from the policy declarations (src/model/policies/): `--policy` with every declared
 * kind that a command line can build, `--K`, one flag per declared parameter (its `symbol`: `--C`, `--alpha`,
 * `--migrate-from`), `--d` for the policies that sample, `--sampling` and `--allow-outside-paper`. A policy
 * declared in a new file of src/model/policies/ gets its flags in every command that takes a policy, with no
 * change here. Nothing in this file knows a policy's kind.
 */

/**
 * The declarations a command line can build: those whose policies are plain data (`transferable`). A rule given
 * as a function (the custom policy) cannot be typed on a command line.
 *
 * @example
 * commandLinePolicies().map((p) => p.kind).includes("custom") // => false (a rule given as a function)
 */
export function commandLinePolicies(): readonly PolicyDeclaration[] {
  return policyDeclarations().filter((p) => p.transferable);
}

/** A parameter value as the help writes it. */
function showValue(v: number | readonly number[]): string {
  return Array.isArray(v) ? v.map((x: number) => readableNumber(x)).join(",") : readableNumber(v as number);
}

/** The default of a parameter symbol as the help writes it: a constant, "K", or its values at K = 1 and 2; per policy when they differ. */
function parameterDefaultHelp(declarations: readonly PolicyDeclaration[], symbol: string): string | undefined {
  const texts = declarations.map((d) => {
    const p = d.parameters.find((x) => x.symbol === symbol);
    if (!p?.defaultValue) return undefined;
    const [at1, at2, at3] = [1, 2, 3].map((K) => p.defaultValue!(K));
    if (showValue(at1!) === showValue(at2!) && showValue(at2!) === showValue(at3!)) return showValue(at1!);
    if (at1 === 1 && at2 === 2 && at3 === 3) return "K";
    return `${showValue(at1!)} at K = 1, ${showValue(at2!)} at K = 2`;
  });
  if (texts.every((t) => t === undefined)) return undefined;
  if (new Set(texts).size === 1) return texts[0];
  return declarations.map((d, k) => `${texts[k] ?? "required"} for ${d.kind}`).join("; ");
}

/** Which policies sample d queues (the condition of --d and --sampling). */
function sampledCondition(): FlagCondition {
  return { flag: "policy", values: commandLinePolicies().filter((p) => p.sampled).map((p) => p.kind), describe: "(the policies that sample)" };
}

/**
 * The policy flags of a command, in the order the parser needs them (K before the parameters whose defaults
 * depend on it). Cost O(declared policies x parameters).
 *
 * @param options group: the help section (default "system"); sampling: include --sampling (default true);
 *   samplingWhen: further conditions of --sampling (meanfield: only with --refined)
 * @returns --policy, --K, one flag per parameter symbol, --d, --sampling, --allow-outside-paper
 * @throws Error when two policies declare one symbol with different kinds (number and list)
 * @example
 * policyFlags().map((f) => f.name).slice(0, 4) // => ["policy", "K", "C", "alpha"]
 */
export function policyFlags(options: { readonly group?: string; readonly sampling?: boolean; readonly samplingWhen?: readonly FlagCondition[] } = {}): FlagDeclaration[] {
  const group = options.group ?? "system";
  const policies = commandLinePolicies();
  const choiceHelp: Record<string, string> = {};
  for (const p of policies) choiceHelp[p.kind] = `${p.title}: ${p.summary}`;
  const flags: FlagDeclaration[] = [
    {
      name: "policy", kind: "choice", group, metavar: "P", required: true, choices: policies.map((p) => p.kind), choiceHelp,
      help: "the routing policy (each declared in its own file of src/model/policies/)",
    },
    {
      name: "K", kind: "integer", group, min: 1, max: MAX_MIGRATION_PENALTY, default: 1,
      help: "migration penalty: a migrated job becomes K jobs at its target",
    },
  ];
  const symbols = [...new Set(policies.flatMap((p) => p.parameters.map((x) => x.symbol)))];
  for (const symbol of symbols) {
    const owners = policies.filter((p) => p.parameters.some((x) => x.symbol === symbol));
    const parameters = owners.map((p) => p.parameters.find((x) => x.symbol === symbol)!);
    const types = new Set(parameters.map((x) => x.type));
    if (types.size > 1) throw new Error(`policy parameter --${symbol} is declared both as a number and as a list`);
    const list = parameters[0]!.type === "list";
    const defaultHelp = parameterDefaultHelp(owners, symbol);
    flags.push({
      name: symbol,
      kind: list ? "list" : "number",
      group,
      metavar: list ? `${symbol.slice(0, 1).toUpperCase()},...` : symbol.length <= 2 ? symbol : symbol.slice(0, 1).toUpperCase(),
      ...(list ? { allowInfinity: true } : {}),
      help: owners.map((p, k) => `${owners.length > 1 ? `${p.kind}: ` : ""}${parameters[k]!.description}`).join("; "),
      appliesWhen: [{ flag: "policy", values: owners.map((p) => p.kind) }],
      default: (values: ParsedFlags) => {
        const kind = values.optionalString("policy");
        if (kind === undefined) return undefined;
        const p = policyDeclaration(kind).parameters.find((x) => x.symbol === symbol);
        return p?.defaultValue?.(values.number("K"));
      },
      ...(defaultHelp !== undefined ? { defaultHelp } : {}),
      required: true,
      requiredHelp: parameters[0]!.description,
    });
  }
  flags.push({
    name: "d", kind: "samples", group, metavar: "D", default: 2, appliesWhen: [sampledCondition()],
    help: "queues sampled by an arriving job (inf: the shortest other queue)",
  });
  if (options.sampling !== false) {
    flags.push({
      name: "sampling", kind: "choice", group, metavar: "S", choices: SAMPLING_SCHEMES, default: DEFAULT_SAMPLING,
      appliesWhen: [sampledCondition(), ...(options.samplingWhen ?? [])],
      choiceHelp: {
        others: "d of the other n - 1 queues, with replacement (the paper's)",
        all: "d of all n queues, with replacement (the supermarket literature's SQ(d))",
        "others-without-replacement": "d distinct queues among the other n - 1",
      },
      help: "how the d queues are sampled",
    });
  }
  flags.push({
    name: "allow-outside-paper", kind: "boolean", group,
    help: "accept parameters outside the paper's constraints (for example C < K, alpha <= 1, sqd with K > 1)",
  });
  return flags;
}

/**
 * The policy a command line asks for, built by its declaration from the parameter flags and d. Not validated
 * against K here (the library does that and its errors are renamed to the flags). Cost O(parameters).
 *
 * @param flags values parsed against {@link policyFlags}
 * @example
 * import { parseFlags } from "./args";
 * policyFromFlags(parseFlags(["--policy", "abounce", "--K", "2"], policyFlags(), "demo"))
 * // => { kind: "abounce", threshold: 2, samples: 2 }
 */
export function policyFromFlags(flags: ParsedFlags): PolicySpec {
  const declaration = policyDeclaration(flags.string("policy"));
  const values: Record<string, number | readonly number[]> = {};
  for (const p of declaration.parameters) {
    const v = flags.value(p.symbol);
    if (v === undefined) throw new Error(`--${p.symbol} has no value for --policy ${declaration.kind}`);
    values[p.name] = v as number | readonly number[];
  }
  return declaration.create(values, declaration.sampled ? flags.number("d") : 0);
}

/**
 * The sampling scheme of the flags: --sampling, or the paper's "others" when it is absent or does not apply
 * (a policy that samples nothing). Cost O(1).
 *
 * @example
 * import { parseFlags } from "./args";
 * samplingFromFlags(parseFlags(["--policy", "none"], policyFlags(), "demo")) // => "others"
 */
export function samplingFromFlags(flags: ParsedFlags): SamplingScheme {
  return (flags.optionalString("sampling") ?? DEFAULT_SAMPLING) as SamplingScheme;
}

/**
 * The library's parameter names mapped to the flags that set them, for {@link renameParameterError}: the system's
 * (lambda, K, d, n, sampling) and every declared policy parameter ("threshold (C)" and "threshold" -> "--C",
 * "migrateFrom[i]" -> "--migrate-from[i]").
 *
 * @param extra the command's own names (for example { events: "--events" })
 * @returns the map, read by renameParameterError (cost O(declared parameters))
 * @example
 * flagNames()["threshold (C)"] // => "--C"
 */
export function flagNames(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const names: Record<string, string> = {
    "arrivalRate (lambda)": "--lambda",
    "migrationPenalty (K)": "--K",
    "samples (d)": "--d",
    "queues (n)": "--n",
    sampling: "--sampling",
    policy: "--policy",
    allowOutsidePaper: "--allow-outside-paper",
    force: "--force",
  };
  for (const p of commandLinePolicies()) {
    for (const x of p.parameters) {
      names[`${x.name} (${x.symbol})`] = `--${x.symbol}`;
      names[x.name] = `--${x.symbol}`;
      names[`${x.name}[`] = `--${x.symbol}`;
    }
  }
  return { ...names, ...extra };
}

/**
 * A policy with its parameters, as the resolved configuration line writes it, for example
 * "ABOUNCE(2,10) (C = 2, d = 10)". Cost O(parameters).
 *
 * @example
 * describePolicy({ kind: "abounce", threshold: 2, samples: Infinity }) // => "ABOUNCE(2,inf) (C = 2, d = inf)"
 */
export function describePolicy(policy: PolicySpec): string {
  const declaration = policyDeclaration(policy);
  const parts = declaration.parameters.map((p) => {
    const v = policy[p.name];
    return `${p.symbol} = ${Array.isArray(v) ? v.map((x: number) => readableNumber(x)).join(",") : readableNumber(v as number)}`;
  });
  if (declaration.sampled) parts.push(`d = ${readableNumber(policy.samples as number)}`);
  return parts.length === 0 ? policyLabel(policy) : `${policyLabel(policy)} (${parts.join(", ")})`;
}

/**
 * A system as every command's JSON writes it (the same fields as simulate's `params`, plus the sampling scheme):
 * the policy's label, kind and parameters, and d as a number or "inf" (0 for a policy that samples nothing).
 * Cost O(parameters).
 *
 * @param params the system; `queues` may be omitted (the mean field has no n)
 * @example
 * systemJson({ queues: 2, arrivalRate: 0.5, migrationPenalty: 2, policy: { kind: "abounce", threshold: 2, samples: Infinity } })
 * // => { queues: 2, arrivalRate: 0.5, migrationPenalty: 2, policy: "ABOUNCE(2,inf)", policyKind: "abounce",
 * //      samples: "inf", parameters: { threshold: 2 }, sampling: "others" }
 */
export function systemJson(params: Omit<SystemParams, "queues"> & { readonly queues?: number }): Record<string, unknown> {
  const d = sampleCount(params.policy);
  return {
    ...(params.queues !== undefined ? { queues: params.queues } : {}),
    arrivalRate: params.arrivalRate,
    migrationPenalty: params.migrationPenalty,
    policy: policyLabel(params.policy),
    policyKind: params.policy.kind,
    samples: d === Infinity ? "inf" : d,
    parameters: policyParameters(params.policy),
    sampling: params.sampling ?? DEFAULT_SAMPLING,
  };
}
