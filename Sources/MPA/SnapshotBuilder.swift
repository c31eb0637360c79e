import JSON
import YAMLValue

/// Adds documents to a `SnapshotIndex`, turning every problem into a `SnapshotError`.
struct SnapshotBuilder {
    var index = SnapshotIndex()

    /// Cluster-scoped kinds (no namespace); every other kind is namespaced.
    static let clusterScopedKinds: Set<String> = [
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass",
        "CustomResourceDefinition", "PriorityClass", "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "APIService", "IngressClass", "RuntimeClass", "CSIDriver", "CSINode",
        "VolumeAttachment", "CertificateSigningRequest", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    ]

    /// `text` is the file's text when the document came from YAML/JSON text (for precise lines on error).
    mutating func add(document value: JSONValue, source: SnapshotSource, text: LazyText?) throws(SnapshotError) {
        if value.isNull { return }  // empty YAML document
        guard case .object(let o) = value else {
            throw error(source, text, "", "expected a Kubernetes object or list, got \(value.typeName)")
        }
        let kind = o["kind"]?.stringValue ?? ""
        if let reason = Self.notAClusterObject(o) {
            index.warnings.append("\(source): skipped: \(reason)")
            return
        }
        if let items = o["items"], kind == "List" || (kind.hasSuffix("List") && kind.count > 4) {
            guard case .array(let list) = items else {
                throw error(source, text, "items", "must be a list, got \(items.typeName)")
            }
            let itemKind = kind == "List" ? nil : String(kind.dropLast(4))
            let listVersion = o["apiVersion"]?.stringValue
            for (i, item) in list.enumerated() {
                var item = item
                if case .object(var io) = item, let itemKind {
                    if io["kind"] == nil { io["kind"] = .string(itemKind) }
                    if io["apiVersion"] == nil, let listVersion { io["apiVersion"] = .string(listVersion) }
                    item = .object(io)
                }
                var itemSource = source
                itemSource.path = source.path.isEmpty ? "items[\(i)]" : "\(source.path).items[\(i)]"
                try add(document: item, source: itemSource, text: text)
            }
            return
        }
        try addObject(o, source: source, text: text)
    }

    private mutating func addObject(_ o: JSONObject, source: SnapshotSource, text: LazyText?) throws(SnapshotError) {
        let value = JSONValue.object(o)
        guard let kind = o["kind"]?.stringValue, !kind.isEmpty else {
            throw error(source, text, "kind", "is required (a string)")
        }
        guard let apiVersion = o["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw error(source, text, "apiVersion", "is required (a string)")
        }
        var meta: ObjectMeta
        do {
            meta = try ObjectMeta(object: value)
        } catch {
            throw self.error(source, text, error.path, error.message)
        }
        guard !meta.name.isEmpty else { throw error(source, text, "metadata.name", "is required") }
        let clusterScoped = Self.clusterScopedKinds.contains(kind)
        if clusterScoped {
            meta.namespace = ""
        } else if meta.namespace.isEmpty {
            meta.namespace = "default"
        }
        var stored = value
        if !clusterScoped, o["metadata"]?["namespace"]?.stringValue != meta.namespace {
            stored = Self.withNamespace(o, meta.namespace)
        }
        let key = ObjectKey(apiVersion: apiVersion, kind: kind, namespace: meta.namespace, name: meta.name)
        if let earlier = index.sources[key] {
            throw error(source, text, "", "duplicate object \(key) (first in \(earlier))")
        }
        let group = key.group
        if kind == MultidimPodAutoscaler.kind && group == MultidimPodAutoscaler.group {
            let mpa: MultidimPodAutoscaler
            do {
                mpa = try MultidimPodAutoscaler(json: stored)
            } catch {
                throw self.error(source, text, error.path, error.message)
            }
            for p in mpa.problems { index.warnings.append("\(located(source, text, p.path)): \(p.path): \(p.message)") }
            index.mpasByNamespace[meta.namespace, default: []].append(mpa)
            if let t = mpa.scaleTargetRef, !t.kind.isEmpty, !t.name.isEmpty {
                let tk = SnapshotIndex.TargetKey(namespace: meta.namespace, group: t.group, kind: t.kind, name: t.name)
                index.mpasByTarget[tk, default: []].append(mpa)
            }
        } else if kind == "LimitRange" && group.isEmpty {
            do {
                var lr = try LimitRange(json: stored)
                lr.metadata.namespace = meta.namespace
                index.limitRangesByNamespace[meta.namespace, default: []].append(lr)
            } catch {
                throw self.error(source, text, error.path, error.message)
            }
        } else if kind == "Namespace" && group.isEmpty {
            var labels = meta.labels
            labels[SnapshotClusterState.namespaceNameLabel] = meta.name
            index.namespaceLabels[meta.name] = labels
        }
        if !meta.namespace.isEmpty { index.impliedNamespaces.insert(meta.namespace) }
        index.objects[key] = stored
        index.sources[key] = source
    }

    /// Documents that can sit next to manifests but are not cluster objects: configuration
    /// files without `apiVersion`, `kind` and `metadata` (e.g. a rules configuration), and
    /// API messages or tool files (`AdmissionReview`, `Kustomization`, kubeconfig `Config`).
    static func notAClusterObject(_ o: JSONObject) -> String? {
        if o["apiVersion"] == nil && o["kind"] == nil && o["metadata"] == nil {
            return "no apiVersion, kind or metadata (not a Kubernetes object)"
        }
        if let kind = o["kind"]?.stringValue, notStoredKinds.contains(kind), o["metadata"]?["name"] == nil {
            return "a \(kind) is not a cluster object"
        }
        return nil
    }

    static let notStoredKinds: Set<String> = ["AdmissionReview", "Kustomization", "Config", "Status"]

    static func withNamespace(_ o: JSONObject, _ namespace: String) -> JSONValue {
        var o = o
        var meta = o["metadata"]?.objectValue ?? JSONObject()
        meta["namespace"] = .string(namespace)
        o["metadata"] = .object(meta)
        return .object(o)
    }

    func finish() -> SnapshotIndex {
        var i = index
        i.finish()
        return i
    }

    /// An error at `path` inside the object at `source`, with the best line we can find.
    func error(_ source: SnapshotSource, _ text: LazyText?, _ path: String, _ message: String) -> SnapshotError {
        let full = [source.path, path].filter { !$0.isEmpty }.joined(separator: ".")
        var line = source.line
        var column: Int?
        if let text, let at = YAMLValue.location(ofFieldPath: full, documentIndex: source.documentIndex, in: text.text) {
            line = at.line
            column = at.column
        }
        return SnapshotError(file: source.file, line: line, column: column, path: full, message: message)
    }

    private func located(_ source: SnapshotSource, _ text: LazyText?, _ path: String) -> String {
        let e = error(source, text, path, "")
        return e.line.map { "\(e.file):\($0)" } ?? e.file
    }
}
