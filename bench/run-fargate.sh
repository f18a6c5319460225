#!/usr/bin/env bash
# Reproduces the "Fargate tasks on Docker" figures in BENCHMARKS.md: a FARGATE RunTask → RUNNING (awsvpc: a
# pause container with the task's address on its subnet's bridge network, the task's container in its
# namespace) through a real control plane and platform host (separate JVMs from the runnable jar) against
# `docker run -d --network <bridge> --ip <fresh address>` and docker-java with the same, one at a time and
# 30 at once. Needs Docker; uses a free /20 of 10.215.0.0/16 or 10.217.0.0/16 (references) and of 10.216.0.0/16 (the tasks' subnet).
#   bench/run-fargate.sh [samples=50] [warmup=5] [rounds=4] [burst=30] [poll-ms=25]
#                        [agent-jvm=launcher|plain|"<options>"] [server-jvm=...]
# STEVEDORE_MVN_FLAGS=-o runs Maven offline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn_flags=(-B -q ${STEVEDORE_MVN_FLAGS:-})
# The runnable jar the control plane and the agent are started from, and bench, built in the reactor
# (nothing is installed into the local repository).
mvn "${mvn_flags[@]}" -DskipTests -pl bench -am package \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
. "$root/bench/lib/require-docker.sh"
exec "$JAVA_HOME/bin/java" -Xmx512m -Dstevedore.root="$root" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.stevedore.bench.tasks.FargateBenchmark "$@"
