# Strings of OTLP/HTTP in the wizard's destination step, the Istio step's refused routes, the endpoint check over
# OTLP/HTTP, and `plan`/`apply --check-satellite` for another backend. Run `python3 tools/resx/generate.py` after editing.
S = {
"Backend.Protocol": ("OTLP protocol", "OTLP 协议"),
"Backend.ProtocolGrpc": ("OTLP/gRPC", "OTLP/gRPC"),
"Backend.ProtocolHttp": ("OTLP/HTTP (protobuf)", "OTLP/HTTP（protobuf）"),
"Backend.HttpPath": ("OTLP/HTTP traces path", "OTLP/HTTP 追踪路径"),
"Backend.HttpPathHelp": ("Spans are POSTed to this path on the endpoint; empty for {0}. Directly from the proxies from Istio 1.22, through the collector from 1.16.1.", "span 以 `POST` 请求发送到端点上的此路径；留空则为 {0}。从 Istio 1.22 起可由代理直接发送，从 1.16.1 起可经由 Collector 发送。"),
"Route.NotOffered": ("not offered: {0}", "不可用：{0}"),
"EndpointCheck.Span.AcceptedHttp": ("A test span with the headers was accepted over OTLP/HTTP.", "携带请求头的测试 span 已通过 OTLP/HTTP 被接收。"),
"EndpointCheck.Span.NotDeliveredHttp": ("A test span could not be delivered over OTLP/HTTP (is this the endpoint's OTLP/HTTP port and traces path?): {0}", "测试 span 未能通过 OTLP/HTTP 送达（这是该端点的 OTLP/HTTP 端口和追踪路径吗？）：{0}"),
"EndpointCheck.InClusterNameCli": ("{0} is a name inside the cluster: it resolves only from inside that cluster, so it can be checked only from there (for example from a pod, or with the console running in the cluster); from here it can only be reported unreachable.", "{0} 是集群内部的名称：只能在该集群内部解析，因此只能在集群内部检查（例如在 Pod 中，或在集群内运行控制台时）；在此处只能报告为无法连接。"),
"EndpointCheck.Failed": ("the endpoint check failed (above); nothing was written or applied", "端点检查失败（见上）；未写入或应用任何内容"),
}
