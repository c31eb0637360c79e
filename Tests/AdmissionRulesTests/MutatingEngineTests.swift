import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch
import Testing

struct MutatingEngineTests {
    struct PatchCase: Sendable, CustomTestStringConvertible {
        var fixture: String
        var key: String
        var expectedPatch: String
        var testDescription: String { "\(fixture) \(key)" }
    }

    // The classic bug: without metadata.annotations the patch must create it (`{}` first, then
    // the member); with annotations it must add one member and never replace the map.
    static let annotationCases: [PatchCase] = [
        PatchCase(fixture: "v1-pod-create-no-annotations.json", key: "mpa.k8s.io/managed",
                  expectedPatch: #"[{"op":"add","path":"/metadata/annotations","value":{}},{"op":"add","path":"/metadata/annotations/mpa.k8s.io~1managed","value":"true"}]"#),
        PatchCase(fixture: "v1-pod-create-with-annotations.json", key: "mpa.k8s.io/managed",
                  expectedPatch: #"[{"op":"add","path":"/metadata/annotations/mpa.k8s.io~1managed","value":"true"}]"#),
        PatchCase(fixture: "v1-pod-create-with-annotations.json", key: "a~b/c",
                  expectedPatch: #"[{"op":"add","path":"/metadata/annotations/a~0b~1c","value":"true"}]"#),
        PatchCase(fixture: "v1beta1-pod-create.json", key: "k",
                  expectedPatch: #"[{"op":"add","path":"/metadata/annotations","value":{}},{"op":"add","path":"/metadata/annotations/k","value":"true"}]"#),
        PatchCase(fixture: "v1-pod-generatename.json", key: "k",
                  expectedPatch: #"[{"op":"add","path":"/metadata/annotations","value":{}},{"op":"add","path":"/metadata/annotations/k","value":"true"}]"#),
    ]

    @Test(arguments: annotationCases)
    func annotationPatchAppliesToTheSentObject(_ c: PatchCase) async throws {
        let r = try await run([AnnotateDefaulter(key: c.key)], fixture: c.fixture, endpoint: .mutating)
        #expect(r.patchText == c.expectedPatch)
        #expect(r.report.decision == .patched)
        #expect(r.json["apiVersion"]?.stringValue == r.review.version.rawValue)
        #expect(r.json["response"]?["patchType"] == "JSONPatch")
        let before = r.review.request.object?["metadata"]?["annotations"]?.objectValue ?? JSONObject()
        let after = r.patchedObject?["metadata"]?["annotations"]?.objectValue
        #expect(after?[c.key] == "true")
        for m in before { #expect(after?[m.key] == m.value, "existing annotation \(m.key) lost") }
    }

    @Test func builderCreatesTheParentFirst() throws {
        let pod = try Fixture.request("v1-pod-create-no-annotations.json").object ?? .null
        var b = ObjectPatchBuilder(pod)
        try b.setAnnotation("x/y", "1")
        try b.setAnnotation("z", "2")
        #expect(b.operations == [
            .add(path: JSONPointer(tokens: ["metadata", "annotations"]), value: .object(JSONObject())),
            .add(path: JSONPointer(tokens: ["metadata", "annotations", "x/y"]), value: "1"),
            .add(path: JSONPointer(tokens: ["metadata", "annotations", "z"]), value: "2"),
        ])
        #expect(try JSONPatch.apply(b.operations, to: pod) == b.object)
        #expect(try b.setIfAbsent("3", at: JSONPointer(tokens: ["metadata", "annotations", "z"])) == false)
    }

    @Test(arguments: [
        ("v1-pod-create-no-annotations.json", false),
        ("v1-pod-create-with-annotations.json", true),
    ])
    func naiveParentlessPatchIsARuleErrorNotABrokenResponse(_ fixture: String, _ applies: Bool) async throws {
        let r = try await run([NaiveAnnotateDefaulter()], fixture: fixture, endpoint: .mutating)
        #expect(r.response.allowed)
        if applies {
            #expect(r.patchText == #"[{"op":"add","path":"/metadata/annotations/naive","value":"1"}]"#)
        } else {
            #expect(r.response.patch.isEmpty)
            #expect(r.report.failedRules.map(\.rule) == ["naive-annotate"])
        }
    }

    @Test func defaultersRunInOrderOnTheirPredecessorsResult() async throws {
        let r = try await run([AnnotateDefaulter(), WholeObjectDefaulter()], fixture: "v1-pod-create-no-annotations.json",
                              endpoint: .mutating)
        #expect(r.report.rules.map(\.rule) == ["annotate", "whole-object"])
        #expect(r.report.rules.map(\.result.label) == ["patched", "patched"])
        let pod = r.patchedObject
        #expect(pod?["metadata"]?["labels"]?["mpa-managed"] == "true")  // saw the first rule's annotation
        #expect(pod?["metadata"]?["labels"]?["app"] == "web")
        #expect(pod?["spec"]?["containers"]?[0]?["resources"]?["limits"] == ["cpu": "1"])
        #expect(pod?["spec"]?["containers"]?[0]?["resources"]?["requests"]?["cpu"] == "100m")
        #expect(r.json["response"]?["auditAnnotations"] == ["annotated": "mpa.k8s.io/managed"])
        // One patch, diffed against the sent object: deterministic across runs.
        let again = try await run([AnnotateDefaulter(), WholeObjectDefaulter()], fixture: "v1-pod-create-no-annotations.json",
                                  endpoint: .mutating)
        #expect(again.bytes == r.bytes)
    }

    @Test func unchangedObjectGivesNoPatch() async throws {
        let r = try await run([AnnotateDefaulter(key: "prometheus.io/scrape")], fixture: "v1-pod-create-with-annotations.json",
                              endpoint: .mutating)
        #expect(r.response.patch.isEmpty)
        #expect(r.json["response"]?["patch"] == nil)
        #expect(r.report.decision == .allowed)
        #expect(r.report.rules.map(\.result) == [.unchanged])
    }

    @Test func deleteNeverGetsAPatch() async throws {
        let defaulter = AnnotateDefaulter(match: podsAll)
        let r = try await run([defaulter], fixture: "v1-pod-delete-null-object.json", endpoint: .mutating)
        #expect(r.response.allowed)
        #expect(r.json["response"]?["patch"] == nil && r.json["response"]?["patchType"] == nil)
        #expect(r.report.rules.isEmpty)
        #expect(r.report.notes == ["DELETE: defaulters not run, no patch"])
    }

    @Test func validatingEndpointNeverRunsDefaultersOrPatches() async throws {
        let r = try await run([AnnotateDefaulter(), WholeObjectDefaulter()], fixture: "v1-pod-create-no-annotations.json",
                              endpoint: .validating)
        #expect(r.response.allowed && r.response.patch.isEmpty)
        #expect(r.json["response"]?["patch"] == nil)
        #expect(r.report.rules.isEmpty)
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        var policy: FailurePolicy
        var endpoint: AdmissionEndpoint
        var allowed: Bool
        var code: Int64?
        var testDescription: String { "\(policy.rawValue) on \(endpoint.rawValue)" }
    }

    @Test(arguments: [
        FailureCase(policy: .ignore, endpoint: .mutating, allowed: true, code: nil),
        FailureCase(policy: .fail, endpoint: .mutating, allowed: false, code: 500),
        FailureCase(policy: .ignore, endpoint: .validating, allowed: true, code: nil),
        FailureCase(policy: .fail, endpoint: .validating, allowed: false, code: 500),
    ])
    func throwingRuleFollowsItsFailurePolicy(_ c: FailureCase) async throws {
        let rules: [any AdmissionRule] = [AnnotateDefaulter(), ThrowingRule(failurePolicy: c.policy)]
        let r = try await run(rules, fixture: "v1-pod-create-no-annotations.json", endpoint: c.endpoint)
        #expect(r.response.allowed == c.allowed)
        #expect(r.report.failedRules.map(\.rule) == ["boom"])
        #expect(r.report.failedRules.first?.result == .failed(message: "cluster state unavailable retry later", policy: c.policy))
        if c.allowed {
            // Ignore: the request goes on without the failing rule's changes, others still apply.
            #expect(r.response.patch.isEmpty == (c.endpoint == .validating))
        } else {
            #expect(r.report.decision == .errored)
            #expect(r.json["response"]?["status"]?["code"]?.int64Value == c.code)
            #expect(r.json["response"]?["status"]?["reason"] == "InternalError")
            #expect(r.json["response"]?["status"]?["message"] == "rule \"boom\" failed: cluster state unavailable retry later")
            #expect(r.json["response"]?["patch"] == nil)
        }
    }

    @Test(arguments: [
        (JSONValue.array([]), "produced an array instead of an object"),
        (JSONValue(dictionaryLiteral: ("apiVersion", "v1"), ("kind", "Service"), ("metadata", [:])), "changed kind, which a webhook must not do"),
    ])
    func unusableDefaulterResultsAreRuleErrors(_ result: JSONValue, _ message: String) async throws {
        let r = try await run([BadShapeDefaulter(result: result), AnnotateDefaulter()],
                              fixture: "v1-pod-create-no-annotations.json", endpoint: .mutating)
        #expect(r.report.rules.first?.result == .failed(message: message, policy: .ignore))
        #expect(r.response.allowed)
        #expect(r.patchText == #"[{"op":"add","path":"/metadata/annotations","value":{}},{"op":"add","path":"/metadata/annotations/mpa.k8s.io~1managed","value":"true"}]"#)
    }

    @Test func warningsAreCollectedAndSanitised() async throws {
        let long = String(repeating: "x", count: 300)
        let r = try await run([AnnotateDefaulter(warning: long), AnnotateDefaulter(name: "second", key: "b", warning: "tab\there")],
                              fixture: "v1-pod-create-no-annotations.json", endpoint: .mutating)
        let warnings = r.json["response"]?["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(warnings.count == 2)
        #expect(warnings.first?.utf8.count == 256)
        #expect(warnings.last == "tab here")
        #expect(r.report.sanitization.warningsTruncated == 1)
        #expect(r.report.sanitization.warningsCleaned == 1)
    }
}
