#!/usr/bin/env bash
# Reproduces the "Scheduler (JMH, pure placement)" figures in BENCHMARKS.md.
#   bench/run-scheduler-jmh.sh                      # every scheduler benchmark, short config
#   bench/run-scheduler-jmh.sh SessionBenchmark     # one benchmark (a JMH include regex)
#   bench/run-scheduler-jmh.sh PlacementBenchmark -p instances=10000 -i 10   # extra JMH options
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-jmh.sh" scheduler "$@"
