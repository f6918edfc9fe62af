#!/usr/bin/env bash
# The benchmark in one command: bench/run.sh [N]   (N user records, default 100000)
# Builds the jar (the start-time rows run it as a user does), then starts its own KRaft broker and MongoDB-wire server
# on free loopback ports and measures, in 1 warm-up + 3 rounds, the pipeline's routes, the raw clients, the tutorial's
# approach and the MongoDB Kafka sink connector on the same N records, latency, start time and backpressure
# (docs/benchmark.md). Writes bench/results/<date>.md and .svg and the generated blocks of README.md and
# docs/benchmark.md. Logs of the separate JVMs: target/bench/*.log. Extra Maven options (-Dbench.rounds=5, ...) follow N.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-100000}"
[ $# -gt 0 ] && shift
mvn -q -B -DskipTests package
# Kafka's own tools' classpath, for the kafka-topics row (resolved once, as bin/kafka-learn does on first use)
bin/kafka-learn kafka-topics --version > /dev/null
exec mvn -q -B -Pbench -Dbench.records="$records" "$@" exec:exec
