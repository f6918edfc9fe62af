#!/usr/bin/env bash
# The multi-broker run (not part of `mvn verify`): a 3-node KRaft cluster from Kafka's jars on loopback (each node a
# JVM), a 6-partition topic with replication factor 3 (min.insync.replicas 2), the packaged pipeline with 1, 2 and 3
# instances in one consumer group, then 2 instances while a broker is killed (SIGKILL) mid-stream.
# Prints records/s for each and what was checked: every partition committed to its end offset, every record stored
# with its content, nothing dead-lettered. Takes 2-4 minutes.
#
#   scale/run.sh                      # 60000 records per run
#   SCALE_RECORDS=200000 scale/run.sh
#
# Results: target/scale/results.txt; broker and pipeline logs: target/scale/run-*/
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q package -DskipTests
mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/scale/classpath.txt
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/scale/classpath.txt)" dev.kafkalearn.scale.ScaleRun
