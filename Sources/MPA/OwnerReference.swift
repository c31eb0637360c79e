import JSON

/// A `metav1.OwnerReference`.
public struct OwnerReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool

    public init(apiVersion: String, kind: String, name: String, uid: String = "", controller: Bool = false) {
        self.apiVersion = apiVersion; self.kind = kind; self.name = name; self.uid = uid; self.controller = controller
    }

    init(_ r: FieldReader) throws(ObjectDecodeError) {
        apiVersion = try r.string("apiVersion") ?? ""
        kind = try r.requiredString("kind")
        name = try r.requiredString("name")
        uid = try r.string("uid") ?? ""
        controller = try r.bool("controller") ?? false
    }

    /// The owner's key, in `namespace` (owners are in the object's namespace or cluster-scoped).
    public func key(namespace: String) -> ObjectKey {
        ObjectKey(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }
}
