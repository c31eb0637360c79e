/// What the live cluster state reports for metrics (Observability's `WebhookMetrics` has
/// `setStateSynced`, `setStateObjects(kind:count:)` and `recordWatchRestart(kind:)`; the
/// composition root passes those in as closures).
public struct ClusterStateEvents: Sendable {
    public var synced: @Sendable (Bool) -> Void
    public var objects: @Sendable (_ kind: String, _ count: Int) -> Void
    public var watchRestart: @Sendable (_ kind: String) -> Void

    public init(synced: @escaping @Sendable (Bool) -> Void = { _ in },
                objects: @escaping @Sendable (String, Int) -> Void = { _, _ in },
                watchRestart: @escaping @Sendable (String) -> Void = { _ in }) {
        self.synced = synced
        self.objects = objects
        self.watchRestart = watchRestart
    }

    public static let none = ClusterStateEvents()
}
