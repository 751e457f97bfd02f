# Strings of the "leftovers" work: singular forms of the command line's counted sentences (ConsoleText.Count picks
# "<key>.One" for exactly one). Chinese has no plural forms: its ".One" sentence is the same as the plural one.
S = {
"Cli.ConfirmApply.One": ("Apply {0} object to context {1}?", "将 {0} 个对象应用到上下文 {1}？"),
"Cli.ConfirmCleanup.One": ("Undo {0} change in context {1}?", "在上下文 {1} 中撤销 {0} 项变更？"),
"Cli.ObjectCount": ("{0} objects", "{0} 个对象"),
"Cli.ObjectCount.One": ("{0} object", "{0} 个对象"),
"Cli.CommandCount": ("{0} commands", "{0} 条命令"),
"Cli.CommandCount.One": ("{0} command", "{0} 条命令"),
"MeshCheck.Pod.Sampling": ("{0}: its proxy.istio.io/config annotation sets tracing.sampling {1}, so this pod samples {2}%, not what its namespace gets (the annotation replaces meshConfig.defaultConfig for this pod; a Telemetry percentage would still win). Remove the annotation's sampling and restart the pod if the planned value should apply.", "{0}：其 proxy.istio.io/config 注解设置了 tracing.sampling {1}，因此该 pod 的采样率为 {2}%，而不是其命名空间的设置（该注解会为这个 pod 覆盖 meshConfig.defaultConfig；Telemetry 设置的采样率仍然优先）。若要让计划的值生效，请删除注解中的 sampling 并重启该 pod。"),
"MeshCheck.Pod.SamplingZero": ("{0}: its proxy.istio.io/config annotation sets tracing.sampling 0, which Istio reads as unset, so istiod's PILOT_TRACE_SAMPLING decides: this pod samples {1}%, not 0% and not the planned value. To trace none of its requests, use a Telemetry with randomSamplingPercentage 0 selecting it; otherwise remove the annotation's sampling and restart the pod.", "{0}：其 proxy.istio.io/config 注解设置了 tracing.sampling 0，Istio 将其视为未设置，因此由 istiod 的 PILOT_TRACE_SAMPLING 决定：该 pod 的采样率为 {1}%，既不是 0%，也不是计划的值。若要不追踪它的任何请求，请使用选中它且 randomSamplingPercentage 为 0 的 Telemetry；否则请删除注解中的 sampling 并重启该 pod。"),
"MeshCheck.Pod.Tracer": ("{0}: its proxy.istio.io/config annotation sets the {1} tracer, which replaces the plan's LightStep tracer for this pod: its spans go to {1}, not to LightStep. Remove the tracer from the annotation and restart the pod.", "{0}：其 proxy.istio.io/config 注解设置了 {1} 追踪器，它会为这个 pod 取代计划中的 LightStep 追踪器：它的 span 发往 {1}，而不是 LightStep。请从注解中删除该追踪器并重启该 pod。"),
"MeshCheck.Pod.Unreadable": ("{0}: its proxy.istio.io/config annotation is not a YAML mapping of proxy settings; Istio's injector refuses such a pod and istiod ignores the annotation. Correct or remove it.", "{0}：其 proxy.istio.io/config 注解不是由代理设置组成的 YAML 映射；Istio 的注入器会拒绝这样的 pod，istiod 也会忽略该注解。请更正或删除它。"),
}
