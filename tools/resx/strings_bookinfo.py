# UI strings of the Bookinfo cluster backend (plan role, permissions, ingress gateway discovery), English and Simplified Chinese.
# Run `python3 tools/resx/generate.py` after editing.
S = {
"Role.BookinfoNamespace": ("Bookinfo's namespace, with only the sidecar injection labels you confirmed",
                           "Bookinfo 的命名空间，仅带有你确认的边车注入标签"),
"Access.WatchBookinfo": ("follow the Bookinfo rollout (Deployments, pods, events)", "跟踪 Bookinfo 的部署进度（Deployment、Pod、事件）"),
"Access.FindIngressGateway": ("find the ingress gateway's address", "查找入口网关的地址"),
"Gateway.ServiceNotFound": ("No ingress gateway Service (label {0}) was found. Enter the address Bookinfo answers on.",
                            "未找到入口网关 Service（标签 {0}）。请输入 Bookinfo 的访问地址。"),
"Gateway.NoHttp2Port": ("The ingress gateway Service {0} has no port named {1}. Enter the address Bookinfo answers on.",
                        "入口网关 Service {0} 没有名为 {1} 的端口。请输入 Bookinfo 的访问地址。"),
"Gateway.NoExternalAddress": ("The ingress gateway Service {0} (type {1}) has no load balancer address and no node port reachable on a node. Enter the address Bookinfo answers on.",
                              "入口网关 Service {0}（类型 {1}）既没有负载均衡器地址，也没有可在节点上访问的 NodePort。请输入 Bookinfo 的访问地址。"),
}
