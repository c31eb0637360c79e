import AdmissionAPI
import AdmissionRules
import BuiltinRules
import JSON
import MPA
import YAMLValue

/// Where the executable's rules come from. Built-in rule types are registered here,
/// and nowhere else, so `serve` and `review` run exactly the same rules.
enum CompositionRoot {
    /// Every rule type the binary knows, reading the cluster through `state`.
    static func makeRuleRegistry(state: any ClusterState) throws -> RuleRegistry {
        var registry = RuleRegistry()
        try registry.register(MPADefaultsRule.typeName, summary: "MPA defaulting: spec.policy.updateMode, constraints.global.minReplicas") { try MPADefaultsRule(parameters: $0) }
        try registry.register(MPAValidationRule.typeName, summary: "MPA validation: every problem with its field path (422 Invalid)") { try MPAValidationRule(parameters: $0) }
        _ = state
        return registry
    }

    /// The cluster the rules read: the snapshot directory given with `--state`, or an empty
    /// snapshot (no MPAs, so pods pass unchanged) when there is none.
    static func makeClusterState(stateDirectory: String?) throws -> SnapshotClusterState {
        guard let stateDirectory else { return try SnapshotClusterState(objects: []) }
        do {
            let state = try SnapshotClusterState.load(directory: stateDirectory)
            for warning in state.warnings { StandardStreams.writeErr("warning: --state: \(warning)") }
            return state
        } catch {
            throw CLIError("--state: \(error.description)")
        }
    }

    /// Namespace labels for `namespaceSelector` matching, from the cluster state.
    static func makeNamespaceLabelsProvider(state: any ClusterState) -> any NamespaceLabelsProvider {
        ClusterStateNamespaceLabels(state)
    }

    /// The engine for a rules configuration file (nil = every registered rule with its defaults).
    static func makeEngine(configFile: String?, stateDirectory: String?) throws -> AdmissionEngine {
        let state = try makeClusterState(stateDirectory: stateDirectory)
        let registry = try makeRuleRegistry(state: state)
        let json = try configFile.map { try loadConfigurationValue(path: $0) }
        let rules: RuleSet
        do {
            rules = try registry.makeRuleSet(configuration: json)
        } catch {
            throw CLIError(describe(error, configFile: configFile))
        }
        return AdmissionEngine(rules: rules, namespaceLabels: makeNamespaceLabelsProvider(state: state))
    }

    /// `file:line:column: path: message` for a configuration error (the position of `path`
    /// looked up in the file, which JSON or YAML alike the YAML reader can locate).
    static func describe(_ error: ConfigurationError, configFile: String?) -> String {
        guard let configFile else { return "built-in configuration: \(error.description)" }
        var at = configFile
        if let bytes = try? FileInput.read(configFile),
           let position = YAMLValue.location(ofFieldPath: error.path, in: String(decoding: bytes, as: UTF8.self)) {
            at += ":\(position.line):\(position.column)"
        }
        return "\(at): \(error.description)"
    }

    /// Reads a rules configuration file (`.json` as exact JSON, anything else as YAML) as a JSON value.
    static func loadConfigurationValue(path: String) throws -> JSONValue {
        let bytes = try FileInput.read(path)
        if path.hasSuffix(".json") {
            do {
                return try JSONParser.parse(bytes)
            } catch {
                throw CLIError("\(path):\(error.line):\(error.column): not JSON: \(error.message)")
            }
        }
        do {
            return try YAMLValue.parse(bytes: bytes)
        } catch {
            let at = error.line.map { ":\($0)" + (error.column.map { ":\($0)" } ?? "") } ?? ""
            let field = error.path.isEmpty ? "" : " \(error.path):"
            throw CLIError("\(path)\(at):\(field) \(error.message)")
        }
    }
}
