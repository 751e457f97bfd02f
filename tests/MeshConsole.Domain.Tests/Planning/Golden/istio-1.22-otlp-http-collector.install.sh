#!/usr/bin/env bash
# Script.Generated(1.22.0, OpenTelemetryCollector)
# Script.HoldsHeaders(otlp.example.com:443)
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
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/01-namespace-cluster-lightstep-collector.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: lightstep-collector
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/02-secret-lightstep-collector-lightstep-collector.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata:
  name: lightstep-collector
  namespace: lightstep-collector
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/03-configmap-lightstep-collector-lightstep-collector.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: lightstep-collector
  namespace: lightstep-collector
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/04-deployment-lightstep-collector-lightstep-collector.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: lightstep-collector
  namespace: lightstep-collector
YAML
kubectl get --ignore-not-found -o yaml -f - > "$record.partial/05-service-lightstep-collector-lightstep-collector.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: lightstep-collector
  namespace: lightstep-collector
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

# 1. Command.ApplyCollector
kubectl apply --server-side --field-manager=lightstep-console -f - <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  labels:
    app.kubernetes.io/managed-by: lightstep-console
    istio-injection: disabled
  name: lightstep-collector
---
apiVersion: v1
kind: Secret
metadata:
  labels:
    app: lightstep-collector
    app.kubernetes.io/name: lightstep-collector
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep-collector
  namespace: lightstep-collector
data:
  header-0: QmVhcmVyIG90bHBLRVktZmVkY2JhOTg3NjU0MzIxMA==
type: Opaque
---
apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    app: lightstep-collector
    app.kubernetes.io/name: lightstep-collector
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep-collector
  namespace: lightstep-collector
data:
  collector.yaml: |
    receivers:
      otlp:
        protocols:
          grpc:
            endpoint: 0.0.0.0:4317
          http:
            endpoint: 0.0.0.0:4318
    processors:
      memory_limiter:
        check_interval: 1s
        limit_percentage: 80
        spike_limit_percentage: 20
      batch:
        timeout: 5s
    exporters:
      otlphttp:
        traces_endpoint: https://otlp.example.com:443/api/otlp/traces
        headers:
          authorization: ${env:OTLP_HEADER_0}
    extensions:
      health_check:
        endpoint: 0.0.0.0:13133
    service:
      extensions: [health_check]
      pipelines:
        traces:
          receivers: [otlp]
          processors: [memory_limiter, batch]
          exporters: [otlphttp]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: lightstep-collector
    app.kubernetes.io/name: lightstep-collector
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep-collector
  namespace: lightstep-collector
spec:
  replicas: 1
  selector:
    matchLabels:
      app: lightstep-collector
  template:
    metadata:
      labels:
        app: lightstep-collector
        app.kubernetes.io/name: lightstep-collector
        app.kubernetes.io/managed-by: lightstep-console
        sidecar.istio.io/inject: "false"
    spec:
      automountServiceAccountToken: false
      containers:
      - args:
        - --config=/conf/collector.yaml
        env:
        - name: OTLP_HEADER_0
          valueFrom:
            secretKeyRef:
              key: header-0
              name: lightstep-collector
        image: otel/opentelemetry-collector-contrib:0.143.0
        imagePullPolicy: IfNotPresent
        livenessProbe:
          failureThreshold: 6
          httpGet:
            path: /
            port: 13133
          periodSeconds: 10
        name: collector
        ports:
        - containerPort: 4317
          name: otlp-grpc
        - containerPort: 4318
          name: otlp-http
        - containerPort: 13133
          name: health
        readinessProbe:
          httpGet:
            path: /
            port: 13133
          periodSeconds: 5
        resources:
          limits:
            cpu: 1
            memory: 512Mi
          requests:
            cpu: 100m
            memory: 128Mi
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
          readOnlyRootFilesystem: true
        volumeMounts:
        - mountPath: /conf
          name: config
          readOnly: true
      securityContext:
        runAsGroup: 10001
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      volumes:
      - configMap:
          items:
          - key: collector.yaml
            path: collector.yaml
          name: lightstep-collector
        name: config
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: lightstep-collector
    app.kubernetes.io/name: lightstep-collector
    app.kubernetes.io/managed-by: lightstep-console
  name: lightstep-collector
  namespace: lightstep-collector
spec:
  ports:
  - appProtocol: grpc
    name: grpc-otlp
    port: 4317
    targetPort: 4317
  - appProtocol: http
    name: http-otlp
    port: 4318
    targetPort: 4318
  - appProtocol: http
    name: http-health
    port: 13133
    targetPort: 13133
  selector:
    app: lightstep-collector
YAML

# 2. Command.ApplyTracingObjects
kubectl apply --server-side --field-manager=lightstep-console -f - <<'YAML'
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
    - name: lightstep-collector
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
    - name: lightstep-collector
      opentelemetry:
        service: lightstep-collector.lightstep-collector.svc.cluster.local
        port: 4317
YAML
istioctl install ${base_overlay[@]+"${base_overlay[@]}"} -f "$workdir/lightstep-tracing.yaml"
