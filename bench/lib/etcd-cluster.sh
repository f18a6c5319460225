# A three-member etcd cluster from Debian's /usr/bin/etcd on loopback, fsync on, data in a temporary
# directory ($dir), for the benchmarks on the store in etcd. Sourced after the caller sets $ops
# (--max-txn-ops); on exit the members (and whatever else the caller adds to pids) are killed and
# $dir removed. start_etcd [prefix] sets $etcd_address and $etcd_clients (the members' client ports).
# STEVEDORE_ETCD_EXTRA_FLAGS adds flags to every member.
dir="$(mktemp -d /tmp/stevedore-bench-etcd.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_etcd() {
  local prefix="${1:-/bench}" peers=() cluster=""
  etcd_clients=()
  for i in 0 1 2; do etcd_clients+=("$(free_port)"); peers+=("$(free_port)"); done
  for i in 0 1 2; do cluster+="${cluster:+,}m$i=http://127.0.0.1:${peers[$i]}"; done
  for i in 0 1 2; do
    /usr/bin/etcd --name "m$i" --data-dir "$dir/m$i" \
      --listen-client-urls "http://127.0.0.1:${etcd_clients[$i]}" --advertise-client-urls "http://127.0.0.1:${etcd_clients[$i]}" \
      --listen-peer-urls "http://127.0.0.1:${peers[$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${peers[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-token "bench-$$" --initial-cluster-state new \
      --quota-backend-bytes 8589934592 --max-txn-ops "$ops" ${STEVEDORE_ETCD_EXTRA_FLAGS:-} >"$dir/m$i.log" 2>&1 &
    pids+=("$!")
  done
  for i in 0 1 2; do
    for _ in $(seq 1 300); do
      curl -sf "http://127.0.0.1:${etcd_clients[$i]}/health" | grep -q '"health":"true"' && break
      sleep 0.2
    done
  done
  etcd_address="etcd://127.0.0.1:${etcd_clients[0]},127.0.0.1:${etcd_clients[1]},127.0.0.1:${etcd_clients[2]}$prefix?max-txn-ops=$ops"
}
