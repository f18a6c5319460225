#!/usr/bin/env bash
# Reproduces the agent channel scale figures in BENCHMARKS.md: bench/run-agent-channel-scale.sh [agents] [bursts]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn -B -q -DskipTests -pl bench,server -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
# Ten thousand sockets on each side (the server inherits this limit): as many as the hard limit allows.
ulimit -n "$(ulimit -Hn)"
echo "open files limit: $(ulimit -n)"
uptime
exec "$JAVA_HOME/bin/java" -Xmx4g -Dstevedore.root="$root" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.stevedore.bench.scale.AgentChannelScaleBenchmark "$@"
