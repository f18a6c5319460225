#!/usr/bin/env bash
# Runs the JMH benchmarks of one bench package with the short configuration BENCHMARKS.md uses.
#   bench/run-jmh.sh scheduler                           # every benchmark of dev.stevedore.bench.scheduler
#   bench/run-jmh.sh identity SigV4VerifyBenchmark       # one benchmark (a JMH include regex)
#   bench/run-jmh.sh scheduler PlacementBenchmark -p instances=10000 -i 10   # extra JMH options
# The default config (1 fork, 3 x 1 s warm-up, 5 x 1 s measurement, 1 thread) is sized for a
# 2-core machine shared with other work; raise -f/-i for publishable numbers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
package="$1"
shift
include="dev.stevedore.bench.$package.*"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  include="dev.stevedore.bench.$package.$1"
  shift
fi
# Extra Maven flags (e.g. -o when offline) come from STEVEDORE_MVN_FLAGS.
mvn -B -q ${STEVEDORE_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main \
  "$include" -f 1 -wi 3 -w 1s -i 5 -r 1s -t 1 -jvmArgs "-Xms1g -Xmx1g" "$@"
