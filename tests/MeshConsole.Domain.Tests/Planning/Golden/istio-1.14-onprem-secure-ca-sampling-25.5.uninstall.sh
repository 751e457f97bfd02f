#!/usr/bin/env bash
# Uninstall.Generated(1.14.0, install.sh)
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

# 2. Uninstall.ObjectStep(Secret/lightstep.cacert -n istio-system)
if [ -s "$record/03-secret-istio-system-lightstep.cacert.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Secret/lightstep.cacert -n istio-system)
MESSAGE
  printf '  %s\n' "$record/03-secret-istio-system-lightstep.cacert.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: lightstep.cacert
  namespace: istio-system
YAML
fi

# 3. Uninstall.ObjectStep(Secret/lightstep.cacert -n default)
if [ -s "$record/02-secret-default-lightstep.cacert.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Secret/lightstep.cacert -n default)
MESSAGE
  printf '  %s\n' "$record/02-secret-default-lightstep.cacert.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: lightstep.cacert
  namespace: default
YAML
fi

# 4. Uninstall.ObjectStep(Namespace/default)
if [ -s "$record/01-namespace-cluster-default.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Namespace/default)
MESSAGE
  printf '  %s\n' "$record/01-namespace-cluster-default.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: default
YAML
fi

cat >&2 <<'MESSAGE'
Uninstall.Limits(default)
MESSAGE
cat >&2 <<'MESSAGE'
Uninstall.IstioLimits
MESSAGE
