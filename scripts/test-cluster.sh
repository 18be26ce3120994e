#!/usr/bin/env bash
# npm run test:cluster: a study run as a Slurm job array on a real single-node Slurm, checked against the same
# study computed locally on worker threads.
#   1. Installs Debian's slurm-wlm and munge when missing (needs root; without root it says so and fails).
#   2. Writes a minimal single-node slurm.conf (this host, its cores, one partition, no cgroups) into a
#      temporary folder, and starts munged, slurmctld and slurmd in the foreground, all under that folder, on
#      free ports and a private munge socket (nothing global is touched, another cluster on the host is left alone).
#   3. Plans scripts/cluster/study.js (ABOUNCE over lambda, 1e6 events), prints the sbatch script with
#      `migration-penalties study slurm`, submits it, waits (MP_CLUSTER_TIMEOUT seconds, default 600), merges.
#   4. Checks that every array task completed and that the merged study equals the same study computed
#      locally, bit for bit (scripts/cluster/compare.js).
#   5. Stops every daemon it started by its PID, any job process left, and removes the folder; also on failure.
# If Slurm cannot be installed or started, the test fails and says why: it never passes without running.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$SECONDS
timeout_seconds="${MP_CLUSTER_TIMEOUT:-600}"

say() { echo "test:cluster: $*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}

# ---- 1. packages ---------------------------------------------------------------------------------------
missing=()
for tool in slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    missing+=(slurm-wlm)
    break
  fi
done
[ -x /usr/sbin/munged ] || missing+=(munge)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    fail "Slurm is not installed (${missing[*]} missing) and installing it needs root: run
    sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends ${missing[*]}'
  then run npm run test:cluster again. The cluster test did not run."
  fi
  command -v apt-get >/dev/null 2>&1 || fail "Slurm is not installed and there is no apt-get (this test expects Debian bookworm). The cluster test did not run."
  say "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  # The packages' own services (munge, slurmctld, slurmd) must not start: this test runs its own daemons.
  # policy-rc.d answering 101 ("action forbidden") is Debian's way to keep a package install from starting them.
  policy_added=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_added=true
  fi
  installed=true
  apt-get -o DPkg::Lock::Timeout=300 update >&2 && apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >&2 ||
    installed=false
  if $policy_added; then rm -f /usr/sbin/policy-rc.d; fi
  $installed || fail "apt-get install ${missing[*]} failed: Slurm cannot be installed. The cluster test did not run."
fi
[ "$(id -u)" -eq 0 ] || fail "starting slurmd needs root (it runs jobs as their users). The cluster test did not run."
[ -r /etc/munge/munge.key ] || fail "/etc/munge/munge.key is missing (the munge package creates it): munge cannot start. The cluster test did not run."
id munge >/dev/null 2>&1 || fail "there is no munge user (the munge package creates it). The cluster test did not run."
say "$(slurmd -V 2>&1 | head -n 1), $(/usr/sbin/munged --version 2>&1 | head -n 1)"

# ---- the build the job array runs ----------------------------------------------------------------------
if [ ! -d node_modules ]; then fail "node_modules is missing: run npm ci (or npm test) first"; fi
# tsc rewrites every file of dist/, so dist/cli/main.js older than a source means dist/ is stale.
if [ ! -f dist/cli/main.js ] || [ -n "$(find src tsconfig.json package.json -newer dist/cli/main.js -print -quit)" ]; then
  say "building dist/ (npm run build)"
  build_started=$SECONDS
  npm run -s build
  say "built in $((SECONDS - build_started)) s"
fi

# ---- 2. the cluster, in a temporary folder -------------------------------------------------------------
work="$(mktemp -d /tmp/mp-cluster-XXXXXX)"
chmod 755 "$work"
conf="$work/slurm.conf"
# Every Slurm command and daemon of this test runs through `cluster`: SLURM_CONF names this test's slurm.conf,
# and MP_CLUSTER_TEST marks the processes (daemons, slurmstepd, the job's tasks inherit it) so that cleanup can
# find every process of this cluster, and only those. The script itself does not carry the mark.
cluster() { SLURM_CONF="$conf" MP_CLUSTER_TEST="$work" "$@"; }
munged_pid=""
slurmctld_pid=""
slurmd_pid=""
job_id=""

# Whether a process runs (a zombie, dead but not yet reaped, does not count).
alive() {
  local state
  [ -n "$1" ] || return 1
  state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Stops a daemon this script started, by its PID: SIGTERM, up to 10 s, then SIGKILL; then reaps it.
stop_pid() {
  local pid="$1" name="$2"
  [ -n "$pid" ] || return 0
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      say "$name (pid $pid) did not stop on SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

# The PIDs of the processes that carry this test's mark (see `cluster`).
cluster_pids() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid="${environ#/proc/}"
    pid="${pid%/environ}"
    alive "$pid" || continue
    if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qxF "MP_CLUSTER_TEST=$work"; then echo "$pid"; fi
  done
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [ -n "$job_id" ] && alive "$slurmctld_pid"; then
    cluster scancel "$job_id" 2>/dev/null
    for _ in $(seq 1 50); do
      [ -z "$(cluster squeue -h -j "$job_id" 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_pid "$slurmd_pid" slurmd
  stop_pid "$slurmctld_pid" slurmctld
  stop_pid "$munged_pid" munged
  local left
  left="$(cluster_pids | tr '\n' ' ')"
  if [ -n "${left// /}" ]; then
    say "stopping processes of the cluster still running: $(ps -o pid=,args= -p "${left// /,}" 2>/dev/null | tr '\n' ';')"
    for pid in $left; do kill -KILL "$pid" 2>/dev/null; done
  fi
  if [ $rc -ne 0 ]; then
    for log in "$work"/log/*.log "$work"/runs/slurm-*.out; do
      [ -f "$log" ] || continue
      echo "---- $log (last 30 lines)" >&2
      tail -n 30 "$log" >&2
    done
  fi
  rm -rf "$work"
  say "$( [ $rc -eq 0 ] && echo passed || echo FAILED ) in $((SECONDS - started)) s; daemons stopped, $work removed"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_ports() {
  node -e '
    const net = require("node:net");
    const a = net.createServer().listen(0, "127.0.0.1", () => {
      const b = net.createServer().listen(0, "127.0.0.1", () => {
        console.log(a.address().port, b.address().port);
        a.close(); b.close();
      });
    });'
}
read -r ctld_port slurmd_port < <(free_ports)
host="$(hostname -s)"
cpus="$(nproc)"
mkdir -p "$work/state" "$work/spool" "$work/run" "$work/log" "$work/munge" "$work/runs"
chown munge:munge "$work/munge"
chmod 755 "$work/munge" # munged requires its socket's folder to be searchable by every user
cat >"$conf" <<EOF
ClusterName=mptest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

daemons_started=$SECONDS
say "starting munged, slurmctld and slurmd under $work (ports $ctld_port, $slurmd_port, $cpus CPUs)"
# (the daemons start as plain commands, not through `cluster`, so that $! is the daemon's own PID)
SLURM_CONF="$conf" MP_CLUSTER_TEST="$work" setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground \
  --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" --log-file="$work/log/munged.log" \
  --seed-file="$work/munge/munged.seed" >"$work/log/munged.out" 2>&1 &
munged_pid=$!
for _ in $(seq 1 50); do
  [ -S "$work/munge/munge.socket" ] && break
  alive "$munged_pid" || break
  sleep 0.1
done
[ -S "$work/munge/munge.socket" ] || fail "munged did not start: $(cat "$work/log/munged.out" "$work/log/munged.log" 2>/dev/null | tail -n 5)"
munge --socket="$work/munge/munge.socket" -n </dev/null | unmunge --socket="$work/munge/munge.socket" >/dev/null ||
  fail "munge cannot encode and decode a credential with $work/munge/munge.socket"

SLURM_CONF="$conf" MP_CLUSTER_TEST="$work" slurmctld -D -f "$conf" >"$work/log/slurmctld.out" 2>&1 &
slurmctld_pid=$!
SLURM_CONF="$conf" MP_CLUSTER_TEST="$work" slurmd -D -f "$conf" >"$work/log/slurmd.out" 2>&1 &
slurmd_pid=$!
state=""
for _ in $(seq 1 300); do
  alive "$slurmctld_pid" || fail "slurmctld exited: $(tail -n 5 "$work/log/slurmctld.out" "$work/log/slurmctld.log" 2>/dev/null)"
  alive "$slurmd_pid" || fail "slurmd exited: $(tail -n 5 "$work/log/slurmd.out" "$work/log/slurmd.log" 2>/dev/null)"
  state="$(cluster sinfo -h -n "$host" -o %T 2>/dev/null || true)"
  [ "$state" = "idle" ] && break
  sleep 0.2
done
[ "$state" = "idle" ] || fail "Slurm did not start: node $host is \"${state:-unknown}\" after 60 s, not idle"
say "Slurm is up: node $host idle after $((SECONDS - daemons_started)) s"

# ---- 3. plan, sbatch, wait, merge ----------------------------------------------------------------------
cli=(node "$root/dist/cli/main.js")
manifest="$work/runs/manifest.json"
shards=4
"${cli[@]}" study plan scripts/cluster/study.js --out "$manifest" --shards "$shards"
"${cli[@]}" study slurm "$manifest" --partition debug --time 0:10:00 --cpus 1 --array-max 2 >"$work/runs/job.sh"
say "the generated sbatch script:"
sed 's/^/    /' "$work/runs/job.sh" >&2
submitted=$SECONDS
job_id="$(cluster sbatch --parsable "$work/runs/job.sh")" || fail "sbatch refused the generated script"
job_id="${job_id%%;*}"
say "submitted job array $job_id; waiting (at most $timeout_seconds s)"
while [ -n "$(cluster squeue -h -j "$job_id" 2>/dev/null)" ]; do
  [ $((SECONDS - submitted)) -lt "$timeout_seconds" ] || fail "job $job_id still queued or running after $timeout_seconds s: $(cluster squeue -j "$job_id")"
  alive "$slurmd_pid" || fail "slurmd exited while the job ran"
  sleep 0.5
done
say "the job array finished in $((SECONDS - submitted)) s"

# ---- 4. every task completed, merge, compare -----------------------------------------------------------
states="$(cluster scontrol -o show job "$job_id" | grep -o 'JobState=[A-Z_]* .*ExitCode=[0-9:]*' | sed -E 's/^JobState=([A-Z_]+).*ExitCode=([0-9:]+)$/\1 \2/')"
completed="$(printf '%s\n' "$states" | grep -c '^COMPLETED 0:0$' || true)"
[ "$completed" -eq "$shards" ] || fail "expected $shards completed tasks, got: $(printf '%s; ' "$states")"
for task in $(seq 0 $((shards - 1))); do
  log="$work/runs/slurm-${job_id}_${task}.out"
  grep -q "^shard $task of $shards: " "$log" 2>/dev/null || fail "task $task left no log saying it ran shard $task ($log)"
done
checked=$SECONDS
"${cli[@]}" study merge "$manifest" --cache "$work/cache" || fail "study merge did not find every unit"
node scripts/cluster/compare.js scripts/cluster/study.js "$work/cache" "$work/local-cache" || fail "the merged study differs from the local one"
say "ok: $shards array tasks completed under Slurm; merged == local, bit for bit (merge and local run: $((SECONDS - checked)) s)"
