#!/usr/bin/env bash
# The upload probe of "Image registry (ECR push and pull)" in BENCHMARKS.md: a blob of MB MiB of random
# bytes uploaded ROUNDS times with the registry API as Docker uploads a layer (POST of an upload, one
# PATCH with a chunked body; the upload is left unfinished), through the front door and straight to the private
# docker-registry behind it with the same bearer token, the order alternating, each time into a new
# repository so that the blob is new. Wall-clock seconds of each PATCH (curl's time_total), then the
# medians. curl's `Expect: 100-continue` is turned off, as Docker sends none. Needs Debian's
# docker-registry, the AWS CLI, curl and jq.
#   bench/run-ecr-upload.sh [ROUNDS=7] [MB=50] [jar=server/target/stevedore.jar] [extra JVM options...]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-7}"; mb="${2:-50}"; jar="${3:-$root/server/target/stevedore.jar}"; shift $(($# < 3 ? $# : 3))
probe_name=ecr-upload
. "$root/bench/lib/ecr-probe-server.sh"
private_port=$(grep -oP 'addr: 127\.0\.0\.1:\K[0-9]+' "$work/server/registry/config.yml")
password=$(aws ecr get-login-password)

declare -A seconds
# Uploads the blob into a new repository through port $2; prints the PATCH's seconds.
upload() {
  local repo=$1 p=$2 token auth location t
  aws ecr create-repository --repository-name "$repo" >/dev/null || { echo "create-repository failed" >&2; exit 1; }
  token=$(curl -fs -u "AWS:$password" \
    "http://127.0.0.1:$registry_port/_stevedore/ecr/token?service=stevedore-ecr&scope=repository:$repo:pull,push" | jq -r .token)
  auth="Authorization: Bearer $token"
  location=$(curl -fs -D - -o /dev/null -X POST -H "$auth" "http://127.0.0.1:$p/v2/$repo/blobs/uploads/" \
    | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  case "$location" in http*) ;; *) location="http://127.0.0.1:$p$location" ;; esac
  t=$(curl -fs -o /dev/null -w '%{time_total}' -X PATCH -H "$auth" -H 'Content-Type: application/octet-stream' \
    -H 'Transfer-Encoding: chunked' -H 'Expect:' --data-binary @"$work/blob" "$location") || { echo "PATCH through $p failed" >&2; exit 1; }
  echo "$t"
}
for round in $(seq 1 "$rounds"); do
  head -c "$((mb * 1024 * 1024))" /dev/urandom >"$work/blob"
  order=(front direct); ((round % 2 == 0)) && order=(direct front)
  for target in "${order[@]}"; do
    p=$registry_port; [ "$target" = direct ] && p=$private_port
    seconds[$target]="${seconds[$target]:-} $(upload "upload-$round-$target" "$p")"
  done
  echo "round $round: front door ${seconds[front]##* } s, private registry ${seconds[direct]##* } s" >&2
done
report_rounds "PATCH of a $mb MiB blob"
