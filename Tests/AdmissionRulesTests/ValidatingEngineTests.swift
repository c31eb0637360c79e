import AdmissionAPI
import AdmissionRules
import JSON
import Testing

struct ValidatingEngineTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var fixture: String
        var allowed: Bool
        var message: String?
        var causes: [String]
        var testDescription: String { fixture }
    }

    static let cases: [Case] = [
        // Untagged image and no team label: two violations, one denial.
        Case(fixture: "v1beta1-pod-create.json", allowed: false,
             message: #"Pod "legacy-1" is invalid: [spec.containers[0].image: Invalid value: "busybox": must name a fixed tag, metadata.labels.team: Required value]"#,
             causes: ["spec.containers[0].image", "metadata.labels.team"]),
        // Only the missing label: the single-violation form has no brackets.
        Case(fixture: "v1-pod-create-no-annotations.json", allowed: false,
             message: #"Pod "web-0" is invalid: metadata.labels.team: Required value"#,
             causes: ["metadata.labels.team"]),
        // No name yet: the generateName stands in.
        Case(fixture: "v1-pod-generatename.json", allowed: false,
             message: #"Pod "web-5d8c7b-" is invalid: [spec.containers[0].image: Invalid value: "web:latest": must name a fixed tag, metadata.labels.team: Required value]"#,
             causes: ["spec.containers[0].image", "metadata.labels.team"]),
        Case(fixture: "v1-pod-update.json", allowed: false,
             message: #"Pod "web-0" is invalid: [spec.containers[0].image: Invalid value: "nginx:latest": must name a fixed tag, metadata.labels.team: Required value]"#,
             causes: ["spec.containers[0].image", "metadata.labels.team"]),
        // DELETE of an unprotected pod: validateDelete is valid.
        Case(fixture: "v1-pod-delete-null-object.json", allowed: true, message: nil, causes: []),
    ]

    @Test(arguments: cases)
    func allViolationsBecomeOneDenial(_ c: Case) async throws {
        let r = try await run([ImagePolicyValidator()], fixture: c.fixture, endpoint: .validating)
        #expect(r.response.allowed == c.allowed)
        let status = r.json["response"]?["status"]
        if c.allowed {
            #expect(status == nil)
            #expect(r.report.decision == .allowed)
        } else {
            #expect(r.report.decision == .denied)
            #expect(status?["code"] == 422)
            #expect(status?["reason"] == "Invalid")
            #expect(status?["message"]?.stringValue == c.message)
            #expect(status?["details"]?["kind"] == "Pod")
            let fields = status?["details"]?["causes"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
            #expect(fields == c.causes)
            #expect(r.json["response"]?["warnings"] == .array([.string("image policy: \(c.causes.count) problem(s)")]))
        }
        #expect(r.json["response"]?["patch"] == nil)
    }

    @Test func violationsOfSeveralRulesAreMergedInRuleOrder() async throws {
        let rules: [any AdmissionRule] = [ImagePolicyValidator(), ImagePolicyValidator(name: "image-policy-2")]
        let r = try await run(rules, fixture: "v1-pod-update.json", endpoint: .validating)
        #expect(r.report.rules.map(\.rule) == ["image-policy", "image-policy-2"])
        #expect(r.json["response"]?["status"]?["details"]?["causes"]?.arrayValue?.count == 4)
    }

    @Test func deleteUsesTheOldObject() async throws {
        var body = String(decoding: try Fixture.bytes("v1-pod-delete-null-object.json"), as: UTF8.self)
        body = body.replacingOccurrences(of: #""labels":{"app":"web"}"#, with: #""labels":{"app":"web","protected":"true"}"#)
        let engine = AdmissionEngine(rules: try RuleSet([ImagePolicyValidator()]))
        let r = try await run(engine, body: Array(body.utf8), endpoint: .validating)
        #expect(!r.response.allowed)
        #expect(r.json["response"]?["status"]?["message"] == #"Pod "web-0" is invalid: metadata.labels.protected: protected pods cannot be deleted"#)
        #expect(r.json["response"]?["status"]?["details"]?["causes"]?[0]?["reason"] == "FieldValueForbidden")
    }

    @Test func mutatingEndpointDoesNotRunValidators() async throws {
        let r = try await run([ImagePolicyValidator()], fixture: "v1beta1-pod-create.json", endpoint: .mutating)
        #expect(r.response.allowed)
        #expect(r.report.rules.isEmpty)
    }
}
