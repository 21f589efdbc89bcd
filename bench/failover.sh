#!/usr/bin/env bash
# Leader failover time of the three-member local cluster (deploy/local-cluster.sh), as issue 4 asks for it:
# kill -9 the leader, time until a survivor reports a new leader and until a survivor acknowledges a put (each
# put attempt gets 300 ms: a proposal forwarded to the dead leader is lost, as in etcd, and only times out), restart
# the killed member, repeat.
#
#   bench/failover.sh [tries=10]
#
# Prints each try in milliseconds and in election timeouts (--election-timeout, default 1000 ms), then median and
# max. Needs etcdctl (Debian etcd-client). Uses a fresh LOCAL_CLUSTER_DIR and stops the cluster on exit.
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd -P)
tries=${1:-10}
election_ms=${ELECTION_MS:-1000}
export LOCAL_CLUSTER_DIR=$(mktemp -d /tmp/pekko-etcd-failover.XXXXXX)
export ETCDCTL_API=3
cluster="$root/deploy/local-cluster.sh"
endpoints=(http://127.0.0.1:2379 http://127.0.0.1:22379 http://127.0.0.1:32379)
names=(infra1 infra2 infra3)
trap '"$cluster" stop >/dev/null 2>&1 || true' EXIT

now_ms() { date +%s%3N; }
leader_index() { # index of the member that reports itself leader, or -1
  local i
  for i in 0 1 2; do
    if etcdctl --endpoints="${endpoints[$i]}" --dial-timeout=1s --command-timeout=1s endpoint status -w json 2>/dev/null |
      grep -Eq '"member_id":([0-9]+).*"leader":\1[,}]'; then
      echo "$i"; return
    fi
  done
  echo -1
}
new_leader() { # killed-index: true once a survivor reports itself leader
  local i
  for i in 0 1 2; do
    [[ $i -eq $1 ]] && continue
    etcdctl --endpoints="${endpoints[$i]}" --dial-timeout=1s --command-timeout=300ms endpoint status -w json \
      2>/dev/null | grep -Eq '"member_id":([0-9]+).*"leader":\1[,}]' && return 0
  done
  return 1
}
await() { # deadline-seconds command...
  local deadline=$(($(date +%s) + $1)); shift
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < deadline)) || { echo "failover: timed out waiting for: $*" >&2; exit 1; }
    sleep 0.05
  done
}

"$cluster" start >/dev/null
for i in 0 1 2; do await 120 etcdctl --endpoints="${endpoints[$i]}" endpoint health; done
times=()
for t in $(seq 1 "$tries"); do
  l=$(leader_index)
  [[ $l -ge 0 ]] || { sleep 0.5; l=$(leader_index); }
  [[ $l -ge 0 ]] || { echo "failover: no leader before try $t" >&2; exit 1; }
  survivors=()
  for i in 0 1 2; do [[ $i -ne $l ]] && survivors+=("${endpoints[$i]}"); done
  kill -9 "$(cat "$LOCAL_CLUSTER_DIR/${names[$l]}.pid")"
  t0=$(now_ms)
  await 60 new_leader "$l"
  t1=$(now_ms)
  await 60 etcdctl --endpoints="$(IFS=,; echo "${survivors[*]}")" --dial-timeout=1s --command-timeout=300ms \
    put failover "try-$t"
  t2=$(now_ms)
  times+=($((t1 - t0)))
  echo "try $t: killed ${names[$l]}; new leader after $((t1 - t0)) ms" \
    "($(awk -v d=$((t1 - t0)) -v e="$election_ms" 'BEGIN{printf "%.2f", d/e}') election timeouts);" \
    "a put acknowledged after $((t2 - t0)) ms"
  "$cluster" start >/dev/null
  await 120 etcdctl --endpoints="${endpoints[$l]}" endpoint health
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}' <<<"$sorted")
max=$(tail -1 <<<"$sorted")
awk -v m="$median" -v x="$max" -v e="$election_ms" -v n="$tries" \
  'BEGIN {printf "new leader over %d tries: median %d ms (%.2f election timeouts), max %d ms (%.2f)\n", n, m, m/e, x, x/e}'
