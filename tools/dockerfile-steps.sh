#!/usr/bin/env bash
# Runs the Dockerfile's steps on this machine, where no container engine runs: the build stage's WORKDIR,
# COPY and RUN instructions exactly as written (image paths such as /src and /app mapped under a temporary
# root, the build context filtered by .dockerignore), then the runtime stage's WORKDIR, ENV, COPY --from and
# ENTRYPOINT, and checks that the published app answers the HEALTHCHECK's path and /readyz and carries the
# top-level static assets. Steps only the image can run (the runtime stage's RUN, USER) are listed as skipped.
# Usage: tools/dockerfile-steps.sh   (test.sh runs it after the test suites)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
app_pid=""
cleanup() {
  if [[ -n "$app_pid" ]]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "dockerfile-steps: $*" >&2; exit 1; }
say() { echo "dockerfile-steps: $*"; }

# The build context, as `docker build .` sends it: .dockerignore's "**/X" patterns match at any depth,
# the others from the context's root; "!" exceptions are not supported here.
context="$work/context"
mkdir -p "$context"
excludes=(--no-anchored)
anchored=(--anchored)
while IFS= read -r pattern || [[ -n "$pattern" ]]; do
  pattern="${pattern%%#*}"
  pattern="$(echo "$pattern" | xargs)"
  [[ -z "$pattern" ]] && continue
  [[ "$pattern" == !* ]] && fail ".dockerignore exceptions (!) are not supported by this script: $pattern"
  if [[ "$pattern" == '**/'* ]]; then excludes+=("--exclude=${pattern#'**/'}"); else anchored+=("--exclude=./${pattern#/}"); fi
done < "$repo/.dockerignore"
tar -C "$repo" "${excludes[@]}" "${anchored[@]}" -cf - . | tar -C "$context" -xf -

# Instructions with comments removed and continuation lines joined.
mapfile -t instructions < <(grep -v '^[[:space:]]*#' "$repo/Dockerfile" | sed -e ':a' -e '/\\$/{N;s/\\\n[[:space:]]*/ /;ba' -e '}' | grep -v '^[[:space:]]*$')

stage=0
declare -A stage_root
cwd=""
map_path() { # an image path (absolute, or relative to WORKDIR) on this machine
  case "$1" in
    /*) echo "$root$1" ;;
    *) echo "$cwd/$1" ;;
  esac
}
shell_syntax='[;&|<>$`"'"'"'\\]'
runtime_env=()
healthcheck_url=""
entrypoint=()

for line in "${instructions[@]}"; do
  read -r keyword rest <<<"$line"
  keyword="${keyword^^}"
  case "$keyword" in
    FROM)
      stage=$((stage + 1))
      alias="$(sed -nE 's/.* [Aa][Ss] ([A-Za-z0-9_.-]+)$/\1/p' <<<"$rest")"
      root="$work/stage$stage"
      stage_root["${alias:-$stage}"]="$root"
      cwd="$root"
      mkdir -p "$root"
      say "FROM $rest"
      continue ;;
    WORKDIR)
      cwd="$(map_path "$rest")"
      mkdir -p "$cwd"
      continue ;;
  esac

  if (( stage == 1 )); then
    case "$keyword" in
      COPY)
        read -ra args <<<"$rest"
        [[ "${args[0]}" == --* ]] && fail "COPY flags are not supported in the build stage: $line"
        dest="$(map_path "${args[-1]}")"
        mkdir -p "$dest"
        for source in "${args[@]:0:${#args[@]}-1}"; do
          if [[ -d "$context/$source" ]]; then cp -a "$context/$source/." "$dest/"
          elif [[ -f "$context/$source" ]]; then cp -a "$context/$source" "$dest/"
          else fail "COPY source missing from the build context (.dockerignore?): $source"; fi
        done ;;
      RUN)
        [[ "$rest" =~ $shell_syntax ]] && fail "RUN with shell syntax is not supported: $rest"
        read -ra words <<<"$rest"
        for i in "${!words[@]}"; do [[ "${words[$i]}" == /* ]] && words[$i]="$root${words[$i]}"; done
        say "RUN $rest"
        (cd "$cwd" && "${words[@]}") ;;
      *) fail "the build stage may only use FROM, WORKDIR, COPY and RUN (found $keyword)" ;;
    esac
    continue
  fi

  case "$keyword" in
    ENV)
      [[ "$rest" == *=* && "$rest" != *' '* ]] || fail "write one KEY=VALUE per ENV instruction: $line"
      runtime_env+=("$rest") ;;
    COPY)
      from="$(sed -nE 's/^--from=([^ ]+) .*/\1/p' <<<"$rest")"
      [[ -n "$from" && -n "${stage_root[$from]:-}" ]] || fail "only COPY --from=<earlier stage> is supported after the build stage: $line"
      read -ra args <<<"${rest#--from=* }"
      mkdir -p "$(map_path "${args[1]}")"
      cp -a "${stage_root[$from]}${args[0]}/." "$(map_path "${args[1]}")/" ;;
    HEALTHCHECK)
      healthcheck_url="$(grep -oE 'http://[^ ]+' <<<"$rest" | head -n1)" ;;
    ENTRYPOINT)
      mapfile -t entrypoint < <(tr -d '[]' <<<"$rest" | tr ',' '\n' | sed -E 's/^ *"//; s/" *$//') ;;
    RUN | USER | EXPOSE)
      say "skipped (image only): $line" ;;
    *) fail "unexpected instruction in the runtime stage: $line" ;;
  esac
done

(( stage == 2 )) || fail "expected a build stage and a runtime stage, found $stage stage(s)"
[[ -n "$healthcheck_url" ]] || fail "the runtime stage has no HEALTHCHECK URL"
(( ${#entrypoint[@]} > 0 )) || fail "the runtime stage has no ENTRYPOINT"

# Top-level wwwroot/ must reach the publish output next to the framework's own assets.
for asset in wwwroot/app.css wwwroot/favicon.svg wwwroot/js/console.js wwwroot/_framework/blazor.web.js WebConsole.staticwebassets.endpoints.json; do
  [[ -f "$cwd/$asset" ]] || fail "the published image would lack $asset"
done
grep -q '"Route": *"app.css"' "$cwd/WebConsole.staticwebassets.endpoints.json" || fail "app.css is not a static web asset endpoint"

# Start it as the image would, but on a loopback port of this machine chosen by Kestrel and with no cluster.
log="$work/app.log"
say "starting: ${entrypoint[*]} (${runtime_env[*]}, URLS overridden to a loopback port)"
(cd "$cwd" && exec env "${runtime_env[@]}" URLS="http://127.0.0.1:0" KUBECONFIG="$work/no-kubeconfig" "${entrypoint[@]}") >"$log" 2>&1 &
app_pid=$!
base=""
for _ in $(seq 1 300); do
  base="$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$log" | head -n1 || true)"
  [[ -n "$base" ]] && break
  kill -0 "$app_pid" 2>/dev/null || { tail -n 40 "$log" >&2; fail "the app exited before listening"; }
  sleep 0.2
done
[[ -n "$base" ]] || { tail -n 40 "$log" >&2; fail "the app did not report its address within 60 s"; }

health_path="/${healthcheck_url#http://*/}"
for path in "$health_path" /readyz; do
  body="$(curl -fsS --max-time 5 "$base$path")" || { tail -n 40 "$log" >&2; fail "GET $path did not answer 200"; }
  say "GET $path -> 200 $body"
done
say "ok: the Dockerfile's build steps publish an app that starts and answers $health_path"
