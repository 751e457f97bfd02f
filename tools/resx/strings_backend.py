# UI strings of the span destination backend (issue 13 item 4): LightStep or another OTLP backend (Jaeger, Grafana
# Tempo, Honeycomb, any OTLP endpoint), its endpoint and headers, in English and Simplified Chinese.
# Run `python3 tools/resx/generate.py` after editing.
S = {
"Validation.Otlp.HeaderNameInvalid": ("Header name \"{0}\" is not valid: use lowercase letters, digits, '-', '_' or '.', not ending in -bin and not starting with grpc-.", "请求头名称“{0}”无效：请使用小写字母、数字、“-”、“_”或“.”，不能以 -bin 结尾，也不能以 grpc- 开头。"),
"Validation.Otlp.HeaderDuplicate": ("Header \"{0}\" is given twice.", "请求头“{0}”重复。"),
"Validation.Otlp.HeaderValueMissing": ("Header \"{0}\" has no value.", "请求头“{0}”没有值。"),
"Validation.Otlp.HeaderValueInvalid": ("The value of header \"{0}\" must be printable ASCII on one line.", "请求头“{0}”的值必须是单行可打印 ASCII 字符。"),
}
S.update({
"Cli.TokenFileRequired": ("give the file holding the LightStep access token (or choose another --backend).", "请提供保存 LightStep 访问令牌的文件（或选择其他 --backend）。"),
"Cli.LightStepOnlyOption": ("only for --backend lightstep, not {0}.", "仅适用于 --backend lightstep，不适用于 {0}。"),
"Cli.BackendNeedsEndpoint": ("--backend {0} has no usual address: give its OTLP/gRPC endpoint as HOST:PORT.", "--backend {0} 没有常用地址：请以 HOST:PORT 格式提供其 OTLP/gRPC 端点。"),
"Cli.BackendNeedsHeader": ("{0} needs the header {1}: give --otlp-header-file {1}=FILE.", "{0} 需要请求头 {1}：请提供 --otlp-header-file {1}=FILE。"),
"Cli.HeaderFileFormat": ("\"{0}\" is not NAME=FILE.", "“{0}”不是 NAME=FILE 格式。"),
"Cli.BundleHoldsHeaders": ("The bundle contains the backend's header values: keep it like a password.", "该包含有后端的请求头值：请像密码一样妥善保管。"),
})
S.update({
"PlanDoc.NoSecretForBackend": ("None: the backend at {0} needs no header, and no LightStep access token is used.", "无：位于 {0} 的后端不需要请求头，也不使用 LightStep 访问令牌。"),
"PlanDoc.BackendHeadersWarning": ("install.sh and manifests.yaml contain the header values of the backend at {0} ({1}) in clear text, in the collector's Secret only. Keep this bundle like a password.", "install.sh 和 manifests.yaml 以明文包含位于 {0} 的后端的请求头值（{1}），仅在 Collector 的 Secret 中。请像保管密码一样保管此文件包。"),
})
S.update({
"Backend.Heading": ("Tracing backend", "追踪后端"),
"Backend.Label": ("Send the mesh's spans to", "将网格的 span 发送到"),
"Backend.AnyOtlp": ("Any OTLP endpoint", "任意 OTLP 端点"),
"Backend.CollectorRoute": ("Needs Istio 1.16.1 or later. Spans go directly from the proxies when the backend is in the cluster and needs no header and no TLS (Istio's Jaeger addon); otherwise through an OpenTelemetry Collector in the cluster, which alone holds the headers and the CA (the Istio step offers both routes where both work).", "需要 Istio 1.16.1 或更高版本。当后端位于集群内且不需要请求头和 TLS 时（如 Istio 的 Jaeger 插件），span 由代理直接发送；否则经由集群内的 OpenTelemetry Collector 发送，只有它持有请求头和 CA（两种路由都可行时，Istio 步骤会同时提供）。"),
"Backend.Endpoint": ("OTLP endpoint (host:port)", "OTLP 端点（host:port）"),
"Backend.Tls": ("Use TLS (an uploaded CA verifies the endpoint, else the system roots)", "使用 TLS（上传的 CA 用于验证端点，否则使用系统根证书）"),
"Backend.HeaderName": ("Header name", "请求头名称"),
"Backend.HeaderValue": ("Header value", "请求头值"),
"Backend.HeaderValueReplace": ("Enter to replace the stored value", "输入以替换已保存的值"),
"Backend.HeaderStored": ("Stored: {0}", "已保存：{0}"),
"Backend.AddHeader": ("Add a header", "添加请求头"),
"Backend.RemoveHeader": ("Remove this header", "删除此请求头"),
})
