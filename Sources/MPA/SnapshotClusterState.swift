import JSON

/// Cluster state read from a snapshot: a directory of manifests (the `--state` option, the
/// `review` command, `run-local` and tests) or a list of objects in memory.
///
/// - Files: `*.yaml`, `*.yml` (multi-document) and `*.json`, found recursively in sorted
///   order; hidden entries (`.git`, Kubernetes' `..data` mount links) are skipped.
/// - Each document is an object or a list (`kind: List` or `*List` with `items`); items of a
///   typed list without `kind`/`apiVersion` get them from the list (`DeploymentList` → `Deployment`).
/// - Documents that are not cluster objects are skipped: no
///   `apiVersion`, `kind` and `metadata` at all (a rules configuration), or an
///   `AdmissionReview`/`Kustomization`/`Config`/`Status` without `metadata.name`. So example
///   reviews and `rules.yaml` can live in the state directory. Anything else missing
///   `kind`, `apiVersion` or `metadata.name` is an error. They are listed in `skipped`.
/// - Namespaced objects without `metadata.namespace` are in `default`; a small set of
///   cluster-scoped kinds (Namespace, Node, ...) has no namespace.
/// - Every object is kept by key (any kind); MPAs, LimitRanges and Namespaces are also indexed.
///   Two objects with the same key are an error naming both places.
/// - `scaleSelector`: the object's `spec.selector` formatted like `scale.status.selector`
///   (label-selector objects and plain selector maps), else its `status.selector` string;
///   nil for kinds that have no `scale` subresource (DaemonSet, Job, CronJob) and objects without either.
/// - `namespaceLabels`: a Namespace object's labels plus `kubernetes.io/metadata.name`
///   (which the apiserver sets on every namespace); namespaces only implied by objects get
///   just that label; unknown namespaces are nil.
/// - A bad file is a `SnapshotError` with the file, line (and column) and field path.
///   Quantities in an MPA that do not parse are not an error here (see
///   `MultidimPodAutoscaler.problems`); they are listed in `warnings`.
public struct SnapshotClusterState: ClusterState {
    public static let namespaceNameLabel = "kubernetes.io/metadata.name"

    let index: SnapshotIndex

    public var isSynced: Bool { true }
    /// Problems that did not stop loading (bad quantities in MPAs), one line each with its source.
    public var warnings: [String] { index.warnings }
    /// Documents that were not cluster objects and were left out, one line each with the reason.
    public var skipped: [String] { index.skipped }
    /// Number of objects kept.
    public var objectCount: Int { index.objects.count }

    /// Builds the state from objects in memory (each an object or a list), e.g. in tests.
    public init(objects: [JSONValue], source: String = "<memory>") throws(SnapshotError) {
        var builder = SnapshotBuilder()
        for (i, value) in objects.enumerated() {
            try builder.add(document: value, source: SnapshotSource(file: source, path: "", documentIndex: i), text: nil)
        }
        index = builder.finish()
    }

    init(index: SnapshotIndex) { self.index = index }

    // MARK: ClusterState

    public func multidimPodAutoscalers(namespace: String, targetGroup: String, targetKind: String,
                                       targetName: String) async throws -> [MultidimPodAutoscaler] {
        mpas(namespace: namespace, targetGroup: targetGroup, targetKind: targetKind, targetName: targetName)
    }

    public func multidimPodAutoscalers(namespace: String) async throws -> [MultidimPodAutoscaler] {
        index.mpasByNamespace[namespace] ?? []
    }

    public func limitRanges(namespace: String) async throws -> [LimitRange] {
        index.limitRangesByNamespace[namespace] ?? []
    }

    /// Merged once when the snapshot was loaded.
    public func namespaceLimits(namespace: String) async throws -> NamespaceLimits {
        index.namespaceLimits[namespace] ?? NamespaceLimits()
    }

    public func object(_ key: ObjectKey) async throws -> JSONValue? { index.objects[key] }

    public func scaleSelector(_ key: ObjectKey) async throws -> String? { selector(key) }

    public func namespaceLabels(_ namespace: String) async throws -> [String: String]? {
        index.namespaceLabels[namespace]
    }

    // MARK: synchronous forms (the snapshot never waits)

    public func mpas(namespace: String, targetGroup: String, targetKind: String, targetName: String) -> [MultidimPodAutoscaler] {
        index.mpasByTarget[SnapshotIndex.TargetKey(namespace: namespace, group: targetGroup, kind: targetKind, name: targetName)] ?? []
    }

    public func selector(_ key: ObjectKey) -> String? {
        guard let object = index.objects[key] else { return nil }
        if let c = WellKnownController(kind: key.kind, group: key.group),
           c == .daemonSet || c == .job || c == .cronJob { return nil }
        if let s = object["spec"]?["selector"], !s.isNull, let text = LabelSelectorText.format(s) { return text }
        return object["status"]?["selector"]?.stringValue
    }

    /// Where the object with `key` was read from.
    public func source(of key: ObjectKey) -> SnapshotSource? { index.sources[key] }

    /// Every namespace's labels (for the engine's namespaceSelector matching).
    public var allNamespaceLabels: [String: [String: String]] { index.namespaceLabels }
}
