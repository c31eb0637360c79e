/// An API resource a client lists, watches or gets: group/version, plural name, kind, scope.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var version: String
    /// Plural resource name used in paths (`multidimpodautoscalers`).
    public var resource: String
    public var kind: String
    public var namespaced: Bool

    public init(group: String, version: String, resource: String, kind: String, namespaced: Bool) {
        self.group = group; self.version = version; self.resource = resource
        self.kind = kind; self.namespaced = namespaced
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `/api/v1` or `/apis/<group>/<version>`.
    public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The collection, across all namespaces when `namespace` is nil (or the resource is cluster-scoped).
    public func collectionPath(namespace: String?) -> String {
        if namespaced, let namespace {
            return "\(groupVersionPath)/namespaces/\(URLEncoding.component(namespace))/\(resource)"
        }
        return "\(groupVersionPath)/\(resource)"
    }

    public func objectPath(namespace: String, name: String) -> String {
        collectionPath(namespace: namespaced ? namespace : nil) + "/" + URLEncoding.component(name)
    }

    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }

    public static let multidimPodAutoscalers = ResourceType(
        group: "autoscaling.k8s.io", version: "v1alpha1", resource: "multidimpodautoscalers",
        kind: "MultidimPodAutoscaler", namespaced: true)
    public static let limitRanges = ResourceType(group: "", version: "v1", resource: "limitranges",
                                                 kind: "LimitRange", namespaced: true)
    public static let namespaces = ResourceType(group: "", version: "v1", resource: "namespaces",
                                                kind: "Namespace", namespaced: false)
    public static let mutatingWebhookConfigurations = ResourceType(
        group: "admissionregistration.k8s.io", version: "v1", resource: "mutatingwebhookconfigurations",
        kind: "MutatingWebhookConfiguration", namespaced: false)
    public static let validatingWebhookConfigurations = ResourceType(
        group: "admissionregistration.k8s.io", version: "v1", resource: "validatingwebhookconfigurations",
        kind: "ValidatingWebhookConfiguration", namespaced: false)

    /// The workload controllers pods are owned by, at the version every supported cluster serves.
    public static let wellKnownControllers: [String: ResourceType] = [
        "ReplicaSet": ResourceType(group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet", namespaced: true),
        "Deployment": ResourceType(group: "apps", version: "v1", resource: "deployments", kind: "Deployment", namespaced: true),
        "StatefulSet": ResourceType(group: "apps", version: "v1", resource: "statefulsets", kind: "StatefulSet", namespaced: true),
        "DaemonSet": ResourceType(group: "apps", version: "v1", resource: "daemonsets", kind: "DaemonSet", namespaced: true),
        "Job": ResourceType(group: "batch", version: "v1", resource: "jobs", kind: "Job", namespaced: true),
        "CronJob": ResourceType(group: "batch", version: "v1", resource: "cronjobs", kind: "CronJob", namespaced: true),
        "ReplicationController": ResourceType(group: "", version: "v1", resource: "replicationcontrollers",
                                              kind: "ReplicationController", namespaced: true),
    ]
}

/// Which namespaces the caches hold: all, one (`--mpa-namespace`), or all but some (`--ignored-namespaces`).
public struct NamespaceScope: Sendable, Equatable {
    public var only: String?
    public var ignored: Set<String>

    public init(only: String? = nil, ignored: Set<String> = []) {
        self.only = only?.isEmpty == true ? nil : only
        self.ignored = ignored
    }

    public static let all = NamespaceScope()

    public func includes(_ namespace: String) -> Bool {
        if let only { return namespace == only }
        return !ignored.contains(namespace)
    }
}
