import AdmissionAPI
import AdmissionRules
import JSON

/// Where the executable's rules come from. Built-in rule types are registered here,
/// and nowhere else, so `serve` and `review` run exactly the same rules.
enum CompositionRoot {
    /// Every rule type the binary knows. `stateDirectory` is the cluster snapshot
    /// (`--state`) the MPA rules will read once its loader exists.
    static func makeRuleRegistry(stateDirectory: String?) throws -> RuleRegistry {
        let registry = RuleRegistry()
        // Built-in rule types are registered here, e.g.
        // try registry.register("mpa-pod-defaults", summary: "...") { params in try MPAPodDefaulter(parameters: params, state: state) }
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
        let json = try configFile.map { try loadConfigurationValue(path: $0) }
        let rules = try registry.makeRuleSet(configuration: json)
        return AdmissionEngine(rules: rules, namespaceLabels: try makeNamespaceLabelsProvider(stateDirectory: stateDirectory))
    }

    /// Reads a rules configuration file as a JSON value. JSON only for now; YAML goes through
    /// the same JSONValue once the YAML converter lands.
    static func loadConfigurationValue(path: String) throws -> JSONValue {
        let bytes = try FileInput.read(path)
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw CLIError("\(path): not JSON: \(error.description)")
        }
    }
}
