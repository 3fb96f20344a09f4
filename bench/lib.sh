# Shared parts of the bench/ scripts that start a lab: sourced, not run. The sourcing script sets `root` (the
# repository) and `bench_name` (its name in messages and result files) first, then calls bench_setup, and adds the
# pid of every server it starts to bench_pids so that the exit trap stops it.

die() { echo "$bench_name: $*" >&2; exit 1; }

# Installs the Debian packages named (command:package pairs, e.g. curl:curl wrk:wrk) whose command is missing, with
# apt-get (needs root). Debian's nginx package is kept from starting a system-wide nginx on port 80 as it installs.
ensure_commands() {
  local pair cmd pkg missing=()
  for pair in "$@"; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; run as root to install them with apt-get, or install them yourself"
  echo "$bench_name: installing ${missing[*]} with apt-get" >&2
  local created_policy=false
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=true
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$created_policy" = true ]; then rm -f /usr/sbin/policy-rc.d; fi
}

# Sets JAVA_HOME (bin/find-jdk), java and jar; builds cli/target/vpcanary.jar when it is missing or older than a
# source or pom of the modules it packs, so a benchmark never measures yesterday's code.
bench_jar() {
  JAVA_HOME=$("$root/bin/find-jdk")
  export JAVA_HOME
  java="$JAVA_HOME/bin/java"
  jar="$root/cli/target/vpcanary.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root"/{probes,lab,cli}/pom.xml "$root"/{probes,lab,cli}/src/main \
        -newer "$jar" -type f -print -quit)" ]; then
    echo "$bench_name: building $jar" >&2
    (cd "$root" && ./mvnw -B -q -pl cli -am package -DskipTests) >&2
  fi
}

stop_pid() { # pid: TERM, wait up to 10 s, then KILL
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
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

# The bundled demo estate, written to the file named.
demo_estate() {
  if ! { "$java" -jar "$jar" demo-estate > "$1" 2>/dev/null && grep -q '^apis:' "$1"; }; then
    cp "$root/probes/src/main/resources/io/vpcanary/estate/demo-estate.yaml" "$1"
  fi
}

# start_lab estate dir [command prefix...]: starts `vpcanary lab` on ephemeral ports with its state, log and
# environment file (dir/env.json) in dir, sets lab_pid, and waits for the environment file. The prefix (taskset -c N,
# say) goes before java; BENCH_LAB_JAVA_OPTS are passed to java.
start_lab() {
  local estate=$1 dir=$2
  shift 2
  "$@" "$java" ${BENCH_LAB_JAVA_OPTS:-} -jar "$jar" lab --estate "$estate" --https-port 0 --dns-port 0 \
    --state-dir "$dir/lab-state" --env-file "$dir/env.json" > "$dir/lab.log" 2>&1 &
  lab_pid=$!
  bench_pids+=("$lab_pid")
  lab_dir=$dir
  wait_for "the lab's environment file" 120 lab_ready
}
lab_ready() {
  kill -0 "$lab_pid" 2>/dev/null || { cat "$lab_dir/lab.log" >&3; die "the lab exited" 2>&3; }
  [ -s "$lab_dir/env.json" ]
}

bench_pids=()
# A scratch folder ($tmp), a trap that stops every process of bench_pids (last started first) and removes the
# folder on exit, and the output from here on also written to bench/results/<bench_name>-<UTC time>.txt ($results).
bench_setup() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/vpcanary-$bench_name.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$root/bench/results"
  results="$root/bench/results/$bench_name-$(date -u +%Y%m%dT%H%M%SZ).txt"
  exec > >(tee "$results") 2>&1
  exec 3>&2
}
bench_cleanup() {
  local i
  for ((i = ${#bench_pids[@]} - 1; i >= 0; i--)); do stop_pid "${bench_pids[$i]}"; done
  rm -rf "$tmp"
}

bench_header() { # title: the first lines of every result: what, when, on what machine, which java and commit
  echo "== $1, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java:    $("$java" -version 2>&1 | head -1) ($JAVA_HOME)"
  echo "commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

free_port() { # an ephemeral TCP port of 127.0.0.1, free when asked
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

median() { # numbers...: their median
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'
}

# start_nginx host path body: nginx (bench/nginx.conf: one worker, pinned to SERVER_CPUS) on 127.0.0.1:<ephemeral> in
# $tmp, with a new EC P-256 certificate ($tmp/nginx-cert.pem) for host and 127.0.0.1, answering body from memory.
# Sets nport and nginx_pid; waits until https://host:nport/path answers exactly body.
start_nginx() {
  local host=$1 path=$2 body=$3
  local NGINX
  NGINX=$(nginx_bin)
  [ -x "$NGINX" ] || die "nginx not found"
  nport=$(free_port)
  [[ "$body" != *[\'\\\$]* ]] || die "the body has ' \\ or \$, which nginx's return text cannot carry as is"
  # nginx's worker runs as an unprivileged user when started as root: let it reach its folder (not the key).
  chmod 711 "$tmp"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=vpcanary bench nginx" \
    -addext "subjectAltName=DNS:$host,IP:127.0.0.1" -keyout "$tmp/nginx-key.pem" -out "$tmp/nginx-cert.pem" 2>/dev/null
  python3 - "$root/bench/nginx.conf" "$tmp/nginx.conf" "$tmp" "$nport" "$body" <<'EOF2'
import sys
src, dst, tmp, port, body = sys.argv[1:]
open(dst, "w").write(open(src).read().replace("@TMP@", tmp).replace("@PORT@", port).replace("@BODY@", body))
EOF2
  taskset -c "${SERVER_CPUS:?}" "$NGINX" -c "$tmp/nginx.conf" -p "$tmp" > "$tmp/nginx.log" 2>&1 &
  nginx_pid=$!
  bench_pids+=("$nginx_pid")
  nginx_host=$host nginx_path=$path
  wait_for "nginx" 30 nginx_ready
  [ "$(nginx_ready)" = "$body" ] || die "nginx does not answer the body"
}
nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }
nginx_ready() {
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx.log" "$tmp/nginx-error.log" >&3 2>/dev/null; die "nginx exited" 2>&3; }
  curl -sS --fail --max-time 2 --cacert "$tmp/nginx-cert.pem" --resolve "$nginx_host:$nport:127.0.0.1" \
    "https://$nginx_host:$nport$nginx_path"
}
