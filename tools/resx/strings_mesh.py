# Strings of the mesh checks: the IstioOperator merge, the effective sampling, other tracing providers, the gateway CA.
S = {
"Note.OtherTracerRemoved": ("The {0} tracer in {1} is removed: Istio's proxy config holds one tracer, and the plan selects LightStep. Restore it with cleanup if you still need it.", "{1} 中的 {0} 追踪器将被移除：Istio 的代理配置只能有一个追踪器，而该计划选择了 LightStep。如仍需要它，可用 cleanup 恢复。"),
}
S.update({
"MeshCheck.Failed": ("Mesh checks (sampling, other tracing providers, gateway CA) could not read the cluster: {0}", "网格检查（采样率、其他追踪提供程序、网关 CA）无法读取集群：{0}"),
"MeshCheck.Sampling": ("Sampling in {0}: {1}%, {2}.", "{0} 中的采样率：{1}%，{2}。"),
"MeshCheck.SamplingOverridden": ("Sampling in {0}: {1}%, not the planned {2}%: {3}.", "{0} 中的采样率：{1}%，而不是计划的 {2}%：{3}。"),
"MeshCheck.SamplingWorkload": ("{0} (workloads {1}): {2}%, {3}.", "{0}（工作负载 {1}）：{2}%，{3}。"),
"MeshCheck.SamplingPrecedence": ("Istio's order: workload Telemetry, then namespace Telemetry, then the mesh-wide Telemetry in the root namespace, then meshConfig.defaultConfig.tracing.sampling (a pod's proxy.istio.io/config annotation replaces it for that pod), then istiod's PILOT_TRACE_SAMPLING (istio.io Telemetry API and Trace Sampling pages; see istio/istio#35750, #46653, #51004, #54005). Change or remove the resource named above if the planned value should apply.", "Istio 的优先顺序：工作负载级 Telemetry，其次命名空间级 Telemetry，再次根命名空间中的网格级 Telemetry，然后是 meshConfig.defaultConfig.tracing.sampling（Pod 的 proxy.istio.io/config 注解会为该 Pod 覆盖它），最后是 istiod 的 PILOT_TRACE_SAMPLING（见 istio.io 的 Telemetry API 与 Trace Sampling 页面，以及 istio/istio#35750、#46653、#51004、#54005）。若要让计划的值生效，请修改或删除上面指出的资源。"),
"MeshCheck.Source.WorkloadTelemetry": ("set by {0}, a workload Telemetry, which overrides the namespace and mesh settings", "由工作负载级 Telemetry {0} 设置，它覆盖命名空间和网格设置"),
"MeshCheck.Source.NamespaceTelemetry": ("set by {0}, a namespace Telemetry, which overrides the mesh-wide one", "由命名空间级 Telemetry {0} 设置，它覆盖网格级设置"),
"MeshCheck.Source.MeshTelemetry": ("set by the mesh-wide {0}", "由网格级 {0} 设置"),
"MeshCheck.Source.TelemetryDefault": ("{0} applies without randomSamplingPercentage, and before Istio 1.20 that means 0%, not the mesh config (istio/istio#46653)", "{0} 生效但未设置 randomSamplingPercentage；在 Istio 1.20 之前这意味着 0%，而不是网格配置中的值（istio/istio#46653）"),
"MeshCheck.Source.SpanReportingDisabled": ("{0} turns span reporting off", "{0} 关闭了 span 上报"),
"MeshCheck.Source.ProxyConfig": ("from {0}, because no Telemetry resource sets a percentage", "来自 {0}，因为没有 Telemetry 资源设置采样率"),
"MeshCheck.Source.PilotTraceSampling": ("from istiod's {0}, because neither a Telemetry resource nor meshConfig.defaultConfig.tracing.sampling sets one", "来自 istiod 的 {0}，因为 Telemetry 资源和 meshConfig.defaultConfig.tracing.sampling 都未设置"),
"MeshCheck.Source.TracingDisabled": ("no spans: {0} is false and no Telemetry resource applies", "不产生 span：{0} 为 false，且没有 Telemetry 资源生效"),
"MeshCheck.Provider.LegacyTracerReplaced": ("The {0} tracer in the mesh config is replaced by LightStep: a proxy config holds one tracer.", "网格配置中的 {0} 追踪器被 LightStep 取代：一个代理配置只能有一个追踪器。"),
"MeshCheck.Provider.LegacyTracerUnused": ("The {0} tracer in the mesh config is kept; proxies where the plan's Telemetry applies send their spans to LightStep instead.", "保留网格配置中的 {0} 追踪器；计划的 Telemetry 生效的代理改为把 span 发送到 LightStep。"),
"MeshCheck.Provider.SameNameReplaced": ("Extension provider {0} ({1}) is replaced by the plan's provider of the same name.", "扩展提供程序 {0}（{1}）被计划中同名的提供程序取代。"),
"MeshCheck.Provider.SelectedByTelemetry": ("Extension provider {0} ({1}) is kept, but {2} selects it: the proxies it applies to keep sending spans there, not to LightStep.", "保留扩展提供程序 {0}（{1}），但 {2} 选择了它：它所作用的代理仍把 span 发往那里，而不是 LightStep。"),
"MeshCheck.Provider.NotSelected": ("Extension provider {0} ({1}) is kept; no Telemetry resource in the chosen namespaces selects it.", "保留扩展提供程序 {0}（{1}）；所选命名空间中没有 Telemetry 资源选择它。"),
"MeshCheck.Provider.SecondMeshTelemetry": ("{2} is a second mesh-wide Telemetry in the root namespace next to the plan's; Istio allows only one, so which applies is undefined.", "{2} 是根命名空间中计划之外的第二个网格级 Telemetry；Istio 只允许一个，因此哪个生效是不确定的。"),
"MeshCheck.Provider.TelemetryReplaced": ("Telemetry {0} in the root namespace is replaced: it selected {2}, the plan's selects LightStep.", "根命名空间中的 Telemetry {0} 被取代：它原来选择 {2}，计划中的选择 LightStep。"),
"MeshCheck.GatewayCa.NotFound": ("No ingress gateway Deployment {0}/{1} was found, so its access to the CA could not be checked.", "未找到入口网关 Deployment {0}/{1}，无法检查它能否读取 CA。"),
"MeshCheck.GatewayCa.Ready": ("The ingress gateway {0}/{1} mounts Secret {2}: its spans can reach the satellites over TLS with the private CA.", "入口网关 {0}/{1} 挂载了 Secret {2}：它的 span 可以通过使用私有 CA 的 TLS 到达 satellite。"),
"MeshCheck.GatewayCa.MountedByThisApply": ("The ingress gateway {0}/{1} does not mount Secret {2} yet; this apply adds the mount to the IstioOperator, and the operator rolls it out.", "入口网关 {0}/{1} 尚未挂载 Secret {2}；本次应用会把挂载写入 IstioOperator，由 Istio Operator 滚动更新。"),
"MeshCheck.GatewayCa.NotMounted": ("The ingress gateway {0}/{1} does not mount Secret {2}: its spans, the root of every request, are lost (istio/istio#31190). Run install.sh (istioctl) for the mount.", "入口网关 {0}/{1} 没有挂载 Secret {2}：它的 span（每个请求的根 span）会丢失（istio/istio#31190）。请运行 install.sh（istioctl）完成挂载。"),
"MeshCheck.GatewayCa.SecretCreatedByThisApply": ("The ingress gateway {0}/{1} mounts Secret {2}, which this apply creates.", "入口网关 {0}/{1} 挂载了 Secret {2}，本次应用会创建它。"),
"MeshCheck.GatewayCa.SecretMissing": ("The ingress gateway {0}/{1} mounts Secret {2}, but it does not exist in {0}: the gateway cannot verify the satellites and its spans are lost.", "入口网关 {0}/{1} 挂载了 Secret {2}，但 {0} 中不存在该 Secret：网关无法验证 satellite，它的 span 会丢失。"),
})
S.update({
"Access.MeshChecks": ("check which Telemetry resources decide sampling and tracing providers before apply", "在应用前检查哪些 Telemetry 资源决定采样率和追踪提供程序"),
})
S.update({
"MeshCheck.Collector.Failed": ("The OpenTelemetry Collector could not be read: {0}", "无法读取 OpenTelemetry Collector：{0}"),
"MeshCheck.Collector.NotDeployed": ("The OpenTelemetry Collector {0}/{1} is not deployed yet; apply creates it, then run preflight again to see it ready.", "OpenTelemetry Collector {0}/{1} 尚未部署；应用会创建它，之后再次运行预检查即可看到其就绪状态。"),
"MeshCheck.Collector.RolledOut": ("The OpenTelemetry Collector {0}/{1} is rolled out: {2} of {3} replicas ready.", "OpenTelemetry Collector {0}/{1} 已完成发布：{3} 个副本中 {2} 个就绪。"),
"MeshCheck.Collector.RollingOut": ("The OpenTelemetry Collector {0}/{1} is not ready: {2} of {3} replicas ready (see its pods' events and logs).", "OpenTelemetry Collector {0}/{1} 尚未就绪：{3} 个副本中 {2} 个就绪（请查看其 Pod 的事件和日志）。"),
"MeshCheck.Collector.Health.Healthy": ("Its health endpoint answers: {0}", "其健康检查端点应答：{0}"),
"MeshCheck.Collector.Health.Unhealthy": ("Its health endpoint reports a problem: {0}", "其健康检查端点报告问题：{0}"),
"MeshCheck.Collector.Health.Unreachable": ("Its health endpoint (port {1}) could not be reached through the API server: {0}", "无法通过 API 服务器访问其健康检查端点（端口 {1}）：{0}"),
"MeshCheck.Collector.Health.NotPermitted": ("Its health endpoint was not asked: you may not use the API server's service proxy (get services/proxy) in this namespace.", "未查询其健康检查端点：你无权在此命名空间使用 API 服务器的服务代理（get services/proxy）。"),
"MeshCheck.Collector.Health.NotChecked": ("Its health endpoint is asked once a replica is ready.", "有副本就绪后才会查询其健康检查端点。"),
})
