#!/usr/bin/env bash
# Script.Generated(1.28.0, OpenTelemetry)
# Script.HoldsHeaders(api.honeycomb.io:443)
# Script.BaseOverlay(ISTIO_BASE_OVERLAY, ACCEPT_ISTIO_DEFAULTS)
set -euo pipefail
# Script.PrivateFiles
umask 077
if [ -z "${ISTIO_BASE_OVERLAY:-}" ] && [ "${ACCEPT_ISTIO_DEFAULTS:-}" != yes ]; then
  cat >&2 <<'MESSAGE'
Script.IstioDefaultsRefused(install.sh, ISTIO_BASE_OVERLAY, ACCEPT_ISTIO_DEFAULTS)
MESSAGE
  exit 3
fi
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
base_overlay=(${ISTIO_BASE_OVERLAY:+-f "$ISTIO_BASE_OVERLAY"})

# Script.Record(uninstall.sh)
record="${LIGHTSTEP_INSTALL_RECORD:-$(cd "$(dirname "$0")" && pwd)/install-record}"
if [ ! -d "$record" ]; then
rm -rf "$record.partial"
mkdir -p "$record.partial"
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/01-serviceentry-istio-system-lightstep-tracing.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: lightstep-tracing
  namespace: istio-system
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/02-destinationrule-istio-system-lightstep-tracing.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: lightstep-tracing
  namespace: istio-system
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/03-telemetry-istio-system-mesh-default.yaml" <<'YAML'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
  namespace: istio-system
YAML
mv "$record.partial" "$record"
fi

# 1. Command.ApplyTracingObjects
kubectl apply --server-side --field-manager=lightstep-console -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  labels:
    app: lightstep
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep-tracing
  namespace: istio-system
spec:
  hosts:
  - api.honeycomb.io
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
  - number: 443
    name: grpc-otlp
    protocol: GRPC
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  labels:
    app: lightstep
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep-tracing
  namespace: istio-system
spec:
  host: api.honeycomb.io
  trafficPolicy:
    portLevelSettings:
    - port:
        number: 443
      tls:
        mode: SIMPLE
        sni: api.honeycomb.io
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  labels:
    app: lightstep
    app.kubernetes.io/managed-by: lightstep-console
  name: mesh-default
  namespace: istio-system
spec:
  tracing:
  - providers:
    - name: otlp-backend
    randomSamplingPercentage: 100
YAML

# 2. Command.IstioctlOverlay
cat > "$workdir/lightstep-tracing.yaml" <<'YAML'
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  labels:
    app: lightstep
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep-tracing
  namespace: istio-system
spec:
  meshConfig:
    extensionProviders:
    - name: otlp-backend
      opentelemetry:
        service: api.honeycomb.io
        port: 443
        grpc:
          timeout: 10s
          initialMetadata:
          - name: x-honeycomb-team
            value: hcKEY-0123456789abcdef
YAML
istioctl install ${base_overlay[@]+"${base_overlay[@]}"} -f "$workdir/lightstep-tracing.yaml"
