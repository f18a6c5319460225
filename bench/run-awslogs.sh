#!/usr/bin/env bash
# Reproduces "The awslogs path end to end" in BENCHMARKS.md: a control plane (`stevedore up
# --no-agent`) and an agent (`stevedore agent`) as separate JVMs from the runnable jar; one task
# whose busybox container prints RATE lines/s for SECS s (paced by /proc/uptime in 50 ms steps),
# first with the json-file log driver (the reference: what Docker costs without shipping), then
# with awslogs (Docker's own driver shipping to the control plane's CloudWatch Logs API with the
# task's execution role). For each run: CPU seconds (utime+stime from /proc/PID/stat) of dockerd,
# the agent and the control plane over the run, and the peak VmRSS above the idle one. For awslogs,
# every line is read back with `aws logs get-log-events` and must be there once and in order.
# Needs root (iptables), Docker, the image stevedore-test/busybox:latest (bin/setup-test-env), the
# AWS CLI and jq.
# Lines are `line-00000001` (13 bytes) padded with x to WIDTH bytes.
#   bench/run-awslogs.sh [RATE=10000] [SECS=30] [WIDTH=13] [jar=server/target/stevedore.jar]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
. "$root/bench/lib/agent-bench.sh"
rate="${1:-10000}"; secs="${2:-30}"; width="${3:-13}"
pad=$(printf '%*s' $((width > 13 ? width - 13 : 0)) '' | tr ' ' x)
bench_run_dir awslogs "${4:-$root/server/target/stevedore.jar}"
. "$root/bench/lib/server-cli.sh"
port=$(free_port); endpoint_port=$(free_port)
bench_keys AKIAAWSLOGSBENCH0001 awslogs/bench/secret/00000000000000000000
cluster="awslogs-$(basename "$work" | tr -cd 'a-zA-Z0-9')"
group="/bench/$cluster"
start_control_plane
role_arn=$(aws iam create-role --role-name "$cluster-execution" --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
  | jq -r .Role.Arn)
aws iam put-role-policy --role-name "$cluster-execution" --policy-name ship --policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}'
aws logs create-log-group --log-group-name "$group" || { echo "no CloudWatch Logs API; see $work/server.log" >&2; exit 1; }
# RATE lines/s in 50 ms steps: each step prints its share, then waits for the step's end on the uptime clock.
script="awk -v rate=$rate -v secs=$secs -v pad=$pad 'function now(  u, a) { getline u < \"/proc/uptime\"; close(\"/proc/uptime\"); split(u, a, \" \"); return a[1] }
BEGIN { step = rate / 20; t0 = now(); n = 0
  for (k = 0; k < secs * 20; k++) {
    for (i = 0; i < step; i++) { n++; printf \"line-%08d%s\\n\", n, pad }
    fflush()
    while ((d = t0 + (k + 1) / 20 - now()) > 0) system(\"usleep \" int(d * 1000000))
  } }'"
register() {  # family, logConfiguration JSON
  jq -n --arg family "$1" --arg role "$role_arn" --arg script "$script" --argjson log "$2" \
    '{family: $family, executionRoleArn: $role, containerDefinitions: [{name: "printer",
      image: "stevedore-test/busybox:latest", essential: true, memory: 64, command: ["sh", "-c", $script],
      logConfiguration: $log}]}' > "$work/$1.json"
  aws ecs register-task-definition --cli-input-json "file://$work/$1.json" >/dev/null
}
register jsonfile '{"logDriver": "json-file"}'
register awslogs "$(jq -n --arg g "$group" '{logDriver: "awslogs", options: {"awslogs-group": $g,
  "awslogs-region": "us-east-1", "awslogs-stream-prefix": "bench"}}')"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $agent_opts -jar "$jar" agent --endpoint "http://127.0.0.1:$port" --cluster "$cluster" \
  --task-endpoint-port "$endpoint_port" --data-dir "$work/agent" \
  --instance-id "i-0$(printf '%016x' "$RANDOM$RANDOM")" >"$work/agent.log" 2>&1 &
agent=$!
await_agent
dockerd=$(pidof dockerd)
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in ticks
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }  # KiB
sleep 5
declare -A idle
for p in "$dockerd" "$agent" "$server"; do idle[$p]=$(rss "$p"); done
# One run: starts the task, samples the peak VmRSS of the three processes and their CPU until it
# stopped (and the daemon's last flush), then reads every line back: from the stream (awslogs) or
# `docker logs` (json-file); prints the verdict, CPU seconds and peak extra MiB of each process.
measure() {  # family
  local family=$1 task status stream
  declare -A c0
  for p in "$dockerd" "$agent" "$server"; do c0[$p]=$(cpu "$p"); done
  rm -f "$work/stop"
  (while [ ! -f "$work/stop" ]; do for p in "$dockerd" "$agent" "$server"; do echo "$p $(rss "$p")"; done; sleep 0.5; done) \
    > "$work/rss.$family" &
  sampler=$!
  task=$(aws ecs run-task --cluster "$cluster" --task-definition "$family" | jq -r '.tasks[0].taskArn')
  while true; do
    status=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" | jq -r '.tasks[0].lastStatus')
    [ "$status" = STOPPED ] && break
    sleep 1
  done
  # The daemon's last batch goes when the container's log closes; its flush interval is 5 s. CPU is
  # read before the read-back below, whose own cost (the CLI's calls) is not the shipping's.
  sleep 6
  declare -A used
  for p in "$dockerd" "$agent" "$server"; do used[$p]=$(( $(cpu "$p") - c0[$p] )); done
  touch "$work/stop"; wait "$sampler"; sampler=""
  local lines=0 id took
  id=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" | jq -r '.tasks[0].containers[0].runtimeId')
  # How long the container printed: the rate it kept, whatever the machine's load.
  took=$(/usr/bin/docker inspect -f '{{.State.StartedAt}} {{.State.FinishedAt}}' "$id" \
    | python3 -c 'import sys, datetime as d; a, b = (d.datetime.fromisoformat(t[:26].rstrip("Z")) for t in sys.stdin.read().split()); print(f"{(b - a).total_seconds():.1f}")')
  if [ "$family" = awslogs ]; then
    stream="bench/printer/${task##*/}"
    : > "$work/received"
    local token="" next
    local deadline=$((SECONDS + 120))
    while [ "$lines" -lt $((rate * secs)) ] && [ $SECONDS -lt $deadline ]; do
      next=$(aws logs get-log-events --log-group-name "$group" --log-stream-name "$stream" --start-from-head \
        ${token:+--next-token "$token"} | tee "$work/page.json" | jq -r .nextForwardToken)
      jq -r '.events[].message' "$work/page.json" >> "$work/received"
      lines=$(wc -l < "$work/received")
      [ "$next" = "$token" ] && sleep 1
      token=$next
    done
  else
    /usr/bin/docker logs "$id" > "$work/received" 2>&1
    lines=$(wc -l < "$work/received")
  fi
  awk -v n=$((rate * secs)) -v pad="$pad" 'BEGIN { for (i = 1; i <= n; i++) printf "line-%08d%s\n", i, pad }' > "$work/expected"
  local verdict="every line once, in order"
  cmp -s "$work/expected" "$work/received" || verdict="MISMATCH: $(diff "$work/expected" "$work/received" | grep -c '^[<>]') lines differ"
  printf '%s: %d lines printed in %s s; %s\n' "$family" "$lines" "$took" "$verdict"
  for p in "$dockerd" "$agent" "$server"; do
    name=$([ "$p" = "$dockerd" ] && echo dockerd || { [ "$p" = "$agent" ] && echo agent || echo "control plane"; })
    top=$(awk -v p="$p" '$1 == p && $2 > m {m = $2} END {print m + 0}' "$work/rss.$family")
    printf '  %-13s CPU %6.2f s (%5.1f%% of one core over %d s, %5.2f%% per 1,000 lines/s) | peak RSS +%6.1f MiB over idle\n' \
      "$name" "$(echo "${used[$p]} / $ticks" | bc -l)" "$(echo "100 * ${used[$p]} / $ticks / $secs" | bc -l)" "$secs" \
      "$(echo "100 * ${used[$p]} / $ticks / $secs / ($rate / 1000)" | bc -l)" "$(echo "($top - ${idle[$p]}) / 1024" | bc -l)"
  done
}
measure jsonfile
measure awslogs
echo "rate $rate lines/s of $width bytes for $secs s | jar $jar | logs in $work"
