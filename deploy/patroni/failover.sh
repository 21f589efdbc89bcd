#!/usr/bin/env bash
# Patroni (Debian's `patroni`, PostgreSQL 15) on a three-member DCS reached through etcd's JSON gateway: a two-node
# HA PostgreSQL; measures how long a failover takes. Run as root (PostgreSQL runs as the `postgres` user).
#
#   deploy/patroni/failover.sh pekko [RUNS]   the DCS is three pekko-etcd members (deploy/local-cluster.sh)
#   deploy/patroni/failover.sh etcd  [RUNS]   the DCS is three real etcd 3.4 members
#
# Each run: wait until one node is the leader and the other a streaming replica; SIGKILL the leader's Patroni and
# its PostgreSQL; time until the other node answers 200 on Patroni's /leader. The killed node is then wiped and
# restarted, so it rejoins as a replica (base backup) before the next run. Patroni's DCS settings: ttl 20,
# loop_wait 5, retry_timeout 5. Prints one line per run and the mean. Every port is a free one chosen at start;
# everything lives under $PATRONI_DIR (default: a new temporary directory) and is stopped at exit.
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/../.." && pwd -P)
dcs=${1:?usage: failover.sh pekko|etcd [RUNS]}
runs=${2:-3}
dir=${PATRONI_DIR:-$(mktemp -d /tmp/patroni-failover.XXXXXX)}
mkdir -p "$dir"
chmod 755 "$dir"
bin=/usr/lib/postgresql/15/bin

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now() { date +%s.%N; }

clients=() peers=()
for _ in 1 2 3; do clients+=("$(free_port)"); peers+=("$(free_port)"); done
etcd_pids=()
export LOCAL_CLUSTER_DIR="$dir/dcs" LOCAL_CLUSTER_NAMES="p1 p2 p3" LOCAL_CLUSTER_CLIENT_PORTS="${clients[*]}" \
  LOCAL_CLUSTER_PEER_PORTS="${peers[*]}" LOCAL_CLUSTER_TOKEN="patroni-$$"

cleanup() {
  for n in 1 2; do stop_node "$n" || true; done
  if [[ $dcs == pekko ]]; then
    "$root/deploy/local-cluster.sh" stop >/dev/null 2>&1 || true
  else
    for p in "${etcd_pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${etcd_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  fi
}
trap cleanup EXIT

start_dcs() {
  if [[ $dcs == pekko ]]; then
    "$root/deploy/local-cluster.sh" start >/dev/null
  else
    local cluster="" i
    mkdir -p "$dir/dcs"
    for i in 0 1 2; do cluster+="${cluster:+,}e$i=http://127.0.0.1:${peers[$i]}"; done
    for i in 0 1 2; do
      etcd --name "e$i" --data-dir "$dir/dcs/e$i.etcd" --listen-client-urls "http://127.0.0.1:${clients[$i]}" \
        --advertise-client-urls "http://127.0.0.1:${clients[$i]}" --listen-peer-urls "http://127.0.0.1:${peers[$i]}" \
        --initial-advertise-peer-urls "http://127.0.0.1:${peers[$i]}" --initial-cluster "$cluster" \
        --initial-cluster-token "patroni-$$" >"$dir/dcs/e$i.log" 2>&1 &
      etcd_pids+=($!)
    done
  fi
  local deadline=$((SECONDS + 120))
  until curl -sf "http://127.0.0.1:${clients[0]}/health" >/dev/null; do
    ((SECONDS < deadline)) || { echo "failover: the DCS is not healthy" >&2; exit 1; }
    sleep 0.2
  done
}

declare -A api pg
write_config() { # $1: node number
  local n=$1 hosts="127.0.0.1:${clients[0]},127.0.0.1:${clients[1]},127.0.0.1:${clients[2]}"
  mkdir -p "$dir/pg$n"
  cat >"$dir/pg$n/patroni.yml" <<YAML
scope: failover-$$
name: pg$n
log:
  level: INFO
restapi:
  listen: 127.0.0.1:${api[$n]}
  connect_address: 127.0.0.1:${api[$n]}
etcd3:
  hosts: $hosts
bootstrap:
  dcs:
    ttl: 20
    loop_wait: 5
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
  initdb:
  - encoding: UTF8
postgresql:
  listen: 127.0.0.1:${pg[$n]}
  connect_address: 127.0.0.1:${pg[$n]}
  data_dir: $dir/pg$n/data
  bin_dir: $bin
  pgpass: $dir/pg$n/pgpass
  authentication:
    replication: {username: replicator, password: rep}
    superuser: {username: postgres, password: pg}
  parameters:
    unix_socket_directories: $dir/pg$n
  pg_hba:
  - local all all trust
  - host all all 127.0.0.1/32 trust
  - host replication replicator 127.0.0.1/32 trust
YAML
  chown -R postgres:postgres "$dir/pg$n"
}

start_node() { # $1: node number
  HOME="$dir/pg$1" setpriv --reuid=postgres --regid=postgres --init-groups \
    patroni "$dir/pg$1/patroni.yml" >>"$dir/pg$1/patroni.log" 2>&1 &
  echo $! >"$dir/pg$1/patroni.pid"
  disown
}

stop_node() { # $1: node number; SIGKILL Patroni and its PostgreSQL
  local pidfile="$dir/pg$1/patroni.pid" pm="$dir/pg$1/data/postmaster.pid"
  if [[ -f $pidfile ]]; then
    kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  fi
  if [[ -f $pm ]]; then # the postmaster, then the backends it leaves (its children, by its pid)
    local postmaster
    postmaster=$(head -1 "$pm")
    kill -9 "$postmaster" 2>/dev/null || true
    pkill -9 -P "$postmaster" 2>/dev/null || true
  fi
}

role_is() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${api[$1]}/$2" | grep -q '^200$'; }

await() { # $1: seconds, $2: description, rest: command
  local deadline=$(($(date +%s) + $1)) what=$2
  shift 2
  until "$@"; do
    (($(date +%s) < deadline)) || { echo "failover: not within $1 s: $what" >&2; exit 1; }
    sleep 0.1
  done
}

healthy() { # one leader, one streaming replica
  { role_is 1 leader && role_is 2 replica; } || { role_is 2 leader && role_is 1 replica; }
}

start_dcs
for n in 1 2; do api[$n]=$(free_port); pg[$n]=$(free_port); write_config "$n"; done
start_node 1
await 120 "pg1 bootstraps and leads" role_is 1 leader
start_node 2
await 180 "pg2 replicates" healthy
echo "dcs=$dcs: a leader is elected, the other node replicates"

total=0
for ((r = 1; r <= runs; r++)); do
  await 180 "one leader and one replica before run $r" healthy
  if role_is 1 leader; then old=1 new=2; else old=2 new=1; fi
  t0=$(now)
  stop_node "$old"
  await 120 "pg$new takes over" role_is "$new" leader
  t1=$(now)
  took=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
  total=$(python3 -c "print($total + $took)")
  echo "run $r: killed pg$old (leader), pg$new leads after $took s"
  rm -rf "$dir/pg$old/data"
  start_node "$old"
done
echo "dcs=$dcs mean failover over $runs runs: $(python3 -c "print(f'{$total / $runs:.1f}')") s"
