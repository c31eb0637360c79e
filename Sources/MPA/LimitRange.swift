import JSON

/// A `LimitRange` (`v1`): its items, with quantities parsed (decoding is strict).
public struct LimitRange: Sendable, Hashable {
    public var metadata: ObjectMeta
    public var name: String { metadata.name }
    public var namespace: String { metadata.namespace }
    public var items: [LimitRangeItem]

    public init(metadata: ObjectMeta, items: [LimitRangeItem]) {
        self.metadata = metadata; self.items = items
    }

    public init(json: JSONValue) throws(ObjectDecodeError) {
        let root = try FieldReader(json, path: "")
        metadata = try root.reader("metadata").map { m throws(ObjectDecodeError) in try ObjectMeta(m) } ?? ObjectMeta()
        items = try root.reader("spec")?.readers("limits").map { r throws(ObjectDecodeError) in try LimitRangeItem(r) } ?? []
    }

    public func items(ofType type: LimitRangeItem.LimitType) -> [LimitRangeItem] { items.filter { $0.type == type } }
}

public struct LimitRangeItem: Sendable, Hashable {
    public enum LimitType: Sendable, Hashable {
        case pod, container, persistentVolumeClaim
        case other(String)

        public init(_ text: String) {
            switch text {
            case "Pod": self = .pod
            case "Container": self = .container
            case "PersistentVolumeClaim": self = .persistentVolumeClaim
            default: self = .other(text)
            }
        }
    }

    public var type: LimitType
    public var min: ResourceList
    public var max: ResourceList
    public var `default`: ResourceList
    public var defaultRequest: ResourceList
    public var maxLimitRequestRatio: ResourceList

    public init(type: LimitType, min: ResourceList = ResourceList(), max: ResourceList = ResourceList(),
                default: ResourceList = ResourceList(), defaultRequest: ResourceList = ResourceList(),
                maxLimitRequestRatio: ResourceList = ResourceList()) {
        self.type = type; self.min = min; self.max = max; self.default = `default`
        self.defaultRequest = defaultRequest; self.maxLimitRequestRatio = maxLimitRequestRatio
    }

    init(_ r: FieldReader) throws(ObjectDecodeError) {
        type = LimitType(try r.requiredString("type"))
        min = try r.resourceList("min") ?? ResourceList()
        max = try r.resourceList("max") ?? ResourceList()
        `default` = try r.resourceList("default") ?? ResourceList()
        defaultRequest = try r.resourceList("defaultRequest") ?? ResourceList()
        maxLimitRequestRatio = try r.resourceList("maxLimitRequestRatio") ?? ResourceList()
    }
}
