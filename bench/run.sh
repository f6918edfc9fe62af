#!/usr/bin/env bash
# The benchmark in one command: bench/run.sh [N]   (N user records, default 100000)
# Starts its own KRaft broker and MongoDB-wire server on free loopback ports, runs the pipeline's routes, the raw
# clients, the tutorial's approach and the MongoDB Kafka sink connector on the same N records, prints one table and
# writes it to bench/results/<date>.md. Logs of the separate JVMs: target/bench/*.log.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -q -Pbench -Dbench.records="${1:-100000}" test-compile exec:exec
