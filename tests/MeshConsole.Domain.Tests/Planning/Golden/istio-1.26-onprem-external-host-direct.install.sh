#!/usr/bin/env bash
# Script.Generated(1.26.0, LightStepExtensionProvider)
# Script.HoldsToken
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
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/01-namespace-cluster-default.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: default
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/02-secret-default-lightstep.cacert.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: lightstep.cacert
  namespace: default
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/03-secret-istio-system-lightstep.cacert.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: lightstep.cacert
  namespace: istio-system
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/04-serviceentry-istio-system-lightstep-tracing.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: lightstep-tracing
  namespace: istio-system
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/05-destinationrule-istio-system-lightstep-tracing.yaml" <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: lightstep-tracing
  namespace: istio-system
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/06-telemetry-istio-system-mesh-default.yaml" <<'YAML'
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: mesh-default
  namespace: istio-system
YAML
mv "$record.partial" "$record"
fi

# 1. Command.ApplySecrets
kubectl apply --server-side --field-manager=lightstep-console -f - <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: default
---
apiVersion: v1
kind: Secret
metadata:
  labels:
    app: lightstep
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep.cacert
  namespace: default
data:
  cacert.pem: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI3VENDQVpPZ0F3SUJBZ0lVSlNxSWEvdFJSYjduNjhlOHJ2RU9QRkdjQ25nd0NnWUlLb1pJemowRUF3SXcKUXpFa01DSUdBMVVFQXd3YlRXVnphQ0JEYjI1emIyeGxJRWR2YkdSbGJpQlVaWE4wSUVOQk1Sc3dHUVlEVlFRSwpEQkpOWlhOb0lFTnZibk52YkdVZ1ZHVnpkSE13SUJjTk1qWXhNVEkxTURBeU1qSXlXaGdQTWpFeU5qRXhNall3Ck1ESXlNakphTUVNeEpEQWlCZ05WQkFNTUcwMWxjMmdnUTI5dWMyOXNaU0JIYjJ4a1pXNGdWR1Z6ZENCRFFURWIKTUJrR0ExVUVDZ3dTVFdWemFDQkRiMjV6YjJ4bElGUmxjM1J6TUZrd0V3WUhLb1pJemowQ0FRWUlLb1pJemowRApBUWNEUWdBRU9CUVloNEdVZEZhQlhNQjlPR0hlUVZmMzd4ekxUTUFlU2w3VVkwYkVnV0JFcFN6MHJUZGVqTGd3Ckk3K2ZFZjRKQVdFVURjYjBKU0ZSTGVYcmtOeloyS05qTUdFd0hRWURWUjBPQkJZRUZDUmhEc00xcHRBYTZhcVYKbHJLSkVQMmJyS3RlTUI4R0ExVWRJd1FZTUJhQUZDUmhEc00xcHRBYTZhcVZscktKRVAyYnJLdGVNQThHQTFVZApFd0VCL3dRRk1BTUJBZjh3RGdZRFZSMFBBUUgvQkFRREFnRUdNQW9HQ0NxR1NNNDlCQU1DQTBnQU1FVUNJQUt0CmRyRFAvM21jYVhvdVFGR0Vkb3habWFoQklySy9ZVDN1NGVJWk1yWklBaUVBcXFRTUpXenNmZkxmM2JUdldXTDcKQ3kydTRSZ2p3WlV4S254RWxRN1E5dzQ9Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K
type: Opaque
---
apiVersion: v1
kind: Secret
metadata:
  labels:
    app: lightstep
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep.cacert
  namespace: istio-system
data:
  cacert.pem: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI3VENDQVpPZ0F3SUJBZ0lVSlNxSWEvdFJSYjduNjhlOHJ2RU9QRkdjQ25nd0NnWUlLb1pJemowRUF3SXcKUXpFa01DSUdBMVVFQXd3YlRXVnphQ0JEYjI1emIyeGxJRWR2YkdSbGJpQlVaWE4wSUVOQk1Sc3dHUVlEVlFRSwpEQkpOWlhOb0lFTnZibk52YkdVZ1ZHVnpkSE13SUJjTk1qWXhNVEkxTURBeU1qSXlXaGdQTWpFeU5qRXhNall3Ck1ESXlNakphTUVNeEpEQWlCZ05WQkFNTUcwMWxjMmdnUTI5dWMyOXNaU0JIYjJ4a1pXNGdWR1Z6ZENCRFFURWIKTUJrR0ExVUVDZ3dTVFdWemFDQkRiMjV6YjJ4bElGUmxjM1J6TUZrd0V3WUhLb1pJemowQ0FRWUlLb1pJemowRApBUWNEUWdBRU9CUVloNEdVZEZhQlhNQjlPR0hlUVZmMzd4ekxUTUFlU2w3VVkwYkVnV0JFcFN6MHJUZGVqTGd3Ckk3K2ZFZjRKQVdFVURjYjBKU0ZSTGVYcmtOeloyS05qTUdFd0hRWURWUjBPQkJZRUZDUmhEc00xcHRBYTZhcVYKbHJLSkVQMmJyS3RlTUI4R0ExVWRJd1FZTUJhQUZDUmhEc00xcHRBYTZhcVZscktKRVAyYnJLdGVNQThHQTFVZApFd0VCL3dRRk1BTUJBZjh3RGdZRFZSMFBBUUgvQkFRREFnRUdNQW9HQ0NxR1NNNDlCQU1DQTBnQU1FVUNJQUt0CmRyRFAvM21jYVhvdVFGR0Vkb3habWFoQklySy9ZVDN1NGVJWk1yWklBaUVBcXFRTUpXenNmZkxmM2JUdldXTDcKQ3kydTRSZ2p3WlV4S254RWxRN1E5dzQ9Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K
type: Opaque
YAML

# 2. Command.ApplyTracingObjects
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
  - satellites.example.com
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
  - number: 8443
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
  host: satellites.example.com
  trafficPolicy:
    portLevelSettings:
    - port:
        number: 8443
      tls:
        mode: SIMPLE
        sni: satellites.example.com
        caCertificates: /etc/lightstep/cacert.pem
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
    - name: lightstep
    randomSamplingPercentage: 100
YAML

# 3. Command.IstioctlOverlay
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
    - name: lightstep
      lightstep:
        service: satellites.example.com
        port: 8443
        accessToken: lsTOKEN-0123456789abcdef
    defaultConfig:
      tracing:
        tlsSettings:
          mode: SIMPLE
          caCertificates: /etc/lightstep/cacert.pem
  values:
    global:
      proxy:
        tracer: lightstep
  components:
    ingressGateways:
    - name: istio-ingressgateway
      enabled: true
      k8s:
        overlays:
        - kind: Deployment
          name: istio-ingressgateway
          patches:
          - path: spec.template.spec.containers[0].volumeMounts[-1]
            value:
              name: lightstep-certs
              mountPath: /etc/lightstep
              readOnly: true
          - path: spec.template.spec.volumes[-1]
            value:
              name: lightstep-certs
              secret:
                secretName: lightstep.cacert
                optional: true
YAML
istioctl install ${base_overlay[@]+"${base_overlay[@]}"} -f "$workdir/lightstep-tracing.yaml"
