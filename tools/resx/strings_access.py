# UI strings of access control (sign-in page, sign-out in the app bar), English and Simplified Chinese.
# Run `python3 tools/resx/generate.py` after editing.
S = {
"SignIn.Title": ("Sign in", "登录"),
"SignIn.KeyLabel": ("Access key", "访问密钥"),
"SignIn.Submit": ("Sign in", "登录"),
"SignIn.KeyHint": ("The console printed a sign-in link with its key on its own output when it started (or the key was set with Console__Access__Key).",
                   "控制台启动时已在其自身输出中打印带密钥的登录链接（或密钥已通过 Console__Access__Key 设置）。"),
"SignIn.WrongKey": ("That access key is not correct.", "访问密钥不正确。"),
"SignIn.EmptyKey": ("Enter the access key.", "请输入访问密钥。"),
"SignIn.FormExpired": ("The sign-in form expired. Enter the key again.", "登录表单已过期，请重新输入密钥。"),
"SignIn.TooManyAttempts": ("Too many sign-in attempts. Wait {0} seconds, then try again.", "登录尝试次数过多。请等待 {0} 秒后再试。"),
"SignIn.BadForm": ("The sign-in request was not understood. Reload the page and try again.", "无法识别此登录请求。请重新加载页面后再试。"),
"SignIn.SignedOut": ("You are signed out.", "你已退出登录。"),
"SignIn.WithProvider": ("Sign in with {0}", "通过 {0} 登录"),
"SignIn.ProviderFailed": ("Signing in with the identity provider did not succeed. Try again.", "通过身份提供方登录未成功，请重试。"),
"SignIn.Denied": ("You are signed in as {0}, but this account may not use the console.", "你已以 {0} 登录，但此账户无权使用本控制台。"),
"Access.SignOut": ("Sign out", "退出登录"),
"Access.SignedInAs": ("Signed in as {0}", "已登录：{0}"),
}
