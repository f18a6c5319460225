#!/usr/bin/env bash
# Reproduces the Logs figures in BENCHMARKS.md:
#   bench/run-logs.sh ingest [streams] [batches-per-stream]   # PutLogEvents over HTTP+SigV4, and the json-file reference
#   bench/run-logs.sh filter [events]                         # FilterLogEvents scan rate over a generated store
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
mode="${1:-ingest}"
shift || true
# Extra Maven flags (e.g. -o when offline) come from STEVEDORE_MVN_FLAGS.
mvn -B -q ${STEVEDORE_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt
case "$mode" in
  ingest) main=dev.stevedore.bench.logs.LogsBenchmark ;;
  filter) main=dev.stevedore.bench.logs.FilterScanBenchmark ;;
  *) echo "usage: $0 ingest|filter [...]" >&2; exit 2 ;;
esac
exec "$JAVA_HOME/bin/java" -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "$main" "$@"
