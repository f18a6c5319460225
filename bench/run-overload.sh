#!/usr/bin/env bash
# Reproduces the overload figures in BENCHMARKS.md:
#   bench/run-overload.sh [seconds-per-phase] [shared|separate] [--request-throttling] [label=checkout ...]
# "separate" runs the abusive client in its own process on core 0, and this benchmark with the servers it
# starts on core 1; each label=checkout is a built checkout whose server is measured in turn (default: this one).
# --request-throttling also measures each server with ECS's request rates on.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn -B -q -DskipTests -pl bench,server -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
ulimit -n 65536 2>/dev/null || true
uptime
pin=()
if [ "${2:-shared}" = separate ]; then
  pin=(taskset -c 1)
fi
exec "${pin[@]}" "$JAVA_HOME/bin/java" -Xmx2g -Dstevedore.root="$root" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.OverloadBenchmark "$@"
