#!/usr/bin/env bash
# Reproduces the services-at-scale figures in BENCHMARKS.md:
#   bench/run-service-scale.sh [hosts=10000] [services=1000] [tasks-per-service=10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn -B -q -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -Xmx4g -XX:+UseParallelGC -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.scale.ServiceScaleBenchmark "$@"
