#!/usr/bin/env bash
# Reproduces "Image registry (ECR push and pull)" in BENCHMARKS.md: `docker push` and `docker pull`
# of a 50 MB image (the test busybox image plus one layer of 50 MB of random bytes, built here, a
# new one every round so that no layer is already there) through Stevedore's registry (its ECR: the
# CLI logged in with `aws ecr get-login-password`, Docker's token authentication served by
# Stevedore) and, in the same run, through the same docker-registry binary started bare (no
# authentication) on another loopback port. Each round pushes to both and pulls from both, the
# order alternating between rounds; a pull starts with the image removed from the engine, so that
# its 50 MB layer is fetched. Wall-clock seconds of each docker command; the median per phase and
# the ratio ours/bare. Needs root (the engine), Docker, the image stevedore-test/busybox:latest
# (bin/setup-test-env), Debian's docker-registry, the AWS CLI and jq.
#   bench/run-ecr.sh [ROUNDS=7] [MB=50] [jar=server/target/stevedore.jar]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
. "$root/bench/lib/require-docker.sh"
rounds="${1:-7}"; mb="${2:-50}"
docker=/usr/bin/docker
server_opts="$(STEVEDORE_PRINT_JVM_OPTIONS=1 "$root/bin/stevedore" up | tr '\n' ' ')"
work=$(mktemp -d /tmp/stevedore-ecr-XXXX)
cp "${3:-$root/server/target/stevedore.jar}" "$work/stevedore.jar" || exit 1
jar="$work/stevedore.jar"
. "$root/bench/lib/server-cli.sh"
port=$(free_port); registry_port=$(free_port); bare_port=$(free_port)
bench_keys AKIAECRBENCH00000001 ecr/bench/secret/000000000000000000000000
# The docker CLI's login stays in this run's directory.
export DOCKER_CONFIG="$work/docker-config"
ours="127.0.0.1:$registry_port"; bare="127.0.0.1:$bare_port"
prefix="bench-$(basename "$work" | tr -cd 'a-z0-9')"

cleanup() {
  local tags
  tags=$("$docker" images --format '{{.Repository}}:{{.Tag}}' | grep -E "(^|/)$prefix" || true)
  # shellcheck disable=SC2086
  [ -n "$tags" ] && "$docker" rmi -f $tags >/dev/null 2>&1
  [ -n "${bare_pid:-}" ] && kill "$bare_pid" 2>/dev/null && wait "$bare_pid" 2>/dev/null
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work/bare-storage" "$work/server/registry" "$work/context"
}
trap cleanup EXIT

# shellcheck disable=SC2086 # option lists are word-split on purpose
"$JAVA_HOME/bin/java" $server_opts -jar "$jar" up --no-agent --port "$port" --registry-port "$registry_port" \
  --data-dir "$work/server" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 200); do aws ecr describe-repositories >/dev/null 2>&1 && break; sleep 0.3; done
aws ecr get-login-password | "$docker" login --username AWS --password-stdin "$ours" >/dev/null \
  || { echo "docker login to $ours failed; see $work/server.log" >&2; exit 1; }

mkdir -p "$work/bare-storage"
cat >"$work/bare.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/bare-storage
http:
  addr: $bare
EOF
/usr/bin/docker-registry serve "$work/bare.yml" >"$work/bare.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 100); do curl -fs "http://$bare/v2/" >/dev/null && break; sleep 0.1; done

# Seconds (to the millisecond) a command takes; its output goes to the run's log.
timed() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >>"$work/docker.log" 2>&1 || { echo "failed: $*; see $work/docker.log" >&2; exit 1; }
  t1=$(date +%s%N)
  echo "scale=3; ($t1 - $t0) / 1000000000" | bc
}

declare -A seconds
record() { seconds[$1]="${seconds[$1]:-} $2"; }

mkdir -p "$work/context"
for round in $(seq 1 "$rounds"); do
  repo="$prefix-$round"
  aws ecr create-repository --repository-name "$repo" >/dev/null || { echo "create-repository failed" >&2; exit 1; }
  head -c "$((mb * 1024 * 1024))" /dev/urandom >"$work/context/blob"
  printf 'FROM stevedore-test/busybox:latest\nCOPY blob /blob\n' >"$work/context/Dockerfile"
  DOCKER_BUILDKIT=0 "$docker" build -q -t "$repo:local" "$work/context" >>"$work/docker.log" 2>&1 \
    || { echo "docker build failed; see $work/docker.log" >&2; exit 1; }
  for target in ours bare; do "$docker" tag "$repo:local" "${!target}/$repo:1"; done
  order=(ours bare); ((round % 2 == 0)) && order=(bare ours)
  for target in "${order[@]}"; do record "push-$target" "$(timed "$docker" push "${!target}/$repo:1")"; done
  for target in "${order[@]}"; do
    "$docker" rmi -f "$repo:local" "$ours/$repo:1" "$bare/$repo:1" >/dev/null 2>&1
    record "pull-$target" "$(timed "$docker" pull "${!target}/$repo:1")"
  done
  "$docker" rmi -f "$repo:local" "$ours/$repo:1" "$bare/$repo:1" >/dev/null 2>&1
  echo "round $round: push ours ${seconds[push-ours]##* } s, bare ${seconds[push-bare]##* } s;" \
    "pull ours ${seconds[pull-ours]##* } s, bare ${seconds[pull-bare]##* } s" >&2
done

echo
echo "| phase | Stevedore's registry (token auth) s | docker-registry bare s | ratio |"
echo "|---|---:|---:|---:|"
for phase in push pull; do
  o=$(median "${seconds[$phase-ours]}"); b=$(median "${seconds[$phase-bare]}")
  echo "| $phase of a $mb MB image (median of $rounds) | $o | $b | $(echo "scale=2; $o / $b" | bc) |"
done
echo
echo "each round (s): push ours${seconds[push-ours]}; push bare${seconds[push-bare]};" \
  "pull ours${seconds[pull-ours]}; pull bare${seconds[pull-bare]}"
