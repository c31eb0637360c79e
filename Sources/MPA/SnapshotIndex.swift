import JSON

/// The lookup tables of a snapshot, built once; every query is a hash lookup.
struct SnapshotIndex: Sendable {
    struct TargetKey: Hashable, Sendable {
        var namespace: String
        var group: String
        var kind: String
        var name: String
    }

    var objects: [ObjectKey: JSONValue] = [:]
    var sources: [ObjectKey: SnapshotSource] = [:]
    var mpasByTarget: [TargetKey: [MultidimPodAutoscaler]] = [:]
    var mpasByNamespace: [String: [MultidimPodAutoscaler]] = [:]
    var limitRangesByNamespace: [String: [LimitRange]] = [:]
    /// `limitRangesByNamespace` merged, per namespace with at least one LimitRange (set by `finish`).
    var namespaceLimits: [String: NamespaceLimits] = [:]
    var namespaceLabels: [String: [String: String]] = [:]
    /// Namespaces seen on objects without a Namespace object.
    var impliedNamespaces: Set<String> = []
    var warnings: [String] = []
    var skipped: [String] = []

    /// Sorts per-namespace lists (MPAs oldest first, LimitRanges by name) once loading is done.
    mutating func finish() {
        for (k, list) in mpasByTarget { mpasByTarget[k] = list.sorted(by: MultidimPodAutoscaler.olderFirst) }
        for (k, list) in mpasByNamespace { mpasByNamespace[k] = list.sorted(by: MultidimPodAutoscaler.olderFirst) }
        for (k, list) in limitRangesByNamespace { limitRangesByNamespace[k] = list.sorted { $0.name < $1.name } }
        namespaceLimits = limitRangesByNamespace.mapValues(NamespaceLimits.init)
        for ns in impliedNamespaces where namespaceLabels[ns] == nil {
            namespaceLabels[ns] = [SnapshotClusterState.namespaceNameLabel: ns]
        }
    }
}
