#!/usr/bin/env bash
# Runs the onboarding-session load benchmark (bench/OnboardingBenchmark): publishes the console (Release), then drives
# N=1 and N=50 participants as headless Chromium pages (or, with --client protocol, as Blazor Server protocol
# clients) against it as a separate process. Installs Debian's chromium first when it is missing (using sudo if you
# are not root); the dashboard is a Chromium page in both modes.
# Extra arguments go to the benchmark, e.g. bench/run-onboarding.sh --participants 20 --clicks 10 --client protocol
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${CHROMIUM_PATH:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
  echo "run-onboarding.sh: Chromium not found; installing Debian's chromium package" >&2
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq chromium >/dev/null
fi

# Published output: in Production the console serves its static assets (blazor.web.js, MudBlazor) from wwwroot,
# which only a publish fills.
out="${ONBOARDING_CONSOLE_DIR:-${TMPDIR:-/tmp}/lsmc-onboarding-console}"
dotnet publish src/WebConsole -c Release -o "$out" --nologo -v q -clp:NoSummary
dotnet build bench/OnboardingBenchmark -c Release --nologo -v q -clp:NoSummary
dotnet run -c Release --no-build --project bench/OnboardingBenchmark -- --console "$out/WebConsole.dll" "$@"
