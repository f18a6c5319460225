# Shared by the scripts that run a control plane and an agent as separate JVMs from the runnable jar.
# Expects: JAVA_HOME, $jar, $work, $port, $cluster, $server_opts, and the AWS CLI's keys and Region
# in the environment. Sets $server; cleanup_bench stops $sampler, $agent and $server and removes the
# containers of $cluster (the agent leaves them running when it stops; these are this run's only).

# For a run of its own: agent_opts and server_opts (the JVM options `stevedore agent` and `up` start
# with), work (a new /tmp/stevedore-NAME-XXXX) and jar (the runnable jar, copied in: a rebuild during
# the run does not change it under the JVMs).
bench_run_dir() {  # name, jar
  agent_opts="$(STEVEDORE_PRINT_JVM_OPTIONS=1 "$root/bin/stevedore" agent | tr '\n' ' ')"
  server_opts="$(STEVEDORE_PRINT_JVM_OPTIONS=1 "$root/bin/stevedore" up | tr '\n' ' ')"
  work=$(mktemp -d "/tmp/stevedore-$1-XXXX")
  cp "$2" "$work/stevedore.jar" || exit 1
  jar="$work/stevedore.jar"
}

bench_ecs() { /usr/bin/aws --endpoint-url "http://127.0.0.1:$port" --output json ecs "$@"; }

start_control_plane() {
  # shellcheck disable=SC2086 # option lists are word-split on purpose
  "$JAVA_HOME/bin/java" $server_opts -jar "$jar" up --no-agent --port "$port" --data-dir "$work/server" \
    >"$work/server.log" 2>&1 &
  server=$!
  trap cleanup_bench EXIT
  for _ in $(seq 1 200); do bench_ecs list-clusters >/dev/null 2>&1 && break; sleep 0.3; done
  bench_ecs create-cluster --cluster-name "$cluster" >/dev/null \
    || { echo "control plane not up; see $work/server.log" >&2; exit 1; }
}

cleanup_bench() {
  [ -n "${sampler:-}" ] && kill "$sampler" 2>/dev/null
  [ -n "${agent:-}" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
  local ids
  ids=$(/usr/bin/docker ps -aq --filter "label=com.amazonaws.ecs.cluster=arn:aws:ecs:us-east-1:000000000000:cluster/$cluster")
  # shellcheck disable=SC2086
  [ -n "$ids" ] && /usr/bin/docker rm -f $ids >/dev/null
}

# Waits until the cluster's container instance has its agent connected; exits when it does not come.
await_agent() {
  local arn
  for _ in $(seq 1 200); do
    arn=$(bench_ecs list-container-instances --cluster "$cluster" | jq -r '.containerInstanceArns[0] // empty')
    if [ -n "$arn" ] && [ "$(bench_ecs describe-container-instances --cluster "$cluster" --container-instances "$arn" \
        | jq -r '.containerInstances[0].agentConnected')" = true ]; then return 0; fi
    sleep 0.3
  done
  echo "agent not connected; see $work/agent.log" >&2
  exit 1
}
