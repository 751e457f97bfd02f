#!/usr/bin/env bash
# Runs every test of LightStep Mesh Console: domain units, components (bUnit), the command line, and the
# browser tests (Playwright driving Debian's Chromium). Installs Chromium first when it is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ -z "${CHROMIUM_PATH:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: Chromium not found; installing Debian's chromium package for the browser tests" >&2
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq chromium >/dev/null
fi

# The emulator tests also drive a real kubectl against the emulator. Debian's package is kubernetes-client;
# machines that already have kubectl from another package keep theirs (the two packages conflict).
if [[ -z "${KUBECTL:-}" ]] && ! command -v kubectl >/dev/null 2>&1; then
  echo "test.sh: kubectl not found; installing Debian's kubernetes-client package" >&2
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq kubernetes-client >/dev/null
fi

# The packaging tests validate docker-compose.yml with `config` (no container engine needed): Docker Compose v2
# when present, else Debian's docker-compose (1.29).
if ! command -v docker-compose >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1; then
  echo "test.sh: neither docker-compose nor docker compose found; installing Debian's docker-compose package" >&2
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq docker-compose >/dev/null
fi

dotnet test WebConsole.sln --logger "console;verbosity=normal" "$@"

# No container engine runs here: run the Dockerfile's build steps on this machine and check the published app.
tools/dockerfile-steps.sh
