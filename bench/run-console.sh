#!/usr/bin/env bash
# Reproduces the console figures in BENCHMARKS.md ("The console's live view"):
#   bench/run-console.sh [tasks=10000] [hosts=200] [rounds=30]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn -B -q -o -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.scale.ConsoleBenchmark "$@"
