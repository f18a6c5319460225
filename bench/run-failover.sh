#!/usr/bin/env bash
# Replica failover (issue 15): two `stevedore up --store etcd://…` replicas on a three-member etcd
# cluster (Debian's /usr/bin/etcd on loopback), hosts whose channel-client agents know both, a RunTask
# load on both replicas; the leader gets kill -9 again and again. Prints the time from each kill to the
# first placement the new leader acknowledged, the median, and the invariant checks (nothing lost,
# nothing placed twice, no instance over-committed).  bench/run-failover.sh [kills, default 20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
kills="${1:-20}"
uptime
start=$(date +%s)
mvn -B -q ${STEVEDORE_MVN_FLAGS:-} -pl e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ReplicaFailoverIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dfailover.rounds="$kills" | grep -E "replica (failover|pause)|Tests run|FAIL" || true
echo "wall: $(( $(date +%s) - start )) s (including the build)"
grep -h "Tests run" e2e/target/failsafe-reports/dev.stevedore.e2e.ReplicaFailoverIT.txt
