#!/usr/bin/env bash
# Reproduces "Shared volumes (EFS)" in BENCHMARKS.md: what a task sees through an EFS mount against the
# same work on the host's local disk and on a plain GlusterFS FUSE mount made without Stevedore.
#
# A control plane (`stevedore up --no-agent`, which is the file systems' storage host) and an agent
# (`stevedore agent`) run as separate JVMs from the runnable jar, on a new data directory under /tmp.
# One file system and its mount target are made with the AWS CLI; a task that only sleeps holds the
# agent's mount for the whole run, as the plain mount is held. Three targets, each seen by a busybox
# container at /mnt/bench:
#   local   `docker run -v <dir on the host's disk>:/mnt/bench`
#   gluster `docker run -v <plain mount>:/mnt/bench`: a replica-3 volume made with the gluster CLI the way
#           the server makes its own (three bricks of this host's first non-loopback IPv4 address, on the
#           same disk, `force`, no options set) and mounted with `mount -t glusterfs`
#   efs     an ECS task with an efsVolumeConfiguration: the agent's FUSE mount, bound into its container
# Three phases per target and round, each in a container of its own, timed inside it (/proc/uptime,
# 10 ms steps) so container start is not counted:
#   write   dd 1 GiB from /dev/zero in 1 MiB blocks, conv=fsync (the data is on the bricks' disk at the end)
#   read    dd the file back to /dev/null in 1 MiB blocks
#   files   10,000 files of 2 bytes each (`echo x > fN`, busybox's shell: open/creat, write, close)
# The host's page cache is dropped (sync; echo 3 > /proc/sys/vm/drop_caches) before every phase, so the
# read comes from the disk through each path: the kernel's cache of the FUSE mounts goes with it, and
# Gluster's own client caches start cold because the file was written, not read, by that client.
# Every container gets the same limits (512 MiB of memory; the page cache a writer dirties is charged to
# it). Rounds are interleaved, the targets' order rotating each round, so the machine's load hits all.
# Disk: at most one 1 GiB file per target exists at a time: 1 + 3 + 3 = 7 GiB at the peak, under /tmp.
# Needs root (mount, drop_caches), Docker, GlusterFS (glusterfs-server, glusterfs-client), /dev/fuse, the
# image stevedore-test/busybox:latest (bin/setup-test-env), the AWS CLI and jq.
#   bench/run-efs.sh [rounds=3] [mib=1024] [files=10000] [jar=server/target/stevedore.jar]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
. "$root/bench/lib/agent-bench.sh"
. "$root/bench/lib/require-docker.sh"
rounds="${1:-3}"; mib="${2:-1024}"; files="${3:-10000}"
image=stevedore-test/busybox:latest
for tool in gluster mount.glusterfs jq; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (glusterfs-server, glusterfs-client, jq)" >&2; exit 1; }
done
[ -e /dev/fuse ] || { echo "/dev/fuse is missing" >&2; exit 1; }
bench_run_dir efsbench "${4:-$root/server/target/stevedore.jar}"
. "$root/bench/lib/server-cli.sh"
port=$(free_port); endpoint_port=$(free_port)
bench_keys AKIAEFSBENCH00000001 efs/bench/secret/000000000000000000000000
name=$(basename "$work" | tr -cd 'a-zA-Z0-9')
cluster="$name"
plain_volume="$name-plain"
plain_mount="$work/plain-mount"
local_dir="$work/local"
fs_id=""; mount_target=""; holder=""

# Everything this run made goes, in the order that lets each part go: the holder task (the agent then
# unmounts), the mount target and the file system (the server deletes its volume), the JVMs and their
# containers, the plain mount and volume, then whatever a failure left: mounts under the work
# directory and Gluster volumes with bricks there.
cleanup() {
  set +e
  trap - EXIT INT TERM
  if [ -n "$holder" ]; then
    aws ecs stop-task --cluster "$cluster" --task "$holder" >/dev/null 2>&1
    for _ in $(seq 1 60); do
      [ "$(aws ecs describe-tasks --cluster "$cluster" --tasks "$holder" 2>/dev/null | jq -r '.tasks[0].lastStatus')" = STOPPED ] && break
      sleep 1
    done
  fi
  [ -n "$mount_target" ] && aws efs delete-mount-target --mount-target-id "$mount_target" >/dev/null 2>&1
  if [ -n "$fs_id" ]; then
    for _ in $(seq 1 30); do aws efs delete-file-system --file-system-id "$fs_id" >/dev/null 2>&1 && break; sleep 1; done
    for _ in $(seq 1 60); do gluster --mode=script volume info "$fs_id" >/dev/null 2>&1 || break; sleep 1; done
  fi
  cleanup_bench
  mountpoint -q "$plain_mount" && umount "$plain_mount"
  local mounted volume
  for mounted in $(awk -v w="$work/" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    umount "$mounted" 2>/dev/null || umount -l "$mounted"
  done
  for volume in $(gluster --mode=script volume info all 2>/dev/null \
      | awk -v w="$work/" '/^Volume Name:/ {v = $3} /^Brick1:/ && index($2, w) {print v}'); do
    gluster --mode=script volume stop "$volume" force >/dev/null 2>&1
    gluster --mode=script volume delete "$volume" >/dev/null 2>&1
  done
  /usr/bin/docker rm -f $(/usr/bin/docker ps -aq --filter "label=stevedore-efsbench=$name") >/dev/null 2>&1
  rm -rf "$work"
}
trap 'exit 130' INT TERM

start_control_plane   # sets the EXIT trap to cleanup_bench; ours calls it
trap cleanup EXIT
"$JAVA_HOME/bin/java" $agent_opts -jar "$jar" agent --endpoint "http://127.0.0.1:$port" --cluster "$cluster" \
  --task-endpoint-port "$endpoint_port" --data-dir "$work/agent" --cpu 2048 --memory 2048 \
  --attribute ecs.availability-zone=us-east-1a \
  --instance-id "i-0$(printf '%016x' "$RANDOM$RANDOM")" >"$work/agent.log" 2>&1 &
agent=$!
await_agent

# The file system, available, with its mount target in the agent's zone.
fs_id=$(aws efs create-file-system --creation-token "$name" | jq -r .FileSystemId)
[ -n "$fs_id" ] && [ "$fs_id" != null ] || { echo "no file system; see $work/server.log" >&2; exit 1; }
for _ in $(seq 1 120); do
  [ "$(aws efs describe-file-systems --file-system-id "$fs_id" | jq -r '.FileSystems[0].LifeCycleState')" = available ] && break
  sleep 1
done
subnet=$(aws ec2 describe-subnets --filters Name=availability-zone,Values=us-east-1a Name=default-for-az,Values=true \
  | jq -r '.Subnets[0].SubnetId')
mount_target=$(aws efs create-mount-target --file-system-id "$fs_id" --subnet-id "$subnet" | jq -r .MountTargetId)

# The plain volume: bricks as the server lays out its own (same host address, same disk, replica 3).
efs_bricks=$(gluster --mode=script volume info "$fs_id" | awk '/^Brick[0-9]+:/ {print $2}')
[ "$(echo "$efs_bricks" | wc -l)" = 3 ] || { echo "file system $fs_id has no replica-3 volume: $efs_bricks" >&2; exit 1; }
host=$(echo "$efs_bricks" | head -1 | cut -d: -f1)
bricks=()
for i in 1 2 3; do mkdir -p "$work/plain-bricks/brick$i"; bricks+=("$host:$work/plain-bricks/brick$i"); done
gluster --mode=script volume create "$plain_volume" replica 3 "${bricks[@]}" force >/dev/null \
  && gluster --mode=script volume start "$plain_volume" >/dev/null \
  || { echo "cannot make the plain volume $plain_volume" >&2; exit 1; }
mkdir -p "$plain_mount" "$local_dir"
mount -t glusterfs "$host:/$plain_volume" "$plain_mount" || { echo "cannot mount $plain_volume" >&2; exit 1; }

# The phases' scripts: each prints "<start> <end>" in seconds of /proc/uptime around its timed part.
now='cut -d" " -f1 /proc/uptime'
declare -A phase
phase[write]="rm -rf /mnt/bench/big /mnt/bench/small; t0=\$($now); dd if=/dev/zero of=/mnt/bench/big bs=1M count=$mib conv=fsync 2>/dev/null || exit 1; echo \$t0 \$($now)"
phase[read]="t0=\$($now); dd if=/mnt/bench/big of=/dev/null bs=1M 2>/dev/null || exit 1; echo \$t0 \$($now)"
phase[files]="mkdir /mnt/bench/small && cd /mnt/bench/small || exit 1; t0=\$($now); i=0; while [ \$i -lt $files ]; do echo x > f\$i || exit 1; i=\$((i + 1)); done; t1=\$($now); echo \$t0 \$t1; cd /; rm -rf /mnt/bench/small /mnt/bench/big"

register() {  # family, command, memory MiB
  jq -n --arg family "$1" --arg fs "$fs_id" --arg image "$image" --arg script "$2" --argjson memory "$3" \
    '{family: $family, containerDefinitions: [{name: "bench", image: $image, essential: true, memory: $memory,
      command: ["sh", "-c", $script], mountPoints: [{sourceVolume: "efs", containerPath: "/mnt/bench"}]}],
      volumes: [{name: "efs", efsVolumeConfiguration: {fileSystemId: $fs}}]}' > "$work/$1.json"
  aws ecs register-task-definition --cli-input-json "file://$work/$1.json" >/dev/null || exit 1
}
for p in write read files; do register "$name-$p" "${phase[$p]}" 512; done
register "$name-holder" "trap 'exit 0' TERM; sleep 86400 & wait" 16
holder=$(aws ecs run-task --cluster "$cluster" --task-definition "$name-holder" | jq -r '.tasks[0].taskArn')
for _ in $(seq 1 120); do
  status=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$holder" | jq -r '.tasks[0].lastStatus')
  [ "$status" = RUNNING ] && break
  [ "$status" = STOPPED ] && { echo "the holder task stopped: $(aws ecs describe-tasks --cluster "$cluster" --tasks "$holder" | jq -c '.tasks[0].stoppedReason')" >&2; exit 1; }
  sleep 1
done
[ "$status" = RUNNING ] || { echo "the holder task is not running; see $work/agent.log" >&2; exit 1; }

drop_caches() {
  sync
  echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || { echo "cannot drop the page cache (not root?)" >&2; exit 1; }
}

# One phase on one target; prints its seconds.
run_plain() {  # dir, phase
  local out
  out=$(/usr/bin/docker run --rm --label "stevedore-efsbench=$name" --memory 512m -v "$1:/mnt/bench" "$image" \
    sh -c "${phase[$2]}") || { echo "plain $2 on $1 failed: $out" >&2; exit 1; }
  echo "$out" | awk '{printf "%.2f\n", $2 - $1}'
}
run_task() {  # phase
  local task id="" out code
  task=$(aws ecs run-task --cluster "$cluster" --task-definition "$name-$1" | jq -r '.tasks[0].taskArn')
  # The container is waited for with Docker (no CPU spent polling the API while it works).
  for _ in $(seq 1 600); do
    id=$(/usr/bin/docker ps -aq --filter "label=com.amazonaws.ecs.task-arn=$task")
    [ -n "$id" ] && break
    sleep 0.2
  done
  [ -n "$id" ] || { echo "task $1 has no container: $(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" | jq -c '.tasks[0].stoppedReason')" >&2; exit 1; }
  code=$(/usr/bin/docker wait "$id")
  out=$(/usr/bin/docker logs "$id" 2>&1)
  [ "$code" = 0 ] || { echo "task $1 exited with $code: $out" >&2; exit 1; }
  for _ in $(seq 1 120); do
    [ "$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" | jq -r '.tasks[0].lastStatus')" = STOPPED ] && break
    sleep 0.5
  done
  echo "$out" | awk '{printf "%.2f\n", $2 - $1}'
}
run_phase() {  # target, phase
  drop_caches
  case $1 in
    local) run_plain "$local_dir" "$2" ;;
    gluster) run_plain "$plain_mount" "$2" ;;
    efs) run_task "$2" ;;
  esac
}

targets=(local gluster efs)
echo "# $(date -u +%FT%TZ) $(nproc) cores; $rounds rounds; $mib MiB, $files files; file system $fs_id, plain volume $plain_volume on $host"
echo "# load before: $(uptime)"
: > "$work/seconds"
for round in $(seq 1 "$rounds"); do
  for k in 0 1 2; do
    target=${targets[$(( (k + round - 1) % 3 ))]}
    for p in write read files; do
      s=$(run_phase "$target" "$p") || exit 1
      echo "$round $target $p $s" >> "$work/seconds"
      printf 'round %d %-8s %-6s %7.2f s\n' "$round" "$target" "$p" "$s"
    done
  done
  echo "# load after round $round: $(uptime)"
done

# Medians of the rates: MiB/s for write and read, files/s for files.
echo
awk -v mib="$mib" -v files="$files" '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j] < a[j - 1]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { rate = ($3 == "files" ? files : mib) / $4; r[$2, $3] = r[$2, $3] " " rate }
  END {
    printf "%-32s %-8s %11s %14s %10s %10s\n", "median of the rounds", "unit", "local disk", "plain Gluster", "EFS task", "EFS/plain"
    split("write read files", ps, " ")
    for (i = 1; i <= 3; i++) {
      p = ps[i]
      unit = (p == "files" ? "files/s" : "MiB/s")
      label = (p == "write" ? "write " mib " MiB, fsync" : p == "read" ? "read " mib " MiB, cold cache" : "create " files " files of 2 bytes")
      l = median(r["local", p]); g = median(r["gluster", p]); e = median(r["efs", p])
      printf "%-32s %-8s %11.1f %14.1f %10.1f %10.3f\n", label, unit, l, g, e, e / g
    }
  }' "$work/seconds"
