# Strings of the "leftovers" work: singular forms of the command line's counted sentences (ConsoleText.Count picks
# "<key>.One" for exactly one). Chinese has no plural forms: its ".One" sentence is the same as the plural one.
S = {
"Cli.ConfirmApply.One": ("Apply {0} object to context {1}?", "将 {0} 个对象应用到上下文 {1}？"),
"Cli.ConfirmCleanup.One": ("Undo {0} change in context {1}?", "在上下文 {1} 中撤销 {0} 项变更？"),
"Cli.ObjectCount": ("{0} objects", "{0} 个对象"),
"Cli.ObjectCount.One": ("{0} object", "{0} 个对象"),
"Cli.CommandCount": ("{0} commands", "{0} 条命令"),
"Cli.CommandCount.One": ("{0} command", "{0} 条命令"),
}
