# Shared by the registry probes (run-ecr-blob.sh, run-ecr-upload.sh): starts `stevedore up --no-agent` with
# its registry from the jar, in a new directory /tmp/stevedore-$probe_name-XXXX that is removed on exit, and
# waits until its API answers. Expects root, jar, probe_name and the extra JVM options in "$@"; sets work,
# port, registry_port, server and aws (the AWS CLI against this server, as the bench's root keys).
. "$root/bin/lib/java-home.sh"
server_opts="$(STEVEDORE_PRINT_JVM_OPTIONS=1 "$root/bin/stevedore" up | tr '\n' ' ') $*"
work=$(mktemp -d "/tmp/stevedore-$probe_name-XXXX")
. "$root/bench/lib/server-cli.sh"
port=$(free_port); registry_port=$(free_port)
bench_keys AKIAECRBENCH00000001 ecr/bench/secret/000000000000000000000000
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

# report_rounds WHAT: the medians of ${seconds[front]} and ${seconds[direct]}, their ratio, and each round.
report_rounds() {
  local f d; f=$(median "${seconds[front]}"); d=$(median "${seconds[direct]}")
  echo "$1, median of $rounds: front door $f s, private registry $d s, ratio $(echo "scale=2; $f / $d" | bc)"
  echo "each round (s): front${seconds[front]}; direct${seconds[direct]}"
}
