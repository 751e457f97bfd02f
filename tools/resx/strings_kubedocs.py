# Deletion as the Kubernetes docs describe it: finalizers keep a deleted object until their controllers let go.
S = {
"Cluster.DeletionPending": ("{0} was deleted but is still there: the finalizers {1} hold it until the controllers that set them have done their cleanup.", "{0} 已删除但仍然存在：finalizer {1} 会保留它，直到设置它们的控制器完成清理。"),
"Cluster.DeletionPending.Fix": ("Undo keeps it in its journal: run undo again once it is gone. If it stays, the controller behind {1} is not running; kubectl get shows it under metadata.finalizers and metadata.deletionTimestamp.", "撤销记录会保留它：待它消失后再次执行撤销。如果它一直存在，说明 {1} 背后的控制器没有运行；kubectl get 会在 metadata.finalizers 和 metadata.deletionTimestamp 下显示它。"),
}
