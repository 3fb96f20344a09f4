#!/usr/bin/env bash
# Signing cost per request (JMH): SigV4 through the AWS SDK signer next to unsigned request building and one
# HMAC-SHA256. Usage: [JMH_OPTS='-f 1 -wi 3 -w 1s -i 5 -r 1s'] bench/signing.sh [more JMH options]. Needs a JDK 21+
# (found by bin/find-jdk); fetches jmh-core and jmh-generator-annprocess 1.37 from Maven Central when the local
# repository lacks them. Not part of the build or of the tests. Results: target/bench/signing.json and
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="$(bin/find-jdk)"
export JAVA_HOME
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
OUT=target/bench
mkdir -p "$OUT/classes"

for artifact in org.openjdk.jmh:jmh-core:1.37 org.openjdk.jmh:jmh-generator-annprocess:1.37; do
  ./mvnw -B -q dependency:get -Dartifact="$artifact" >/dev/null
done
./mvnw -B -q -pl probes -am compile
./mvnw -B -q -pl probes dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/cp.txt" >/dev/null
JMH="$M2/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar:$M2/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar:$M2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
GEN="$M2/org/openjdk/jmh/jmh-generator-annprocess/1.37/jmh-generator-annprocess-1.37.jar"
for jar in ${JMH//:/ } "$GEN"; do
  [ -f "$jar" ] || { echo "signing: $jar is still missing after dependency:get" >&2; exit 2; }
done
CP="probes/target/classes:$(cat "$OUT/cp.txt"):$JMH"

"$JAVA_HOME/bin/javac" -cp "$CP" -processorpath "$GEN:$JMH" -d "$OUT/classes" \
  bench/src/io/vpcanary/bench/SigningBenchmark.java
"$JAVA_HOME/bin/java" -cp "$OUT/classes:$CP" org.openjdk.jmh.Main 'io.vpcanary.bench.SigningBenchmark' \
  ${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s} -rf json -rff "$OUT/signing.json" "$@" | tee "$OUT/signing.txt"

echo
echo "Signing cost per request, side by side (average time, microseconds per operation):"
"$JAVA_HOME/bin/java" "$PWD/bench/src/io/vpcanary/bench/Summary.java" "$OUT/signing.json"
