# Cluster pipeline behaviours (issue 11): waits the API server asked for, unreadable Istio ConfigMaps.
S = {
"Cluster.Throttled": ("The API server asked the console to wait (429 Retry-After): waited {0} s before retrying.", "API 服务器要求控制台等待（429 Retry-After）：重试前已等待 {0} 秒。"),
"Cli.ThrottledWaiting": ("API server throttling (429): waiting {0} s as it asked (Retry-After {1} s), then retry {2}.", "API 服务器限流（429）：按其要求等待 {0} 秒（Retry-After {1} 秒），然后进行第 {2} 次重试。"),
}
S.update({
"Cluster.UnreadableConfig": ("ConfigMap {0}: key {1} is not readable {2} (stopped at line:column {3}), so the console cannot merge its settings into it; nothing was written.", "ConfigMap {0}：键 {1} 不是可读取的 {2}（停在 行:列 {3}），控制台无法将设置合并进去；未写入任何内容。"),
"Cluster.UnreadableConfig.Fix": ("Repair it first (kubectl edit configmap {5} -n {4}) or reinstall Istio's configuration with istioctl, then preview again.", "请先修复它（kubectl edit configmap {5} -n {4}），或用 istioctl 重新安装 Istio 配置，然后重新预览。"),
})
