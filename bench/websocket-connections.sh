#!/usr/bin/env bash
# Benchmark (not a timed test): how many concurrent WebSocket connections the lab holds, with how much heap and how
# many threads, while answering echo round trips; and the same figures for a reference WebSocket echo server (npm ws
# on Node.js, one thread) run beside it in the same script. See docs/benchmarks.md.
#
# The lab serves the demo estate with its WebSocket API `live` (IAM on $connect), the simulated integration latency
# set to 0 (the figure is the front door's own cost) and lab.webSocket.connectionsPerSecond raised to 100000 (AWS's
# 500/s is an account limit the bench is not about), in a JVM with -Xmx1g (JAVA_OPTS below). One Node.js client
# (bench/ws/client.js, npm ws + aws4) opens CONNECTIONS connections (each $connect presigned with SigV4 by aws4), holds
# them, then sends ROUND_TRIPS echo messages on every connection, ECHO_CONCURRENCY at a time; the script then
# measures the server while every connection is still open: established TCP connections on its port (ss), heap used
# and live after a full GC (jcmd), threads (/proc). The reference npm ws echo server gets the same client without
# signing. Server and client are pinned to different CPUs (SERVER_CPUS, CLIENT_CPUS of bench/wrk.env).
#
# Needs node and npm (npm ci of lab/src/test/node's package-lock.json: ws, aws4). Only talks to 127.0.0.0/8.
# Usage: bench/websocket-connections.sh   (CONNECTIONS=5000 ROUND_TRIPS=2 ECHO_CONCURRENCY=50 OPEN_CONCURRENCY=100)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
bench_name=websocket-connections
# shellcheck source=lib.sh
source "$bench/lib.sh"
# shellcheck source=wrk.env
source "$bench/wrk.env"
: "${CONNECTIONS:=5000}"
: "${OPEN_CONCURRENCY:=100}"
: "${ROUND_TRIPS:=2}"
: "${ECHO_CONCURRENCY:=50}"
: "${LAB_HEAP:=1g}"

exec 3>&2
trap 'echo "websocket-connections: failed at line $LINENO: $BASH_COMMAND" >&3' ERR

command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed"
ensure_commands taskset:util-linux openssl:openssl ss:iproute2 python3:python3
bench_jar
jcmd="$JAVA_HOME/bin/jcmd"
bench_setup
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((CONNECTIONS * 2 + 100)) ] || die "open files limit $(ulimit -n) is too low for $CONNECTIONS connections"

bench_header "vpcanary lab WebSocket connections benchmark"
echo "node:    $(node --version)"
echo "load:    processes above 5% CPU over the last second: $(top -b -n 2 -d 1 | awk '/^top -/ {n++} n == 2 && $1 ~ /^[0-9]+$/ && $9+0 > 5 {printf "pid %s %s %s%%, ", $1, $NF, $9}')"
echo "settings: CONNECTIONS=$CONNECTIONS OPEN_CONCURRENCY=$OPEN_CONCURRENCY ROUND_TRIPS=$ROUND_TRIPS ECHO_CONCURRENCY=$ECHO_CONCURRENCY; server on CPU $SERVER_CPUS, client on CPU $CLIENT_CPUS; lab -Xmx$LAB_HEAP"

# --- node packages (the lab test's lock file: ws, aws4) ---------------------------------------------------------------
mkdir -p "$tmp/node"
cp "$root/lab/src/test/node/package.json" "$root/lab/src/test/node/package-lock.json" "$tmp/node/"
(cd "$tmp/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
export NODE_PATH="$tmp/node/node_modules"
echo "packages: $(cd "$tmp/node" && node -e 'for (const p of ["ws","aws4"]) process.stdout.write(p + " " + require(p + "/package.json").version + "  ")')"

# --- the lab ---------------------------------------------------------------------------------------------------------
estate="$tmp/bench-estate.yaml"
demo_estate "$estate"
sed -i -E 's/^( +)medianMs: .*/\1medianMs: 0/; s/^( +)p99Ms: .*/\1p99Ms: 0/' "$estate"
[ "$(grep -cE '^ +(medianMs|p99Ms): 0$' "$estate")" -eq 2 ] || die "could not set the integration latency to 0"
printf '  webSocket:\n    connectionsPerSecond: 100000\n' >> "$estate"
BENCH_LAB_JAVA_OPTS="-Xmx$LAB_HEAP" start_lab "$estate" "$tmp" taskset -c "$SERVER_CPUS"

read -r url ca key secret < <(python3 - "$tmp/env.json" <<'PY'
import json, sys
env = json.load(open(sys.argv[1]))
e = next(e for e in env["endpoints"] if e["api"] == "live" and e["accessPath"] == "REGIONAL")
print(e["url"], env["ca"], env["credentials"]["accessKeyId"], env["credentials"]["secretAccessKey"])
PY
)
host=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.urlsplit(sys.argv[1]).hostname)' "$url")
port=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.urlsplit(sys.argv[1]).port)' "$url")
resolver=$(python3 -c 'import json,sys;e=json.load(open(sys.argv[1]));print(e["resolvers"]["on-premises"])' "$tmp/env.json")
address=$(python3 "$bench/dns_a.py" "$host" "${resolver%:*}" "${resolver##*:}")
[[ "$address" == 127.* ]] || die "the lab resolved $host to '$address'"

# heap_used pid: the JVM's used heap, summed over the generations GC.heap_info lists, with each generation's share
heap_used() {
  "$jcmd" "$1" GC.heap_info | python3 -c '
import re, sys
gens = re.findall(r"^ ?(\S.*?)\s+total \d+K, used (\d+)K", sys.stdin.read(), re.M)
used = sum(int(u) for _, u in gens)
print(f"{used / 1024:.1f} MiB (" + " + ".join(f"{n.strip()} {int(u) / 1024:.1f}" for n, u in gens) + ")")'
}

# measure pid port label: established connections on the port, threads, and (for a JVM) heap used and live
measure() {
  local pid=$1 port=$2 label=$3 established threads
  established=$(ss -Htn state established "( sport = :$port )" | wc -l)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  echo "$label: $established established connections on port $port, $threads threads, RSS $(awk '/^VmRSS:/ {print $2 " " $3}' "/proc/$pid/status")"
  if [ "$label" = lab ]; then
    echo "lab heap used: $(heap_used "$pid") (before a full GC)"
    "$jcmd" "$pid" GC.run >/dev/null
    echo "lab heap live: $(heap_used "$pid") (after a full GC)"
  else
    kill -USR2 "$pid"
    wait_for "the $label server's heap figures" 10 grep -q '^heap ' "$tmp/ws-server.log"
    read -r _ before after < <(grep '^heap ' "$tmp/ws-server.log" | tail -1)
    echo "$label heap used: $before MiB (V8, before a full GC); live: $after MiB (after a full GC)"
  fi
}

# run_client label url address ca sign pid port: runs the client, measures the server while the connections are held
run_client() {
  local label=$1 curl=$2 addr=$3 cacert=$4 sign=$5 pid=$6 sport=$7 marker="$tmp/hold-$1"
  rm -f "$marker"
  BENCH_URL="$curl" BENCH_ADDRESS="$addr" BENCH_CA="$cacert" BENCH_SIGN="$sign" BENCH_KEEP_OPEN_FILE="$marker" \
    AWS_ACCESS_KEY_ID="$key" AWS_SECRET_ACCESS_KEY="$secret" CONNECTIONS="$CONNECTIONS" \
    OPEN_CONCURRENCY="$OPEN_CONCURRENCY" ROUND_TRIPS="$ROUND_TRIPS" ECHO_CONCURRENCY="$ECHO_CONCURRENCY" \
    taskset -c "$CLIENT_CPUS" node "$bench/ws/client.js" > "$tmp/client-$label.json" 2> "$tmp/client-$label.err" &
  local client=$!
  bench_pids+=("$client")
  wait_for "the $label client's round trips" 600 test -e "$marker"
  echo "$label client: $(cat "$tmp/client-$label.json")"
  measure "$pid" "$sport" "$label"
  rm -f "$marker"
  wait "$client" || { cat "$tmp/client-$label.err" >&2; die "the $label client failed"; }
}

echo
echo "== lab: $url ($host -> $address by the lab's on-premises DNS view), \$connect presigned with SigV4 (aws4)"
measure "$lab_pid" "$port" lab
run_client lab "$url" "$address" "$ca" presigned "$lab_pid" "$port"

# --- the reference: npm ws echo server -------------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=vpcanary bench ws" \
  -addext "subjectAltName=DNS:$host,IP:127.0.0.1" -keyout "$tmp/ws-key.pem" -out "$tmp/ws-cert.pem" 2>/dev/null
BENCH_CERT="$tmp/ws-cert.pem" BENCH_KEY="$tmp/ws-key.pem" BENCH_PORT=0 taskset -c "$SERVER_CPUS" \
  node --expose-gc "$bench/ws/echo-server.js" > "$tmp/ws-server.log" 2>&1 &
ws_pid=$!
bench_pids+=("$ws_pid")
wait_for "the npm ws echo server" 30 grep -q '^listening ' "$tmp/ws-server.log"
ws_port=$(awk '/^listening / {print $2}' "$tmp/ws-server.log")
echo
echo "== reference: npm ws $(node -e 'process.stdout.write(require("ws/package.json").version)') echo server on Node.js $(node --version), wss://$host:$ws_port/prod, no auth"
run_client ws "wss://$host:$ws_port/prod" 127.0.0.1 "$tmp/ws-cert.pem" none "$ws_pid" "$ws_port"

echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "written to $results"
