#!/usr/bin/env bash
# Benchmark (not a timed test): the probe's phase timings beside curl's on the same lab routes, in one run. See
# docs/benchmarks.md ("Probe phases against curl") and docs/probe.md ("Phases") for what each phase spans.
#
# Starts `vpcanary lab` (the demo estate as bundled, its simulated integration latency included) on ephemeral ports,
# then runs `vpcanary probe --parallelism 1 --no-auth-matrix` for the checks in BENCH_CHECKS (positive checks of APIs
# without an authorizer, so curl can send the same request) REPS times, each a new JVM doing PROBE_RUNS runs of which
# only the last, warm one is kept (`--json` holds the last run). Then bench/probe_phases.py sends every route the
# probe answered REPS times with curl (fresh connection each, --resolve to the address the lab's resolver view of the
# probe's vantage gives, the lab CA, the endpoint's headers) and prints the medians of DNS, connect, TLS, TTFB and
# total per route for both clients. Written to bench/results/probe-phases-<UTC time>.txt.
#
# Installs curl and python3 with apt-get when they are missing (needs root); builds cli/target/vpcanary.jar when it
# is missing or stale. Only talks to 127.0.0.0/8. Stops the lab on exit.
# Usage: bench/probe-phases.sh     (environment: REPS=7 PROBE_RUNS=3 BENCH_CHECKS="list-orders list-items")
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench="$root/bench"
bench_name=probe-phases
# shellcheck source=lib.sh
source "$bench/lib.sh"
: "${REPS:=7}"
: "${PROBE_RUNS:=3}"
: "${BENCH_CHECKS:=list-orders list-items}"
[ "$REPS" -ge 1 ] 2>/dev/null || die "REPS must be a whole number >= 1"
[ "$PROBE_RUNS" -ge 1 ] 2>/dev/null || die "PROBE_RUNS must be a whole number >= 1"

exec 3>&2
trap 'echo "probe-phases: failed at line $LINENO: $BASH_COMMAND" >&3' ERR
ensure_commands curl:curl python3:python3
bench_jar

bench_setup

bench_header "vpcanary probe phases against curl"
echo "curl:    $(curl --version | head -1)"

estate="$tmp/demo-estate.yaml"
demo_estate "$estate"
start_lab "$estate" "$tmp"
echo "lab:     demo estate, HTTPS port $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["httpsPort"])' "$tmp/env.json")"
echo "checks:  $BENCH_CHECKS; $REPS probe processes of $PROBE_RUNS runs each (the last kept), $REPS curl requests per route"

check_args=()
for c in $BENCH_CHECKS; do check_args+=(--check "$c"); done
for i in $(seq 1 "$REPS"); do
  # A failed check is still a measurement (its phases are in the JSON); the exit code is not the benchmark's.
  "$java" -jar "$jar" probe --lab "$tmp/env.json" --count "$PROBE_RUNS" --interval 200ms --parallelism 1 \
    --no-auth-matrix "${check_args[@]}" --json "$tmp/probe-$i.json" > "$tmp/probe-$i.log" 2>&1 || true
  [ -s "$tmp/probe-$i.json" ] || { cat "$tmp/probe-$i.log" >&2; die "probe process $i wrote no JSON"; }
done

echo
python3 "$bench/probe_phases.py" "$tmp/env.json" "$REPS" "$tmp"/probe-*.json
echo
echo "curl's DNS column is one UDP query to the same resolver view timed by bench/dns_a.py (curl itself used --resolve);"
echo "curl: connect = time_connect - time_namelookup, TLS = time_appconnect - time_connect,"
echo "      TTFB = time_starttransfer - time_appconnect, total = time_total (docs/probe.md, \"Phases\")"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "written to $results"
