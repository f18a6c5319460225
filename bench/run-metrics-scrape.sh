#!/usr/bin/env bash
# Reproduces the /metrics scrape cost in BENCHMARKS.md:
#   bench/run-metrics-scrape.sh [clusters=100] [hosts-per-cluster=10] [tasks=10000] [scrapes=500]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn -B -q -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.scale.MetricsScrapeBenchmark "$@"
