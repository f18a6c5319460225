#!/usr/bin/env bash
# Reproduces the overload figures in BENCHMARKS.md: bench/run-overload.sh [seconds-per-phase]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn -B -q -DskipTests -pl bench,server -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
ulimit -n 65536 2>/dev/null || true
uptime
exec "$JAVA_HOME/bin/java" -Xmx2g -Dstevedore.root="$root" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.OverloadBenchmark "$@"
