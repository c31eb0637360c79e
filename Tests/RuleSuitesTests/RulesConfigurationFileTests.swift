import AdmissionRules
import JSON
import RuleSuites
import Testing

struct RulesConfigurationFileTests {
    static func registry() throws -> RuleRegistry {
        var r = RuleRegistry()
        try r.register("label-it") { _ in LabelIt() }
        try r.register("needs-team") { p in
            _ = try ParameterReader(p, allowedKeys: ["label"])
            return NeedsTeam()
        }
        return r
    }

    static let broken: [(String, String)] = [
        ("unknown-rule-key.yaml", "unknown-rule-key.yaml:5:5: rules[1].mtach: unknown key"),
        ("bad-operation.yaml", "bad-operation.yaml:6:11: rules[0].match.operations[1]: \"create\" is not one of"),
        ("unknown-type.yaml", "unknown-type.yaml:3:11: rules[0].type: unknown rule type \"lable-it\" (known: label-it, needs-team)"),
        ("bad-parameter.yaml", "bad-parameter.yaml:5:7: rules[0].parameters.extra: unknown key; expected one of label"),
        ("dotted-key.yaml", "dotted-key.yaml:7:9: rules[0].match.objectSelector.matchExpression: unknown key"),
        ("not-yaml.yaml", "not-yaml.yaml: line 3"),
        ("absent.yaml", "absent.yaml: cannot read file"),
    ]

    @Test func errorsNameFileLineColumnAndKey() throws {
        let registry = try Self.registry()
        for (file, expected) in Self.broken {
            let path = Fixtures.path("config/" + file)
            do {
                _ = try RulesConfigurationFile.makeRuleSet(registry, file: path)
                Issue.record("\(file) accepted")
            } catch {
                #expect(String(describing: error) == path.dropLast(file.count) + expected
                        || String(describing: error).hasPrefix(path.dropLast(file.count) + expected), "\(error)")
            }
        }
    }

    @Test func goodFileBuildsTheRulesInOrder() throws {
        let set = try RulesConfigurationFile.makeRuleSet(try Self.registry(), file: Fixtures.path("config/good.yaml"))
        #expect(set.names == ["label-it", "team-check"])
        #expect(set.entries[0].match.namespaces == ["prod"])
        #expect(set.entries[1].failurePolicy == .fail)
        let defaults = try RulesConfigurationFile.makeRuleSet(try Self.registry(), file: nil)
        #expect(defaults.names == ["label-it", "needs-team"])
    }
}
