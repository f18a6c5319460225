#!/usr/bin/env bash
# Reproduces the "Services on Docker" figures in BENCHMARKS.md: a service from 0 to N containers and a rolling
# deployment of those N, next to N parallel `docker run -d`; then a host vanishing. Needs Docker.
#   bench/run-services.sh [rounds=3] [count=30]
# STEVEDORE_MVN_FLAGS=-o runs Maven offline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn_flags=(-B -q ${STEVEDORE_MVN_FLAGS:-})
if [ ! -f server/target/stevedore.jar ]; then
  # The runnable jar the control plane and the agent are started from, and the modules bench needs.
  mvn "${mvn_flags[@]}" -DskipTests install
fi
mvn "${mvn_flags[@]}" -DskipTests -pl bench package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
. "$root/bench/lib/require-docker.sh"
exec "$JAVA_HOME/bin/java" -Xmx512m -Dstevedore.root="$root" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.stevedore.bench.tasks.ServicesBenchmark "$@"
