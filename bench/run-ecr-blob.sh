#!/usr/bin/env bash
# The curl probe of "Image registry (ECR push and pull)" in BENCHMARKS.md: one blob of MB MiB of random
# bytes pushed to Stevedore's registry with the registry API, then fetched ROUNDS times with curl through
# the front door and straight from the private docker-registry behind it (the same bearer token, the
# order alternating), each body compared with the blob. Wall-clock seconds of each GET (curl's
# time_total), then the medians. Needs Debian's docker-registry, the AWS CLI, curl and jq.
#   bench/run-ecr-blob.sh [ROUNDS=7] [MB=50] [jar=server/target/stevedore.jar] [extra JVM options...]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-7}"; mb="${2:-50}"; jar="${3:-$root/server/target/stevedore.jar}"; shift $(($# < 3 ? $# : 3))
probe_name=ecr-blob
. "$root/bench/lib/ecr-probe-server.sh"
aws ecr create-repository --repository-name blob-probe >/dev/null || { echo "create-repository failed" >&2; exit 1; }
token=$(curl -fs -u "AWS:$(aws ecr get-login-password)" \
  "http://127.0.0.1:$registry_port/_stevedore/ecr/token?service=stevedore-ecr&scope=repository:blob-probe:pull,push" | jq -r .token)
auth="Authorization: Bearer $token"
head -c "$((mb * 1024 * 1024))" /dev/urandom >"$work/blob"
digest="sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)"
private_port=$(grep -oP 'addr: 127\.0\.0\.1:\K[0-9]+' "$work/server/registry/config.yml")
upload=$(curl -fs -D - -o /dev/null -X POST -H "$auth" "http://127.0.0.1:$registry_port/v2/blob-probe/blobs/uploads/" \
  | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
case "$upload" in http*) ;; *) upload="http://127.0.0.1:$registry_port$upload" ;; esac
case "$upload" in *\?*) sep='&' ;; *) sep='?' ;; esac
curl -fs -o /dev/null -X PUT -H "$auth" -H 'Content-Type: application/octet-stream' --data-binary @"$work/blob" \
  "$upload${sep}digest=$digest" || { echo "blob upload failed; see $work/server.log" >&2; exit 1; }

declare -A seconds
for round in $(seq 1 "$rounds"); do
  order=(front direct); ((round % 2 == 0)) && order=(direct front)
  for target in "${order[@]}"; do
    p=$registry_port; [ "$target" = direct ] && p=$private_port
    t=$(curl -fs -H "$auth" -o "$work/got" -w '%{time_total}' "http://127.0.0.1:$p/v2/blob-probe/blobs/$digest") \
      || { echo "GET through $target failed" >&2; exit 1; }
    cmp -s "$work/got" "$work/blob" || { echo "GET through $target answered other bytes" >&2; exit 1; }
    seconds[$target]="${seconds[$target]:-} $t"
  done
  echo "round $round: front door ${seconds[front]##* } s, private registry ${seconds[direct]##* } s" >&2
done
report_rounds "GET of a $mb MiB blob"
