import AdmissionAPI
import AdmissionRules
import JSON
import JSONPatch
@testable import RuleSuites
import Testing

/// Adds `seen: yes` to pods in namespaces labelled env=prod.
struct LabelIt: Defaulter {
    var name = "label-it"
    var match = RuleMatch(resources: [RuleMatch.Resource(group: "", resource: "pods")], operations: [.create],
                          namespaceSelector: LabelSelector(matchLabels: ["env": "prod"]))
    func `default`(_ request: AdmissionRequest, object: JSONValue) async throws -> Defaulting {
        var b = ObjectPatchBuilder(object)
        try b.setLabel("seen", "yes")
        return Defaulting(change: .patch(b.operations))
    }
}

/// Requires a `team` label in namespace prod.
struct NeedsTeam: Validator {
    var name = "needs-team"
    var match = RuleMatch(resources: [RuleMatch.Resource(group: "", resource: "pods")], operations: [.create],
                          namespaces: ["prod"])
    func validateCreate(_ request: AdmissionRequest, object: JSONValue) async throws -> Validation {
        guard object["metadata"]?["labels"]?["team"] == nil else { return .valid }
        return Validation(violations: [Violation(field: "metadata.labels[team]", message: "label \"team\" is required")])
    }
}

struct SuiteRunnerTests {
    static func runner(failing: Bool = false) -> SuiteRunner {
        SuiteRunner { config, state in
            #expect(config?.hasSuffix("runner/any.yaml") == true)
            #expect(state == nil)
            struct NoConfig: Error {}
            if failing { throw NoConfig() }
            return AdmissionEngine(rules: try RuleSet([LabelIt(), NeedsTeam()]))
        }
    }

    @Test func passesAndFailsWithReadableReasons() async throws {
        let suite = try SuiteLoader.load(Fixtures.path("runner/suite.yaml"))
        let results = await Self.runner().run(suite)
        #expect(results.map(\.passed) == [true, false, true, true])
        #expect(results[0].rules == "label-it=patched,needs-team=valid")
        let wrong = results[1].failures
        #expect(wrong == [
            "expected allowed, got denied: 422 Invalid: Pod \"q\" is invalid: metadata.labels[team]: label \"team\" is required",
            "expected status code 403, got 422",
            "expected 1 warning(s), got 0: []",
            "expected 5 patch operation(s), got 2",
            "patched object /metadata/labels/seen: expected \"no\", got \"yes\"",
            "patched object /metadata/labels/team: missing, expected \"x\"",
            "patched object /spec: missing, expected [1]",
            "rule label-it: expected unchanged, got patched",
            "rule needs-team: expected not run, got violations",
        ])
        let text = SuiteReport.render(results)
        #expect(text.hasSuffix("3 passed, 1 failed\n"))
        #expect(text.contains("FAIL runner / wrong on purpose (line 12)\n  - expected allowed, got denied"))
    }

    @Test func anEngineThatCannotBeBuiltFailsEveryCase() async throws {
        let suite = try SuiteLoader.load(Fixtures.path("runner/suite.yaml"))
        let results = await Self.runner(failing: true).run(suite)
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0.failures.first?.hasPrefix("cannot build the rules") == true })
    }
}
