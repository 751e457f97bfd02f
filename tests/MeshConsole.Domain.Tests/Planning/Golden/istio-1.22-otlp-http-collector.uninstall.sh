#!/usr/bin/env bash
# Uninstall.Generated(1.22.0, install.sh)
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
if [ -s "$record/06-telemetry-istio-system-mesh-default.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Telemetry/mesh-default -n istio-system)
MESSAGE
  printf '  %s\n' "$record/06-telemetry-istio-system-mesh-default.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
  namespace: istio-system
YAML
fi

# 3. Uninstall.ObjectStep(Service/lightstep-collector -n lightstep-collector)
if [ -s "$record/05-service-lightstep-collector-lightstep-collector.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Service/lightstep-collector -n lightstep-collector)
MESSAGE
  printf '  %s\n' "$record/05-service-lightstep-collector-lightstep-collector.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: lightstep-collector
  namespace: lightstep-collector
YAML
fi

# 4. Uninstall.ObjectStep(Deployment/lightstep-collector -n lightstep-collector)
if [ -s "$record/04-deployment-lightstep-collector-lightstep-collector.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Deployment/lightstep-collector -n lightstep-collector)
MESSAGE
  printf '  %s\n' "$record/04-deployment-lightstep-collector-lightstep-collector.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: lightstep-collector
  namespace: lightstep-collector
YAML
fi

# 5. Uninstall.ObjectStep(ConfigMap/lightstep-collector -n lightstep-collector)
if [ -s "$record/03-configmap-lightstep-collector-lightstep-collector.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(ConfigMap/lightstep-collector -n lightstep-collector)
MESSAGE
  printf '  %s\n' "$record/03-configmap-lightstep-collector-lightstep-collector.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: lightstep-collector
  namespace: lightstep-collector
YAML
fi

# 6. Uninstall.ObjectStep(Secret/lightstep-collector -n lightstep-collector)
if [ -s "$record/02-secret-lightstep-collector-lightstep-collector.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Secret/lightstep-collector -n lightstep-collector)
MESSAGE
  printf '  %s\n' "$record/02-secret-lightstep-collector-lightstep-collector.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: lightstep-collector
  namespace: lightstep-collector
YAML
fi

# 7. Uninstall.ObjectStep(Namespace/lightstep-collector)
if [ -s "$record/01-namespace-cluster-lightstep-collector.yaml" ]; then
cat >&2 <<'MESSAGE'
Uninstall.KeptExisting(Namespace/lightstep-collector)
MESSAGE
  printf '  %s\n' "$record/01-namespace-cluster-lightstep-collector.yaml" >&2
else
kubectl delete --ignore-not-found -f - <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: lightstep-collector
YAML
fi

cat >&2 <<'MESSAGE'
Uninstall.Limits(default)
MESSAGE
cat >&2 <<'MESSAGE'
Uninstall.IstioLimits
MESSAGE
