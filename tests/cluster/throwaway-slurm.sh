#!/usr/bin/env bash
# A throw-away single-node SLURM cluster on this machine, to try the cluster profile
# and to test it (tests/cluster/test_cluster.py). Debian 12 (SLURM 22.05, munge); run as root.
#
#   tests/cluster/throwaway-slurm.sh start    # install if missing, start, wait until idle
#   tests/cluster/throwaway-slurm.sh status   # daemons, node state, queue
#   tests/cluster/throwaway-slurm.sh stop     # stop the daemons it started, by PID
#
# No systemd: munged, slurmctld and slurmd run in the foreground of their own sessions,
# their PIDs and logs kept in $THROWAWAY_SLURM_DIR (default: $TMPDIR/throwaway-slurm).
# No accounting daemon: `sacct` does not work here, so runs use the profile layer
# workflow/profiles/slurm-noaccounting (squeue for job states). The configuration has
# to be /etc/slurm/slurm.conf, because the executor strips SLURM_CONF from its jobs;
# the script refuses to replace a slurm.conf it did not write, and removes its own on
# stop. Every wait is bounded.
set -euo pipefail

STATE=${THROWAWAY_SLURM_DIR:-${TMPDIR:-/tmp}/throwaway-slurm}
CONF=/etc/slurm/slurm.conf
MARK="# written by throwaway-slurm.sh"
PACKAGES=(slurmctld slurmd slurm-client munge)
# Seconds to wait for munge and for the node to become idle.
START_TIMEOUT=${THROWAWAY_SLURM_TIMEOUT:-60}

say() { echo "throwaway-slurm: $*" >&2; }
die() {
  say "$*"
  exit 1
}

install_packages() {
  local missing=() package
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

write_config() {
  if [[ -e $CONF ]] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; not replacing it"
  fi
  # The node as slurmd sees it (CPUs, sockets, cores, memory), named localhost.
  local node
  node=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]*/NodeName=localhost/')
  mkdir -p /etc/slurm "$STATE/slurmctld" "$STATE/slurmd"
  cat >"$CONF" <<EOF
$MARK; removed by its 'stop'.
ClusterName=throwaway
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
# No cgroups in a container: track processes by parent PID, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No slurmdbd: sacct cannot answer; squeue shows finished jobs for MinJobAge seconds.
AccountingStorageType=accounting_storage/none
MinJobAge=3600
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
StateSaveLocation=$STATE/slurmctld
SlurmdSpoolDir=$STATE/slurmd
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
$node State=UNKNOWN
PartitionName=main Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
}

# Start "$name" "$@" detached (own session, no inherited terminal or pipes); record its PID.
launch() {
  local name=$1
  shift
  setsid "$@" </dev/null >>"$STATE/$name.out" 2>&1 &
  echo $! >"$STATE/$name.started-pid"
}

alive() { [[ -f $STATE/$1.started-pid ]] && kill -0 "$(cat "$STATE/$1.started-pid")" 2>/dev/null; }

wait_for() {
  local what=$1 deadline=$((SECONDS + START_TIMEOUT))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "gave up after ${START_TIMEOUT}s waiting for $what"
    sleep 0.5
  done
}

node_idle() { [[ $(sinfo -h -N -n localhost -o %T 2>/dev/null) == idle ]]; }

start() {
  [[ $EUID -eq 0 ]] || die "run as root: it installs packages and starts daemons"
  install_packages
  mkdir -p "$STATE"
  for name in munged slurmctld slurmd; do
    alive "$name" && die "$name already started from $STATE; run 'stop' first"
  done
  for port in 6817 6818; do
    if timeout 2 bash -c "echo >/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
      die "port $port is in use: another SLURM is running here"
    fi
  done
  # A fresh start: no jobs, logs or state of an earlier cluster from this folder.
  rm -rf "${STATE:?}"/slurmctld "${STATE:?}"/slurmd "$STATE"/*.log "$STATE"/*.out "$STATE"/*.pid
  # From here on, a failure stops whatever this call started.
  trap 'if (($?)); then say "start failed; stopping what it started"; stop || true; fi' EXIT
  write_config
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged already running; using it"
  else
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    [[ -s /etc/munge/munge.key ]] || die "/etc/munge/munge.key is missing (reinstall munge)"
    launch munged setpriv --reuid=munge --regid=munge --init-groups munged -F
    wait_for munge bash -c 'munge -n | unmunge'
  fi
  launch slurmctld slurmctld -D -i
  wait_for slurmctld scontrol ping
  launch slurmd slurmd -D -N localhost
  wait_for "the node to become idle" node_idle
  trap - EXIT
  say "node localhost idle; state, logs and PIDs in $STATE"
}

stop() {
  local name pid deadline status=0
  for name in slurmd slurmctld munged; do
    [[ -f $STATE/$name.started-pid ]] || continue
    pid=$(cat "$STATE/$name.started-pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 15))
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        say "$name ($pid) ignored SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || status=1
      fi
      say "stopped $name ($pid)"
    fi
    rm -f "$STATE/$name.started-pid"
  done
  if [[ -f $CONF ]] && grep -qF "$MARK" "$CONF"; then
    rm -f "$CONF"
  fi
  return $status
}

status() {
  local name
  for name in munged slurmctld slurmd; do
    if alive "$name"; then
      echo "$name: running ($(cat "$STATE/$name.started-pid"))"
    else
      echo "$name: not started by this script"
    fi
  done
  if alive slurmctld; then
    timeout 10 sinfo -N || true
    timeout 10 squeue || true
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status" ;;
esac
