#!/usr/bin/env bash
# Runs the traffic benchmark (bench/TrafficBenchmark): wrk vs the console's TrafficRunner and vs the `traffic` command
# on loopback, then the memory of a 10,000-row table. Installs Debian's wrk first when it is missing (using sudo if you are not root).
# Extra arguments go to the benchmark, e.g. bench/run-traffic.sh --concurrency 32 --reps 3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${WRK:-}" ]] && ! command -v wrk >/dev/null 2>&1; then
  echo "run-traffic.sh: wrk not found; installing Debian's wrk package" >&2
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq wrk >/dev/null
fi

dotnet run -c Release --project bench/TrafficBenchmark -- "$@"
