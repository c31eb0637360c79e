import AdmissionAPI
import JSON

extension RuleMatch.Resource {
    /// Kubernetes rule semantics: `"*"` is every resource but no subresource, `"*/*"` every
    /// resource and subresource, `"pods/*"` every subresource of pods, `"*/scale"` that subresource of any.
    public func matches(_ gvr: GroupVersionResource, subResource: String) -> Bool {
        guard group == "*" || group == gvr.group, version == "*" || version == gvr.version else { return false }
        // Split at the first `/` by a byte scan (an ASCII byte's index is a valid String index).
        guard let slash = resource.utf8.firstIndex(of: UInt8(ascii: "/")) else {
            return subResource.isEmpty && (resource == "*" || resource == gvr.resource)
        }
        let main = resource[..<slash]
        let sub = resource[resource.utf8.index(after: slash)...]
        if main == "*" && sub == "*" { return true }
        guard !subResource.isEmpty else { return false }
        return (main == "*" || main == gvr.resource) && (sub == "*" || sub == subResource)
    }
}

extension RuleMatch {
    /// Everything except the namespace selector, which may need a lookup.
    func matchesWithoutNamespaceSelector(_ request: AdmissionRequest) -> Bool {
        guard operations.contains(request.operation) else { return false }
        guard resources.contains(where: { $0.matches(request.resource, subResource: request.subResource) }) else {
            return false
        }
        if let namespaces {
            if request.namespace.isEmpty {
                // Cluster-scoped: a Namespace object is matched by its own name; other
                // cluster-scoped objects are outside any namespace list.
                guard request.isNamespaceObject, namespaces.contains(request.name) else { return false }
            } else if !namespaces.contains(request.namespace) {
                return false
            }
        }
        if let objectSelector, !objectSelector.isEmpty {
            // Like the apiserver: matches when either the new or the old object matches.
            let newMatch = request.object.map { objectSelector.matches(Self.labels(of: $0)) } ?? false
            let oldMatch = request.oldObject.map { objectSelector.matches(Self.labels(of: $0)) } ?? false
            guard newMatch || oldMatch else { return false }
        }
        return true
    }

    /// Full match; `lookup` is called at most when a non-empty namespace selector needs it.
    func matches(_ request: AdmissionRequest,
                 namespaceLabels lookup: () async -> [String: String]?) async -> Bool {
        guard matchesWithoutNamespaceSelector(request) else { return false }
        guard let namespaceSelector, !namespaceSelector.isEmpty else { return true }
        if request.namespace.isEmpty {
            // Apiserver semantics: a Namespace is matched on its own labels; other
            // cluster-scoped objects are never skipped by a namespace selector.
            guard request.isNamespaceObject else { return true }
            let own = (request.object ?? request.oldObject).map(Self.labels(of:)) ?? [:]
            return namespaceSelector.matches(own)
        }
        guard let labels = await lookup() else { return false }
        return namespaceSelector.matches(labels)
    }

    /// `metadata.labels` with string values; anything else counts as no labels.
    public static func labels(of object: JSONValue) -> [String: String] {
        guard case .object(let labels)? = object["metadata"]?["labels"] else { return [:] }
        var out: [String: String] = [:]
        out.reserveCapacity(labels.count)
        for m in labels { if case .string(let v) = m.value { out[m.key] = v } }
        return out
    }
}

extension AdmissionRequest {
    var isNamespaceObject: Bool { resource.group.isEmpty && resource.resource == "namespaces" }
}
