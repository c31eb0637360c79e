/// Identifies an object: `apiVersion`, `kind`, `namespace` (empty for cluster-scoped) and `name`.
///
/// Equality and hashing use the API *group* (not the version), kind, namespace and name:
/// `apps/v1` and `apps/v1beta2` name the same Deployment.
public struct ObjectKey: Sendable, Hashable, CustomStringConvertible {
    public var apiVersion: String {
        didSet { group = Self.group(ofAPIVersion: apiVersion) }
    }
    public var kind: String
    public var namespace: String
    public var name: String
    /// The group of `apiVersion` (`apps/v1` → `apps`, `v1` or empty → core `""`), split off
    /// once: keys are hashed and compared on every cluster-state look-up.
    public private(set) var group: String

    public init(apiVersion: String, kind: String, namespace: String, name: String) {
        self.apiVersion = apiVersion; self.kind = kind; self.namespace = namespace; self.name = name
        self.group = Self.group(ofAPIVersion: apiVersion)
    }

    /// The version of `apiVersion` (`apps/v1` → `v1`, `v1` → `v1`).
    public var version: String {
        guard let slash = apiVersion.lastIndex(of: "/") else { return apiVersion }
        return String(apiVersion[apiVersion.index(after: slash)...])
    }

    public static func group(ofAPIVersion apiVersion: String) -> String {
        // A byte scan: `/` is ASCII, so its UTF-8 index is a valid String index.
        let utf8 = apiVersion.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(apiVersion[..<slash])
    }

    public static func == (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        lhs.name == rhs.name && lhs.namespace == rhs.namespace && lhs.kind == rhs.kind && lhs.group == rhs.group
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(group); hasher.combine(kind); hasher.combine(namespace); hasher.combine(name)
    }

    /// `Deployment.apps default/hamster` (core kinds without a group suffix).
    public var description: String {
        let g = group
        let kindPart = g.isEmpty ? kind : "\(kind).\(g)"
        return namespace.isEmpty ? "\(kindPart) \(name)" : "\(kindPart) \(namespace)/\(name)"
    }
}

/// The well-known workload controllers and the API groups they are served in (§2.1, §5).
public enum WellKnownController: String, Sendable, CaseIterable {
    case deployment = "Deployment"
    case replicaSet = "ReplicaSet"
    case statefulSet = "StatefulSet"
    case daemonSet = "DaemonSet"
    case job = "Job"
    case cronJob = "CronJob"
    case replicationController = "ReplicationController"

    public var groups: Set<String> {
        switch self {
        case .deployment, .replicaSet, .daemonSet: return ["apps", "extensions"]
        case .statefulSet: return ["apps"]
        case .job, .cronJob: return ["batch"]
        case .replicationController: return [""]
        }
    }

    /// Whether the controller is served in `group` (`groups.contains(group)` without building the set).
    public func isServed(in group: String) -> Bool {
        switch self {
        case .deployment, .replicaSet, .daemonSet: return group == "apps" || group == "extensions"
        case .statefulSet: return group == "apps"
        case .job, .cronJob: return group == "batch"
        case .replicationController: return group.isEmpty
        }
    }

    /// The controller named by `kind` in `group`, nil for anything else.
    public init?(kind: String, group: String) {
        guard let c = WellKnownController(rawValue: kind), c.isServed(in: group) else { return nil }
        self = c
    }
}
