import AdmissionAPI
import AdmissionRules
import BuiltinRules
import JSON
import RuleSuites

/// Where the executable's rules come from. Built-in rule types are registered here,
/// and nowhere else, so `serve` and `review` run exactly the same rules.
enum CompositionRoot {
    /// Every rule type the binary knows. `stateDirectory` is the cluster snapshot
    /// (`--state`) the MPA rules will read once its loader exists.
    static func makeRuleRegistry(stateDirectory: String?) throws -> RuleRegistry {
        var registry = RuleRegistry()
        // Built-in rule types are registered here, e.g.
        // try registry.register("mpa-pod-defaults", summary: "...") { params in try MPAPodDefaulter(parameters: params, state: state) }
        // Generic rules (issue 10): opt-in, they need parameters; defaultResources must run before the MPA rule.
        try registry.register(RequiredLabelsRule.typeName, summary: "deny objects lacking labels", enabledByDefault: false) { try RequiredLabelsRule(parameters: $0) }
        try registry.register(PodPresetRule.typeName, summary: "inject env, envFrom, volumes, mounts", enabledByDefault: false) { try PodPresetRule(parameters: $0) }
        try registry.register(DefaultResourcesRule.typeName, summary: "default container requests/limits", enabledByDefault: false, runsBefore: ["mpaPodResources"]) { try DefaultResourcesRule(parameters: $0) }
        try registry.register(PodSecurityRule.typeName, summary: "deny privileged/host access", enabledByDefault: false) { try PodSecurityRule(parameters: $0) }
        _ = stateDirectory
        return registry
    }

    /// Namespace labels for `namespaceSelector` matching; nil until a cluster-state source is wired.
    static func makeNamespaceLabelsProvider(stateDirectory: String?) throws -> (any NamespaceLabelsProvider)? {
        _ = stateDirectory
        return nil
    }

    /// The engine for a rules configuration file (nil = every registered rule with its defaults).
    static func makeEngine(configFile: String?, stateDirectory: String?) throws -> AdmissionEngine {
        let registry = try makeRuleRegistry(stateDirectory: stateDirectory)
        let rules = try RulesConfigurationFile.makeRuleSet(registry, file: configFile)
        return AdmissionEngine(rules: rules, namespaceLabels: try makeNamespaceLabelsProvider(stateDirectory: stateDirectory))
    }
}
