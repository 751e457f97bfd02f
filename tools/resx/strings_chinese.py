# Strings of the certificate step's single remove control, refusals and fingerprint copy, and of the offline
# sessions page (issue 14 items 8 and 15). English has a singular and a plural; Chinese has one form for both.
S = {
    "Certificate.CountOne": ("{0} certificate", "{0} 个证书"),
    "Certificate.Refused": ("{0} was not accepted:", "未接受 {0}："),
    "Certificate.KeptPrevious": ("The certificate accepted before, from {0}, is still in use.", "之前接受的证书（来自 {0}）仍在使用。"),
    "Certificate.CopyFingerprint": ("Copy the SHA-256 fingerprint", "复制 SHA-256 指纹"),
    "Certificate.FingerprintCopied": ("Fingerprint copied to the clipboard.", "指纹已复制到剪贴板。"),
}
