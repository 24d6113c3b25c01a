#!/usr/bin/env bash
# test/support/slurm.sh start DIR | stop DIR
#
# A throwaway single-node SLURM cluster for the analysis hand-off tests (electron/analysis):
# munged with its own key and socket, slurmctld and slurmd on free 127.0.0.1 ports, one node
# "localhost" in partition "debug", run as the current user. No cgroups and no slurmdbd, so
# there is no accounting (`sacct` fails): finished jobs stay visible to `scontrol show job`
# and `squeue -t all` for an hour (MinJobAge).
#
# `start` prints one line, the slurm.conf path (export it as SLURM_CONF); progress and errors go
# to stderr, and on failure the daemons are killed and their log tails printed (exit 1).
# `stop` cancels the jobs, stops the daemons recorded in DIR/pids (only while their command
# line still names DIR) and deletes DIR.
# Needs Debian's slurmctld, slurmd, slurm-client and munge (.ci/run installs them).
set -euo pipefail

say() { echo "[slurm.sh] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
cmd=${1:-}; DIR=${2:-}
[ -n "$cmd" ] && [ -n "$DIR" ] || die "usage: $0 start|stop DIR"

ours() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$DIR/"; }

stop() {
  [ -d "$DIR" ] || return 0
  if [ -f "$DIR/slurm.conf" ]; then
    export SLURM_CONF="$DIR/slurm.conf"
    local jobs
    jobs=$(timeout 5 squeue -h -o %A 2>/dev/null | tr '\n' ' ') || true
    if [ -n "${jobs// /}" ]; then
      # shellcheck disable=SC2086
      timeout 5 scancel $jobs 2>/dev/null || true
      for _ in $(seq 50); do [ -z "$(timeout 5 squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.1; done
    fi
  fi
  if [ -f "$DIR/pids" ]; then
    tac "$DIR/pids" | while read -r name pid; do
      ours "$pid" || continue
      kill -TERM "$pid" 2>/dev/null || continue
      for _ in $(seq 30); do ours "$pid" || break; sleep 0.1; done
      ! ours "$pid" || { kill -KILL "$pid" 2>/dev/null; say "killed $name ($pid)"; }
    done
  fi
  rm -rf "$DIR"
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || die "unknown command $cmd (start|stop)"

for bin in slurmctld slurmd sbatch squeue scontrol munged mungekey; do
  command -v "$bin" >/dev/null 2>&1 ||
    die "$bin missing: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge"
done
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
case "$DIR" in *[[:space:]]*) die "DIR must not contain whitespace" ;; esac
# munged refuses a socket whose directories are not world-executable
chmod 755 "$DIR"
mkdir -p "$DIR/munge" "$DIR/state" "$DIR/spool" "$DIR/log"
SOCK="$DIR/munge/sock"
[ ${#SOCK} -lt 100 ] || die "DIR too long for a unix socket"
: >"$DIR/pids"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CTLD_PORT=$(port); SLURMD_PORT=$(port)
while [ "$SLURMD_PORT" = "$CTLD_PORT" ]; do SLURMD_PORT=$(port); done

# The daemons bind to the address the hostname resolves to (NoInAddrAny). When that is not
# loopback they run in their own UTS namespace named "localhost" (needs CAP_SYS_ADMIN).
WRAP=()
ADDR=$(getent -s files ahostsv4 "$(hostname)" | awk 'NR==1{print $1}') || true
case "$ADDR" in
  127.*) ;;
  *) unshare --uts true 2>/dev/null || die "hostname $(hostname) is not loopback and unshare --uts is not permitted"
     WRAP=(unshare --uts sh -c 'hostname localhost && exec "$@"' sh) ;;
esac
HW=$(slurmd -C | sed -n '1s/^NodeName=[^ ]* //p')
[ -n "$HW" ] || die "slurmd -C printed no node layout"

cat >"$DIR/slurm.conf" <<CONF
ClusterName=aquilatest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=$(id -un)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
KillWait=2
MinJobAge=3600
ReturnToService=2
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 $HW State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

daemon() { local name=$1; shift; setsid "$@" </dev/null >>"$DIR/log/$name.out" 2>&1 & echo "$name $!" >>"$DIR/pids"; }
failed() {
  local rc=$?
  [ "$rc" = 0 ] && return
  for f in "$DIR"/log/*; do [ -s "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }; done
  while read -r _ pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$DIR/pids"
}
trap failed EXIT
waitfor() {
  local what=$1; shift
  for _ in $(seq 300); do
    "$@" >/dev/null 2>&1 && return 0
    while read -r name pid; do kill -0 "$pid" 2>/dev/null || die "$name died while waiting for $what"; done <"$DIR/pids"
    sleep 0.1
  done
  die "timed out waiting for $what"
}
export SLURM_CONF="$DIR/slurm.conf"
mungekey --create --keyfile="$DIR/munge/key" --bits=1024
daemon munged munged -F --socket="$SOCK" --key-file="$DIR/munge/key" \
  --pid-file="$DIR/munge/pid" --seed-file="$DIR/munge/seed" --origin=127.0.0.1
waitfor munged munge --socket="$SOCK" --no-input
daemon slurmctld "${WRAP[@]}" slurmctld -D -f "$DIR/slurm.conf"
daemon slurmd "${WRAP[@]}" slurmd -D -f "$DIR/slurm.conf" -N localhost
idle() { [ "$(timeout 5 sinfo -h -n localhost -o %t)" = idle ]; }
waitfor "node localhost idle" idle
trap - EXIT
say "cluster up in $DIR (slurmctld :$CTLD_PORT, slurmd :$SLURMD_PORT)"
echo "$DIR/slurm.conf"
