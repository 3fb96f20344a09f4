#!/usr/bin/env bash
# Benchmark (not a timed test): requests per second of vpcanary's REST load simulation, SigV4-signed and unsigned,
# and of Artillery sending the same traffic, side by side in one run against nginx serving a fixed body from memory
# over HTTPS on loopback, so that the server is never the limit. See docs/benchmarks.md ("Load generator throughput:
# signed, unsigned and Artillery against nginx").
#
# The simulation (ThroughputSimulation: BENCH_USERS virtual users sending requests back to back, every response
# checked and recorded as in every load run) runs in real-estate mode (vpcanary.target=aws) from the demo estate's
# VPC canary-east, and reaches nginx by the estate's own names: its resolver (vpcanary.resolver) is a small DNS
# server on loopback (bench/dns_fixed.py) answering every name with 127.0.0.1, its port (vpcanary.port) is nginx's,
# and its trust store (vpcanary.trustStore) holds nginx's certificate, made by this script for those names. "signed"
# signs every request with SigV4 as the load runs do (RequestAuth, the SDK's default credentials chain: fixed
# placeholder keys in the environment, since nginx verifies nothing); "unsigned" sends the same request without.
# Artillery (npm, version pinned by bench/artillery/package-lock.json, installed with npm ci into
# target/bench/artillery) sends the same GET with the same Host to the same nginx, unsigned, from the same number of
# virtual users, each with its own keep-alive connection as Gatling's users have.
#
# nginx (one worker) is pinned to SERVER_CPUS (0), every load generator to CLIENT_CPUS (1). Each run is a fresh
# process: BENCH_WARMUP_SECONDS of warm-up in the same process, then BENCH_SECONDS measured; its figure is the
# measured answers / BENCH_SECONDS. One discarded run of each generator, then BENCH_RUNS rounds of
# unsigned, signed, Artillery. The medians and the ratios signed/unsigned (target >= 0.85) and signed/Artillery
# (target >= 6) are printed with every run and the load average before and after, and written to
# bench/results/load-throughput-<UTC time>.txt. BENCH_JFR=1 records the signed runs with JFR (the recordings are
# kept in bench/results/) for profiling.
#
# Installs nginx-light with apt-get when it is missing (needs root); needs node and npm. Only talks to 127.0.0.0/8.
# Usage: bench/load-throughput.sh   (environment: BENCH_USERS=8 BENCH_SECONDS=10 BENCH_WARMUP_SECONDS=5 BENCH_RUNS=3
#                                    BENCH_JFR=0 SERVER_CPUS=0 CLIENT_CPUS=1)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
bench_name=load-throughput
# shellcheck source=lib.sh
source "$bench/lib.sh"

BENCH_USERS=${BENCH_USERS:-8}
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-5}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_JFR=${BENCH_JFR:-0}
SERVER_CPUS=${SERVER_CPUS:-0}
CLIENT_CPUS=${CLIENT_CPUS:-1}
# The request: the orders API in us-east-1 by its private DNS name, as a client in VPC canary-east calls it.
target="orders PRIVATE_DNS us-east-1"
vantage=canary-east
host=ordrseast1.execute-api.us-east-1.amazonaws.com
path=/prod/orders
# What the lab's simulated integration answers to that request (SimulatedTarget), with a fixed request id.
body='{"api":"orders","apiId":"ordrseast1","region":"us-east-1","stage":"prod","method":"GET","path":"/orders","resource":"/orders","vpcEndpoint":"vpce-0e1a00000000000a1","backendPath":"/orders","integration":"NLB","target":"orders-nlb","requestId":"6f1c2d3e-bench-0000-0000-000000000000"}'

[ "$BENCH_USERS" -ge 1 ] 2>/dev/null || die "BENCH_USERS must be a whole number >= 1"
[ "$BENCH_RUNS" -ge 1 ] 2>/dev/null || die "BENCH_RUNS must be a whole number >= 1"
[ "$BENCH_SECONDS" -ge 1 ] 2>/dev/null || die "BENCH_SECONDS must be a whole number >= 1"
[ "$BENCH_WARMUP_SECONDS" -ge 1 ] 2>/dev/null || die "BENCH_WARMUP_SECONDS must be a whole number >= 1"

exec 3>&2
trap 'echo "load-throughput: failed at line $LINENO: $BASH_COMMAND" >&3' ERR

# --- tools -----------------------------------------------------------------------------------------------------------
ensure_commands nginx:nginx-light taskset:util-linux openssl:openssl curl:curl python3:python3
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (Artillery)"
JAVA_HOME=$("$root/bin/find-jdk")
export JAVA_HOME
java="$JAVA_HOME/bin/java"

bench_setup
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_header "vpcanary load generator throughput: signed, unsigned and Artillery against nginx"
echo "nginx:   $("$(nginx_bin)" -v 2>&1)"
echo "node:    $(node --version)"

# --- Artillery: npm ci from the committed lock file, into target/bench/artillery (kept while the lock is unchanged) ---
art="$root/target/bench/artillery"
if ! cmp -s "$bench/artillery/package-lock.json" "$art/package-lock.json" || [ ! -x "$art/node_modules/.bin/artillery" ]; then
  echo "== installing Artillery with npm ci into $art"
  rm -rf "$art" && mkdir -p "$art"
  cp "$bench/artillery/package.json" "$bench/artillery/package-lock.json" "$art/"
  # --ignore-scripts: Artillery's browser engine would download a Chromium at install; the HTTP engine needs none.
  (cd "$art" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed in $art"
fi
cp "$bench/artillery/throughput.yml" "$bench/artillery/processor.js" "$art/"
echo "artillery: $(node -e 'process.stdout.write(require(process.argv[1]).version)' "$art/node_modules/artillery/package.json")"

# --- the simulations' class path -------------------------------------------------------------------------------------
echo "== building the simulations (offline) and their class path"
(cd "$root" && ./mvnw -B -q -o -pl simulations -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$tmp/cp.txt" -Dmdep.includeScope=test) > "$tmp/build.log" 2>&1 \
  || { tail -40 "$tmp/build.log" >&2; die "build failed"; }
cp="$root/simulations/target/test-classes:$root/simulations/target/classes:$(cat "$tmp/cp.txt")"

# --- DNS, certificate and nginx ----------------------------------------------------------------------------------------
python3 "$bench/dns_fixed.py" 127.0.0.1 > "$tmp/dns.log" 2>&1 &
bench_pids+=("$!")
wait_for "the DNS server" 10 grep -q '^listening ' "$tmp/dns.log"
dns_port=$(awk '/^listening / {print $2}' "$tmp/dns.log")
addr=$(python3 "$bench/dns_a.py" "$host" 127.0.0.1 "$dns_port")
[ "$addr" = 127.0.0.1 ] || die "the bench DNS server answered $host with '$addr'"

start_nginx "$host" "$path" "$body"
echo "nginx:   https://$host:$nport$path ($host -> 127.0.0.1 by the bench DNS 127.0.0.1:$dns_port), one worker pinned to CPU $SERVER_CPUS, a body of ${#body} bytes from memory (return 200)"

# --- the simulation's settings: a real estate seen from canary-east, whose names lead to nginx -------------------------
estate="$tmp/bench-estate.yaml"
cp "$root/probes/src/main/resources/io/vpcanary/estate/demo-estate.yaml" "$estate"
props=(-Dvpcanary.target=aws -Dvpcanary.estate="$estate" -Dvpcanary.vantage="$vantage"
       -Dvpcanary.resolver="127.0.0.1:$dns_port" -Dvpcanary.port="$nport" -Dvpcanary.trustStore="$tmp/nginx-cert.pem"
       -Dvpcanary.invocationDir="$tmp")
"$java" -cp "$cp" "${props[@]}" io.vpcanary.simulations.GatlingTrustStore "$tmp/trust.p12" bench-trust >/dev/null \
  || die "could not write the trust store"

echo "settings: $BENCH_USERS users back to back, ${BENCH_WARMUP_SECONDS}s warm-up then ${BENCH_SECONDS}s measured per run, in a fresh process; $BENCH_RUNS rounds; load generators pinned to CPU $CLIENT_CPUS"
echo "request: GET https://$host:$nport$path ('$target' of the demo estate from $vantage)"

# Placeholder credentials for the SDK's default chain: nginx checks no signature. Not a secret; not on a command line.
export AWS_ACCESS_KEY_ID=AKIDBENCHEXAMPLE0000 AWS_SECRET_ACCESS_KEY=bench-placeholder-secret-not-checked-by-nginx

gatling() { # mode (signed|unsigned), label: prints the measured requests/s
  local signed=false log="$tmp/$2.log" jfr=()
  [ "$1" = signed ] && signed=true
  if [ "$BENCH_JFR" = 1 ] && [ "$1" = signed ]; then
    jfr=(-XX:StartFlightRecording=filename="$root/bench/results/$bench_name-$stamp-$2.jfr",settings=profile)
  fi
  taskset -c "$CLIENT_CPUS" "$java" -Xmx512m --add-opens=java.base/java.lang=ALL-UNNAMED "${jfr[@]}" -cp "$cp" \
      "${props[@]}" -Drate=1 -Dduration="${BENCH_SECONDS}s" -DwarmUp="${BENCH_WARMUP_SECONDS}s" \
      -Dbench.signed="$signed" -Dbench.users="$BENCH_USERS" -Dbench.target="$target" \
      -Dgatling.ssl.useInsecureTrustManager=false -Dgatling.ssl.trustStore.type=PKCS12 \
      -Dgatling.ssl.trustStore.file="$tmp/trust.p12" -Dgatling.ssl.trustStore.password=bench-trust \
      -Dgatling.http.enableHostnameVerification=true \
      io.gatling.app.Gatling --simulation io.vpcanary.simulations.ThroughputSimulation \
      --results-folder "$tmp/results" > "$log" 2>&1 \
    || { tail -40 "$log" >&2; die "$2 failed (log above)"; }
  local name="$1 $target" count
  # the last console table has the run's totals; the measured name's line: "> {name} | total | OK | KO"
  count=$(grep -F "> $name " "$log" | tail -1 | awk -F'|' '{gsub(/[ ,]/, "", $2); print $2}' || true)
  [ -n "$count" ] || { tail -40 "$log" >&2; die "no request count for '$name' in the output of $2"; }
  awk -v c="$count" -v s="$BENCH_SECONDS" 'BEGIN {printf "%.1f\n", c / s}'
}

artillery() { # label: prints the measured requests/s
  local log="$tmp/$1.log" report="$tmp/$1.json" counts
  (cd "$art" && BENCH_ORIGIN="https://127.0.0.1:$nport" BENCH_HOST="$host" BENCH_PATH="$path" \
      BENCH_USERS="$BENCH_USERS" BENCH_NAME="$target" BENCH_SECONDS="$BENCH_SECONDS" \
      BENCH_WARMUP_SECONDS="$BENCH_WARMUP_SECONDS" NODE_EXTRA_CA_CERTS="$tmp/nginx-cert.pem" \
      ARTILLERY_DISABLE_TELEMETRY=true DO_NOT_TRACK=1 \
      timeout $((BENCH_WARMUP_SECONDS + BENCH_SECONDS + 120)) taskset -c "$CLIENT_CPUS" \
      node_modules/.bin/artillery run --quiet --output "$report" throughput.yml > "$log" 2>&1) \
    || { tail -40 "$log" >&2; die "$1 failed (log above)"; }
  counts=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["aggregate"]["counters"]
print(c.get("bench.measured", 0), c.get("bench.failed", 0), sum(v for k, v in c.items() if k.startswith("errors.")))' "$report")
  read -r measured failed errors <<< "$counts"
  [ "$failed" = 0 ] && [ "$errors" = 0 ] && [ "$measured" -gt 0 ] \
    || { tail -40 "$log" >&2; die "$1: $measured answered 200, $failed other answers, $errors errors; the throughput of failures is not a result"; }
  awk -v c="$measured" -v s="$BENCH_SECONDS" 'BEGIN {printf "%.1f\n", c / s}'
}

stamp=$(basename "$results" .txt | sed "s/^$bench_name-//")

echo
echo "== warm-up runs (discarded)"
w=$(gatling unsigned warm-up-unsigned); echo "unsigned  $w requests/s"
w=$(gatling signed warm-up-signed); echo "signed    $w requests/s"
w=$(artillery warm-up-artillery); echo "artillery $w requests/s"

echo
echo "== measured runs (load average at the start: $(cut -d' ' -f1-3 /proc/loadavg))"
unsigned=() signed=() arts=() pairs_su=() pairs_sa=()
for i in $(seq 1 "$BENCH_RUNS"); do
  unsigned+=("$(gatling unsigned "unsigned-$i")")
  signed+=("$(gatling signed "signed-$i")")
  arts+=("$(artillery "artillery-$i")")
  pair=$(awk -v s="${signed[-1]}" -v u="${unsigned[-1]}" -v a="${arts[-1]}" 'BEGIN {printf "%.2f %.2f", s / u, s / a}')
  pairs_su+=("${pair% *}") pairs_sa+=("${pair#* }")
  echo "round $i  unsigned ${unsigned[-1]}  signed ${signed[-1]}  artillery ${arts[-1]} requests/s   signed/unsigned ${pair% *}, signed/artillery ${pair#* }   (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
mu=$(median "${unsigned[@]}")
ms=$(median "${signed[@]}")
ma=$(median "${arts[@]}")
r1=$(awk -v s="$ms" -v u="$mu" 'BEGIN {printf "%.3f", s / u}')
r2=$(awk -v s="$ms" -v a="$ma" 'BEGIN {printf "%.2f", s / a}')
v1=$(awk -v r="$r1" 'BEGIN {print (r >= 0.85) ? "met" : "NOT met"}')
v2=$(awk -v r="$r2" 'BEGIN {print (r >= 6) ? "met" : "NOT met"}')

echo
echo "== result (medians of $BENCH_RUNS runs, requests/s)"
echo "vpcanary unsigned:          $mu   (runs: ${unsigned[*]})"
echo "vpcanary signed (SigV4):    $ms   (runs: ${signed[*]})"
echo "Artillery (unsigned):       $ma   (runs: ${arts[*]})"
echo "signed / unsigned:          $r1   (target >= 0.85: $v1)"
echo "vpcanary signed / Artillery: $r2   (target >= 6: $v2)"
echo "the same ratios within each round (the three runs of a round shared the machine's conditions): signed/unsigned ${pairs_su[*]} (median $(median "${pairs_su[@]}")), signed/Artillery ${pairs_sa[*]} (median $(median "${pairs_sa[@]}"))"
echo "load average before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared with other engineers' builds)"
[ "$BENCH_JFR" = 1 ] && echo "JFR recordings of the signed runs: $root/bench/results/$bench_name-$stamp-*.jfr"
echo "written to $results"
