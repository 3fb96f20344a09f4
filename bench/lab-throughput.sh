#!/usr/bin/env bash
# Benchmark (not a timed test): HTTPS throughput of the lab's VPC endpoint front door, side by side with nginx
# serving a fixed body on the same machine, in one run. See docs/benchmarks.md.
#
# The lab serves the demo estate with the simulated integration latency set to 0, so that the figure is the front
# door's own cost: TLS, HTTP/1.1 keep-alive, API identification by x-apigw-api-id, the resource policy evaluated
# for the calling endpoint, and the simulated integration's JSON answer. wrk sends the same request to both
# servers (same headers; nginx answers with the lab's own body, captured first). After a warm-up run of each server,
# RUNS measured runs alternate lab and nginx; the medians of requests/s and their ratio are printed with the nginx
# configuration and the wrk settings, and written to bench/results/lab-throughput-<UTC time>.txt.
#
# Installs wrk and nginx-light with apt-get when they are missing (needs root). Only talks to 127.0.0.0/8.
# Usage: bench/lab-throughput.sh            (settings in bench/wrk.env, each overridable from the environment)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
# shellcheck source=wrk.env
source "$bench/wrk.env"

die() { echo "lab-throughput: $*" >&2; exit 1; }
# Messages of checks that run with their output silenced (see wait_for) go to descriptor 3, the real stderr.
exec 3>&2
trap 'echo "lab-throughput: failed at line $LINENO: $BASH_COMMAND" >&3' ERR

# --- tools -----------------------------------------------------------------------------------------------------------
nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -n "$(nginx_bin)" ] || missing+=(nginx-light)
command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; run as root to install them with apt-get, or install them yourself"
  echo "lab-throughput: installing ${missing[*]} with apt-get" >&2
  # Keep Debian's nginx package from starting a system-wide nginx on port 80 as it installs.
  created_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=true
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$created_policy" = true ]; then rm -f /usr/sbin/policy-rc.d; fi
fi
NGINX=$(nginx_bin)
[ -n "$NGINX" ] || die "nginx not found after installation"

JAVA_HOME=$("$root/bin/find-jdk")
export JAVA_HOME
java="$JAVA_HOME/bin/java"
jar="$root/cli/target/vpcanary.jar"
if [ ! -f "$jar" ]; then
  echo "lab-throughput: building $jar" >&2
  (cd "$root" && ./mvnw -B -q -pl cli -am package -DskipTests) >&2
fi

# --- scratch folder, results and clean-up ----------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcanary-bench.XXXXXX")
lab_pid=""
nginx_pid=""
stop_pid() { # pid: TERM, wait up to 10 s, then KILL
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$nginx_pid"
  stop_pid "$lab_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$bench/results"
results="$bench/results/lab-throughput-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$results") 2>&1
exec 3>&2

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
wait_for() { # description, seconds, command...: polls every 0.2 s until the command succeeds or time runs out
  local what=$1 seconds=$2 i
  shift 2
  for i in $(seq 1 $((seconds * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  die "timed out after ${seconds}s waiting for $what"
}

echo "== vpcanary lab throughput benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:    $("$java" -version 2>&1 | head -1) ($JAVA_HOME)"
echo "nginx:   $("$NGINX" -v 2>&1)"
echo "wrk:     $(wrk -v 2>&1 | head -1)"
echo "commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"

# --- the lab ---------------------------------------------------------------------------------------------------------
estate="$tmp/bench-estate.yaml"
if ! { "$java" -jar "$jar" demo-estate > "$estate" 2>/dev/null && grep -q '^apis:' "$estate"; }; then
  cp "$root/probes/src/main/resources/io/vpcanary/estate/demo-estate.yaml" "$estate"
fi
# lab.integration.latency: medianMs 0, p99Ms 0 (the only medianMs/p99Ms keys of the demo estate).
sed -i -E 's/^( +)medianMs: .*/\1medianMs: 0/; s/^( +)p99Ms: .*/\1p99Ms: 0/' "$estate"
[ "$(grep -cE '^ +(medianMs|p99Ms): 0$' "$estate")" -eq 2 ] || die "could not set the integration latency to 0 in $estate"
grep -qE '^ +errorRate: 0$' "$estate" || die "the bench estate must have errorRate 0"

echo
echo "== lab: demo estate with lab.integration.latency medianMs 0, p99Ms 0; pinned to CPU $SERVER_CPUS"
taskset -c "$SERVER_CPUS" "$java" ${BENCH_LAB_JAVA_OPTS:-} -jar "$jar" lab --estate "$estate" --https-port 0 --dns-port 0 \
  --state-dir "$tmp/lab-state" --env-file "$tmp/env.json" > "$tmp/lab.log" 2>&1 &
lab_pid=$!
lab_ready() { kill -0 "$lab_pid" 2>/dev/null || { cat "$tmp/lab.log" >&3; die "the lab exited" 2>&3; }; [ -s "$tmp/env.json" ]; }
wait_for "the lab's environment file" 120 lab_ready

# The orders API in us-east-1 through its VPC endpoint with x-apigw-api-id, as a client in canary-east calls it.
read -r host port path api_header api_id resolver ca < <(python3 - "$tmp/env.json" <<'EOF'
import json, sys
from urllib.parse import urlsplit
env = json.load(open(sys.argv[1]))
e = next(e for e in env["endpoints"]
         if e["api"] == "orders" and e["accessPath"] == "VPCE_API_ID_HEADER" and e["region"] == "us-east-1")
u = urlsplit(e["url"])
(name, value), = e["headers"].items()
print(u.hostname, u.port, u.path + "/orders", name, value, env["resolvers"][e["view"]], env["ca"])
EOF
)
# Resolve the endpoint's name through the lab's DNS view of the calling VPC (one real DNS query).
addr=$(python3 - "$host" "${resolver%:*}" "${resolver##*:}" <<'EOF'
import random, socket, struct, sys
name, server, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
qid = random.randrange(65536)
q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(q, (server, port))
data, _ = s.recvfrom(4096)
rid, flags, qd, an = struct.unpack(">HHHH", data[:8])
assert rid == qid and flags & 0xF == 0 and an > 0, "no answer for %s (rcode %d)" % (name, flags & 0xF)
def skip(i):
    while data[i]:
        if data[i] & 0xC0 == 0xC0:
            return i + 2
        i += data[i] + 1
    return i + 1
i = skip(12) + 4
for _ in range(an):
    i = skip(i)
    rtype, _, _, rdlen = struct.unpack(">HHIH", data[i:i + 10])
    i += 10
    if rtype == 1:
        print(socket.inet_ntoa(data[i:i + 4]))
        break
    i += rdlen
EOF
)
[[ "$addr" == 127.* ]] || die "the lab resolved $host to '$addr', not a loopback address"
lab_url="https://$addr:$port$path"
echo "target:  $lab_url  (Host: $host:$port, $api_header: $api_id; $host resolved by the lab's DNS $resolver)"

body=$(curl -sS --fail --max-time 10 --cacert "$ca" --resolve "$host:$port:$addr" -H "$api_header: $api_id" \
  "https://$host:$port$path")
echo "answer:  $body"
[[ "$body" == *'"region":"us-east-1"'* ]] || die "unexpected answer from the lab"

# --- nginx -----------------------------------------------------------------------------------------------------------
nport=$(free_port)
mkdir -p "$tmp/www"
printf '%s' "$body" > "$tmp/www/body.json"
# nginx's worker runs as an unprivileged user when started as root: let it reach the body (not the key).
chmod 711 "$tmp"
chmod 755 "$tmp/www"
chmod 644 "$tmp/www/body.json"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=vpcanary bench nginx" \
  -addext "subjectAltName=DNS:$host,IP:127.0.0.1" -keyout "$tmp/nginx-key.pem" -out "$tmp/nginx-cert.pem" 2>/dev/null
sed -e "s#@TMP@#$tmp#g" -e "s#@PORT@#$nport#g" "$bench/nginx.conf" > "$tmp/nginx.conf"
taskset -c "$SERVER_CPUS" "$NGINX" -c "$tmp/nginx.conf" -p "$tmp" > "$tmp/nginx.log" 2>&1 &
nginx_pid=$!
nginx_ready() {
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx.log" "$tmp/nginx-error.log" >&3 2>/dev/null; die "nginx exited" 2>&3; }
  curl -sS --fail --max-time 2 --cacert "$tmp/nginx-cert.pem" --resolve "$host:$nport:127.0.0.1" "https://$host:$nport$path"
}
wait_for "nginx" 30 nginx_ready
[ "$(nginx_ready)" = "$body" ] || die "nginx does not answer the lab's body"
nginx_url="https://127.0.0.1:$nport$path"
echo "nginx:   $nginx_url (pinned to CPU $SERVER_CPUS), body of ${#body} bytes"

# --- wrk -------------------------------------------------------------------------------------------------------------
echo
echo "== settings (bench/wrk.env)"
echo "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION (warm-up -d$WRK_WARMUP), pinned to CPU $CLIENT_CPUS; $RUNS measured runs per server, alternating"
echo "headers: Host: $host:<port>, $api_header: $api_id"
echo "== nginx configuration (bench/nginx.conf)"
cat "$bench/nginx.conf"

run_wrk() { # label url host-header duration: prints requests/s; fails on socket errors or non-2xx answers
  local label=$1 url=$2 host_header=$3 duration=$4 out rps
  out=$(taskset -c "$CLIENT_CPUS" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$duration" \
        -H "Host: $host_header" -H "$api_header: $api_id" "$url" 2>&1) || { echo "$out" >&2; die "wrk failed"; }
  if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then
    echo "$out" >&2
    die "$label: errors or non-2xx answers; the throughput of failures is not a result"
  fi
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")
  [ -n "$rps" ] || { echo "$out" >&2; die "$label: no Requests/sec in wrk's output"; }
  echo "$(awk '/Latency/ && !/Distribution/ {print "latency avg " $2 ", stdev " $3 ", max " $4; exit}' <<< "$out")" >&2
  echo "$rps"
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

echo
echo "== warm-up ($WRK_WARMUP each)"
r=$(run_wrk lab "$lab_url" "$host:$port" "$WRK_WARMUP" 2>/dev/null)
echo "lab   warm-up: $r requests/s"
r=$(run_wrk nginx "$nginx_url" "$host:$nport" "$WRK_WARMUP" 2>/dev/null)
echo "nginx warm-up: $r requests/s"

echo
echo "== measured runs"
lab_runs=()
nginx_runs=()
for i in $(seq 1 "$RUNS"); do
  r=$(run_wrk lab "$lab_url" "$host:$port" "$WRK_DURATION" 2>"$tmp/wrk-detail")
  lab_runs+=("$r")
  echo "run $i  lab   $(printf '%10.2f' "$r") requests/s   $(cat "$tmp/wrk-detail")"
  r=$(run_wrk nginx "$nginx_url" "$host:$nport" "$WRK_DURATION" 2>"$tmp/wrk-detail")
  nginx_runs+=("$r")
  echo "run $i  nginx $(printf '%10.2f' "$r") requests/s   $(cat "$tmp/wrk-detail")"
done
lab_median=$(printf '%s\n' "${lab_runs[@]}" | median)
nginx_median=$(printf '%s\n' "${nginx_runs[@]}" | median)
ratio=$(awk -v a="$lab_median" -v b="$nginx_median" 'BEGIN {printf "%.2f", a / b}')
# Each lab run and the nginx run right after it shared the machine's conditions: their ratio is less sensitive to
# other load on the machine than the ratio of medians taken minutes apart.
pair_ratios=()
for i in "${!lab_runs[@]}"; do
  pair_ratios+=("$(awk -v a="${lab_runs[$i]}" -v b="${nginx_runs[$i]}" 'BEGIN {printf "%.2f", a / b}')")
done
pair_median=$(printf '%s\n' "${pair_ratios[@]}" | median)
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.5) ? "meets the target (>= 0.5x nginx)" : "BELOW the target of 0.5x nginx"}')

echo
echo "== result"
echo "lab   median: $lab_median requests/s"
echo "nginx median: $nginx_median requests/s"
echo "ratio lab/nginx: ${ratio}x, $verdict"
echo "ratio per run pair: ${pair_ratios[*]} (median ${pair_median}x)"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "written to $results"
