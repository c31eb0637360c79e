import AdmissionRules
import MPA

/// Namespace labels for the engine's `namespaceSelector` matching, read from a cluster state.
/// A failed lookup is "unknown" (nil), so a rule with a namespace selector is skipped.
public struct ClusterStateNamespaceLabels: NamespaceLabelsProvider {
    public let state: any ClusterState
    public init(_ state: any ClusterState) { self.state = state }

    public func labels(ofNamespace name: String) async -> [String: String]? {
        (try? await state.namespaceLabels(name)) ?? nil
    }
}
