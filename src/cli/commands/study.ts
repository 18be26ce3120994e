import { resolve } from "node:path";
import { ParameterError } from "../../model/parameterError";
import { loadStudyDefinition } from "../../study/loadStudyDefinition";
import { type UnitProblem, mergeStudyResults } from "../../study/mergeStudyResults";
import { readStudyManifest } from "../../study/readStudyManifest";
import { runStudyShard } from "../../study/runStudyShard";
import { slurmScript } from "../../study/slurmScript";
import { writeStudyManifest } from "../../study/studyManifest";
import { type CliCommand, type CliFlagSpec, type CliFlags, numberFlag, parseCliFlags } from "../args";

const OVERVIEW = `usage: migration-penalties study plan|run|merge|slurm ... (each with --help)

Runs a study (the cells of studyGrid, as runStudy takes them) as independent shards on other machines: a
Slurm job array, a Kubernetes Indexed Job or GNU parallel; then merges the results into the results cache,
where runStudy with the same definition finds every cell (fromCache, the same numbers bit for bit).

  study plan <study.js|.ts> --out manifest.json     the units of work, their seeds, the code version, a hash
  study run manifest.json --shard I --of N          computes the units of shard I, one result file per unit
  study merge manifest.json                         the cells into the cache, the study's tables as CSV
  study slurm manifest.json [--partition P ...]     prints an sbatch script: a job array, one task per shard`;

const PLAN_USAGE = `usage: migration-penalties study plan <study module> --out <manifest.json> [--shards N] [--replications-per-unit K]

Writes the manifest of a study: each cell's system, axes, derived seed and resolved simulation options; the
units of work (replication ranges of the cells); the code version (code hash, package version, commit,
Node.js) and a hash over all of it. Nothing is simulated.

  <study module>            a .js or .ts file whose default export (or export \`study\`) is a study
                            definition: { name, cells, simulation, seed?, commonRandomNumbers?, pathPoints? },
                            as runStudy takes it (onProgress and cache are not part of a manifest)
  --out FILE                where to write the manifest                                    (required)
  --shards N                shards the study will run as, integer in [1, 100000]; cells are split into
                            replication ranges so that N shards balance (default: one shard per unit)
  --replications-per-unit K at most K replications per unit, integer in [1, 10000] (default: whole cells,
                            or the split chosen for --shards)

A precision-driven simulation (precision) cannot be planned ahead and is refused. From a notebook:
mp.writeStudyManifest(study, "manifest.json", { shards: 16 }).

example:
  migration-penalties study plan scripts/cluster-study.js --out runs/cluster.json --shards 3`;

const RUN_USAGE = `usage: migration-penalties study run <manifest.json> [--shard I] [--of N] [--results DIR] [--workers W] [--force]

Computes the units of shard I of N and writes one result file per unit (atomically: a killed task leaves no
partial file). A unit whose complete result file exists is skipped, so a shard can be run again after a
failure; computing a unit again gives a byte-identical file. Refuses a manifest edited by hand or planned by
other code (naming both versions).

  --shard I      this shard, integer in [0, N - 1]; default: SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX
                 (Kubernetes Indexed Job)
  --of N         number of shards; default: SLURM_ARRAY_TASK_COUNT, else the manifest's planned shards
  --results DIR  folder of the result files (default: <manifest folder>/<manifest name>-results)
  --workers W    replications at once on worker threads, integer in [1, 256]; default: SLURM_CPUS_PER_TASK,
                 else the available cores
  --force        compute the shard's units again even when their results exist

Which units a shard runs: the units in order of decreasing estimated cost (events, warm-ups included), ties by
unit index, each given to the shard with the least cost so far (ties: the lowest shard). Every unit belongs to
exactly one shard for a given N; every task of one run must use the same N.

Exit status: 0 when every unit of the shard is done, 1 when one failed (it leaves <unit>.failed.json), 2 for a
bad command line or a shard out of range.

example:
  migration-penalties study run runs/cluster.json --shard 0 --of 3`;

const MERGE_USAGE = `usage: migration-penalties study merge <manifest.json> [--results DIR] [--cache DIR] [--out DIR]

Gathers the unit results; summarises each cell from all its replications exactly as runStudy does; writes
each cell into the results cache under the key runStudy uses, and the study's DataFrame (studyFrame) as
<out>/<study>.csv with its tails in long form (tailFrame) as <out>/<study>-tails.csv. Names every missing or
failed unit and exits 1 if any; cells whose units are all done are merged anyway.

  --results DIR  folder of the result files (default: <manifest folder>/<manifest name>-results)
  --cache DIR    the results cache (default: MP_CACHE_DIR, else <project>/data/cache)
  --out DIR      folder of the CSV files (default: the manifest's folder)

example:
  migration-penalties study merge runs/cluster.json`;

const SLURM_USAGE = `usage: migration-penalties study slurm <manifest.json> [--partition P] [--time T] [--cpus C] [--array-max M] [flags]

Prints an sbatch script for a job array with one task per shard and a throttle (at most M tasks at once). It
does not submit it: \`migration-penalties study slurm m.json > job.sh && sbatch job.sh\`. The script runs this
checkout's dist/cli/main.js with this Node.js (absolute paths): build first (npm run build).

  --partition P   partition                                         (default: the cluster's default)
  --time T        time limit per task: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS
  --cpus C        CPUs per task (replications at once), integer in [1, 1024]           (default 1)
  --array-max M   tasks running at once (%M), integer >= 1                  (default min(shards, 8))
  --shards N      tasks in the array                         (default: the manifest's planned shards)
  --results DIR   folder of the result files (default: <manifest folder>/<manifest name>-results)
  --account A     account to charge
  --job-name J    job name                                                     (default mp-<study>)
  --mem M         memory per task, for example 4G

To run some tasks again: sbatch --array=3,5 job.sh (the script keeps --of N).

example:
  migration-penalties study slurm runs/cluster.json --partition short --time 1:00:00 --cpus 4 --array-max 10`;

const PLAN_FLAGS = {
  out: { type: "string" },
  shards: { type: "string" },
  "replications-per-unit": { type: "string" },
} as const satisfies CliFlagSpec;

const RUN_FLAGS = {
  shard: { type: "string" },
  of: { type: "string" },
  results: { type: "string" },
  workers: { type: "string" },
  force: { type: "boolean" },
} as const satisfies CliFlagSpec;

const MERGE_FLAGS = {
  results: { type: "string" },
  cache: { type: "string" },
  out: { type: "string" },
} as const satisfies CliFlagSpec;

const SLURM_FLAGS = {
  partition: { type: "string" },
  time: { type: "string" },
  cpus: { type: "string" },
  "array-max": { type: "string" },
  shards: { type: "string" },
  results: { type: "string" },
  account: { type: "string" },
  "job-name": { type: "string" },
  mem: { type: "string" },
} as const satisfies CliFlagSpec;

const USAGES: Readonly<Record<string, string>> = { plan: PLAN_USAGE, run: RUN_USAGE, merge: MERGE_USAGE, slurm: SLURM_USAGE };

/** Takes the one positional argument (a file) out of argv; the rest are flags of `spec`. */
function splitFile(argv: string[], spec: CliFlagSpec, what: string): { file: string; flags: CliFlags } {
  const positionals: string[] = [];
  const rest: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const token = argv[k] as string;
    if (token.startsWith("-") && token !== "-") {
      rest.push(token);
      const name = token.replace(/^-+/, "").split("=")[0] as string;
      if (!token.includes("=") && spec[name]?.type === "string" && k + 1 < argv.length) rest.push(argv[++k] as string);
    } else {
      positionals.push(token);
    }
  }
  if (positionals.length !== 1) {
    throw new ParameterError(what, positionals.length === 0 ? undefined : positionals.join(" "), `one ${what} path (see --help)`);
  }
  return { file: positionals[0] as string, flags: parseCliFlags(rest, spec) };
}

function path(flags: CliFlags, name: string): string | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") throw new ParameterError(`--${name}`, value, "a path");
  return value;
}

/** An integer from an environment variable, or undefined when unset; an error naming the variable otherwise. */
function integerFromEnvironment(name: string, min: number, env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min) throw new ParameterError(name, raw, `an integer >= ${min}`);
  return value;
}

async function plan(argv: string[]): Promise<number> {
  const { file, flags } = splitFile(argv, PLAN_FLAGS, "study module");
  const out = path(flags, "out");
  if (out === undefined) throw new ParameterError("--out", undefined, "required: the manifest file to write");
  const shards = numberFlag(flags, "shards", { min: 1, max: 100_000, integer: true });
  const perUnit = numberFlag(flags, "replications-per-unit", { min: 1, max: 10_000, integer: true });
  const study = loadStudyDefinition(file);
  const manifest = writeStudyManifest(study, out, {
    ...(shards !== undefined ? { shards } : {}),
    ...(perUnit !== undefined ? { replicationsPerUnit: perUnit } : {}),
  });
  const replications = manifest.cells.reduce((s, c) => s + c.replications, 0);
  process.stdout.write([
    `planned study "${manifest.study.name}": ${manifest.cells.length} cell(s), ${replications} replication(s) in ${manifest.units.length} unit(s), for ${manifest.plannedShards} shard(s)`,
    `manifest ${resolve(out)}`,
    `hash ${manifest.manifestHash}`,
    `code ${manifest.code.codeHash} (migration-penalties ${manifest.code.packageVersion}, commit ${manifest.code.commit}${manifest.code.dirty ? ", uncommitted changes" : ""}, ${manifest.code.codeTree}/, Node.js ${manifest.code.node})`,
    "",
  ].join("\n"));
  return 0;
}

async function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { file, flags } = splitFile(argv, RUN_FLAGS, "manifest");
  let shard = numberFlag(flags, "shard", { min: 0, integer: true });
  let shardSource = "--shard";
  for (const variable of ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]) {
    if (shard !== undefined) break;
    shard = integerFromEnvironment(variable, 0, env);
    shardSource = variable;
  }
  if (shard === undefined) {
    throw new ParameterError("--shard", undefined, "required outside a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX): an integer in [0, N - 1]");
  }
  let shards = numberFlag(flags, "of", { min: 1, max: 100_000, integer: true });
  let shardsSource = "--of";
  if (shards === undefined) {
    shards = integerFromEnvironment("SLURM_ARRAY_TASK_COUNT", 1, env);
    shardsSource = "SLURM_ARRAY_TASK_COUNT";
  }
  if (shards === undefined) {
    shards = readStudyManifest(file).plannedShards;
    shardsSource = "the manifest's planned shards";
  }
  const workers = numberFlag(flags, "workers", { min: 1, max: 256, integer: true }) ??
    (() => {
      const cpus = integerFromEnvironment("SLURM_CPUS_PER_TASK", 1, env);
      return cpus === undefined ? undefined : Math.min(cpus, 256);
    })();
  if (shard >= shards) {
    throw new ParameterError(shardSource, shard, `an integer in [0, ${shards - 1}]: the shards are numbered 0 to N - 1, and N = ${shards} (${shardsSource})`);
  }
  const results = path(flags, "results");
  const summary = await runStudyShard(file, {
    shard,
    shards,
    ...(results !== undefined ? { results } : {}),
    ...(workers !== undefined ? { workers } : {}),
    force: flags.force === true,
  });
  process.stdout.write(`shard ${summary.shard} of ${summary.shards}: ${summary.units.length} unit(s): ${summary.computed.length} computed, ` +
    `${summary.skipped.length} already done, ${summary.failed.length} failed; results in ${summary.resultsDirectory}\n`);
  for (const f of summary.failed) process.stderr.write(`failed: ${f.unit}: ${f.error}\n`);
  return summary.failed.length > 0 ? 1 : 0;
}

async function merge(argv: string[]): Promise<number> {
  const { file, flags } = splitFile(argv, MERGE_FLAGS, "manifest");
  const results = path(flags, "results");
  const cache = path(flags, "cache");
  const out = path(flags, "out");
  const summary = await mergeStudyResults(file, {
    ...(results !== undefined ? { results } : {}),
    ...(cache !== undefined ? { cache } : {}),
    ...(out !== undefined ? { out } : {}),
  });
  const manifest = readStudyManifest(file);
  if (summary.complete) {
    process.stdout.write(`merged all ${summary.mergedCells} cell(s) of study "${manifest.study.name}" into the results cache` +
      ` (${summary.study?.cells[0]?.cacheFile.replace(/\/[^/]*$/, "")})\n` +
      `wrote ${summary.frameFile}\nwrote ${summary.tailFile}\n`);
    return 0;
  }
  const line = (u: UnitProblem): string =>
    `  ${u.unit}  cell ${u.cell} ${JSON.stringify(u.axes)}  replications ${u.replications[0]}-${u.replications[1]}  shard ${u.plannedShard}` +
    `${u.reason === "missing" ? "" : `: ${u.reason}`}\n`;
  const lines: string[] = [];
  if (summary.missing.length > 0) lines.push(`missing ${summary.missing.length} of ${manifest.units.length} unit(s):\n`, ...summary.missing.map(line));
  if (summary.failed.length > 0) lines.push(`failed ${summary.failed.length} of ${manifest.units.length} unit(s):\n`, ...summary.failed.map(line));
  const shards = [...new Set([...summary.missing, ...summary.failed].map((u) => u.plannedShard))].sort((a, b) => a - b);
  lines.push(`merged ${summary.mergedCells} of ${manifest.cells.length} cell(s) (those whose units are all done). ` +
    `Run shard(s) ${shards.join(",")} of ${manifest.plannedShards} again (study run skips what is done; with the generated ` +
    `script: sbatch --array=${shards.join(",")} job.sh), then merge again\n`);
  process.stderr.write(lines.join(""));
  return 1;
}

async function slurm(argv: string[]): Promise<number> {
  const { file, flags } = splitFile(argv, SLURM_FLAGS, "manifest");
  const cpus = numberFlag(flags, "cpus", { min: 1, max: 1024, integer: true });
  const arrayMax = numberFlag(flags, "array-max", { min: 1, max: 100_000, integer: true });
  const shards = numberFlag(flags, "shards", { min: 1, max: 100_000, integer: true });
  const text = (name: string): string | undefined => (typeof flags[name] === "string" ? (flags[name] as string) : undefined);
  const rename = (error: unknown): unknown => {
    if (!(error instanceof ParameterError)) return error;
    const flag = { partition: "--partition", time: "--time", account: "--account", jobName: "--job-name", memory: "--mem", results: "--results" }[error.parameter];
    return flag === undefined ? error : new ParameterError(flag, error.value, error.allowed, error.note);
  };
  let script: string;
  try {
    script = slurmScript(file, {
      ...(text("partition") !== undefined ? { partition: text("partition") } : {}),
      ...(text("time") !== undefined ? { time: text("time") } : {}),
      ...(cpus !== undefined ? { cpus } : {}),
      ...(arrayMax !== undefined ? { arrayMax } : {}),
      ...(shards !== undefined ? { shards } : {}),
      ...(path(flags, "results") !== undefined ? { results: path(flags, "results") } : {}),
      ...(text("account") !== undefined ? { account: text("account") } : {}),
      ...(text("job-name") !== undefined ? { jobName: text("job-name") } : {}),
      ...(text("mem") !== undefined ? { memory: text("mem") } : {}),
    });
  } catch (error) {
    throw rename(error);
  }
  process.stdout.write(script);
  return 0;
}

/**
 * The help of `study` or of one of its subcommands (`study run --help` prints run's). Cost O(1).
 *
 * @param argv the arguments after `study`
 * @example
 * studyUsage(["run", "--help"]).split("\n")[0] // => "usage: migration-penalties study run <manifest.json> [--shard I] [--of N] [--results DIR] [--workers W] [--force]"
 */
export function studyUsage(argv: readonly string[]): string {
  return USAGES[argv[0] ?? ""] ?? OVERVIEW;
}

/** `migration-penalties study`: see the usage texts above. */
export const command: CliCommand & { readonly usageFor: (argv: readonly string[]) => string } = {
  name: "study",
  summary: "a study as independent shards (Slurm job array, Kubernetes, GNU parallel): plan, run, merge, slurm",
  usage: OVERVIEW,
  usageFor: studyUsage,
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    switch (sub) {
      case "plan":
        return plan(rest);
      case "run":
        return run(rest, process.env);
      case "merge":
        return merge(rest);
      case "slurm":
        return slurm(rest);
      default:
        throw new ParameterError("subcommand", sub, "plan, run, merge or slurm (see migration-penalties study --help)");
    }
  },
};
