# Deletion as the Kubernetes docs describe it: finalizers keep a deleted object until their controllers let go.
S = {
"Cluster.DeletionPending": ("{0} was deleted but is still there: the finalizers {1} hold it until the controllers that set them have done their cleanup.", "{0} 已删除但仍然存在：finalizer {1} 会保留它，直到设置它们的控制器完成清理。"),
"Cluster.DeletionPending.Fix": ("Undo keeps it in its journal: run undo again once it is gone. If it stays, the controller behind {1} is not running; kubectl get shows it under metadata.finalizers and metadata.deletionTimestamp.", "撤销记录会保留它：待它消失后再次执行撤销。如果它一直存在，说明 {1} 背后的控制器没有运行；kubectl get 会在 metadata.finalizers 和 metadata.deletionTimestamp 下显示它。"),
}
# A namespace that stays Terminating because objects in it keep finalizers (its NamespaceFinalizersRemaining condition).
S.update({
"Cluster.NamespaceHeldByFinalizers": ("Namespace {0} was deleted but is still Terminating after {1} s: objects in it keep finalizers ({2}) that their controllers have not removed.", "命名空间 {0} 已删除，但 {1} 秒后仍处于 Terminating：其中的对象仍带有 finalizer（{2}），其控制器尚未移除它们。"),
"Cluster.NamespaceHeldByFinalizers.Fix": ("Those controllers must finish their cleanup first; if they are no longer installed, nothing will. Run the removal again later; it continues where it stopped. kubectl get all,configmaps,secrets -n {0} lists what is left.", "这些控制器必须先完成清理；如果它们已不再安装，则不会有人完成清理。请稍后再次执行删除，它会从中断处继续。kubectl get all,configmaps,secrets -n {0} 会列出剩余的对象。"),
})
