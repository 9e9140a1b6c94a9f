#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, for CI and for trying deploy/slurm/ on one machine.
#   deploy/slurm/local-cluster.sh install        apt-get install slurm-wlm munge (root; quick when installed)
#   deploy/slurm/local-cluster.sh start DIR      munged + slurmctld + slurmd with DIR/slurm.conf on free ports; prints
#                                               the export SLURM_CONF=... line the Slurm commands then need
#   deploy/slurm/local-cluster.sh stop DIR       stops the daemons start left running (by their pid files)
# Nothing is written under /etc: the configuration, state, logs and pid files all live in DIR.
set -euo pipefail
cmd=${1:-}
case "$cmd" in
install)
  if command -v sbatch >/dev/null && command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null; then
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends slurm-wlm munge
  ;;
start)
  dir=$(mkdir -p "$2" && cd "$2" && pwd)
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge" "$dir/log"
  # free ports of its own, so two clusters (two CI runs on one machine) do not meet
  free_port() {
    local p
    for _ in $(seq 1 100); do
      p=$((20000 + RANDOM % 20000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    echo "local-cluster: no free port found" >&2; return 1
  }
  ctld_port=${DRLLM_SLURMCTLD_PORT:-$(free_port)}
  slurmd_port=${DRLLM_SLURMD_PORT:-$(free_port)}
  node=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)  # half the RAM: leave the rest to the machine
  cat > "$dir/slurm.conf" <<CONF
ClusterName=drllm$ctld_port
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
  # munge: the packaged key (made at install), its own socket and pid file in DIR
  key=/etc/munge/munge.key
  if [ ! -s "$key" ]; then
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then mungekey --create --keyfile="$key"; else dd if=/dev/urandom of="$key" bs=1 count=1024 status=none; fi
    chmod 600 "$key"
  fi
  munged --force --key-file="$key" --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$dir/slurm.conf"
  slurmd -f "$dir/slurm.conf"
  # ready when the node answers as idle
  for _ in $(seq 1 60); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "export SLURM_CONF=$dir/slurm.conf"
      exit 0
    fi
    sleep 1
  done
  echo "local-cluster: Slurm did not come up within 60 s; logs in $dir/log" >&2
  tail -n 20 "$dir"/log/*.log >&2 || true
  exit 1
  ;;
stop)
  dir=$(cd "$2" && pwd)
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if [ -s "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  ;;
*)
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
  ;;
esac
