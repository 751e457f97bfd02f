kubectl apply --server-side --field-manager=lightstep-console-bookinfo -f - <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  labels:
    istio-injection: enabled
  name: bookinfo
---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    account: details
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: bookinfo-details
  namespace: bookinfo
---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    account: ratings
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: bookinfo-ratings
  namespace: bookinfo
---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    account: reviews
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: bookinfo-reviews
  namespace: bookinfo
---
apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    account: productpage
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: bookinfo-productpage
  namespace: bookinfo
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: details
    service: details
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: details
  namespace: bookinfo
spec:
  ports:
  - name: http
    port: 9080
  selector:
    app: details
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: ratings
    service: ratings
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: ratings
  namespace: bookinfo
spec:
  ports:
  - name: http
    port: 9080
  selector:
    app: ratings
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: reviews
    service: reviews
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: reviews
  namespace: bookinfo
spec:
  ports:
  - name: http
    port: 9080
  selector:
    app: reviews
---
apiVersion: v1
kind: Service
metadata:
  labels:
    app: productpage
    service: productpage
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: productpage
  namespace: bookinfo
spec:
  ports:
  - name: http
    port: 9080
  selector:
    app: productpage
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: details
    version: v1
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: details-v1
  namespace: bookinfo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: details
      version: v1
  template:
    metadata:
      labels:
        app: details
        version: v1
        app.kubernetes.io/part-of: bookinfo
    spec:
      containers:
      - image: docker.io/istio/examples-bookinfo-details-v1:1.20.3
        imagePullPolicy: IfNotPresent
        name: details
        ports:
        - containerPort: 9080
        resources:
          requests:
            cpu: 10m
            memory: 32Mi
      serviceAccountName: bookinfo-details
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: ratings
    version: v1
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: ratings-v1
  namespace: bookinfo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ratings
      version: v1
  template:
    metadata:
      labels:
        app: ratings
        version: v1
        app.kubernetes.io/part-of: bookinfo
    spec:
      containers:
      - image: docker.io/istio/examples-bookinfo-ratings-v1:1.20.3
        imagePullPolicy: IfNotPresent
        name: ratings
        ports:
        - containerPort: 9080
        resources:
          requests:
            cpu: 10m
            memory: 32Mi
      serviceAccountName: bookinfo-ratings
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: reviews
    version: v1
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: reviews-v1
  namespace: bookinfo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: reviews
      version: v1
  template:
    metadata:
      labels:
        app: reviews
        version: v1
        app.kubernetes.io/part-of: bookinfo
    spec:
      containers:
      - env:
        - name: LOG_DIR
          value: /tmp/logs
        image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.3
        imagePullPolicy: IfNotPresent
        name: reviews
        ports:
        - containerPort: 9080
        resources:
          requests:
            cpu: 10m
            memory: 128Mi
        volumeMounts:
        - mountPath: /tmp
          name: tmp
        - mountPath: /opt/ibm/wlp/output
          name: wlp-output
      serviceAccountName: bookinfo-reviews
      volumes:
      - emptyDir: {}
        name: wlp-output
      - emptyDir: {}
        name: tmp
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: reviews
    version: v2
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: reviews-v2
  namespace: bookinfo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: reviews
      version: v2
  template:
    metadata:
      labels:
        app: reviews
        version: v2
        app.kubernetes.io/part-of: bookinfo
    spec:
      containers:
      - env:
        - name: LOG_DIR
          value: /tmp/logs
        image: docker.io/istio/examples-bookinfo-reviews-v2:1.20.3
        imagePullPolicy: IfNotPresent
        name: reviews
        ports:
        - containerPort: 9080
        resources:
          requests:
            cpu: 10m
            memory: 128Mi
        volumeMounts:
        - mountPath: /tmp
          name: tmp
        - mountPath: /opt/ibm/wlp/output
          name: wlp-output
      serviceAccountName: bookinfo-reviews
      volumes:
      - emptyDir: {}
        name: wlp-output
      - emptyDir: {}
        name: tmp
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: reviews
    version: v3
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: reviews-v3
  namespace: bookinfo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: reviews
      version: v3
  template:
    metadata:
      labels:
        app: reviews
        version: v3
        app.kubernetes.io/part-of: bookinfo
    spec:
      containers:
      - env:
        - name: LOG_DIR
          value: /tmp/logs
        image: docker.io/istio/examples-bookinfo-reviews-v3:1.20.3
        imagePullPolicy: IfNotPresent
        name: reviews
        ports:
        - containerPort: 9080
        resources:
          requests:
            cpu: 10m
            memory: 128Mi
        volumeMounts:
        - mountPath: /tmp
          name: tmp
        - mountPath: /opt/ibm/wlp/output
          name: wlp-output
      serviceAccountName: bookinfo-reviews
      volumes:
      - emptyDir: {}
        name: wlp-output
      - emptyDir: {}
        name: tmp
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: productpage
    version: v1
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: productpage-v1
  namespace: bookinfo
spec:
  replicas: 1
  selector:
    matchLabels:
      app: productpage
      version: v1
  template:
    metadata:
      labels:
        app: productpage
        version: v1
        app.kubernetes.io/part-of: bookinfo
    spec:
      containers:
      - image: docker.io/istio/examples-bookinfo-productpage-v1:1.20.3
        imagePullPolicy: IfNotPresent
        name: productpage
        ports:
        - containerPort: 9080
        resources:
          requests:
            cpu: 10m
            memory: 64Mi
        volumeMounts:
        - mountPath: /tmp
          name: tmp
      serviceAccountName: bookinfo-productpage
      volumes:
      - emptyDir: {}
        name: tmp
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  labels:
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: bookinfo-gateway
  namespace: bookinfo
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - '*'
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  labels:
    app.kubernetes.io/part-of: bookinfo
    app.kubernetes.io/managed-by: lightstep-console
  name: bookinfo
  namespace: bookinfo
spec:
  hosts:
  - '*'
  gateways:
  - bookinfo-gateway
  http:
  - match:
    - uri:
        exact: /productpage
    - uri:
        prefix: /static
    - uri:
        exact: /login
    - uri:
        exact: /logout
    - uri:
        prefix: /api/v1/products
    route:
    - destination:
        host: productpage
        port:
          number: 9080
YAML
