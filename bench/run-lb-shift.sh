#!/usr/bin/env bash
# Reproduces "A BLUE_GREEN shift under load" in BENCHMARKS.md: bin/stevedore up with its local agent, a service of
# two busybox httpd tasks behind a load balancer the server serves, and wrk against the listener while nothing
# changes and then across a BLUE_GREEN UpdateService; prints requests, latency and failed requests of each phase.
# Needs Docker (bin/setup-test-env) and Debian's wrk; root, as the agent is.
#   bench/run-lb-shift.sh [steady-seconds=20] [wrk-threads=1] [wrk-connections=20]
# STEVEDORE_MVN_FLAGS=-o runs Maven offline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mvn_flags=(-B -q ${STEVEDORE_MVN_FLAGS:-})
if [ ! -f server/target/stevedore.jar ]; then
  mvn "${mvn_flags[@]}" -DskipTests install
fi
mvn "${mvn_flags[@]}" -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
. "$root/bench/lib/require-docker.sh"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
exec "$JAVA_HOME/bin/java" -Xmx256m -Dstevedore.root="$root" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.stevedore.bench.lb.LbShiftBenchmark "$@"
