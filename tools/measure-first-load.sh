#!/usr/bin/env bash
# Measures the console's cold start (process start to the first 200 on /) and the first-load transfer size
# (the page plus every asset it references, compressed as a browser would ask for them).
# Usage: tools/measure-first-load.sh   (builds Release first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$(mktemp -d)"
dotnet publish src/WebConsole -c Release -o "$out" -v q -nologo >/dev/null
port=5079
start=$(date +%s%N)
(cd "$out" && KUBECONFIG=/nonexistent exec dotnet WebConsole.dll --urls "http://127.0.0.1:$port" >/dev/null 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$out"' EXIT
until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.02; done
ready=$(date +%s%N)
echo "cold start to first page: $(( (ready - start) / 1000000 )) ms"
page=$(curl -fs --compressed -H 'Accept-Encoding: br, gzip' -w '' "http://127.0.0.1:$port/")
total=$(curl -fs -H 'Accept-Encoding: br, gzip' -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port/")
echo "  /  $total bytes"
for asset in $(grep -oE '(href|src)="[^"]+"' <<<"$page" | sed -E 's/^(href|src)="//; s/"$//' | grep -vE '^(/|\.)$' | sort -u); do
  size=$(curl -fs -H 'Accept-Encoding: br, gzip' -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port/${asset#/}")
  echo "  $asset  $size bytes"
  total=$((total + size))
done
echo "first-load transfer (compressed, before the circuit's WebSocket): $total bytes"
