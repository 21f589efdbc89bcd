#!/usr/bin/env bash
# A pekko-etcd cluster on 127.0.0.1, like etcd's Procfile (docs/architecture.md §5). By default three members:
#
#   infra1  client http://127.0.0.1:2379   peer http://127.0.0.1:12380
#   infra2  client http://127.0.0.1:22379  peer http://127.0.0.1:22380
#   infra3  client http://127.0.0.1:32379  peer http://127.0.0.1:32380
#
#   deploy/local-cluster.sh start            build if needed, start the members not running, in the background
#   deploy/local-cluster.sh stop [NAME...]   stop all, or the members named (SIGTERM, then SIGKILL after 10 s)
#   deploy/local-cluster.sh status           which are running; `etcdctl endpoint status` if etcdctl is installed
#   deploy/local-cluster.sh run NAME         one member in the foreground with the flags `start` gives it: its log
#                                            on stdout/stderr, its exit code the script's; it writes its pid file
#
# Data, logs and pid files live under $LOCAL_CLUSTER_DIR (default: ${TMPDIR:-/tmp}/pekko-etcd-local-cluster):
# <dir>/<name>.etcd (data dir), <dir>/<name>.log, <dir>/<name>.pid. `start` on an existing directory restarts the
# members from their data; delete the directory for a fresh cluster. Extra flags for every member: $MEMBER_FLAGS.
#
# Another cluster beside this one (a test, a benchmark) sets, each a space-separated list, one entry per member:
#   LOCAL_CLUSTER_NAMES         default "infra1 infra2 infra3"
#   LOCAL_CLUSTER_CLIENT_PORTS  default "2379 22379 32379"
#   LOCAL_CLUSTER_PEER_PORTS    default "12380 22380 32380"
# and LOCAL_CLUSTER_TOKEN, the --initial-cluster-token (default local-cluster-1). Give every command (start, stop,
# status) the same environment. PEKKO_ETCD_SKIP_BUILD=1 (bin/pekko-etcd) runs the jar as it is, without building.
set -euo pipefail

self=$(readlink -f -- "${BASH_SOURCE[0]}")
root=$(cd -- "$(dirname -- "$self")/.." && pwd -P)
dir="${LOCAL_CLUSTER_DIR:-${TMPDIR:-/tmp}/pekko-etcd-local-cluster}"
read -ra names <<<"${LOCAL_CLUSTER_NAMES:-infra1 infra2 infra3}"
read -ra clients <<<"${LOCAL_CLUSTER_CLIENT_PORTS:-2379 22379 32379}"
read -ra peers <<<"${LOCAL_CLUSTER_PEER_PORTS:-12380 22380 32380}"
token="${LOCAL_CLUSTER_TOKEN:-local-cluster-1}"
if ((${#names[@]} == 0 || ${#clients[@]} != ${#names[@]} || ${#peers[@]} != ${#names[@]})); then
  echo "local-cluster: LOCAL_CLUSTER_NAMES, LOCAL_CLUSTER_CLIENT_PORTS and LOCAL_CLUSTER_PEER_PORTS need one entry" \
    "per member (got ${#names[@]} names, ${#clients[@]} client ports, ${#peers[@]} peer ports)" >&2
  exit 2
fi
members=("${!names[@]}")
cluster="" endpoints=""
for i in "${members[@]}"; do
  cluster+="${cluster:+,}${names[$i]}=http://127.0.0.1:${peers[$i]}"
  endpoints+="${endpoints:+,}http://127.0.0.1:${clients[$i]}"
done

running() { # $1: name; true if its pid file names a live process
  local pidfile="$dir/$1.pid"
  [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

index_of() { # $1: name; prints its index in names, or fails
  local i
  for i in "${members[@]}"; do
    if [[ ${names[$i]} == "$1" ]]; then
      echo "$i"
      return
    fi
  done
  echo "local-cluster: no member named $1 (members: ${names[*]})" >&2
  return 1
}

member_args() { # $1: index; sets args to the member's command line
  local i=$1
  # shellcheck disable=SC2206 # MEMBER_FLAGS is a list of flags, split on purpose.
  args=("$root/bin/pekko-etcd"
    --name "${names[$i]}"
    --data-dir "$dir/${names[$i]}.etcd"
    --listen-client-urls "http://127.0.0.1:${clients[$i]}"
    --advertise-client-urls "http://127.0.0.1:${clients[$i]}"
    --listen-peer-urls "http://127.0.0.1:${peers[$i]}"
    --initial-advertise-peer-urls "http://127.0.0.1:${peers[$i]}"
    --initial-cluster "$cluster"
    --initial-cluster-token "$token"
    --initial-cluster-state new
    ${MEMBER_FLAGS:-})
}

start() {
  mkdir -p "$dir"
  echo "data, logs and pid files in $dir"
  # Build once, up front (bin/pekko-etcd would otherwise build on the first member's start while the others wait).
  "$root/bin/pekko-etcd" --version >/dev/null
  local args
  for i in "${members[@]}"; do
    local name=${names[$i]}
    if running "$name"; then
      echo "$name is already running (pid $(cat "$dir/$name.pid"))"
      continue
    fi
    member_args "$i"
    PEKKO_ETCD_SKIP_BUILD=1 nohup "${args[@]}" >"$dir/$name.log" 2>&1 </dev/null &
    echo $! >"$dir/$name.pid"
    echo "$name started (pid $!, client http://127.0.0.1:${clients[$i]}, log $dir/$name.log)"
  done
  echo "endpoints: $endpoints"
}

run() { # $1: name; that member in the foreground (its log on stderr, its exit code this script's)
  local i args
  i=$(index_of "$1")
  if running "$1"; then
    echo "local-cluster: $1 is already running (pid $(cat "$dir/$1.pid"))" >&2
    exit 1
  fi
  mkdir -p "$dir"
  member_args "$i"
  echo $$ >"$dir/$1.pid" # exec keeps the pid
  exec "${args[@]}"
}

stop() { # $@: names (default: all)
  local name
  (($#)) || set -- "${names[@]}"
  for name in "$@"; do
    index_of "$name" >/dev/null
    if running "$name"; then
      local pid
      pid=$(cat "$dir/$name.pid")
      kill "$pid"
      for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"
        echo "$name killed (pid $pid)"
      else
        echo "$name stopped (pid $pid)"
      fi
    else
      echo "$name is not running"
    fi
    rm -f "$dir/$name.pid"
  done
}

status() {
  echo "data, logs and pid files in $dir"
  for i in "${members[@]}"; do
    local name=${names[$i]}
    if running "$name"; then
      echo "$name running (pid $(cat "$dir/$name.pid"), client http://127.0.0.1:${clients[$i]})"
    else
      echo "$name not running"
    fi
  done
  local any=0
  for name in "${names[@]}"; do
    if running "$name"; then any=1; fi
  done
  if [[ $any == 1 ]] && command -v etcdctl >/dev/null 2>&1; then
    ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --dial-timeout=2s --command-timeout=3s \
      endpoint status -w table 2>/dev/null || true
  fi
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  status) status ;;
  run) [[ $# == 2 ]] || { echo "usage: $0 run NAME" >&2; exit 2; }; run "$2" ;;
  *)
    echo "usage: $0 start|stop [NAME...]|status|run NAME" >&2
    exit 2
    ;;
esac
