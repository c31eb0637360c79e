import JSON

/// The parts of `metadata` the MPA rules and the cluster state read.
public struct ObjectMeta: Sendable, Hashable {
    public var name: String
    public var generateName: String
    public var namespace: String
    public var uid: String
    public var creationTimestamp: Timestamp?
    public var labels: [String: String]
    public var annotations: [String: String]
    public var ownerReferences: [OwnerReference]

    public init(name: String = "", generateName: String = "", namespace: String = "", uid: String = "",
                creationTimestamp: Timestamp? = nil, labels: [String: String] = [:],
                annotations: [String: String] = [:], ownerReferences: [OwnerReference] = []) {
        self.name = name; self.generateName = generateName; self.namespace = namespace; self.uid = uid
        self.creationTimestamp = creationTimestamp; self.labels = labels; self.annotations = annotations
        self.ownerReferences = ownerReferences
    }

    /// Reads `object.metadata` (absent metadata reads as empty).
    public init(object: JSONValue) throws(ObjectDecodeError) {
        let root = try FieldReader(object, path: "")
        guard let m = try root.reader("metadata") else { self.init(); return }
        try self.init(m)
    }

    init(_ m: FieldReader) throws(ObjectDecodeError) {
        name = try m.string("name") ?? ""
        generateName = try m.string("generateName") ?? ""
        namespace = try m.string("namespace") ?? ""
        uid = try m.string("uid") ?? ""
        if let ts = try m.string("creationTimestamp") {
            guard let t = Timestamp(rfc3339: ts) else {
                throw ObjectDecodeError(path: m.childPath("creationTimestamp"), "\"\(ts)\" is not an RFC 3339 time")
            }
            creationTimestamp = t
        }
        labels = try m.stringMap("labels") ?? [:]
        annotations = try m.stringMap("annotations") ?? [:]
        ownerReferences = try m.readers("ownerReferences").map { r throws(ObjectDecodeError) in try OwnerReference(r) }
    }

    /// The controlling owner (`controller: true`), if any.
    public var controllerReference: OwnerReference? { ownerReferences.first { $0.controller } }

    /// `name`, or `<generateName>%` for a pod that has no name yet (§2.1.6).
    public var displayName: String { name.isEmpty ? "\(generateName)%" : name }
}
