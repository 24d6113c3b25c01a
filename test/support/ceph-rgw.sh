#!/usr/bin/env bash
# ceph-rgw.sh start [DIR]   |   ceph-rgw.sh stop DIR
#
# A throwaway Ceph S3 gateway for the upload tests and bench:upload: one monitor, one OSD and
# one radosgw, no manager, no cephx, every socket on 127.0.0.1. State, logs and the daemons'
# pids ("NAME PID" per line, in start order) live under DIR (default: a new temp folder).
#
# start: prints only shell export lines on stdout (S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY,
#   S3_REGION, S3_FORCE_PATH_STYLE, CEPH_RGW_DIR); progress and errors go to stderr. On a
#   failure it kills what it started, prints the log tails and exits non-zero.
# stop: signals only the recorded pids whose command line still names DIR/ceph.conf (a reused
#   pid is never hit), newest first, SIGKILL after 3 s, then deletes DIR.
#
# Environment: S3_ACCESS_KEY / S3_SECRET_KEY (default random), S3_REGION (default us-east-1),
# CEPH_RGW_PORT (default a free port), CEPH_RGW_OBJECTSTORE = memstore (default; data in RAM)
# or bluestore (sparse file in DIR), CEPH_RGW_STORE_BYTES (memstore 4 GiB, bluestore 20 GiB),
# CEPH_RGW_TIMEOUT (seconds per step, default 60).
# Needs Debian's ceph-mon ceph-osd radosgw ceph-common ceph-base uuid-runtime curl python3;
# as root it installs the missing ones with apt-get, otherwise it names them and exits 1.
set -euo pipefail

say() { printf '[ceph-rgw] %s\n' "$*" >&2; }
fail() {
  say "error: $*"
  exit 1
}

owned_by() { # PID DIR: true while PID is a daemon of the cluster in DIR
  local cmdline
  cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ $cmdline == *"$2/ceph.conf"* ]]
}

stop_cluster() {
  local dir=$1 name pid tenths
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/pids" ]; then
    while read -r name pid; do
      [ -n "${pid:-}" ] && owned_by "$pid" "$dir" || continue
      kill -TERM "$pid" 2>/dev/null || continue
      for ((tenths = 0; tenths < 30; tenths++)); do
        owned_by "$pid" "$dir" || break
        sleep 0.1
      done
      owned_by "$pid" "$dir" && kill -KILL "$pid" 2>/dev/null
      say "stopped $name ($pid)"
    done < <(tac "$dir/pids")
  fi
  rm -rf -- "$dir"
}

ensure_packages() {
  local missing=() pair
  for pair in ceph-mon:ceph-mon ceph-osd:ceph-osd radosgw:radosgw radosgw-admin:ceph-common \
    ceph:ceph-common monmaptool:ceph-base uuidgen:uuid-runtime curl:curl python3:python3; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local pkgs
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  [ "$(id -u)" = 0 ] || fail "missing Debian packages; as root: apt-get install -y --no-install-recommends $pkgs"
  say "installing $pkgs"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs >&2; }
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

random_string() { # CHARSET LENGTH
  local s
  s=$(LC_ALL=C tr -dc "$1" </dev/urandom | head -c "$2") || true
  printf '%s' "$s"
}

start_cluster() {
  ensure_packages
  dir=${1:-} # global: the EXIT trap reads it
  [ -n "$dir" ] || dir=$(mktemp -d -t aquila-rgw.XXXXXX)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ $dir != *[[:space:]]* ]] || fail "the folder must not contain whitespace: $dir"
  [ ! -e "$dir/ceph.conf" ] || fail "$dir already holds a cluster"
  mkdir -p "$dir/mon" "$dir/osd" "$dir/run" "$dir/log" "$dir/rgw"
  : >"$dir/pids"

  local timeout_s=${CEPH_RGW_TIMEOUT:-60}
  local mon_port rgw_port
  mon_port=$(free_port)
  rgw_port=${CEPH_RGW_PORT:-$(free_port)}
  while [ "$rgw_port" = "$mon_port" ]; do rgw_port=$(free_port); done
  local fsid osd_uuid
  fsid=$(uuidgen)
  osd_uuid=$(uuidgen)
  local access=${S3_ACCESS_KEY:-$(random_string 'A-Z0-9' 20)}
  local secret=${S3_SECRET_KEY:-$(random_string 'A-Za-z0-9' 40)}
  local region=${S3_REGION:-us-east-1}

  local store
  case ${CEPH_RGW_OBJECTSTORE:-memstore} in
    memstore)
      store="osd objectstore = memstore
memstore device bytes = ${CEPH_RGW_STORE_BYTES:-4294967296}"
      ;;
    bluestore)
      store="osd objectstore = bluestore
bluestore block create = true
bluestore block size = ${CEPH_RGW_STORE_BYTES:-21474836480}
bluestore fsck on mkfs = false
bluestore fsck on mount = false
bluestore cache autotune = false
bluestore cache size = 134217728
osd memory target = 939524096"
      ;;
    *) fail "CEPH_RGW_OBJECTSTORE must be memstore or bluestore" ;;
  esac

  cat >"$dir/ceph.conf" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = false
# without cephx, clients must not ask the monitor for a secure connection
ms mon client mode = crc
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
log to stderr = false
err to stderr = false
crash dir = $dir/log/crash
mon cluster log file = $dir/log/cluster.\$channel.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1
[mon]
mon data = $dir/mon/\$cluster-\$id
paxos propose interval = 0.05
[osd]
osd data = $dir/osd
osd crush update on start = true
$store
[client]
rgw data = $dir/rgw
[client.rgw.s3]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw thread pool size = 64
rgw dynamic resharding = false
rgw enable usage log = false
rgw gc obj min wait = 60
rgw gc processor period = 60
CONF

  local conf=(-c "$dir/ceph.conf")
  # On any failure from here: show the logs, kill what was started, leave DIR for a look.
  trap 'rc=$?; if [ $rc -ne 0 ]; then
      say "start failed; logs in $dir/log";
      for f in "$dir"/log/*; do [ -s "$f" ] && { echo "--- $f" >&2; tail -n 12 "$f" >&2; }; done;
      while read -r _ p; do kill -KILL "$p" 2>/dev/null || true; done <"$dir/pids";
    fi' EXIT

  setup() { timeout "$timeout_s" "$@" </dev/null >>"$dir/log/setup.out" 2>&1 || fail "$* failed"; }
  daemon() { # NAME COMMAND...
    local name=$1
    shift
    setsid "$@" </dev/null >>"$dir/log/$name.out" 2>&1 &
    echo "$name $!" >>"$dir/pids"
  }
  await() { # WHAT COMMAND...
    local what=$1 until=$(($(date +%s) + timeout_s)) name pid
    shift
    until "$@" >/dev/null 2>&1; do
      while read -r name pid; do
        kill -0 "$pid" 2>/dev/null || fail "$name exited while waiting for $what"
      done <"$dir/pids"
      [ "$(date +%s)" -lt "$until" ] || fail "no $what after ${timeout_s} s"
      sleep 0.1
    done
    say "$what ready"
  }
  osd_is_up() { timeout 10 ceph "${conf[@]}" --connect-timeout 5 osd dump | grep -q '^osd\.0 up'; }
  rgw_answers() { curl -sf -m 5 -o /dev/null "http://127.0.0.1:$rgw_port/"; }

  setup monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap"
  setup ceph-mon "${conf[@]}" --mkfs -i a --monmap "$dir/monmap"
  daemon mon ceph-mon "${conf[@]}" -f -i a
  await "monitor" timeout 10 ceph "${conf[@]}" --connect-timeout 5 mon stat

  setup ceph "${conf[@]}" osd new "$osd_uuid" 0
  setup ceph-osd "${conf[@]}" -i 0 --mkfs --osd-uuid "$osd_uuid"
  daemon osd ceph-osd "${conf[@]}" -f -i 0
  # radosgw's pools, made in one batch while the OSD boots (radosgw would make them one by one)
  local pool
  for pool in .rgw.root default.rgw.control default.rgw.meta default.rgw.log \
    default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
    printf 'osd pool create %s 8 8 replicated\nosd pool application enable %s rgw\n' "$pool" "$pool"
  done | timeout "$timeout_s" ceph "${conf[@]}" >>"$dir/log/setup.out" 2>&1 || fail "creating pools failed"
  await "osd.0" osd_is_up

  setup radosgw-admin "${conf[@]}" user create --uid=aquila --display-name=aquila \
    --access-key="$access" --secret-key="$secret"
  # the zonegroup's api name is the S3 region (CreateBucket with a LocationConstraint)
  setup radosgw-admin "${conf[@]}" zonegroup modify --rgw-zonegroup=default --api-name="$region"
  daemon rgw radosgw "${conf[@]}" -f -n client.rgw.s3
  await "S3 endpoint http://127.0.0.1:$rgw_port" rgw_answers

  trap - EXIT
  printf 'export %s\n' "S3_ENDPOINT=http://127.0.0.1:$rgw_port" "S3_ACCESS_KEY=$access" \
    "S3_SECRET_KEY=$secret" "S3_REGION=$region" S3_FORCE_PATH_STYLE=true "CEPH_RGW_DIR=$dir"
}

case ${1:-} in
  start) start_cluster "${2:-}" ;;
  stop)
    [ -n "${2:-}" ] || fail "usage: $0 stop DIR"
    stop_cluster "$2"
    ;;
  *)
    sed -n '2,2p' "$0" | sed 's/^# /usage: /' >&2
    exit 2
    ;;
esac
