# Strings of the certificate step's single remove control, refusals and fingerprint copy, and of the offline
# sessions page (issue 14 items 8 and 15). English has a singular and a plural; Chinese has one form for both.
S = {
    "Certificate.CountOne": ("{0} certificate", "{0} 个证书"),
    "Certificate.Refused": ("{0} was not accepted:", "未接受 {0}："),
    "Certificate.KeptPrevious": ("The certificate accepted before, from {0}, is still in use.", "之前接受的证书（来自 {0}）仍在使用。"),
    "Certificate.CopyFingerprint": ("Copy the SHA-256 fingerprint", "复制 SHA-256 指纹"),
    "Certificate.FingerprintCopied": ("Fingerprint copied to the clipboard.", "指纹已复制到剪贴板。"),
    "Sessions.NeedsKubeconfig": ("Team sessions are kept in the cluster, and this console runs offline, without a usable kubeconfig. Give it one (set KUBECONFIG or create ~/.kube/config, or run the console inside the cluster), then restart the console and pick a context at the top of the page.",
        "团队会话保存在集群中，而此控制台没有可用的 kubeconfig，处于离线模式。请为它提供一个（设置 KUBECONFIG 或创建 ~/.kube/config，或在集群内运行控制台），然后重启控制台，并在页面顶部选择上下文。"),
}
