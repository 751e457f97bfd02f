# Strings of the mesh checks: the IstioOperator merge, the effective sampling, other tracing providers, the gateway CA.
S = {
"Note.OtherTracerRemoved": ("The {0} tracer in {1} is removed: Istio's proxy config holds one tracer, and the plan selects LightStep. Restore it with cleanup if you still need it.", "{1} 中的 {0} 追踪器将被移除：Istio 的代理配置只能有一个追踪器，而该计划选择了 LightStep。如仍需要它，可用 cleanup 恢复。"),
}
