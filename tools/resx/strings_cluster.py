# Cluster pipeline behaviours (issue 11): waits the API server asked for, unreadable Istio ConfigMaps.
S = {
"Cluster.Throttled": ("The API server asked the console to wait (429 Retry-After): waited {0} s before retrying.", "API 服务器要求控制台等待（429 Retry-After）：重试前已等待 {0} 秒。"),
"Cli.ThrottledWaiting": ("API server throttling (429): waiting {0} s as it asked (Retry-After {1} s), then retry {2}.", "API 服务器限流（429）：按其要求等待 {0} 秒（Retry-After {1} 秒），然后进行第 {2} 次重试。"),
}
