#!/usr/bin/env bash
# Uninstall.Generated(1.28.0, install.sh)
set -euo pipefail
umask 077
if [ -z "${ISTIO_BASE_OVERLAY:-}" ] && [ "${ACCEPT_ISTIO_DEFAULTS:-}" != yes ]; then
  cat >&2 <<'MESSAGE'
Script.IstioDefaultsRefused(uninstall.sh, ISTIO_BASE_OVERLAY, ACCEPT_ISTIO_DEFAULTS)
MESSAGE
  exit 3
fi
record="${LIGHTSTEP_INSTALL_RECORD:-$(cd "$(dirname "$0")" && pwd)/install-record}"
if [ ! -d "$record" ]; then
cat >&2 <<'MESSAGE'
Uninstall.NoRecord(install.sh, LIGHTSTEP_INSTALL_RECORD)
MESSAGE
  printf '  %s\n' "$record" >&2
  exit 3
fi
base_overlay=(${ISTIO_BASE_OVERLAY:+-f "$ISTIO_BASE_OVERLAY"})

# 1. Uninstall.IstioctlStep(ISTIO_BASE_OVERLAY)
istioctl install ${base_overlay[@]+"${base_overlay[@]}"}

# 2. Uninstall.ObjectStep(Telemetry/mesh-default -n istio-system)
if [ -s "$record/01-telemetry-istio-system-mesh-default.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Telemetry/mesh-default -n istio-system)
MESSAGE
  printf '  %s\n' "$record/01-telemetry-istio-system-mesh-default.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
  namespace: istio-system
YAML
fi

cat >&2 <<'MESSAGE'
Uninstall.Limits(default)
MESSAGE
cat >&2 <<'MESSAGE'
Uninstall.IstioLimits
MESSAGE
