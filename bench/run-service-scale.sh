#!/usr/bin/env bash
# Reproduces the services-at-scale figures in BENCHMARKS.md:
#   bench/run-service-scale.sh [hosts=10000] [services=1000] [tasks-per-service=10] [start-ms=0]
# A fixed 4 GiB heap, as a server would run: a growing heap collects often while it grows.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
# Extra Maven flags (e.g. -o when offline) come from STEVEDORE_MVN_FLAGS.
mvn -B -q ${STEVEDORE_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -Xms4g -Xmx4g -XX:+UseParallelGC -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.scale.ServiceScaleBenchmark "$@"
