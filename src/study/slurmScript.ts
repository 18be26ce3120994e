import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ParameterError, requireInteger } from "../model/parameterError";
import { projectRoot } from "./cache/codeVersion";
import { describeCode, readStudyManifest } from "./readStudyManifest";
import { defaultResultsDirectory } from "./unitResults";

/** Options of {@link slurmScript}. */
export interface SlurmScriptOptions {
  /** The partition (`#SBATCH --partition`); default: the cluster's default partition. */
  readonly partition?: string;
  /** The time limit of each task in a form Slurm reads: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS. */
  readonly time?: string;
  /** CPUs per task, an integer in [1, 1024] (default 1); each task runs that many replications at once. */
  readonly cpus?: number;
  /** At most this many tasks run at once (the array's %M throttle), an integer >= 1 (default min(shards, 8)). */
  readonly arrayMax?: number;
  /** Tasks in the array, an integer in [1, 100000] (default: the manifest's plannedShards). */
  readonly shards?: number;
  /** The folder of the result files (default: `<manifest folder>/<manifest name>-results`). */
  readonly results?: string;
  /** The account to charge (`#SBATCH --account`), if the cluster asks for one. */
  readonly account?: string;
  /** The job's name (default `mp-<study>`). */
  readonly jobName?: string;
  /** Memory per task (`#SBATCH --mem`), for example 4G. */
  readonly memory?: string;
}

const WORD = /^[A-Za-z0-9_.,+-]{1,128}$/;
const TIME = /^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+|\d+-\d+:\d{2}|\d+-\d+:\d{2}:\d{2})$/;
const MEMORY = /^\d+[KMGT]?$/;
/** Paths go into #SBATCH lines, which cannot quote: no spaces, quotes, '$', '`', '\' or '%'. */
const SAFE_PATH = /^[^\s'"`$\\%]+$/;

function word(name: string, value: string | undefined, pattern: RegExp, allowed: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !pattern.test(value)) throw new ParameterError(name, value, allowed);
  return value;
}

function safePath(name: string, path: string): string {
  if (!SAFE_PATH.test(path)) throw new ParameterError(name, path, "a path without spaces, quotes, '$', '`', '\\' or '%' (#SBATCH lines cannot quote)");
  return path;
}

/**
 * The sbatch script of a planned study: a job array with one task per shard (`--array=0-<N - 1>%<M>`, at most M
 * at once), each task running `migration-penalties study run <manifest> --of N` with the absolute paths of this
 * Node.js and of the checkout's dist/cli/main.js; the shard comes from SLURM_ARRAY_TASK_ID. Logs go to
 * `slurm-<job>_<task>.out` beside the manifest. It is printed, never submitted: `sbatch script.sh` submits it,
 * and `sbatch --array=3,5 script.sh` runs only tasks 3 and 5 again (the shard count stays N, written in the
 * script). The checkout must be built (npm run build) and be the code that planned the manifest; the manifest is
 * checked for edits here, and for its code when each task starts. Cost: reading the manifest.
 *
 * @param manifestFile the manifest
 * @param options partition, time, cpus, arrayMax, shards, results, account, jobName, memory
 * @returns the script's text
 * @throws ParameterError for options Slurm would not read (naming them) or paths an #SBATCH line cannot hold;
 *   StudyManifestError for an edited manifest
 * @example
 * const cells = studyGrid({ lambda: [0.5, 0.8] }, ({ lambda }) =>
 *   ({ queues: 10, arrivalRate: lambda, migrationPenalty: 1, policy: noSharing() }));
 * writeStudyManifest({ name: "demo", cells, simulation: { events: 1e4, replications: 4 } }, "runs/demo.json", { replicationsPerUnit: 2 });
 * slurmScript("runs/demo.json", { partition: "short", time: "1:00:00", cpus: 4, arrayMax: 10 }).split("\n").slice(0, 3)
 * // => ["#!/bin/bash", "#SBATCH --job-name=mp-demo", "#SBATCH --array=0-3%10"]
 */
export function slurmScript(manifestFile: string, options: SlurmScriptOptions = {}): string {
  if (options === null || typeof options !== "object") throw new ParameterError("options", options, "an object");
  const manifest = readStudyManifest(manifestFile, { requireSameCode: false });
  const shards = requireInteger("shards", options.shards ?? manifest.plannedShards, 1, 100_000);
  const cpus = requireInteger("cpus", options.cpus ?? 1, 1, 1024);
  const arrayMax = requireInteger("arrayMax", options.arrayMax ?? Math.min(shards, 8), 1, 100_000);
  const partition = word("partition", options.partition, WORD, "a partition name (letters, digits, '_', '.', ',', '+', '-')");
  const account = word("account", options.account, WORD, "an account name (letters, digits, '_', '.', ',', '+', '-')");
  const time = word("time", options.time, TIME, "a Slurm time: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS");
  const memory = word("memory", options.memory, MEMORY, "a size Slurm reads, for example 4000 (MB) or 4G");
  const jobName = word("jobName", options.jobName ?? `mp-${manifest.study.name}`, WORD, "a job name (letters, digits, '_', '.', ',', '+', '-')") as string;
  const manifestPath = safePath("manifest", resolve(manifestFile));
  const results = safePath("results", resolve(options.results ?? defaultResultsDirectory(manifestFile)));
  const root = safePath("project folder", projectRoot());
  const node = safePath("node", process.execPath);
  const main = safePath("dist/cli/main.js", join(root, "dist", "cli", "main.js"));
  const logs = safePath("manifest folder", dirname(manifestPath));
  const lines = [
    "#!/bin/bash",
    `#SBATCH --job-name=${jobName}`,
    `#SBATCH --array=0-${shards - 1}%${arrayMax}`,
    "#SBATCH --ntasks=1",
    `#SBATCH --cpus-per-task=${cpus}`,
    ...(partition !== undefined ? [`#SBATCH --partition=${partition}`] : []),
    ...(account !== undefined ? [`#SBATCH --account=${account}`] : []),
    ...(time !== undefined ? [`#SBATCH --time=${time}`] : []),
    ...(memory !== undefined ? [`#SBATCH --mem=${memory}`] : []),
    `#SBATCH --output=${logs}/slurm-%A_%a.out`,
    "",
    `# Study "${manifest.study.name}": ${manifest.cells.length} cell(s), ${manifest.units.length} unit(s) of work in ${shards} shard(s).`,
    `# Manifest ${manifestPath}`,
    `#   hash ${manifest.manifestHash}`,
    `#   planned by ${describeCode(manifest.code)}`,
    `# Each task runs shard $SLURM_ARRAY_TASK_ID of ${shards}; a unit already done is skipped, so a task can be`,
    "# submitted again (sbatch --array=<ids> this-script) after a failure or a time-out.",
    ...(shards > 1001 ? [`# ${shards} tasks: clusters often cap arrays at MaxArraySize (1001 by default); plan fewer shards if sbatch refuses.`] : []),
    "set -euo pipefail",
    `cd ${root}`,
    `if [ ! -f ${main} ]; then echo "${main} is missing: run npm run build in ${root}" >&2; exit 1; fi`,
    `exec ${node} ${main} study run ${manifestPath} --of ${shards} --results ${results} --workers "\${SLURM_CPUS_PER_TASK:-${cpus}}"`,
    "",
  ];
  if (!existsSync(main)) process.stderr.write(`migration-penalties: ${main} does not exist yet: run npm run build before submitting the script\n`);
  return lines.join("\n");
}
