import JSON

/// A read-only view of a pod: metadata and its containers' names and resources, with the
/// JSON positions the patch needs. Never used to re-serialise the pod.
public struct PodView: Sendable, Hashable {
    public var metadata: ObjectMeta
    /// Whether `metadata.annotations` exists (the patch creates it only when absent).
    public var hasAnnotations: Bool
    public var containers: [ContainerView]
    public var initContainers: [ContainerView]

    public init(json: JSONValue) throws(ObjectDecodeError) {
        let root = try FieldReader(json, path: "")
        let meta = try root.reader("metadata")
        metadata = try meta.map { m throws(ObjectDecodeError) in try ObjectMeta(m) } ?? ObjectMeta()
        hasAnnotations = meta?.object["annotations"].map { !$0.isNull } ?? false
        let spec = try root.reader("spec")
        containers = try Self.containers(spec, "containers")
        initContainers = try Self.containers(spec, "initContainers")
    }

    private static func containers(_ spec: FieldReader?, _ key: String) throws(ObjectDecodeError) -> [ContainerView] {
        guard let spec else { return [] }
        var out: [ContainerView] = []
        for (i, r) in try spec.readers(key).enumerated() {
            out.append(try ContainerView(r, index: i, listKey: key))
        }
        return out
    }

    /// `spec.initContainers` with `restartPolicy: Always` (native sidecars).
    public var sidecars: [ContainerView] { initContainers.filter(\.isNativeSidecar) }
}

public struct ContainerView: Sendable, Hashable {
    /// `containers` or `initContainers`.
    public var listKey: String
    public var index: Int
    public var name: String
    public var restartPolicy: String?
    /// Whether `resources`, `resources.requests`, `resources.limits` exist as objects.
    public var hasResources: Bool
    public var hasRequests: Bool
    public var hasLimits: Bool
    public var requests: ResourceList
    public var limits: ResourceList

    init(_ r: FieldReader, index: Int, listKey: String) throws(ObjectDecodeError) {
        self.listKey = listKey
        self.index = index
        name = try r.string("name") ?? ""
        restartPolicy = try r.string("restartPolicy")
        let resources = try r.reader("resources")
        hasResources = resources != nil
        hasRequests = resources?.value("requests") != nil
        hasLimits = resources?.value("limits") != nil
        requests = try resources?.resourceList("requests") ?? ResourceList()
        limits = try resources?.resourceList("limits") ?? ResourceList()
    }

    public var isNativeSidecar: Bool { listKey == "initContainers" && restartPolicy == "Always" }
}
