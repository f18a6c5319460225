#!/usr/bin/env bash
# Reproduces the placement-at-scale figures in BENCHMARKS.md:
#   bench/run-placement-scale.sh [hosts=10000] [tasks=100000] [callers=64] [warmup-tasks=50000] [rounds=3]
# STEVEDORE_SCALE_STORE=memory runs it on the in-memory store instead of SQLite, to show what durability costs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn -B -q -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -Xmx4g -XX:+UseParallelGC -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.scale.PlacementScaleBenchmark "$@"
