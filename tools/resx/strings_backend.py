# UI strings of the span destination backend (issue 13 item 4): LightStep or another OTLP backend (Jaeger, Grafana
# Tempo, Honeycomb, any OTLP endpoint), its endpoint and headers, in English and Simplified Chinese.
# Run `python3 tools/resx/generate.py` after editing.
S = {
"Validation.Route.DirectOnlyForLightStep": ("Only LightStep can be reached directly from the proxies here: another backend's headers would sit in the mesh configuration every proxy receives. Use the collector route, which alone holds the headers and the CA.", "此处只有 LightStep 可由代理直接发送：其他后端的请求头会出现在每个代理都会收到的网格配置中。请使用 Collector 路由，只有它持有请求头和 CA。"),
"Validation.Route.CollectorExportsOtlpGrpcOnly": ("The collector exports to another backend over OTLP/gRPC only; enter the backend's OTLP/gRPC endpoint (usually port 4317 or 443).", "Collector 仅通过 OTLP/gRPC 导出到其他后端；请输入该后端的 OTLP/gRPC 端点（通常为 4317 或 443 端口）。"),
"Validation.Otlp.HeaderNameInvalid": ("Header name \"{0}\" is not valid: use lowercase letters, digits, '-', '_' or '.', not ending in -bin and not starting with grpc-.", "请求头名称“{0}”无效：请使用小写字母、数字、“-”、“_”或“.”，不能以 -bin 结尾，也不能以 grpc- 开头。"),
"Validation.Otlp.HeaderDuplicate": ("Header \"{0}\" is given twice.", "请求头“{0}”重复。"),
"Validation.Otlp.HeaderValueMissing": ("Header \"{0}\" has no value.", "请求头“{0}”没有值。"),
"Validation.Otlp.HeaderValueInvalid": ("The value of header \"{0}\" must be printable ASCII on one line.", "请求头“{0}”的值必须是单行可打印 ASCII 字符。"),
}
