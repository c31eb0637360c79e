import JSON
import MPA

/// An in-memory `ClusterState` for rule tests: objects by key, MPAs by target, LimitRanges
/// by namespace; `isSynced` and failures can be set to test those paths.
struct FakeClusterState: ClusterState {
    var isSynced: Bool = true
    var objects: [ObjectKey: JSONValue] = [:]
    var mpas: [MultidimPodAutoscaler] = []
    var limits: [LimitRange] = []
    /// Thrown by every lookup when set.
    var failure: String?

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(objects list: [JSONValue], synced: Bool = true) throws {
        isSynced = synced
        for o in list {
            let kind = o["kind"]?.stringValue ?? ""
            switch kind {
            case MultidimPodAutoscaler.kind: mpas.append(try MultidimPodAutoscaler(json: o))
            case "LimitRange": limits.append(try LimitRange(json: o))
            default:
                let meta = o["metadata"]
                let key = ObjectKey(apiVersion: o["apiVersion"]?.stringValue ?? "", kind: kind,
                                    namespace: meta?["namespace"]?.stringValue ?? "default",
                                    name: meta?["name"]?.stringValue ?? "")
                objects[key] = o
            }
        }
    }

    private func check() throws { if let failure { throw Failure(description: failure) } }

    func multidimPodAutoscalers(namespace: String, targetGroup: String, targetKind: String,
                                targetName: String) async throws -> [MultidimPodAutoscaler] {
        try check()
        return mpas.filter { m in
            guard let t = m.scaleTargetRef else { return false }
            return m.namespace == namespace && t.group == targetGroup && t.kind == targetKind && t.name == targetName
        }
    }

    func multidimPodAutoscalers(namespace: String) async throws -> [MultidimPodAutoscaler] {
        try check()
        return mpas.filter { $0.namespace == namespace }
    }

    func limitRanges(namespace: String) async throws -> [LimitRange] {
        try check()
        return limits.filter { $0.namespace == namespace }
    }

    func object(_ key: ObjectKey) async throws -> JSONValue? {
        try check()
        return objects[key]
    }

    /// Objects of kinds that are not well-known are scalable when they carry `status.selector`.
    func scaleSelector(_ key: ObjectKey) async throws -> String? {
        try check()
        guard WellKnownController(kind: key.kind, group: key.group) == nil else { return nil }
        return objects[key]?["status"]?["selector"]?.stringValue
    }

    func namespaceLabels(_ namespace: String) async throws -> [String: String]? { nil }
}
