#!/usr/bin/env bash
# The long run of the malformed-input suite (issue 14): every operation of every served service gets
# the model-derived malformed requests of each seed; any 5xx, dropped connection, unreadable error or
# store change on a refused request fails it. bench/run-malformed.sh [seeds, comma-separated] [per-kind]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
seeds="${1:-1,2,3,4,5,6,7,8,9,10}"
per_kind="${2:-8}"
uptime
start=$(date +%s)
mvn -B -q ${STEVEDORE_MVN_FLAGS:-} -pl e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=MalformedInputIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dmalformed.seeds="$seeds" -Dmalformed.perKind="$per_kind" | grep -E "^malformed input:|Tests run|FAIL" || true
echo "wall: $(( $(date +%s) - start )) s (including the build)"
grep -h "Tests run" e2e/target/failsafe-reports/dev.stevedore.e2e.MalformedInputIT.txt
