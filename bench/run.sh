#!/usr/bin/env bash
# The benchmark (not part of the test suite): builds the jar, then runs bench/Bench.java against it.
# Results: bench/results/latest.md and bench/results/latency-vs-throughput.png. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
java -cp target/marketing-bus.jar bench/Bench.java
