import AdmissionAPI
@testable import AdmissionRules
import JSON
import Testing

struct RuleMatchTests {
    @Test(arguments: [
        ("pods", "", "pods", true), ("pods", "status", "pods", false), ("*", "", "pods", true),
        ("*", "status", "pods", false), ("*/*", "", "pods", true), ("*/*", "status", "pods", true),
        ("pods/*", "status", "pods", true), ("pods/*", "", "pods", false), ("pods/status", "status", "pods", true),
        ("pods/status", "eviction", "pods", false), ("*/scale", "scale", "deployments", true),
        ("deployments", "", "pods", false),
    ])
    func resourcePatterns(_ pattern: String, _ sub: String, _ resource: String, _ expected: Bool) {
        let r = RuleMatch.Resource(group: "", version: "*", resource: pattern)
        #expect(r.matches(GroupVersionResource(group: "", version: "v1", resource: resource), subResource: sub) == expected)
    }

    @Test(arguments: [
        ("", "v1", true), ("*", "v1", true), ("apps", "v1", false),
    ])
    func groupAndVersion(_ group: String, _ version: String, _ expected: Bool) {
        let r = RuleMatch.Resource(group: group, version: version, resource: "pods")
        #expect(r.matches(GroupVersionResource(group: "", version: "v1", resource: "pods"), subResource: "") == expected)
        let wrongVersion = RuleMatch.Resource(group: group, version: "v2", resource: "pods")
        #expect(!wrongVersion.matches(GroupVersionResource(group: "", version: "v1", resource: "pods"), subResource: ""))
    }

    struct SelectCase: Sendable, CustomTestStringConvertible {
        var name: String
        var match: RuleMatch
        var fixture: String
        var namespaces: [String: [String: String]]?
        var runs: Bool
        var testDescription: String { name }
    }

    static let pods = [RuleMatch.Resource(group: "", resource: "pods")]
    static let env = LabelSelector(matchLabels: ["env": "prod"])

    static let selectCases: [SelectCase] = [
        SelectCase(name: "operation not listed", match: RuleMatch(resources: pods, operations: [.update]),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: nil, runs: false),
        SelectCase(name: "empty operations never match", match: RuleMatch(resources: pods, operations: []),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: nil, runs: false),
        SelectCase(name: "namespace listed", match: RuleMatch(resources: pods, operations: [.create], namespaces: ["prod"]),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: nil, runs: true),
        SelectCase(name: "namespace not listed", match: RuleMatch(resources: pods, operations: [.create], namespaces: ["dev"]),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: nil, runs: false),
        SelectCase(name: "namespace selector matches known labels",
                   match: RuleMatch(resources: pods, operations: [.create], namespaceSelector: env),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: ["prod": ["env": "prod"]], runs: true),
        SelectCase(name: "namespace selector, other labels",
                   match: RuleMatch(resources: pods, operations: [.create], namespaceSelector: env),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: ["prod": ["env": "dev"]], runs: false),
        SelectCase(name: "namespace selector, unknown namespace does not match",
                   match: RuleMatch(resources: pods, operations: [.create], namespaceSelector: env),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: [:], runs: false),
        SelectCase(name: "namespace selector, no provider does not match",
                   match: RuleMatch(resources: pods, operations: [.create], namespaceSelector: env),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: nil, runs: false),
        SelectCase(name: "empty namespace selector needs no lookup",
                   match: RuleMatch(resources: pods, operations: [.create], namespaceSelector: LabelSelector()),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: nil, runs: true),
        SelectCase(name: "object selector on object",
                   match: RuleMatch(resources: pods, operations: [.create], objectSelector: LabelSelector(matchLabels: ["tier": "frontend"])),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: nil, runs: true),
        SelectCase(name: "object selector misses",
                   match: RuleMatch(resources: pods, operations: [.create], objectSelector: LabelSelector(matchLabels: ["tier": "db"])),
                   fixture: "v1-pod-create-no-annotations.json", namespaces: nil, runs: false),
        SelectCase(name: "object selector on oldObject (UPDATE dropped the label)",
                   match: RuleMatch(resources: pods, operations: [.update],
                                    objectSelector: LabelSelector(matchExpressions: [.init(key: "version", operator: .doesNotExist)])),
                   fixture: "v1-pod-update.json", namespaces: nil, runs: true),
        SelectCase(name: "object selector on oldObject for DELETE",
                   match: RuleMatch(resources: pods, operations: [.delete], objectSelector: LabelSelector(matchLabels: ["app": "web"])),
                   fixture: "v1-pod-delete-null-object.json", namespaces: nil, runs: true),
    ]

    /// A validator that always complains, so "ran" is visible in the response.
    struct Probe: Validator {
        var name = "probe"
        var match: RuleMatch
        func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation { Self.no }
        func validateUpdate(_ request: AdmissionRequest, object: JSONValue, oldObject: JSONValue) async throws -> Validation { Self.no }
        func validateDelete(_ request: AdmissionRequest, oldObject: JSONValue?) async throws -> Validation { Self.no }
        static let no = Validation(violations: [Violation(field: "", message: "probe ran")])
    }

    @Test(arguments: selectCases)
    func ruleSelection(_ c: SelectCase) async throws {
        let provider = c.namespaces.map { StaticNamespaceLabels($0) }
        let r = try await run([Probe(match: c.match)], fixture: c.fixture, endpoint: .validating, namespaceLabels: provider)
        #expect(r.report.rules.map(\.rule) == (c.runs ? ["probe"] : []))
        #expect(r.response.allowed == !c.runs)
    }

    @Test func namespaceObjectsAreMatchedOnTheirOwnLabels() {
        let ns = AdmissionRequest(uid: "u", kind: GroupVersionKind(group: "", version: "v1", kind: "Namespace"),
                                  resource: GroupVersionResource(group: "", version: "v1", resource: "namespaces"),
                                  name: "prod", operation: .create,
                                  object: ["metadata": ["name": "prod", "labels": ["env": "prod"]]])
        let m = RuleMatch(resources: [RuleMatch.Resource(group: "", resource: "namespaces")], operations: [.create],
                          namespaces: ["prod"])
        #expect(m.matchesWithoutNamespaceSelector(ns))
        #expect(RuleMatch.labels(of: ns.object ?? .null) == ["env": "prod"])
    }

    @Test func namespaceLookupHappensOncePerRequest() async throws {
        actor Counting: NamespaceLabelsProvider {
            var calls = 0
            func labels(ofNamespace name: String) async -> [String: String]? { calls += 1; return ["env": "prod"] }
        }
        let provider = Counting()
        let m = RuleMatch(resources: Self.pods, operations: [.create], namespaceSelector: Self.env)
        let engine = AdmissionEngine(rules: try RuleSet([Probe(name: "a", match: m), Probe(name: "b", match: m)]),
                                     namespaceLabels: provider)
        let r = try await run(engine, body: try Fixture.bytes("v1-pod-create-no-annotations.json"), endpoint: .validating)
        #expect(r.report.rules.count == 2)
        #expect(await provider.calls == 1)
    }
}
