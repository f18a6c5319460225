#!/usr/bin/env bash
# Reproduces the "Tasks on Docker" figures in BENCHMARKS.md: RunTask → RUNNING through a real control
# plane and agent (separate JVMs from the runnable jar) against `docker run -d` and docker-java on the
# same engine, one at a time and 30 at once, and the agent's resident memory. Needs Docker.
#   bench/run-tasks.sh [samples=50] [warmup=5] [rounds=4] [burst=30] [poll-ms=25]
#                      [agent-jvm=launcher|plain|"<options>"] [server-jvm=...] [tuned-jvm="<options>"] [memory=false] [coalesce-ms=N]
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
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.stevedore.bench.tasks.TasksBenchmark "$@"
