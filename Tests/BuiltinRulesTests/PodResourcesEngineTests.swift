import AdmissionAPI
import AdmissionRules
@testable import BuiltinRules
import Foundation
import JSON
import JSONPatch
import MPA
import Testing
import YAMLValue

/// The rule inside the engine, fed AdmissionReview bytes as the server feeds them.
@Suite struct PodResourcesEngineTests {
    func engine(_ objects: [JSONValue], synced: Bool = true) throws -> AdmissionEngine {
        let state: any ClusterState = synced ? try SnapshotClusterState(objects: objects)
            : try FakeClusterState(objects: objects, synced: false)
        return AdmissionEngine(rules: try RuleSet([MPAPodResources(state: state)]))
    }

    func reviewed(_ engine: AdmissionEngine, _ body: [UInt8]) async throws -> ReviewedAdmission {
        guard case .reviewed(let r) = await engine.process(body, endpoint: .mutating) else {
            throw FakeClusterState.Failure(description: "bad request")
        }
        let problems = AdmissionContract.violations(request: r.review, response: r.bytes, endpoint: .mutating)
        #expect(problems.isEmpty, "contract: \(problems)")
        return r
    }

    /// ../shared/tools/bench-data: our patch equals go-peer's (recorded), op for op.
    @Test func benchDataPatchEqualsGoPeer() async throws {
        let objects = PodCase.flatten(try PodCase.read("bench/snapshot.json"))
        let body = [UInt8](try Data(contentsOf: PodCase.directory.appendingPathComponent("bench/pod-create-review.json")))
        let r = try await reviewed(try engine(objects), body)
        #expect(r.response.allowed)
        #expect(r.report.decision == .patched)
        let ours = try JSONParser.parse(JSONPatch.encode(r.response.patch))
        let goPeer = try PodCase.read("bench/go-peer-patch.json")
        #expect(ours == goPeer, "ours \(ours)\ngo-peer \(goPeer)")
        // Same patched pod when each patch is applied to the pod that was sent.
        let pod = try #require(r.review.request.object)
        let goOps = try JSONPatch.decode(goPeer)
        #expect(try JSONPatch.apply(r.response.patch, to: pod) == JSONPatch.apply(goOps, to: pod))
        // The response envelope carries the patch as base64 JSONPatch.
        let json = try JSONParser.parse(r.bytes)
        #expect(json["response"]?["patchType"]?.stringValue == "JSONPatch")
        #expect(json["response"]?["warnings"] == nil)
    }

    @Test func unsyncedStateWarnsWithoutPatch() async throws {
        let objects = PodCase.flatten(try PodCase.read("bench/snapshot.json"))
        let body = [UInt8](try Data(contentsOf: PodCase.directory.appendingPathComponent("bench/pod-create-review.json")))
        let r = try await reviewed(try engine(objects, synced: false), body)
        #expect(r.response.allowed)
        #expect(r.response.patch.isEmpty)
        #expect(r.response.warnings.count == 1)
    }

    @Test func onlyPodCreateMatches() throws {
        let rule = MPAPodResources(state: try FakeClusterState(objects: []))
        #expect(rule.match.operations == [.create])
        #expect(rule.match.resources == [RuleMatch.Resource(group: "", version: "v1", resource: "pods")])
        #expect(rule.failurePolicy == .ignore)
        #expect(rule.name == "mpaPodResources")
    }

    @Test func registryFactoryRejectsParameters() throws {
        let state = try FakeClusterState(objects: [])
        _ = try MPAPodResources(parameters: .null, state: state)
        _ = try MPAPodResources(parameters: [:], state: state)
        #expect(throws: ConfigurationError.self) { try MPAPodResources(parameters: ["x": 1], state: state) }
    }

    /// Configured to match pod UPDATE too, the rule still only acts on CREATE.
    @Test func updateIsLeftAlone() async throws {
        let state = try SnapshotClusterState(objects: PodCase.flatten(try PodCase.read("bench/snapshot.json")))
        let review = try PodCase.read("bench/pod-create-review.json")
        let pod = try #require(review["request"]?["object"])
        var request = podCreateRequest(pod, namespace: "default")
        request.operation = .update
        request.oldObject = pod
        let result = try await MPAPodResources(state: state).default(request, object: pod)
        guard case .none = result.change else { Issue.record("UPDATE was patched"); return }
        #expect(result.warnings.isEmpty)
    }

    /// A lookup failure in the cluster state is a warning, never a blocked pod.
    @Test func stateFailureWarns() async throws {
        var state = try FakeClusterState(objects: PodCase.flatten(try PodCase.read("bench/snapshot.json")))
        state.failure = "connection refused"
        let rule = MPAPodResources(state: state)
        let review = try PodCase.read("bench/pod-create-review.json")
        let pod = try #require(review["request"]?["object"])
        let result = try await rule.default(podCreateRequest(pod, namespace: "default"), object: pod)
        guard case .none = result.change else { Issue.record("expected no change"); return }
        #expect(result.warnings == ["MPA resource recommendation not applied: connection refused"])
    }
}

/// `manifests/examples/mpa-rules.yaml` with every MPA rule registered: the pod rule is first,
/// fails open, and matches pod CREATE only.
@Suite struct PodResourcesConfigurationTests {
    @Test func exampleRulesConfigurationBuildsThePodRule() throws {
        let url = Fixtures.repository.appendingPathComponent("manifests/examples/mpa-rules.yaml")
        let json = try YAMLValue.parse(bytes: [UInt8](try Data(contentsOf: url)))
        let state = try SnapshotClusterState(objects: [])
        var registry = RuleRegistry()
        try registry.register(MPAPodResources.typeName) { try MPAPodResources(parameters: $0, state: state) }
        try registry.register(MPADefaultsRule.typeName) { try MPADefaultsRule(parameters: $0) }
        try registry.register(MPAValidationRule.typeName) { try MPAValidationRule(parameters: $0) }
        let set = try registry.makeRuleSet(configuration: json)
        #expect(set.names == ["mpaPodResources", "mpaDefaults", "mpaValidation"])
        let pod = try #require(set.entries.first)
        #expect(pod.rule is MPAPodResources)
        #expect(pod.failurePolicy == .ignore)
        #expect(pod.match.operations == [.create])
        #expect(pod.match.resources == [RuleMatch.Resource(group: "", version: "v1", resource: "pods")])
    }
}
