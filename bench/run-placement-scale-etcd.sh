#!/usr/bin/env bash
# Placement at scale on the store in etcd, next to SQLite in the same run (issue 15): the benchmark of
# run-placement-scale.sh on SQLite, then on a three-member etcd cluster (Debian's /usr/bin/etcd on
# loopback, fsync on, data in a temporary directory) that this script starts and removes.
#   bench/run-placement-scale-etcd.sh [hosts=10000] [tasks=30000] [callers=64] [warmup-tasks=10000] [rounds=3]
# STEVEDORE_ETCD_MAX_TXN_OPS=N starts etcd with --max-txn-ops N (etcd's default 128) and tells the store.
# STEVEDORE_SCALE_STORES="etcd" skips SQLite (default "sqlite etcd").
# STEVEDORE_ETCD_HISTORY_COMPACTION_SECONDS=S: the store's writer compacts etcd's history every S s (0: never;
# default the store's own, 300).
# STEVEDORE_ETCD_EXTRA_FLAGS adds flags to every etcd member; STEVEDORE_BENCH_JAVA_OPTS to the benchmark's JVM.
# STEVEDORE_SKIP_BUILD=1 runs what is built (bench/target/classes and bench/target/classpath.txt), for
# a machine whose Maven is offline without the dependency plugin's own dependencies.
# The etcd half prints an etcd-metrics line every 10 s from the first member's /metrics (backend size,
# keys, WAL fsyncs, backend commits), to see etcd grow.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
args=("${1:-10000}" "${2:-30000}" "${3:-64}" "${4:-10000}" "${5:-3}")
ops="${STEVEDORE_ETCD_MAX_TXN_OPS:-128}"
if [ -z "${STEVEDORE_SKIP_BUILD:-}" ]; then
  mvn -B -q ${STEVEDORE_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
bench() {
  "$JAVA_HOME/bin/java" ${STEVEDORE_BENCH_JAVA_OPTS:-} -Xmx4g -XX:+UseParallelGC -cp "$cp" dev.stevedore.bench.scale.PlacementScaleBenchmark "${args[@]}"
}

. "$root/bench/lib/etcd-cluster.sh"

for store in ${STEVEDORE_SCALE_STORES:-sqlite etcd}; do
  echo "== $store ($(uptime))"
  if [ "$store" = etcd ]; then
    start_etcd
    metrics='^(etcd_mvcc_db_total_size_in(_use_in)?_bytes|etcd_debugging_mvcc_keys_total|etcd_disk_(wal_fsync|backend_commit)_duration_seconds_(sum|count)) '
    ( while sleep 10; do
        echo "etcd-metrics $(date +%T) $(curl -s "http://127.0.0.1:${etcd_clients[0]}/metrics" | grep -E "$metrics" | tr '\n' ' ')"
      done ) &
    sampler=$!
    STEVEDORE_SCALE_STORE="$etcd_address${STEVEDORE_ETCD_HISTORY_COMPACTION_SECONDS:+&history-compaction-seconds=$STEVEDORE_ETCD_HISTORY_COMPACTION_SECONDS}" bench
    kill "$sampler"
    du -sh "$dir"/m0 | sed 's/^/etcd member data: /'
  else
    STEVEDORE_SCALE_STORE="$store" bench
  fi
done
echo "== done ($(uptime))"
