#!/usr/bin/env bash
# The Engine API calls behind an awsvpc task's start, timed one by one over the engine socket (curl, no
# CLI), interleaved, to say where a Fargate start's time goes and what a different set-up would cost
# ("Fargate tasks on Docker" in BENCHMARKS.md). Per round, on a bridge network of its own (10.218.0.0/16):
#   ref    start of a container with its own namespace and a fixed address (what `docker run --ip` does)
#   pause  start of a pause-like container the same way (the agent's first start), then
#   join   start of a container joining that namespace (`--network container:<pause>`, the agent's second)
#   warm   start of a container the same way again (a namespace made ahead of time), then
#   readdress  giving it another address: disconnect and connect again with a fixed address
#          (POST /networks/{id}/disconnect + /connect; a container without network cannot be connected)
#   create create of a container joining a created, not yet started pause container
#   connect  a container started ahead of time without a network (--network none) given the
#          subnet's network and an address: POST /networks/none/disconnect + /networks/{id}/connect,
#          what a warm pool of namespaces would do at a task's start. The script also says whether
#          the engine kept the MacAddress asked for on that connect, and shows that a container
#          joining another's namespace cannot be given a hostname of its own (why such a pool
#          cannot give a task the interface's DNS name as hostname: see BENCHMARKS.md)
#   bench/run-namespace-parts.sh [rounds=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/require-docker.sh"
rounds="${1:-rounds=20}"; rounds="${rounds#rounds=}"
sock=/var/run/docker.sock
api=http://localhost/v1.41
run="parts-$$-$RANDOM"
image=stevedore-test/busybox:latest
net=""
cleanup() {
  ids=$(/usr/bin/docker ps -aq --filter "label=dev.stevedore.bench.run=$run")
  [ -n "$ids" ] && /usr/bin/docker rm -f $ids >/dev/null
  [ -n "$net" ] && /usr/bin/docker network rm "$net" >/dev/null 2>&1 || true
}
trap cleanup EXIT
net=$(/usr/bin/docker network create --label "dev.stevedore.bench.run=$run" --subnet 10.218.0.0/16 "bench-parts-$run")
post() { # path [body] -> seconds; stops on an engine error
  local out
  out=$(curl -s -o /tmp/bench-parts-$$.out -w '%{http_code} %{time_total}' --unix-socket $sock -X POST \
    -H 'Content-Type: application/json' "$api$1" ${2:+-d "$2"})
  case "$out" in
    2*) echo "${out#* }" ;;
    *) echo "POST $1 failed: $out $(cat /tmp/bench-parts-$$.out)" >&2; exit 1 ;;
  esac
}
create() { # body -> id (not timed)
  curl -s --unix-socket $sock -X POST -H 'Content-Type: application/json' "$api/containers/create" -d "$1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Id"])'
}
body() { # network-mode [ip]
  local endpoint=""
  [ -n "${2:-}" ] && endpoint=",\"NetworkingConfig\":{\"EndpointsConfig\":{\"$1\":{\"IPAMConfig\":{\"IPv4Address\":\"$2\"}}}}"
  echo "{\"Image\":\"$image\",\"Cmd\":[\"sleep\",\"600\"],\"Labels\":{\"dev.stevedore.bench.run\":\"$run\"},\"HostConfig\":{\"NetworkMode\":\"$1\",\"Memory\":536870912}$endpoint}"
}
declare -A t
n=10
mac_kept=0
for i in $(seq 1 "$rounds"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  a=()
  for k in 1 2 3 4 5 6; do n=$((n + 1)); a+=("10.218.$((n / 250)).$((n % 250 + 2))"); done
  r=$(create "$(body "$net" "${a[0]}")"); t[ref]+=" $(post /containers/$r/start)"
  p=$(create "$(body "$net" "${a[1]}")"); t[pause]+=" $(post /containers/$p/start)"
  j=$(create "$(body "container:$p")"); t[join]+=" $(post /containers/$j/start)"
  w=$(create "$(body "$net" "${a[2]}")"); t[warm]+=" $(post /containers/$w/start)"
  d=$(post /networks/$net/disconnect "{\"Container\":\"$w\"}")
  c=$(post /networks/$net/connect "{\"Container\":\"$w\",\"EndpointConfig\":{\"IPAMConfig\":{\"IPv4Address\":\"${a[4]}\"}}}")
  t[readdress]+=" $(python3 -c "print($d + $c)")"
  q=$(create "$(body "$net" "${a[3]}")")
  t[create]+=" $(post /containers/create "$(body "container:$q")")"
  c=$(python3 -c 'import json; print(json.load(open("/tmp/bench-parts-'$$'.out"))["Id"])')
  h=$(create "$(body none)"); post /containers/$h/start >/dev/null
  mac=$(printf '02:aa:bb:00:00:%02x' "$((i % 256))")
  hd=$(post /networks/none/disconnect "{\"Container\":\"$h\"}")
  hc=$(post /networks/$net/connect "{\"Container\":\"$h\",\"EndpointConfig\":{\"IPAMConfig\":{\"IPv4Address\":\"${a[5]}\"},\"MacAddress\":\"$mac\"}}")
  t[connect]+=" $(python3 -c "print($hd + $hc)")"
  got=$(/usr/bin/docker inspect -f "{{(index .NetworkSettings.Networks \"bench-parts-$run\").MacAddress}}" "$h")
  [ "$got" = "$mac" ] && mac_kept=$((mac_kept + 1))
  /usr/bin/docker rm -f $r $j $p $w $c $q $h >/dev/null
  echo "round $i/$rounds, load $load" >&2
  sleep 0.2
done
rm -f /tmp/bench-parts-$$.out
echo "| call | n | median ms | p90 ms |"
echo "|---|---:|---:|---:|"
for k in ref pause join warm readdress create connect; do
  echo "${t[$k]}" | python3 -c '
import sys, math
k = sys.argv[1]; v = sorted(float(x) * 1000 for x in sys.stdin.read().split())
pct = lambda p: v[max(0, math.ceil(p / 100 * len(v)) - 1)]
print(f"| {k} | {len(v)} | {pct(50):.0f} | {pct(90):.0f} |")' "$k"
done
echo "connect: the MacAddress asked for was kept in $mac_kept of $rounds rounds"
# A container joining another's namespace takes that container's hostname; asking for its own is refused.
j=$(create "$(body none)"); post /containers/$j/start >/dev/null
refusal=$(curl -s --unix-socket $sock -X POST -H 'Content-Type: application/json' "$api/containers/create" \
  -d "{\"Image\":\"$image\",\"Hostname\":\"ip-10-218-0-9.ec2.internal\",\"Labels\":{\"dev.stevedore.bench.run\":\"$run\"},\"HostConfig\":{\"NetworkMode\":\"container:$j\"}}")
echo "a joining container with a hostname of its own: $refusal"
echo "load at the end: $(cat /proc/loadavg)"
