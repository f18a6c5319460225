# Shared by the registry probes (run-ecr-blob.sh, run-ecr-upload.sh): starts `stevedore up --no-agent` with
# its registry from the jar, in a new directory /tmp/stevedore-$probe_name-XXXX that is removed on exit, and
# waits until its API answers. Expects root, jar, probe_name and the extra JVM options in "$@"; sets work,
# port, registry_port, server and aws (the AWS CLI against this server, as the bench's root keys).
. "$root/bin/lib/java-home.sh"
server_opts="$(STEVEDORE_PRINT_JVM_OPTIONS=1 "$root/bin/stevedore" up | tr '\n' ' ') $*"
work=$(mktemp -d "/tmp/stevedore-$probe_name-XXXX")
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
