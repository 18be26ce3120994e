import { resolve } from "node:path";
import { ParameterError } from "../../model/parameterError";
import { loadStudyDefinition } from "../../study/loadStudyDefinition";
import { type UnitProblem, mergeStudyResults } from "../../study/mergeStudyResults";
import { readStudyManifest } from "../../study/readStudyManifest";
import { runStudyShard } from "../../study/runStudyShard";
import type { StudyCellResult } from "../../study/runStudy";
import { slurmScript } from "../../study/slurmScript";
import { writeStudyManifest } from "../../study/studyManifest";
import type { CliCommandGroup, FlagDeclaration, ParsedFlags, PositionalDeclaration } from "../args";
import { systemJson } from "../policyFlags";

const OVERVIEW_TEXT = `Runs a study (the cells of studyGrid, as runStudy takes them) as independent shards on other machines: a
Slurm job array, a Kubernetes Indexed Job or GNU parallel; then merges the results into the results cache,
where runStudy with the same definition finds every cell (fromCache, the same numbers bit for bit).`;

const PLAN_TEXT = `Writes the manifest of a study: each cell's system, axes, derived seed and resolved simulation options; the
units of work (replication ranges of the cells); the code version (code hash, package version, commit,
Node.js) and a hash over all of it. Nothing is simulated.

A precision-driven simulation (precision) cannot be planned ahead and is refused. From a notebook:
mp.writeStudyManifest(study, "manifest.json", { shards: 16 }).`;

const RUN_TEXT = `Computes the units of shard I of N and writes one result file per unit (atomically: a killed task leaves no
partial file). A unit whose complete result file exists is skipped, so a shard can be run again after a
failure; computing a unit again gives a byte-identical file. Refuses a manifest edited by hand or planned by
other code (naming both versions).

Which units a shard runs: the units in order of decreasing estimated cost (events, warm-ups included), ties by
unit index, each given to the shard with the least cost so far (ties: the lowest shard). Every unit belongs to
exactly one shard for a given N; every task of one run must use the same N.`;

const MERGE_TEXT = `Gathers the unit results; summarises each cell from all its replications exactly as runStudy does; writes
each cell into the results cache under the key runStudy uses, and the study's DataFrame (studyFrame) as
<out>/<study>.csv with its tails in long form (tailFrame) as <out>/<study>-tails.csv. Names every missing or
failed unit and exits 1 if any; cells whose units are all done are merged anyway. With --json the object names
them too (complete false, no cells) and the exit status is the same.`;

const SLURM_TEXT = `Prints an sbatch script for a job array with one task per shard and a throttle (at most M tasks at once). It
does not submit it: "migration-penalties study slurm m.json > job.sh && sbatch job.sh". The script runs this
checkout's dist/cli/main.js with this Node.js (absolute paths): build first (npm run build).

To run some tasks again: sbatch --array=3,5 job.sh (the script keeps --of N).
It has no --json: what it prints is the script itself.`;

const RUN_EXIT = `0 when every unit of the shard is done, 1 when one failed (it leaves <unit>.failed.json), 2 for a
bad command line or a shard out of range.`;

const RESULTS_FLAG: FlagDeclaration = {
  name: "results", kind: "string", group: "files", metavar: "DIR",
  help: "folder of the result files (default: <manifest folder>/<manifest name>-results)",
};

const JSON_FLAG: FlagDeclaration = { name: "json", kind: "boolean", group: "output", help: "print one JSON object (see JSON below)" };

const PLAN_FLAGS: readonly FlagDeclaration[] = [
  { name: "out", kind: "string", group: "files", metavar: "FILE", required: true, requiredHelp: "the manifest file to write", help: "where to write the manifest" },
  {
    name: "shards", kind: "integer", group: "units", min: 1, max: 100_000, defaultHelp: "one shard per unit",
    help: "shards the study will run as; cells are split into replication ranges so that N shards balance",
  },
  {
    name: "replications-per-unit", kind: "integer", group: "units", metavar: "K", min: 1, max: 10_000, defaultHelp: "whole cells, or the split chosen for --shards",
    help: "at most K replications per unit",
  },
  JSON_FLAG,
];

const RUN_FLAGS: readonly FlagDeclaration[] = [
  { name: "shard", kind: "integer", group: "shard", metavar: "I", min: 0, defaultHelp: "SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX", help: "this shard, an integer in [0, N - 1]" },
  { name: "of", kind: "integer", group: "shard", min: 1, max: 100_000, defaultHelp: "SLURM_ARRAY_TASK_COUNT, else the manifest's planned shards", help: "number of shards" },
  RESULTS_FLAG,
  { name: "workers", kind: "integer", group: "run", metavar: "W", min: 1, max: 256, defaultHelp: "SLURM_CPUS_PER_TASK, else the available cores", help: "replications at once on worker threads" },
  { name: "force", kind: "boolean", group: "run", help: "compute the shard's units again even when their results exist" },
  JSON_FLAG,
];

const MERGE_FLAGS: readonly FlagDeclaration[] = [
  RESULTS_FLAG,
  { name: "cache", kind: "string", group: "files", metavar: "DIR", help: "the results cache (default: MP_CACHE_DIR, else <project>/data/cache)" },
  { name: "out", kind: "string", group: "files", metavar: "DIR", help: "folder of the CSV files (default: the manifest's folder)" },
  JSON_FLAG,
];

const SLURM_FLAGS: readonly FlagDeclaration[] = [
  { name: "partition", kind: "string", group: "job", metavar: "P", defaultHelp: "the cluster's default", help: "partition" },
  { name: "time", kind: "string", group: "job", metavar: "T", help: "time limit per task: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS" },
  { name: "cpus", kind: "integer", group: "job", metavar: "C", min: 1, max: 1024, default: 1, help: "CPUs per task (replications at once)" },
  { name: "array-max", kind: "integer", group: "job", metavar: "M", min: 1, max: 100_000, defaultHelp: "min(shards, 8)", help: "tasks running at once (%M)" },
  { name: "shards", kind: "integer", group: "job", min: 1, max: 100_000, defaultHelp: "the manifest's planned shards", help: "tasks in the array" },
  RESULTS_FLAG,
  { name: "account", kind: "string", group: "job", metavar: "A", help: "account to charge" },
  { name: "job-name", kind: "string", group: "job", metavar: "J", defaultHelp: "mp-<study>", help: "job name" },
  { name: "mem", kind: "string", group: "job", metavar: "M", help: "memory per task, for example 4G" },
];

const MANIFEST: PositionalDeclaration = { name: "manifest", help: "the manifest written by study plan (a .json file)" };

function required(flags: ParsedFlags, name: string): string {
  const value = flags.positional(name);
  if (value === undefined || value === "") throw new ParameterError(`<${name}>`, value, `required: ${name === "manifest" ? MANIFEST.help : "the study module"}`);
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

async function plan(flags: ParsedFlags): Promise<number> {
  const file = required(flags, "study module");
  const out = flags.string("out");
  const shards = flags.optionalNumber("shards");
  const perUnit = flags.optionalNumber("replications-per-unit");
  const study = loadStudyDefinition(file);
  const manifest = writeStudyManifest(study, out, {
    ...(shards !== undefined ? { shards } : {}),
    ...(perUnit !== undefined ? { replicationsPerUnit: perUnit } : {}),
  });
  const replications = manifest.cells.reduce((s, c) => s + c.replications, 0);
  if (flags.boolean("json")) {
    const { codeHash, packageVersion, commit, dirty, codeTree, node } = manifest.code;
    process.stdout.write(`${JSON.stringify({
      study: manifest.study.name, seed: manifest.study.seed, manifest: resolve(out), manifestHash: manifest.manifestHash,
      plannedShards: manifest.plannedShards, cells: manifest.cells.length, replications, units: manifest.units.length,
      code: { codeHash, packageVersion, commit, dirty, codeTree, node },
    })}\n`);
    return 0;
  }
  process.stdout.write([
    `planned study "${manifest.study.name}": ${manifest.cells.length} cell(s), ${replications} replication(s) in ${manifest.units.length} unit(s), for ${manifest.plannedShards} shard(s)`,
    `manifest ${resolve(out)}`,
    `hash ${manifest.manifestHash}`,
    `code ${manifest.code.codeHash} (migration-penalties ${manifest.code.packageVersion}, commit ${manifest.code.commit}${manifest.code.dirty ? ", uncommitted changes" : ""}, ${manifest.code.codeTree}/, Node.js ${manifest.code.node})`,
    "",
  ].join("\n"));
  return 0;
}

async function run(flags: ParsedFlags, env: NodeJS.ProcessEnv): Promise<number> {
  const file = required(flags, "manifest");
  let shard = flags.optionalNumber("shard");
  let shardSource = "--shard";
  for (const variable of ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]) {
    if (shard !== undefined) break;
    shard = integerFromEnvironment(variable, 0, env);
    shardSource = variable;
  }
  if (shard === undefined) {
    throw new ParameterError("--shard", undefined, "required outside a Slurm array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX): an integer in [0, N - 1]");
  }
  let shards = flags.optionalNumber("of");
  let shardsSource = "--of";
  if (shards === undefined) {
    shards = integerFromEnvironment("SLURM_ARRAY_TASK_COUNT", 1, env);
    shardsSource = "SLURM_ARRAY_TASK_COUNT";
  }
  if (shards === undefined) {
    shards = readStudyManifest(file).plannedShards;
    shardsSource = "the manifest's planned shards";
  }
  const workers = flags.optionalNumber("workers") ??
    (() => {
      const cpus = integerFromEnvironment("SLURM_CPUS_PER_TASK", 1, env);
      return cpus === undefined ? undefined : Math.min(cpus, 256);
    })();
  if (shard >= shards) {
    throw new ParameterError(shardSource, shard, `an integer in [0, ${shards - 1}]: the shards are numbered 0 to N - 1, and N = ${shards} (${shardsSource})`);
  }
  const results = flags.optionalString("results");
  const summary = await runStudyShard(file, {
    shard,
    shards,
    ...(results !== undefined ? { results } : {}),
    ...(workers !== undefined ? { workers } : {}),
    force: flags.boolean("force"),
  });
  if (flags.boolean("json")) {
    const { shard: i, shards: n, resultsDirectory, units, computed, skipped, failed } = summary;
    process.stdout.write(`${JSON.stringify({ shard: i, shards: n, resultsDirectory, units, computed, skipped, failed })}\n`);
  } else {
    process.stdout.write(`shard ${summary.shard} of ${summary.shards}: ${summary.units.length} unit(s): ${summary.computed.length} computed, ` +
      `${summary.skipped.length} already done, ${summary.failed.length} failed; results in ${summary.resultsDirectory}\n`);
  }
  for (const f of summary.failed) process.stderr.write(`failed: ${f.unit}: ${f.error}\n`);
  return summary.failed.length > 0 ? 1 : 0;
}

async function merge(flags: ParsedFlags): Promise<number> {
  const file = required(flags, "manifest");
  const results = flags.optionalString("results");
  const cache = flags.optionalString("cache");
  const out = flags.optionalString("out");
  const summary = await mergeStudyResults(file, {
    ...(results !== undefined ? { results } : {}),
    ...(cache !== undefined ? { cache } : {}),
    ...(out !== undefined ? { out } : {}),
  });
  const manifest = readStudyManifest(file);
  const json = flags.boolean("json");
  if (json) {
    process.stdout.write(`${JSON.stringify({
      study: manifest.study.name, complete: summary.complete, mergedCells: summary.mergedCells, cellCount: manifest.cells.length,
      cacheDirectory: summary.cacheDirectory ?? null, frameFile: summary.frameFile ?? null, tailFile: summary.tailFile ?? null,
      missing: summary.missing, failed: summary.failed, cells: (summary.study?.cells ?? []).map((c, k) => cellJson(c, k)),
    })}\n`);
  }
  if (summary.complete) {
    if (!json) {
      process.stdout.write(`merged all ${summary.mergedCells} cell(s) of study "${manifest.study.name}" into the results cache` +
        ` (${summary.cacheDirectory})\n` +
        `wrote ${summary.frameFile}\nwrote ${summary.tailFile}\n`);
    }
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

/**
 * One merged cell as `study merge --json` prints it: its axes and system (as every command writes a system), its
 * replications and events, the estimates with their 95% intervals, the tail (tail[0] = 1) and the stability
 * verdict. Cost O(tail length).
 */
function cellJson(cell: StudyCellResult, index: number): Record<string, unknown> {
  const p = cell.point;
  return {
    index, key: cell.key, axes: cell.axes, system: systemJson(cell.system), seed: cell.seed, replications: p.replications, events: p.events,
    meanQueueLength: p.meanQueueLength, meanDelay: p.meanDelay, migrationFraction: p.migrationFraction, tail: p.tail,
    stability: p.stability, cacheFile: cell.cacheFile,
  };
}

async function slurm(flags: ParsedFlags): Promise<number> {
  const file = required(flags, "manifest");
  const cpus = flags.optionalNumber("cpus");
  const arrayMax = flags.optionalNumber("array-max");
  const shards = flags.optionalNumber("shards");
  const text = (name: string): string | undefined => flags.optionalString(name);
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
      ...(text("results") !== undefined ? { results: text("results") } : {}),
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

/** `migration-penalties study plan|run|merge|slurm`: each subcommand's help is generated from its declarations. */
export const command: CliCommandGroup = {
  name: "study",
  summary: "a study as independent shards (Slurm job array, Kubernetes, GNU parallel): plan, run, merge, slurm",
  description: OVERVIEW_TEXT,
  subcommands: [
    {
      name: "plan", summary: "the manifest of a study: its units of work, seeds, code version and hash",
      description: PLAN_TEXT, positionals: [{ name: "study module", help: "a .js or .ts file whose default export (or export `study`) is a study definition" }],
      flags: () => PLAN_FLAGS, examples: ["study plan scripts/cluster/study.js --out runs/cluster.json --shards 3"], run: plan,
    },
    {
      name: "run", summary: "computes the units of one shard, one result file per unit", description: RUN_TEXT, positionals: [MANIFEST],
      flags: () => RUN_FLAGS, notes: [["Exit status", RUN_EXIT]], examples: ["study run runs/cluster.json --shard 0 --of 3"],
      run: (flags) => run(flags, process.env),
    },
    {
      name: "merge", summary: "the cells into the results cache, the study's tables as CSV", description: MERGE_TEXT, positionals: [MANIFEST],
      flags: () => MERGE_FLAGS, examples: ["study merge runs/cluster.json", "study merge runs/cluster.json --json"], run: merge,
    },
    {
      name: "slurm", summary: "prints an sbatch script: a job array, one task per shard", description: SLURM_TEXT, positionals: [MANIFEST],
      flags: () => SLURM_FLAGS, examples: ["study slurm runs/cluster.json --partition short --time 1:00:00 --cpus 4 --array-max 10"], run: slurm,
    },
  ],
};
