# Cluster pipeline behaviours (issue 11): waits the API server asked for, unreadable Istio ConfigMaps.
S = {
"Cluster.Throttled": ("The API server asked the console to wait (Retry-After): waited {0} s before retrying.", "API 服务器要求控制台等待（Retry-After）：重试前已等待 {0} 秒。"),
"Cli.ThrottledWaiting": ("The API server asked to wait: waiting {0} s as it asked (Retry-After {1} s), then retry {2}.", "API 服务器要求等待：按其要求等待 {0} 秒（Retry-After {1} 秒），然后进行第 {2} 次重试。"),
}
S.update({
"Cluster.UnreadableConfig": ("ConfigMap {0}: key {1} is not readable {2} (stopped at line:column {3}), so the console cannot merge its settings into it; nothing was written.", "ConfigMap {0}：键 {1} 不是可读取的 {2}（停在 行:列 {3}），控制台无法将设置合并进去；未写入任何内容。"),
"Cluster.UnreadableConfig.Fix": ("Repair it first (kubectl edit configmap {5} -n {4}) or reinstall Istio's configuration with istioctl, then preview again.", "请先修复它（kubectl edit configmap {5} -n {4}），或用 istioctl 重新安装 Istio 配置，然后重新预览。"),
})
# A deleted namespace terminates before it is gone (Kubernetes refuses new objects in it meanwhile).
S.update({
"Cluster.NamespaceTerminating": ("Namespace {0} is being deleted (Terminating): Kubernetes accepts nothing new in it until it is gone.", "命名空间 {0} 正在删除中（Terminating）：在它完全消失之前，Kubernetes 不接受在其中创建任何新对象。"),
"Cluster.NamespaceTerminating.Fix": ("Wait until it is gone (kubectl get namespace {0} answers NotFound; usually seconds to a minute), then try again. If it stays Terminating, kubectl get namespace {0} -o yaml shows under status.conditions what holds it.", "请等待它消失（kubectl get namespace {0} 返回 NotFound；通常几秒到一分钟），然后重试。如果它一直处于 Terminating，kubectl get namespace {0} -o yaml 的 status.conditions 会显示是什么阻止了删除。"),
"Cluster.NamespaceStillTerminating": ("Namespace {0} was deleted but is still Terminating after {1} s: Kubernetes is still removing what is in it, or a finalizer holds it.", "命名空间 {0} 已删除，但 {1} 秒后仍处于 Terminating：Kubernetes 仍在删除其中的对象，或有 finalizer 阻止了删除。"),
"Cluster.NamespaceStillTerminating.Fix": ("Run the removal again later; it continues where it stopped. Until kubectl get namespace {0} answers NotFound nothing new can be created in it; kubectl get namespace {0} -o yaml shows under status.conditions what holds it.", "请稍后再次执行删除，它会从中断处继续。在 kubectl get namespace {0} 返回 NotFound 之前，无法在其中创建任何新对象；kubectl get namespace {0} -o yaml 的 status.conditions 会显示是什么阻止了删除。"),
})
