import AdmissionRules
import BuiltinRules
import Foundation
import JSON
import Testing
import YAMLValue

/// `manifests/examples/mpa-rules.yaml` lists the MPA rules with their defaults: it parses, and the
/// two object rules it configures behave exactly like their defaults.
struct ExampleConfigurationTests {
    @Test func rulesYAMLMatchesTheDefaults() throws {
        let url = Fixtures.repository.appendingPathComponent("manifests/examples/mpa-rules.yaml")
        let json = try YAMLValue.parse(bytes: [UInt8](try Data(contentsOf: url)))
        let configuration = try RulesConfiguration(json: json)
        #expect(configuration.rules.map(\.type) == ["mpaPodResources", "mpaDefaults", "mpaValidation"])
        var registry = RuleRegistry()
        try registry.register(MPADefaultsRule.typeName) { try MPADefaultsRule(parameters: $0) }
        try registry.register(MPAValidationRule.typeName) { try MPAValidationRule(parameters: $0) }
        // The pod rule lives in its own change; check the two object rules here.
        let mine = RulesConfiguration(rules: configuration.rules.filter { $0.type != "mpaPodResources" })
        let set = try registry.makeRuleSet(mine)
        #expect(set.names == ["mpaDefaults", "mpaValidation"])
        let defaults = try #require(set.entries[0].rule as? MPADefaultsRule)
        #expect(defaults.updateMode == MPADefaultsRule().updateMode && defaults.minReplicas == MPADefaultsRule().minReplicas)
        let validation = try #require(set.entries[1].rule as? MPAValidationRule)
        #expect(validation.maxRecommenders == MPAValidationRule().maxRecommenders)
        for entry in set.entries {
            #expect(entry.match.resources == MPADefaultsRule().match.resources)
            #expect(entry.match.operations == MPADefaultsRule().match.operations)
            #expect(entry.failurePolicy == .ignore)
        }
    }
}
