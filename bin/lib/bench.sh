# Helpers shared by the benchmark scripts (bin/bench-compare, bin/bench-memory); sourced, not run. The launcher
# (bin/pekko-etcd) keeps its own: it is installed alone (/usr/local/bin/pekko-etcd) and must not need this file.

bench_ports_taken=" "
free_port() { # a port on 127.0.0.1 that nothing listens on and this run has not handed out yet
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    [[ $bench_ports_taken == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      bench_ports_taken+="$port "
      echo "$port"
      return
    fi
  done
}

await_healthy() { # who port [scheme [curl option...]]: poll /health (true once the member has a leader) for up to 60 s
  local who=$1 port=$2 scheme=${3:-http}
  shift $(($# < 3 ? $# : 3))
  for _ in $(seq 1 600); do
    curl -sf "$@" "$scheme://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"' && return 0
    sleep 0.1
  done
  echo "$who: the member on port $port did not become healthy" >&2
  exit 1
}
