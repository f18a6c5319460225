#!/usr/bin/env bash
# Reproduces the API figures in BENCHMARKS.md: bench/run-api.sh [seconds-per-phase] [callers]
# and the identity figures: bench/run-api.sh [seconds-per-phase] [callers] identity [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn -B -q -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
ulimit -n 65536 2>/dev/null || true
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.ApiBenchmark "$@"
