import AdmissionAPI
import AdmissionService
import Foundation
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
        try registry.register(MPAPodResources.typeName, summary: MPAPodResources.summary) { try MPAPodResources(parameters: $0, state: state) }
        return registry
    }

    /// The cluster the rules read: the snapshot directory given with `--state`, or an empty
    /// snapshot (no MPAs, so pods pass unchanged) when there is none.
    static func makeClusterState(stateDirectory: String?) throws -> SnapshotClusterState {
        guard let stateDirectory else { return try SnapshotClusterState(objects: []) }
        do {
            return try SnapshotClusterState.load(directory: stateDirectory)
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
        let rules = try registry.makeRuleSet(configuration: json)
        return AdmissionEngine(rules: rules, namespaceLabels: makeNamespaceLabelsProvider(state: state))
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

/// Where `serve` gets its cluster view from, as the flags say.
enum ClusterStateOrigin: Equatable {
    /// `--state DIR`: a snapshot read once at start-up.
    case snapshot(directory: String)
    /// `--kubeconfig F`: list/watch against that cluster.
    case kubeconfig(path: String)
    /// Neither flag, inside a pod: the in-cluster service account.
    case inCluster
    /// Neither flag, outside a cluster: no objects at all (every pod passes through unchanged).
    case empty

    static func from(state: String?, kubeconfig: String?, environment: [String: String]) throws -> ClusterStateOrigin {
        switch (state, kubeconfig) {
        case (.some, .some): throw CLIError("--state and --kubeconfig are mutually exclusive")
        case (.some(let dir), nil): return .snapshot(directory: dir)
        case (nil, .some(let path)): return .kubeconfig(path: path)
        case (nil, nil):
            return (environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty ? .empty : .inCluster
        }
    }
}

extension CompositionRoot {
    /// The cluster state source for `serve`. The live (list/watch) client plugs in here for
    /// `.kubeconfig` and `.inCluster`; until it is part of the build those fail at start-up.
    static func makeClusterStateSource(_ origin: ClusterStateOrigin) throws -> any ClusterStateSource {
        switch origin {
        case .snapshot(let directory):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIError("--state \(directory): not a directory")
            }
            return StaticStateSource(summary: "snapshot \(directory)")
        case .kubeconfig(let path):
            throw CLIError("--kubeconfig \(path): live cluster state is not part of this build; use --state DIR")
        case .inCluster:
            throw CLIError("in-cluster state (no --state or --kubeconfig inside a pod) is not part of this build; use --state DIR")
        case .empty:
            return StaticStateSource(summary: "empty (no --state or --kubeconfig)")
        }
    }
}
