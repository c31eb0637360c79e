import JSON

/// What the MPA rules read from the cluster. Implementations: `SnapshotClusterState` (a
/// directory of manifests) and a live API-server cache.
public protocol ClusterState: Sendable {
    /// False until the source has its initial data (a snapshot is synced at once).
    var isSynced: Bool { get }
    /// MPAs in `namespace` whose spec.scaleTargetRef names (group of apiVersion, kind, name). Indexed by target, never a scan.
    func multidimPodAutoscalers(namespace: String, targetGroup: String, targetKind: String, targetName: String) async throws -> [MultidimPodAutoscaler]
    /// All MPAs in a namespace (diagnostics/validation).
    func multidimPodAutoscalers(namespace: String) async throws -> [MultidimPodAutoscaler]
    func limitRanges(namespace: String) async throws -> [LimitRange]
    /// The namespace's LimitRanges merged (`NamespaceLimits(limitRanges(namespace:))`). A
    /// state whose LimitRanges only change at load time answers from a table built then.
    func namespaceLimits(namespace: String) async throws -> NamespaceLimits
    /// A controller/workload object (ReplicaSet, Deployment, …, or any kind) as JSON; nil when absent.
    func object(_ key: ObjectKey) async throws -> JSONValue?
    /// `status.selector` of the object's `scale` subresource; nil when the kind has no scale.
    func scaleSelector(_ key: ObjectKey) async throws -> String?
    /// Labels of a namespace, nil when unknown (for namespaceSelector matching).
    func namespaceLabels(_ namespace: String) async throws -> [String: String]?
}

extension ClusterState {
    /// Merges the LimitRanges on every call (always current, whatever updates them).
    public func namespaceLimits(namespace: String) async throws -> NamespaceLimits {
        NamespaceLimits(try await limitRanges(namespace: namespace))
    }
}
