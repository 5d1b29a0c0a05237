#!/usr/bin/env bash
# The benchmark of issue 19 (not part of the test suite). Builds the jar, installs wrk (Debian's) when missing, then
# runs bench/Bench.java: a Kafka broker in its own process (bench/Broker.java), the bus on it, a bare Camel route
# platform-http → kafka → 200 (bench/BareCamel.java) on it too, HubSpot served by a fake with 20 ms per call; wrk as
# load, paced to the fixed rates by bench/mailchimp-paced.lua (e2e there from the bus's delivery latency histogram on
# its management port; BENCH_GENERATOR=java: the bench's Java generator instead, e2e per e-mail at the fake). Prints
# the table (both baselines, ratios, targets) and writes it to bench/results/latest.md and
# bench/results/<date>-<commit>.md, the plot to bench/results/latency-vs-throughput.png.
#
# Default: 3 rounds of 30 s wrk phases after a warm-up, about 10 minutes on 2 cores. A quick check (~2 minutes):
#   BENCH_RUNS=1 BENCH_SECONDS=5 BENCH_DRAIN_EVENTS=20000 BENCH_RAW_EVENTS=100000 bench/run.sh
# Knobs (environment; bench/README.md has them all): BENCH_RUNS (3), BENCH_SECONDS (30, each wrk phase and each
# fixed rate), BENCH_WARMUP_SECONDS (= BENCH_SECONDS), BENCH_CONNECTIONS (64), BENCH_THREADS (2, wrk's),
# BENCH_RATES (1000; comma-separated webhooks/s), BENCH_GENERATOR (wrk; or java), BENCH_PACED_CONNECTIONS (rate × 0.02),
# BENCH_DRAIN_EVENTS (100000), BENCH_RAW_EVENTS (500000),
# BENCH_FAKE_LATENCY_MS (20), BENCH_BUS_OPTS (JVM options and -D settings of the bus), BENCH_BARE_OPTS (of the bare
# route), BENCH_SKIP_BUILD=1 (use target/marketing-bus.jar as it is).
# The processes' logs are in the temporary directory printed first; everything started is stopped at the end, on
# failure and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends wrk
fi
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q package -DskipTests
fi
exec java -cp target/marketing-bus.jar bench/Bench.java
