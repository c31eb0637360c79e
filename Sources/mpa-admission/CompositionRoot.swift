import AdmissionAPI
import AdmissionService
import Foundation
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
