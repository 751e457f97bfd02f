# UI strings of the session dashboard's view of the cluster (issue 15). Run `python3 tools/resx/generate.py` after editing.
S = {
"Dashboard.ClusterHolds": ("The cluster holds these mesh-wide changes of the console (undo journal in {0}), whenever they were applied:",
    "集群中保存着控制台的以下网格级变更（撤销记录位于 {0}），无论何时应用："),
"Dashboard.ClusterHoldsNone": ("The cluster holds no mesh-wide change of the console yet: apply the shared settings in the Apply step of the facilitator's wizard.",
    "集群中尚无控制台的网格级变更：请在主持人向导的“应用”步骤中应用共享设置。"),
"Dashboard.ClusterHoldsUnknownWho": ("(not recorded)", "（未记录）"),
"Dashboard.ClusterHoldsCreated": ("created", "已创建"),
"Dashboard.ClusterHoldsChanged": ("changed", "已修改"),
}
