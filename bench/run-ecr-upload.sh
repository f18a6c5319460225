#!/usr/bin/env bash
# The upload probe of "Image registry (ECR push and pull)" in BENCHMARKS.md: a blob of MB MiB of random
# bytes uploaded ROUNDS times with the registry API as Docker uploads a layer (POST of an upload, one
# PATCH with a chunked body; the upload is left unfinished), through the front door and straight to the private
# docker-registry behind it with the same bearer token, the order alternating, each time into a new
# repository so that the blob is new. Wall-clock seconds of each PATCH (curl's time_total), then the
# medians. Needs Debian's docker-registry, the AWS CLI, curl and jq.
#   bench/run-ecr-upload.sh [ROUNDS=7] [MB=50] [jar=server/target/stevedore.jar] [extra JVM options...]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
rounds="${1:-7}"; mb="${2:-50}"; jar="${3:-$root/server/target/stevedore.jar}"; shift $(($# < 3 ? $# : 3))
server_opts="$(STEVEDORE_PRINT_JVM_OPTIONS=1 "$root/bin/stevedore" up | tr '\n' ' ') $*"
work=$(mktemp -d /tmp/stevedore-ecr-upload-XXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port); registry_port=$(free_port)
export STEVEDORE_ACCESS_KEY_ID=AKIAECRBENCH00000001 STEVEDORE_SECRET_ACCESS_KEY=ecr/bench/secret/000000000000000000000000
export AWS_ACCESS_KEY_ID=$STEVEDORE_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$STEVEDORE_SECRET_ACCESS_KEY
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/nonexistent/config AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials
aws() { /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" --output json "$@"; }
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086 # option lists are word-split on purpose
"$JAVA_HOME/bin/java" $server_opts -jar "$jar" up --no-agent --port "$port" --registry-port "$registry_port" \
  --data-dir "$work/server" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 200); do aws ecr describe-repositories >/dev/null 2>&1 && break; sleep 0.3; done
private_port=$(grep -oP 'addr: 127\.0\.0\.1:\K[0-9]+' "$work/server/registry/config.yml")
password=$(aws ecr get-login-password)

declare -A seconds
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
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
f=$(median "${seconds[front]}"); d=$(median "${seconds[direct]}")
echo "PATCH of a $mb MiB blob, median of $rounds: front door $f s, private registry $d s, ratio $(echo "scale=2; $f / $d" | bc)"
echo "each round (s): front${seconds[front]}; direct${seconds[direct]}"
