# Onboarding sessions: participant names, namespace patterns, stored session records. English and Simplified Chinese.
# Run `python3 tools/resx/generate.py` after editing.
S = {
'Onboarding.UnreadableRecord': ('{0} {1} holds session data this console cannot read (changed by hand, or written by another console version).', '{0} {1} 中的会话数据无法被此控制台读取（可能被手动修改，或由其他版本的控制台写入）。'),
'Validation.NamespacePattern.Empty': ('Enter a namespace pattern containing {0}, for example bookinfo-{0}.', '请输入包含 {0} 的命名空间模式，例如 bookinfo-{0}。'),
'Validation.NamespacePattern.InvalidCharacters': ("Apart from the name placeholder, a namespace pattern may only use lowercase letters, digits and '-'. Remove: {0}", '除名称占位符外，命名空间模式只能使用小写字母、数字和“-”。请删除：{0}'),
'Validation.NamespacePattern.MissingName': ("The pattern must contain {0}: that is where each participant's name goes.", '模式必须包含 {0}：每位参与者的名称会填入此处。'),
'Validation.NamespacePattern.TooLong': ('The fixed part of the pattern may have at most {0} characters (it has {1}), so that names still fit in 63.', '模式的固定部分最多 {0} 个字符（当前 {1} 个），以便名称仍能放入 63 个字符以内。'),
'Validation.Participant.NameEmpty': ('Enter your name.', '请输入你的名字。'),
'Validation.Participant.NameInvalidCharacters': ("Names may use letters, digits, spaces, '-', '_' and '.'. Remove: {0}", '名字可以使用字母、数字、空格、“-”、“_”和“.”。请删除：{0}'),
'Validation.Participant.NameTooLong': ('Use at most {0} characters (this name has {1}).', '最多使用 {0} 个字符（当前 {1} 个）。'),
}
