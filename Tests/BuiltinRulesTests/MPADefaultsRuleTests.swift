import AdmissionAPI
import AdmissionRules
import BuiltinRules
import JSON
import JSONPatch
import Testing

/// §3 MPA defaulting, each case through the real engine; every patch is applied with our
/// JSON Patch implementation and the resulting MPA compared.
struct MPADefaultsRuleTests {
    struct Row: CustomStringConvertible, Sendable {
        var name: String
        var object: JSONValue
        var operation: AdmissionOperation = .create
        var rule = MPADefaultsRule()
        /// The exact patch (JSON text), or nil for "no patch".
        var patch: String?
        /// The MPA after the patch.
        var expected: JSONValue?
        var description: String { name }
    }

    static let noGlobalMin = baseMPA.setting(["spec", "constraints", "global", "minReplicas"], nil)
    static let noPolicy = baseMPA.setting(["spec", "policy"], nil)

    static let rows: [Row] = [
        Row(name: "complete MPA is left alone", object: baseMPA, patch: nil, expected: baseMPA),
        Row(name: "policy absent (fix: /spec/policy, not /spec/updatePolicy)", object: noPolicy,
            patch: #"[{"op":"add","path":"/spec/policy","value":{"updateMode":"Auto"}}]"#,
            expected: noPolicy.setting(["spec", "policy"], ["updateMode": "Auto"])),
        Row(name: "policy null counts as absent", object: baseMPA.setting(["spec", "policy"], .null),
            patch: #"[{"op":"add","path":"/spec/policy","value":{"updateMode":"Auto"}}]"#,
            expected: baseMPA),
        Row(name: "policy without updateMode is left for validation", object: baseMPA.setting(["spec", "policy"], [:]),
            patch: nil, expected: baseMPA.setting(["spec", "policy"], [:])),
        Row(name: "global without minReplicas", object: noGlobalMin,
            patch: #"[{"op":"add","path":"/spec/constraints/global/minReplicas","value":1}]"#,
            expected: noGlobalMin.setting(["spec", "constraints", "global", "minReplicas"], 1)),
        Row(name: "minReplicas null", object: baseMPA.setting(["spec", "constraints", "global", "minReplicas"], .null),
            patch: #"[{"op":"add","path":"/spec/constraints/global/minReplicas","value":1}]"#, expected: baseMPA),
        Row(name: "both, policy first", object: noPolicy.setting(["spec", "constraints", "global", "minReplicas"], nil),
            patch: #"[{"op":"add","path":"/spec/policy","value":{"updateMode":"Auto"}},{"op":"add","path":"/spec/constraints/global/minReplicas","value":1}]"#,
            expected: noPolicy.setting(["spec", "constraints", "global", "minReplicas"], 1).setting(["spec", "policy"], ["updateMode": "Auto"])),
        Row(name: "minReplicas kept", object: baseMPA.setting(["spec", "constraints", "global", "minReplicas"], 3),
            patch: nil, expected: baseMPA.setting(["spec", "constraints", "global", "minReplicas"], 3)),
        Row(name: "no global, no minReplicas", object: baseMPA.setting(["spec", "constraints"], ["containerControlledResources": ["cpu"]]),
            patch: nil, expected: baseMPA.setting(["spec", "constraints"], ["containerControlledResources": ["cpu"]])),
        Row(name: "global not an object", object: baseMPA.setting(["spec", "constraints", "global"], "x"),
            patch: nil, expected: baseMPA.setting(["spec", "constraints", "global"], "x")),
        Row(name: "constraints not an object", object: baseMPA.setting(["spec", "constraints"], 7),
            patch: nil, expected: baseMPA.setting(["spec", "constraints"], 7)),
        Row(name: "no spec", object: baseMPA.setting(["spec"], nil), patch: nil, expected: baseMPA.setting(["spec"], nil)),
        Row(name: "spec not an object", object: baseMPA.setting(["spec"], ["a"]), patch: nil, expected: baseMPA.setting(["spec"], ["a"])),
        Row(name: "UPDATE is defaulted too", object: noPolicy, operation: .update,
            patch: #"[{"op":"add","path":"/spec/policy","value":{"updateMode":"Auto"}}]"#,
            expected: noPolicy.setting(["spec", "policy"], ["updateMode": "Auto"])),
        Row(name: "configured defaults", object: noPolicy.setting(["spec", "constraints", "global", "minReplicas"], nil),
            rule: MPADefaultsRule(updateMode: .initial, minReplicas: 2),
            patch: #"[{"op":"add","path":"/spec/policy","value":{"updateMode":"Initial"}},{"op":"add","path":"/spec/constraints/global/minReplicas","value":2}]"#,
            expected: noPolicy.setting(["spec", "constraints", "global", "minReplicas"], 2).setting(["spec", "policy"], ["updateMode": "Initial"])),
    ]

    @Test(arguments: rows)
    func defaults(_ row: Row) async throws {
        let old = row.operation == .update ? baseMPA : nil
        let run = try await runEngine([row.rule], body: mpaReview(row.object, operation: row.operation, oldObject: old), endpoint: .mutating)
        #expect(run.response.allowed)
        if let patch = row.patch {
            #expect(String(decoding: JSONPatch.encode(run.response.patch), as: UTF8.self) == patch)
            #expect(run.json["response"]?["patchType"] == "JSONPatch")
        } else {
            #expect(run.response.patch.isEmpty)
            #expect(run.json["response"]?["patch"] == nil)
        }
        #expect(try run.patched() == row.expected)
    }

    @Test func deleteIsNotDefaulted() async throws {
        let run = try await runEngine([MPADefaultsRule()], body: mpaReview(Self.noPolicy, operation: .delete, oldObject: Self.noPolicy),
                                      endpoint: .mutating)
        #expect(run.response.allowed && run.response.patch.isEmpty)
    }

    @Test func podsAreNotMatched() {
        let rule = MPADefaultsRule()
        #expect(rule.match.resources.map(\.resource) == ["multidimpodautoscalers"])
        #expect(rule.match.resources.map(\.group) == ["autoscaling.k8s.io"])
        #expect(rule.match.operations == [.create, .update])
    }

    @Test(arguments: [
        (#"{}"#, nil as String?),
        (#"{"updateMode":"Recreate","minReplicas":3}"#, nil),
        (#"{"updateMode":"auto"}"#, "updateMode"),
        (#"{"minReplicas":0}"#, "minReplicas"),
        (#"{"minReplicas":"1"}"#, "minReplicas"),
        (#"{"replicas":1}"#, "replicas"),
    ])
    func parameters(_ json: String, _ errorPath: String?) throws {
        let value = try JSONParser.parse(json)
        if let errorPath {
            do {
                _ = try MPADefaultsRule(parameters: value)
                Issue.record("expected a configuration error")
            } catch {
                #expect(error.path == errorPath, "\(error)")
            }
        } else {
            #expect(throws: Never.self) { _ = try MPADefaultsRule(parameters: value) }
        }
    }
}
