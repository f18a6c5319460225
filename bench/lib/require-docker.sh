# Sourced by the Docker benchmarks' scripts: stops with a hint when Docker or the test image is missing.
if ! /usr/bin/docker info >/dev/null 2>&1; then
  echo "Docker is not usable; bin/setup-test-env installs and starts it." >&2
  exit 1
fi
if ! /usr/bin/docker image inspect stevedore-test/busybox:latest >/dev/null 2>&1; then
  echo "image stevedore-test/busybox:latest is missing; bin/setup-test-env builds it." >&2
  exit 1
fi
