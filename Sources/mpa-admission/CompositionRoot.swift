import AdmissionAPI
import AdmissionService
import FoundationEssentials
import AdmissionRules
import BuiltinRules
import JSON
import KubeClient
import Logging
import MPA
import RuleSuites
import YAMLValue

/// Where the executable's rules come from. Built-in rule types are registered here,
/// and nowhere else, so `serve` and `review` run exactly the same rules.
enum CompositionRoot {
    /// Every rule type the binary knows, reading the cluster through `state`.
    static func makeRuleRegistry(state: any ClusterState) throws -> RuleRegistry {
        var registry = RuleRegistry()
        try registry.register(MPAPodResources.typeName, summary: MPAPodResources.summary) { try MPAPodResources(parameters: $0, state: state) }
        try registry.register(MPADefaultsRule.typeName, summary: "MPA defaulting: spec.policy.updateMode, constraints.global.minReplicas") { try MPADefaultsRule(parameters: $0) }
        try registry.register(MPAValidationRule.typeName, summary: "MPA validation: every problem with its field path (422 Invalid)") { try MPAValidationRule(parameters: $0) }
        // Generic rules (issue 10): opt-in, they need parameters; defaultResources must run before the MPA rule.
        try registry.register(RequiredLabelsRule.typeName, summary: "deny objects lacking labels", enabledByDefault: false) { try RequiredLabelsRule(parameters: $0) }
        try registry.register(PodPresetRule.typeName, summary: "inject env, envFrom, volumes, mounts", enabledByDefault: false) { try PodPresetRule(parameters: $0) }
        try registry.register(DefaultResourcesRule.typeName, summary: "default container requests/limits", enabledByDefault: false, runsBefore: ["mpaPodResources"]) { try DefaultResourcesRule(parameters: $0) }
        try registry.register(PodSecurityRule.typeName, summary: "deny privileged/host access", enabledByDefault: false) { try PodSecurityRule(parameters: $0) }
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
        try makeEngine(configFile: configFile, state: try makeClusterState(stateDirectory: stateDirectory))
    }

    /// The engine over a cluster state the caller already has (`serve` also reports its readiness).
    static func makeEngine(configFile: String?, state: any ClusterState) throws -> AdmissionEngine {
        let registry = try makeRuleRegistry(state: state)
        let bytes = try configFile.map { try FileInput.read($0) }
        let json = try configFile.flatMap { path in try bytes.map { try loadConfigurationValue(path: path, bytes: $0) } }
        let rules: RuleSet
        do {
            rules = try registry.makeRuleSet(configuration: json)
        } catch {
            // Name the file, line and column of the offending key (YAML and JSON alike).
            throw RulesConfigurationFile.locate(error, file: configFile, bytes: bytes)
        }
        return AdmissionEngine(rules: rules, namespaceLabels: makeNamespaceLabelsProvider(state: state))
    }

    /// Reads a rules configuration file (`.json` as exact JSON, anything else as YAML) as a JSON value.
    static func loadConfigurationValue(path: String, bytes: [UInt8]) throws -> JSONValue {
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
    /// The cluster state `serve` reads and the source that reports its readiness: a snapshot
    /// (ready at once), nothing (`.empty`), or the live list/watch caches for `--kubeconfig` and
    /// in-cluster (ready once the first lists are in).
    static func makeClusterState(_ origin: ClusterStateOrigin, kube: KubeClusterOptions,
                                 logger: Logger) throws -> (any ClusterState, any ClusterStateSource) {
        switch origin {
        case .snapshot(let directory):
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory else {
                throw CLIError("--state \(directory): not a directory")
            }
            let state = try makeClusterState(stateDirectory: directory)
            return (state, PollingStateSource(summary: "snapshot \(directory)", isSynced: { state.isSynced }))
        case .kubeconfig, .inCluster:
            let cluster: LiveCluster
            do {
                cluster = try kube.makeLiveCluster(logger: logger)
            } catch {
                throw CLIError("\(origin == .inCluster ? "in-cluster configuration" : "--kubeconfig"): \(error)")
            }
            return (cluster.state, LiveStateSource(cluster: cluster))
        case .empty:
            let state = try makeClusterState(stateDirectory: nil)
            return (state, PollingStateSource(summary: "empty (no --state or --kubeconfig)", isSynced: { state.isSynced }))
        }
    }
}

/// The live caches as `serve`'s state source: readiness and state metrics from the informers.
struct LiveStateSource: ClusterStateSource {
    let cluster: LiveCluster
    var summary: String { cluster.summary }

    func start(reporter: ClusterStateReporter) async throws {
        await cluster.start(events: ClusterStateEvents(
            synced: { reporter.synced($0) },
            objects: { reporter.objects(kind: $0, count: $1) },
            watchRestart: { reporter.watchRestarted(kind: $0) }))
    }

    func stop() async { await cluster.stop() }
}
