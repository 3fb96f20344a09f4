#!/usr/bin/env bash
# The Lambda canary's own initialisation time: builds lambda/target/vpcanary-lambda.zip, starts it N times as Lambda
# does (the AWS Lambda Runtime Interface Client in a fresh JVM, against a minimal Runtime API on 127.0.0.1, with the
# JVM options of Lambda's Java runtimes) and prints each start's "vpcanary: init N ms after JVM start" figure and
# their median. The canary stands in VPCANARY_VANTAGE (default canary-east) of the bundled estate; no invocation is
# sent, so nothing goes on the network. Usage: bench/lambda-init.sh [N=7]. Needs a JDK 21+ (bin/find-jdk).
# Not part of the build or of the tests. Figures: docs/benchmarks.md and docs/lambda.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="$(bin/find-jdk)"
export JAVA_HOME
n="${1:-7}"
./mvnw -B -q -pl lambda -am package -DskipTests
"$JAVA_HOME/bin/java" -cp lambda/target/test-classes io.vpcanary.lambda.InitBench \
  lambda/target/vpcanary-lambda.zip lambda/target/ric "$n" "${VPCANARY_VANTAGE:-canary-east}"
