# A team session participant's changes confined to their own namespace. English and Simplified Chinese.
# Run `python3 tools/resx/generate.py` after editing.
S = {
"Cluster.ParticipantScope": (
    "Refused: a team session participant changes only their namespace {0} and what is in it, and {1} is outside it. Nothing was sent to the cluster.",
    "已拒绝：团队会话的参与者只能更改自己的命名空间 {0} 及其中的对象，而 {1} 不在其中。没有向集群发送任何请求。"),
"Cluster.ParticipantScope.Fix": (
    "Work in namespace {0}. Mesh-wide settings and other namespaces are the facilitator's; to join under another name, open the join link in a new tab.",
    "请在命名空间 {0} 中操作。网格级设置和其他命名空间由主持人负责；如需以其他名字加入，请在新标签页中打开加入链接。"),
"Cluster.ParticipantMeshWide": (
    "Refused: the mesh-wide settings are applied and undone by the session's facilitator, not by a participant (your namespace is {0}). Nothing was sent to the cluster.",
    "已拒绝：网格级设置由会话主持人应用和撤销，参与者不能操作（你的命名空间是 {0}）。没有向集群发送任何请求。"),
"Cluster.ParticipantMeshWide.Fix": (
    "Ask the facilitator to apply or undo them. What you deployed in {0} can be removed in the Cleanup step.",
    "请让主持人应用或撤销它们。你在 {0} 中部署的内容可以在清理步骤中删除。"),
"Bookinfo.ParticipantNamespaceHelp": (
    "Your session namespace: as a participant you deploy Bookinfo here and nowhere else.",
    "你的会话命名空间：作为参与者，你只能将 Bookinfo 部署到这里。"),
}
