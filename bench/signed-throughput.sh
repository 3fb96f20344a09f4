#!/usr/bin/env bash
# Benchmark (not a timed test): Gatling throughput with SigV4 signing against the same throughput without, in one run.
# See docs/benchmarks.md ("Gatling throughput, signed against unsigned").
#
# ThroughputSimulation (simulations/src/test) drives one lab endpoint (BENCH_TARGET, a request name) with a closed
# model: BENCH_USERS virtual users sending requests back to back for BENCH_DURATION, each response checked and
# recorded as in every simulation. "signed" signs every request with SigV4 through Gatling's signing hook exactly as
# SignedRestSimulation does; "unsigned" sends the same request without. The endpoint is an API without an authorizer
# (the lab accepts both), so the server's work is identical and the difference is the load generator's signing.
# The embedded lab serves the demo estate with the simulated integration latency set to 0, so that requests are not
# spent waiting. One warm-up run of each mode (discarded), then BENCH_RUNS measured runs of each, alternating; a run's
# figure is its measured request count (Gatling's console table) / BENCH_SECONDS. The medians and their ratio
# (target >= 0.85) are printed and written to
# bench/results/signed-throughput-<UTC time>.txt. Every run starts its own JVM and lab on ephemeral loopback ports.
#
# Usage: bench/signed-throughput.sh   (environment: BENCH_USERS=8 BENCH_SECONDS=15 BENCH_WARMUP_SECONDS=5 BENCH_RUNS=3
#                                      BENCH_TARGET="orders PRIVATE_DNS us-east-1" JAVA_HOME=...)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_USERS=${BENCH_USERS:-8}
BENCH_SECONDS=${BENCH_SECONDS:-15}
BENCH_WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-5}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_TARGET=${BENCH_TARGET:-orders PRIVATE_DNS us-east-1}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"

die() { echo "signed-throughput: $*" >&2; exit 1; }
[ -x "$java" ] || die "no java at $java; set JAVA_HOME to a JDK 21 or later"
[ "$BENCH_RUNS" -ge 1 ] 2>/dev/null || die "BENCH_RUNS must be a whole number >= 1"
[ "$BENCH_SECONDS" -ge 1 ] 2>/dev/null || die "BENCH_SECONDS must be a whole number >= 1"
[ "$BENCH_WARMUP_SECONDS" -ge 0 ] 2>/dev/null || die "BENCH_WARMUP_SECONDS must be a whole number >= 0"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcanary-signed-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$root/bench/results"
results="$root/bench/results/signed-throughput-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$results") 2>&1

echo "== vpcanary Gatling throughput, SigV4-signed against unsigned, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java:    $("$java" -version 2>&1 | head -1)"
echo "target:  $BENCH_TARGET; $BENCH_USERS users back to back for ${BENCH_SECONDS}s after ${BENCH_WARMUP_SECONDS}s of warm-up; $BENCH_RUNS measured runs per mode"

echo "== building the simulations (offline) and their class path"
(cd "$root" && ./mvnw -B -q -o -pl simulations -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$tmp/cp.txt" -Dmdep.includeScope=test) || die "build failed"
cp="$root/simulations/target/test-classes:$root/simulations/target/classes:$(cat "$tmp/cp.txt")"

estate="$tmp/bench-estate.yaml"
cp "$root/probes/src/main/resources/io/vpcanary/estate/demo-estate.yaml" "$estate"
# lab.integration.latency: medianMs 0, p99Ms 0 (the only medianMs/p99Ms keys of the demo estate).
sed -i -E 's/^( +)medianMs: .*/\1medianMs: 0/; s/^( +)p99Ms: .*/\1p99Ms: 0/' "$estate"
[ "$(grep -cE '^ +(medianMs|p99Ms): 0$' "$estate")" -eq 2 ] || die "could not set the integration latency to 0 in $estate"

props=(-Dvpcanary.estate="$estate" -Dvpcanary.labState="$tmp/lab-state" -Dvpcanary.invocationDir="$tmp")
"$java" -cp "$cp" "${props[@]}" io.vpcanary.simulations.GatlingTrustStore "$tmp/trust.p12" bench-trust >/dev/null \
  || die "could not write the lab trust store"

run() { # mode (signed|unsigned), label: prints the measured requests/s
  local signed=false log="$tmp/$2.log"
  [ "$1" = signed ] && signed=true
  "$java" -Xmx512m --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$cp" "${props[@]}" \
      -Drate=1 -Dduration="${BENCH_SECONDS}s" -DwarmUp="${BENCH_WARMUP_SECONDS}s" \
      -Dbench.signed="$signed" -Dbench.users="$BENCH_USERS" -Dbench.target="$BENCH_TARGET" \
      -Dgatling.ssl.useInsecureTrustManager=false -Dgatling.ssl.trustStore.type=PKCS12 \
      -Dgatling.ssl.trustStore.file="$tmp/trust.p12" -Dgatling.ssl.trustStore.password=bench-trust \
      -Dgatling.http.enableHostnameVerification=true \
      io.gatling.app.Gatling --simulation io.vpcanary.simulations.ThroughputSimulation \
      --results-folder "$tmp/results" > "$log" 2>&1 \
    || { tail -40 "$log" >&2; die "$2 failed (log above)"; }
  local name count rps
  name="$1 $BENCH_TARGET"
  # the last console table has the run's totals; the measured name's line: "> {name} | total | OK | KO"
  count=$(grep -F "> $name " "$log" | grep -v "warm-up" | tail -1 | awk -F'|' '{gsub(/[ ,]/, "", $2); print $2}' || true)
  [ -n "$count" ] || { tail -40 "$log" >&2; die "no request count for '$name' in the output of $2"; }
  rps=$(awk -v c="$count" -v s="$BENCH_SECONDS" 'BEGIN {printf "%.1f", c / s}')
  echo "  $2: $rps requests/s ($count requests in ${BENCH_SECONDS}s)" >&2
  echo "$rps"
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }

echo "== warm-up (discarded)"
run unsigned warm-up-unsigned >/dev/null
run signed warm-up-signed >/dev/null
echo "== measured runs"
unsigned=()
signed=()
for i in $(seq 1 "$BENCH_RUNS"); do
  unsigned+=("$(run unsigned "unsigned-$i")")
  signed+=("$(run signed "signed-$i")")
done
mu=$(median "${unsigned[@]}")
ms=$(median "${signed[@]}")
ratio=$(awk -v s="$ms" -v u="$mu" 'BEGIN {printf "%.3f", s / u}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.85) ? "met" : "NOT met"}')
echo "== result"
echo "unsigned: median $mu requests/s (runs: ${unsigned[*]})"
echo "signed:   median $ms requests/s (runs: ${signed[*]})"
echo "ratio signed/unsigned: $ratio (target >= 0.85: $verdict)"
echo "written to $results"
