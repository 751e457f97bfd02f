# Strings of the responsive layout (app bar menu) and the offline step marks (issue 14 items 1-3).
S = {
"App.Menu": ("Menu: navigation, account and language", "菜单：导航、账户和语言"),
}
S.update({
"Step.NotDoneOffline": ("Not done (offline)", "未完成（离线）"),
"Istio.VersionPlaceholder": ("e.g. 1.26", "例如 1.26"),
})
