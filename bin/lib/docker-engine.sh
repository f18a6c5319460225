#!/usr/bin/env bash
# The Docker engine on this host, as Stevedore needs it: Debian's docker.io installed and its
# daemon answering. One place for what bin/setup-test-env (the tests) and `bin/stevedore up` (a
# user's first start) both do, so that the two cannot drift apart.
#
# Sourced, it defines the docker_engine_* functions below. Run, it is the check alone:
#   bin/lib/docker-engine.sh check   prints what the engine needs and exits 0 (nothing to do),
#                                    1 (this user can do it: `docker_engine_ensure` would) or
#                                    2 (this user cannot; the lines printed say what to run)
# and changes nothing.
#
# Environment:
#   DOCKER_HOST                 the engine to use; only a unix socket's engine is this host's to set up
#   STEVEDORE_DOCKERD           the daemon to start (default /usr/sbin/dockerd, Debian's)
#   STEVEDORE_DOCKERD_LOG       where a dockerd started here logs (default /var/log/stevedore-dockerd.log)
#   STEVEDORE_DOCKERD_TIMEOUT   seconds to wait for a started dockerd to answer (default 60)

# A newer docker client may come first on PATH and speak an API the Debian engine does not.
DOCKER=/usr/bin/docker
DOCKERD=${STEVEDORE_DOCKERD:-/usr/sbin/dockerd}
DOCKERD_LOG=${STEVEDORE_DOCKERD_LOG:-/var/log/stevedore-dockerd.log}
DOCKERD_TIMEOUT=${STEVEDORE_DOCKERD_TIMEOUT:-60}
DOCKER_ENGINE_PACKAGES=(docker.io)

# Lines go to stdout with the caller's prefix (set DOCKER_ENGINE_PREFIX before calling).
docker_engine_say() { echo "${DOCKER_ENGINE_PREFIX:-docker-engine}: $*"; }

docker_engine_package_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# The packages of "$@" that are not installed, one per line.
docker_engine_missing_packages() {
  local p
  for p in "$@"; do
    docker_engine_package_installed "$p" || echo "$p"
  done
}

# Whether this process may install packages and start daemons: root, with apt-get.
docker_engine_can_set_up() {
  [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1
}

# The engine's socket path when DOCKER_HOST names none or a unix socket; empty for a remote engine.
docker_engine_socket() {
  case "${DOCKER_HOST:-}" in
    "") echo /var/run/docker.sock ;;
    unix://*) echo "${DOCKER_HOST#unix://}" ;;
    *) echo "" ;;
  esac
}

# dockerd's arguments: its default socket, or the one DOCKER_HOST names, where the checks look.
docker_engine_dockerd_args() {
  [[ -n "${DOCKER_HOST:-}" ]] && echo "-H $DOCKER_HOST"
  return 0
}

docker_engine_answers() {
  timeout 10 "$DOCKER" info >/dev/null 2>&1
}

# Installs the packages named (with apt-get update first); on failure prints the log's tail.
docker_engine_install() {
  local log
  log=$(mktemp /tmp/stevedore-apt.XXXXXX)
  # Where no init system runs, the package scripts' attempts to start services fail harmlessly:
  # the daemon is started below.
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    docker_engine_say "apt-get failed (full log: $log)" >&2
    return 1
  fi
  rm -f "$log"
  local p
  for p in "$@"; do
    docker_engine_package_installed "$p" || { docker_engine_say "package $p still not installed after apt-get" >&2; return 1; }
  done
}

# A dockerd or containerd killed uncleanly leaves its pid file behind. If that pid now belongs to
# another process, dockerd refuses to start, or kills that process taking it for its old
# containerd; so such files go when the process they name is not the daemon.
docker_engine_clear_stale_pidfile() {
  local file=$1 expected=$2 pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file" 2>/dev/null || true)
  if [[ -z "$pid" || "$(cat "/proc/$pid/comm" 2>/dev/null || true)" != "$expected" ]]; then
    rm -f "$file"
  fi
}

# Starts dockerd once and waits until it answers. Under systemd the docker service is started;
# elsewhere (a container, a machine without an init system) dockerd runs detached from this shell,
# so that it outlives the command that started it. Returns non-zero when it does not come up.
docker_engine_start_once() {
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl start docker >/dev/null 2>&1 || true
    local waited=0
    until docker_engine_answers; do
      ((waited >= DOCKERD_TIMEOUT)) && { docker_engine_say "the docker service did not answer within ${DOCKERD_TIMEOUT}s (journalctl -u docker)" >&2; return 1; }
      sleep 1
      waited=$((waited + 1))
    done
    docker_engine_say "dockerd: started (systemctl start docker)"
    return 0
  fi
  docker_engine_clear_stale_pidfile /var/run/docker.pid dockerd
  docker_engine_clear_stale_pidfile /var/run/docker/containerd/containerd.pid containerd
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  echo "=== $(date -u +%FT%TZ) started by ${DOCKER_ENGINE_PREFIX:-docker-engine}" >>"$DOCKERD_LOG"
  # shellcheck disable=SC2046 # the arguments are words on purpose
  setsid nohup "$DOCKERD" $(docker_engine_dockerd_args) >>"$DOCKERD_LOG" 2>&1 </dev/null &
  local pid=$! waited=0
  until docker_engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      docker_engine_say "dockerd (pid $pid) exited; last lines of $DOCKERD_LOG:" >&2
      tail -n 15 "$DOCKERD_LOG" >&2
      return 1
    fi
    if ((waited >= DOCKERD_TIMEOUT)); then
      docker_engine_say "dockerd (pid $pid) did not answer within ${DOCKERD_TIMEOUT}s; last lines of $DOCKERD_LOG:" >&2
      tail -n 15 "$DOCKERD_LOG" >&2
      kill "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  docker_engine_say "dockerd: started (pid $pid, log $DOCKERD_LOG)"
}

# Starts dockerd; when it fails on iptables' nft backend (some kernels lack nf_tables), switches to
# the legacy backend, which works on such kernels, and tries once more.
docker_engine_start() {
  docker_engine_start_once && return 0
  if [[ -f "$DOCKERD_LOG" ]] && grep -qiE 'iptables|nf_tables' <(tail -n 40 "$DOCKERD_LOG") \
     && [[ "$(readlink -f /etc/alternatives/iptables)" != */iptables-legacy ]]; then
    docker_engine_say "dockerd: iptables (nft) failed; switching to iptables-legacy and retrying"
    update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
    update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null
    docker_engine_start_once && return 0
  fi
  return 1
}

# What stands between this host and an answering engine, as words; empty when it answers. With
# "$@", packages that must be installed besides the engine's.
docker_engine_needs() {
  local missing
  missing=$(docker_engine_missing_packages "${DOCKER_ENGINE_PACKAGES[@]}" "$@" | tr '\n' ' ')
  missing=${missing% }
  local needs=()
  [[ -n "$missing" ]] && needs+=("packages to install: $missing")
  if ! docker_engine_answers; then
    local socket
    socket=$(docker_engine_socket)
    if [[ -z "$socket" ]]; then
      needs+=("an answer from the engine at DOCKER_HOST=$DOCKER_HOST")
    elif [[ -S "$socket" && ! -w "$socket" ]]; then
      needs+=("access to the engine's socket $socket (not open to this user)")
    else
      needs+=("a started engine (nothing answers at $socket)")
    fi
  fi
  local IFS=';'
  echo "${needs[*]}"
}

# The exact commands that set this host up, for a user who cannot run them from here.
docker_engine_instructions() {
  local missing socket
  missing=$(docker_engine_missing_packages "${DOCKER_ENGINE_PACKAGES[@]}" "$@" | tr '\n' ' ')
  missing=${missing% }
  socket=$(docker_engine_socket)
  if [[ -z "$socket" ]]; then
    echo "    # start the engine on the host DOCKER_HOST=$DOCKER_HOST names, or unset DOCKER_HOST to use this host's"
    return
  fi
  if [[ -S "$socket" && ! -w "$socket" && -z "$missing" ]] && docker_engine_running_for_root; then
    echo "    usermod -aG docker $(id -un)    # as root; then log in again (or run Stevedore as root)"
    return
  fi
  echo "    # as root:"
  [[ -n "$missing" ]] && echo "    apt-get update && apt-get install -y $missing"
  if [[ -d /run/systemd/system ]]; then
    echo "    systemctl start docker"
  else
    echo "    setsid nohup $DOCKERD $(docker_engine_dockerd_args) >>$DOCKERD_LOG 2>&1 </dev/null &"
  fi
}

# Whether a daemon is running for the socket (as its pid file says), though this user cannot use it.
docker_engine_running_for_root() {
  pgrep -x dockerd >/dev/null 2>&1
}

# Makes the engine answer: installs the packages (the engine's and any in "$@") when missing and
# starts the daemon when it does not answer. Returns 0 when it already answered, 3 when it answers
# now, 2 when this user cannot do it (the commands to run are printed), 1 when trying failed.
docker_engine_ensure() {
  local needs
  needs=$(docker_engine_needs "$@")
  if [[ -z "$needs" ]]; then
    docker_engine_say "dockerd: running ($("$DOCKER" version --format '{{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null))"
    return 0
  fi
  if [[ -z "$(docker_engine_socket)" ]] || ! docker_engine_can_set_up; then
    docker_engine_say "the host needs ${needs//;/, and }; $(docker_engine_why_not). Run:"
    docker_engine_instructions "$@"
    return 2
  fi
  local missing
  mapfile -t missing < <(docker_engine_missing_packages "${DOCKER_ENGINE_PACKAGES[@]}" "$@")
  if ((${#missing[@]} > 0)); then
    docker_engine_say "packages: installing ${missing[*]} (apt-get)"
    docker_engine_install "${missing[@]}" || return 1
    docker_engine_say "packages: installed ${missing[*]}"
  fi
  if docker_engine_answers; then
    return 3
  fi
  [[ -x "$DOCKERD" ]] || { docker_engine_say "$DOCKERD missing although docker.io is installed" >&2; return 1; }
  docker_engine_start || return 1
  return 3
}

docker_engine_why_not() {
  if [[ -z "$(docker_engine_socket)" ]]; then
    echo "DOCKER_HOST names a remote engine, which is not this host's to set up"
  elif [[ $EUID -ne 0 ]]; then
    echo "only root can do that, and this is $(id -un)"
  else
    echo "apt-get is not on this host"
  fi
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    check)
      DOCKER_ENGINE_PREFIX=${DOCKER_ENGINE_PREFIX:-docker-engine}
      shift
      needs=$(docker_engine_needs "$@")
      if [[ -z "$needs" ]]; then
        docker_engine_say "ready: the engine answers and nothing is missing"
        exit 0
      fi
      if [[ -n "$(docker_engine_socket)" ]] && docker_engine_can_set_up; then
        docker_engine_say "needs ${needs//;/, and }; \`bin/stevedore up\` (or bin/setup-test-env) does it as this user"
        exit 1
      fi
      docker_engine_say "needs ${needs//;/, and }; $(docker_engine_why_not). Run:"
      docker_engine_instructions "$@"
      exit 2
      ;;
    *)
      echo "usage: $0 check [PACKAGE...]" >&2
      exit 64
      ;;
  esac
fi
