import AdmissionAPI
import AdmissionRules
import BuiltinRules
import JSON
import MPA
import Testing

/// Namespace labels for the engine's namespaceSelector come from the cluster state.
struct ClusterStateNamespaceLabelsTests {
    static let state: SnapshotClusterState? = try? SnapshotClusterState(objects: [
        ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "default", "labels": ["mpa": "on"]]],
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "namespace": "other"]],
    ])

    @Test func labelsFromTheSnapshot() async throws {
        let provider = ClusterStateNamespaceLabels(try #require(Self.state))
        #expect(await provider.labels(ofNamespace: "default") == ["mpa": "on", "kubernetes.io/metadata.name": "default"])
        #expect(await provider.labels(ofNamespace: "other") == ["kubernetes.io/metadata.name": "other"])
        #expect(await provider.labels(ofNamespace: "missing") == nil)
    }

    @Test(arguments: [("on", false), ("off", true)])
    func selectsRulesByNamespaceLabels(_ value: String, _ allowed: Bool) async throws {
        var rule = MPAValidationRule()
        rule.match.namespaceSelector = LabelSelector(matchLabels: ["mpa": value])
        let engine = AdmissionEngine(rules: try RuleSet([rule]), namespaceLabels: ClusterStateNamespaceLabels(try #require(Self.state)))
        guard case .reviewed(let r) = await engine.process(mpaReview(baseMPA.setting(["spec"], "x")), endpoint: .validating) else {
            Issue.record("bad request"); return
        }
        // The rule runs (and denies) only where the namespace labels match its selector.
        #expect(r.response.allowed == allowed)
    }
}
