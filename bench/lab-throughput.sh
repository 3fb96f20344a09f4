#!/usr/bin/env bash
# Benchmark (not a timed test): HTTPS throughput of the lab's VPC endpoint front door, side by side with nginx
# serving a fixed body on the same machine, in one run. See docs/benchmarks.md.
#
# The lab serves the demo estate with the simulated integration latency set to 0, so that the figure is the front
# door's own cost: TLS, HTTP/1.1 keep-alive, API identification by x-apigw-api-id, the resource policy evaluated
# for the calling endpoint, and the simulated integration's JSON answer. wrk sends the same request to both
# servers (same headers; nginx answers with the lab's own body, captured first, from memory with `return 200`: its
# cheapest path, the honest baseline). After a warm-up run of each server,
# RUNS measured runs alternate lab and nginx; the medians of requests/s and their ratio are printed with the nginx
# configuration and the wrk settings, and written to bench/results/lab-throughput-<UTC time>.txt.
#
# Installs wrk and nginx-light with apt-get when they are missing (needs root). Only talks to 127.0.0.0/8.
# Usage: bench/lab-throughput.sh            (settings in bench/wrk.env, each overridable from the environment)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
bench_name=lab-throughput
# shellcheck source=lib.sh
source "$bench/lib.sh"
# shellcheck source=wrk.env
source "$bench/wrk.env"

# Messages of checks that run with their output silenced (see wait_for) go to descriptor 3, the real stderr.
exec 3>&2
trap 'echo "lab-throughput: failed at line $LINENO: $BASH_COMMAND" >&3' ERR

# --- tools -----------------------------------------------------------------------------------------------------------
ensure_commands wrk:wrk nginx:nginx-light taskset:util-linux openssl:openssl curl:curl python3:python3
bench_jar

# --- scratch folder, results and clean-up ----------------------------------------------------------------------------
bench_setup

bench_header "vpcanary lab throughput benchmark"
echo "nginx:   $("$(nginx_bin)" -v 2>&1)"
echo "wrk:     $(wrk -v 2>&1 | head -1)"

# --- the lab ---------------------------------------------------------------------------------------------------------
estate="$tmp/bench-estate.yaml"
demo_estate "$estate"
# lab.integration.latency: medianMs 0, p99Ms 0 (the only medianMs/p99Ms keys of the demo estate).
sed -i -E 's/^( +)medianMs: .*/\1medianMs: 0/; s/^( +)p99Ms: .*/\1p99Ms: 0/' "$estate"
[ "$(grep -cE '^ +(medianMs|p99Ms): 0$' "$estate")" -eq 2 ] || die "could not set the integration latency to 0 in $estate"
grep -qE '^ +errorRate: 0$' "$estate" || die "the bench estate must have errorRate 0"

echo
echo "== lab: demo estate with lab.integration.latency medianMs 0, p99Ms 0; pinned to CPU $SERVER_CPUS"
start_lab "$estate" "$tmp" taskset -c "$SERVER_CPUS"

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
addr=$(python3 "$bench/dns_a.py" "$host" "${resolver%:*}" "${resolver##*:}")
[[ "$addr" == 127.* ]] || die "the lab resolved $host to '$addr', not a loopback address"
lab_url="https://$addr:$port$path"
echo "target:  $lab_url  (Host: $host:$port, $api_header: $api_id; $host resolved by the lab's DNS $resolver)"

body=$(curl -sS --fail --max-time 10 --cacert "$ca" --resolve "$host:$port:$addr" -H "$api_header: $api_id" \
  "https://$host:$port$path")
echo "answer:  $body"
[[ "$body" == *'"region":"us-east-1"'* ]] || die "unexpected answer from the lab"

# --- nginx -----------------------------------------------------------------------------------------------------------
start_nginx "$host" "$path" "$body"
content_type() { curl -sS -o /dev/null --max-time 5 -w '%{content_type}' "$@"; }
lab_type=$(content_type --cacert "$ca" --resolve "$host:$port:$addr" -H "$api_header: $api_id" "https://$host:$port$path")
nginx_type=$(content_type --cacert "$tmp/nginx-cert.pem" --resolve "$host:$nport:127.0.0.1" "https://$host:$nport$path")
[ "$lab_type" = "$nginx_type" ] || die "content types differ: lab '$lab_type', nginx '$nginx_type'"
nginx_url="https://127.0.0.1:$nport$path"
echo "nginx:   $nginx_url (pinned to CPU $SERVER_CPUS), the same body of ${#body} bytes from memory (return 200), content type $nginx_type"

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
lab_median=$(median "${lab_runs[@]}")
nginx_median=$(median "${nginx_runs[@]}")
ratio=$(awk -v a="$lab_median" -v b="$nginx_median" 'BEGIN {printf "%.2f", a / b}')
# Each lab run and the nginx run right after it shared the machine's conditions: their ratio is less sensitive to
# other load on the machine than the ratio of medians taken minutes apart.
pair_ratios=()
for i in "${!lab_runs[@]}"; do
  pair_ratios+=("$(awk -v a="${lab_runs[$i]}" -v b="${nginx_runs[$i]}" 'BEGIN {printf "%.2f", a / b}')")
done
pair_median=$(median "${pair_ratios[@]}")
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.5) ? "meets the target (>= 0.5x nginx)" : "BELOW the target of 0.5x nginx"}')

echo
echo "== result"
echo "lab   median: $lab_median requests/s"
echo "nginx median: $nginx_median requests/s"
echo "ratio lab/nginx: ${ratio}x, $verdict"
echo "ratio per run pair: ${pair_ratios[*]} (median ${pair_median}x)"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "written to $results"
