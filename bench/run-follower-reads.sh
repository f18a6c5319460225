#!/usr/bin/env bash
# API reads on a follower replica next to the leader (issue 15): a three-member etcd cluster
# (Debian's /usr/bin/etcd on loopback, fsync on, data in a temporary directory) and two
# `stevedore up --store etcd://…` replicas; the same read load on each in turn (interleaved rounds),
# then how soon the follower shows an acknowledged write, then the follower read while the leader
# is SIGSTOPped.
#   bench/run-follower-reads.sh [seconds-per-phase=10] [rounds=4] [callers=8] [instances=300] [probes=200]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
args=("${1:-10}" "${2:-4}" "${3:-8}" "${4:-300}" "${5:-200}")
ops=128
mvn -B -q ${STEVEDORE_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
cp="bench/target/classes:$(cat bench/target/classpath.txt)"

. "$root/bench/lib/etcd-cluster.sh"

uptime
start_etcd /follower-reads
STEVEDORE_FOLLOWER_READS_STORE="$etcd_address" "$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" \
  dev.stevedore.bench.replica.FollowerReadsBenchmark "${args[@]}"
uptime
