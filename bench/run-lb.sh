#!/usr/bin/env bash
# Reproduces "Load balancer data plane against HAProxy" in BENCHMARKS.md: two keep-alive HTTP backends
# (TinyHttpBackend, one JVM, 13-byte body), our data plane (dev.stevedore.lb.Standalone) and Debian's HAProxy
# (http mode, roundrobin, keep-alive and connection reuse to the servers, X-Forwarded-For added like ours)
# in front of the same two, and wrk with the same threads/connections/duration against each, in interleaved
# rounds (the order flips every round, so the machine's noise falls on both). Needs /usr/sbin/haproxy, wrk,
# taskset and python3.
#   bench/run-lb.sh [rounds=5] [seconds=10] [connections=50] [mode=pinned|unpinned|both] [pool=per-event-loop|shared]
# pinned: each proxy on CPU 1 with one event loop / one HAProxy thread, wrk and the backends on CPU 0.
# unpinned: no pinning, two event loops / two HAProxy threads.
# STEVEDORE_MVN_FLAGS=-o runs Maven offline; STEVEDORE_LB_JVM_FLAGS adds JVM options to our data plane's JVM.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java-home.sh"
cd "$root"
rounds="${1:-5}"; secs="${2:-10}"; conns="${3:-50}"; mode="${4:-pinned}"; pool="${5:-per-event-loop}"
mvn -B -q ${STEVEDORE_MVN_FLAGS:-} -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
work=$(mktemp -d /tmp/stevedore-lb-bench-XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "nothing on port $1" >&2; exit 1; }
b1=$(free_port); b2=$(free_port)
"$JAVA_HOME/bin/java" -Xmx128m -XX:+UseSerialGC -cp "$cp" dev.stevedore.bench.lb.TinyHttpBackend 1 "$b1" "$b2" >"$work/backends.log" 2>&1 &
pids+=($!); backends=$!
await_port "$b1"; await_port "$b2"

# Runs one configuration: $1 = label, $2 = CPU list for the proxies ("" = unpinned), $3 = event loops / threads.
run_mode() {
  local label="$1" cpus="$2" threads="$3" pin=() load_pin=()
  if [ -n "$cpus" ]; then pin=(taskset -c "$cpus"); load_pin=(taskset -c 0); taskset -pc 0 "$backends" >/dev/null; else taskset -pc 0-"$(($(nproc) - 1))" "$backends" >/dev/null; fi
  local ours_port haproxy_port; ours_port=$(free_port); haproxy_port=$(free_port)
  "${pin[@]}" "$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+UseParallelGC ${STEVEDORE_LB_JVM_FLAGS:-} --enable-native-access=ALL-UNNAMED -cp "$cp" dev.stevedore.lb.Standalone \
    --listen "127.0.0.1:$ours_port" --target "127.0.0.1:$b1" --target "127.0.0.1:$b2" --workers "$threads" --pool "$pool" \
    >"$work/ours-$label.log" 2>&1 &
  local ours=$!; pids+=($ours)
  cat >"$work/haproxy-$label.cfg" <<CFG
global
  nbthread $threads
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  option forwardfor
  http-reuse always
  timeout connect 10s
  timeout client 60s
  timeout server 60s
frontend lb
  bind 127.0.0.1:$haproxy_port
  default_backend targets
backend targets
  balance roundrobin
  server t1 127.0.0.1:$b1
  server t2 127.0.0.1:$b2
CFG
  "${pin[@]}" /usr/sbin/haproxy -db -f "$work/haproxy-$label.cfg" >"$work/haproxy-$label.log" 2>&1 &
  local haproxy=$!; pids+=($haproxy)
  await_port "$ours_port"; await_port "$haproxy_port"
  # Warm-up: the JVM's JIT (30 s: on a busy shared machine C2 takes a while to get to the hot path), and
  # both proxies' pools to the targets.
  "${load_pin[@]}" wrk -t1 -c"$conns" -d30s "http://127.0.0.1:$ours_port/" >/dev/null
  "${load_pin[@]}" wrk -t1 -c"$conns" -d3s "http://127.0.0.1:$haproxy_port/" >/dev/null
  echo "== $label: $conns connections, 1 wrk thread, ${secs}s per run, $rounds rounds; ours: $(grep -m1 "^listening" "$work/ours-$label.log")"
  printf '%-6s %-8s %12s %10s %8s\n' round proxy req/s p99_ms errors
  for r in $(seq 1 "$rounds"); do
    local order=(ours haproxy); [ $((r % 2)) -eq 0 ] && order=(haproxy ours)
    for who in "${order[@]}"; do
      local port=$ours_port; [ "$who" = haproxy ] && port=$haproxy_port
      "${load_pin[@]}" wrk -t1 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/" >"$work/$label-$who-$r.txt"
      awk -v r="$r" -v who="$who" -v label="$label" '
        /Requests\/sec/ { rps = $2 }
        /^ +99%/ { v = $2; if (v ~ /us$/) p = v / 1000; else if (v ~ /ms$/) p = v + 0; else p = v * 1000 }
        /Non-2xx/ { err += $NF }
        /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
        END { printf "%-6s %-8s %12.0f %10.2f %8d\n", r, who, rps, p, err; print label, who, rps, p, err > "/dev/stderr" }' \
        "$work/$label-$who-$r.txt" 2>>"$work/results.txt"
    done
  done
  awk -v label="$label" '$1 == label { n[$2]++; rps[$2, n[$2]] = $3; p99[$2, n[$2]] = $4 }
    function median(a, who, k,   i, j, t, v) { for (i = 1; i <= k; i++) v[i] = a[who, i]
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
    END { o = median(rps, "ours", n["ours"]); h = median(rps, "haproxy", n["haproxy"])
      printf "median: ours %.0f req/s p99 %.2f ms | haproxy %.0f req/s p99 %.2f ms | ours/haproxy %.2fx req/s\n",
        o, median(p99, "ours", n["ours"]), h, median(p99, "haproxy", n["haproxy"]), o / h }' "$work/results.txt"
  kill "$ours" "$haproxy"; wait "$ours" "$haproxy" 2>/dev/null || true
}

case "$mode" in
  pinned) run_mode pinned 1 1 ;;
  unpinned) run_mode unpinned "" 2 ;;
  both) run_mode pinned 1 1; run_mode unpinned "" 2 ;;
  *) echo "mode is pinned, unpinned or both" >&2; exit 2 ;;
esac
echo "raw wrk outputs: $work"
