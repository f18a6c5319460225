#!/usr/bin/env bash
# Reproduces the agent's VmRSS figures in BENCHMARKS.md ("Agent resident memory"): a control plane
# (`stevedore up --no-agent`) and an agent (`stevedore agent` with the launcher's JVM options) as
# separate JVMs from the runnable jar; VmRSS of the agent idle (peak over 5 s, 10 s after it
# connected), then while N tasks start at once and run (peak until HOLD seconds after all are
# RUNNING). Needs Docker, the image stevedore-test/busybox:latest (bin/setup-test-env) and the AWS CLI.
#   bench/run-agent-memory.sh [N=30] [HOLD=5] ["<agent JVM options>"=the launcher's] [jar=server/target/stevedore.jar]
# Prints one line: idle MiB, peak MiB with N tasks, ms until all N were RUNNING (as the CLI saw it,
# polling), and the agent's /proc status at the end.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
. "$root/bench/lib/agent-bench.sh"
n="${1:-30}"; hold="${2:-5}"
agent_opts="${3:-$(STEVEDORE_PRINT_JVM_OPTIONS=1 "$root/bin/stevedore" agent | tr '\n' ' ')}"
server_opts="$(STEVEDORE_PRINT_JVM_OPTIONS=1 "$root/bin/stevedore" up | tr '\n' ' ')"
work=$(mktemp -d /tmp/stevedore-agent-memory-XXXX)
# A private copy, so that a build rewriting the jar cannot pull classes out from under the JVMs.
cp "${4:-$root/server/target/stevedore.jar}" "$work/stevedore.jar" || exit 1
jar="$work/stevedore.jar"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export STEVEDORE_ACCESS_KEY_ID=AKIAAGENTMEMORY00001 STEVEDORE_SECRET_ACCESS_KEY=agent/memory/secret/000000000000000000000
export AWS_ACCESS_KEY_ID=$STEVEDORE_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$STEVEDORE_SECRET_ACCESS_KEY
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
printf '#!/bin/sh\nexec aws --endpoint-url "http://127.0.0.1:%s" ecs "$@" --output json\n' "$port" > "$work/ecs"
chmod +x "$work/ecs"
ecs() { "$work/ecs" "$@"; }
cluster="memory-$(basename "$work")"
start_control_plane
ecs register-task-definition --family memory --container-definitions \
  '[{"name":"main","image":"stevedore-test/busybox:latest","command":["sleep","3600"],"memory":16,"essential":true}]' >/dev/null
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $agent_opts -jar "$jar" agent --endpoint "http://127.0.0.1:$port" --cluster "$cluster" \
  --data-dir "$work/agent" --instance-id "i-0$(printf '%016x' "$RANDOM$RANDOM")" >"$work/agent.log" 2>&1 &
agent=$!
await_agent
rss() { awk '/^VmRSS/ {print $2}' "/proc/$agent/status"; }
sleep 10
idle=0; end=$((SECONDS + 5))
while [ $SECONDS -lt $end ]; do v=$(rss); [ "$v" -gt "$idle" ] && idle=$v; sleep 0.2; done
(p=0; while [ ! -f "$work/stop" ]; do v=$(rss); [ -n "$v" ] && [ "$v" -gt "$p" ] && p=$v && echo "$p" > "$work/peak"; sleep 0.2; done) &
sampler=$!
t0=$(date +%s%N)
runners=()
for k in $(seq 1 $(((n + 9) / 10))); do
  count=$((n - 10 * (k - 1) < 10 ? n - 10 * (k - 1) : 10))
  (ecs run-task --cluster "$cluster" --task-definition memory --count "$count" | jq -r '.tasks[].taskArn' > "$work/arns.$k") &
  runners+=($!)
done
wait "${runners[@]}"
cat "$work"/arns.* > "$work/arns"
while true; do
  running=$(xargs "$work/ecs" describe-tasks --cluster "$cluster" --tasks < "$work/arns" \
    | jq '[.tasks[] | select(.lastStatus == "RUNNING")] | length')
  [ "$running" -ge "$n" ] && break
  [ $((($(date +%s%N) - t0) / 1000000000)) -gt 180 ] && { echo "only $running of $n RUNNING after 180 s" >&2; break; }
  sleep 0.2
done
t1=$(date +%s%N)
sleep "$hold"
touch "$work/stop"; wait "$sampler"; sampler=""
mib() { awk "BEGIN {printf \"%.1f\", $1 / 1024}"; }
status=$(grep -E '^(VmRSS|RssAnon|RssFile|Threads)' "/proc/$agent/status" | tr -s ' \t' ' ' | tr '\n' ' ')
echo "idle $(mib "$idle") MiB | $n tasks peak $(mib "$(cat "$work/peak")") MiB | $n → RUNNING $(((t1 - t0) / 1000000)) ms | end: $status| agent: $agent_opts| $work"
xargs -n 1 "$work/ecs" stop-task --cluster "$cluster" --task < "$work/arns" >/dev/null 2>&1
