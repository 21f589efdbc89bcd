# Helpers shared by the benchmark scripts (bin/bench-compare, bin/bench-memory, bin/bench-startup,
# bin/bench-catchup); sourced, not run. The launcher
# (bin/pekko-etcd) keeps its own: it is installed alone (/usr/local/bin/pekko-etcd) and must not need this file.

# Ports handed out so far, in a file: free_port runs in command substitutions ($(free_port)), subshells whose
# variables the caller never sees. Each script's cleanup calls bench_release_ports.
bench_ports_taken=$(mktemp "${TMPDIR:-/tmp}/bench-ports.XXXXXX")
free_port() { # a port on 127.0.0.1 that nothing listens on and this run has not handed out yet
  # Below Linux's ephemeral range (32768-60999 by default), so that no client connection of this machine (LoadGen's,
  # or one member's to another) holds it as its local port when a member binds it.
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    grep -qx "$port" "$bench_ports_taken" && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port" >>"$bench_ports_taken"
      echo "$port"
      return
    fi
  done
}

bench_release_ports() { rm -f -- "$bench_ports_taken"; }

await_healthy() { # who port [scheme [curl option...]]: poll /health (true once the member has a leader) for up to 60 s
  # Every 20 ms, so that bin/bench-startup's launch-to-serving times are not rounded up to the poll interval.
  local who=$1 port=$2 scheme=${3:-http} deadline=$((SECONDS + 60))
  shift $(($# < 3 ? $# : 3))
  until curl -sf "$@" "$scheme://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"'; do
    if ((SECONDS >= deadline)); then
      echo "$who: the member on port $port did not become healthy" >&2
      exit 1
    fi
    sleep 0.02
  done
}

ensure_bench_built() { # root: build the server and LoadGen once if this checkout has neither jar yet
  if [[ ! -f "$1/bench/target/pekko-etcd-bench.jar" || ! -f "$1/server/target/pekko-etcd-server.jar" ]]; then
    (cd "$1" && mvn -B -q -DskipTests -pl server,bench -am package) >&2
  fi
}

put_load() { # root label port LoadGen-args...: LoadGen's put at 100 clients over 10 connections, sequential keys over
  # 100,000; prints its result line after the label
  local root=$1 label=$2 port=$3
  shift 3
  java -XX:+UseSerialGC -cp "$root/bench/target/pekko-etcd-bench.jar:$root/bench/target/lib/*" \
    io.pekkoetcd.bench.LoadGen put --endpoints "http://127.0.0.1:$port" --conns 10 --clients 100 \
    --sequential-keys --key-space-size 100000 "$@" 2>&1 | grep -o "requests=.*" | sed "s/^/$label /" ||
    echo "$label: LoadGen failed"
}
