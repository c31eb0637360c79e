import JSON
import Quantity

/// A `corev1.ResourceList`: resource name → quantity.
public struct ResourceList: Sendable, Hashable, Sequence {
    public var quantities: [String: Quantity]

    public init(_ quantities: [String: Quantity] = [:]) { self.quantities = quantities }

    /// Decodes `{name: quantity}`; a quantity is a string (`"100m"`) or a JSON number (`1`),
    /// as `resource.Quantity.UnmarshalJSON` accepts.
    public init(json: JSONValue, path: String) throws(ObjectDecodeError) {
        guard case .object(let o) = json else {
            throw ObjectDecodeError(path: path, "must be an object of resource quantities, got \(json.typeName)")
        }
        var out: [String: Quantity] = [:]
        for m in o {
            let at = path.isEmpty ? m.key : "\(path).\(m.key)"
            out[m.key] = try Self.quantity(m.value, path: at)
        }
        quantities = out
    }

    /// One quantity value (string or number); `null` is an error here (use absence instead).
    public static func quantity(_ value: JSONValue, path: String) throws(ObjectDecodeError) -> Quantity {
        let text: String
        switch value {
        case .string(let s): text = s
        case .number(let n): text = n.text
        default: throw ObjectDecodeError(path: path, "must be a quantity (string or number), got \(value.typeName)")
        }
        do {
            return try Quantity(unmarshalling: text)
        } catch {
            throw ObjectDecodeError(path: path, "invalid quantity: \(error.description)")
        }
    }

    public subscript(resource: String) -> Quantity? {
        get { quantities[resource] }
        set { quantities[resource] = newValue }
    }

    public var isEmpty: Bool { quantities.isEmpty }
    public var count: Int { quantities.count }

    /// Resource names in patch order: cpu, memory, then the others by name.
    public var orderedNames: [String] { Self.ordered(quantities.keys) }

    public static func ordered<S: Sequence>(_ names: S) -> [String] where S.Element == String {
        names.sorted { a, b in
            let ra = rank(a), rb = rank(b)
            return ra != rb ? ra < rb : a < b
        }
    }

    private static func rank(_ name: String) -> Int {
        switch name {
        case "cpu": return 0
        case "memory": return 1
        default: return 2
        }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, quantity: Quantity)]> {
        orderedNames.compactMap { n in quantities[n].map { (name: n, quantity: $0) } }.makeIterator()
    }

    /// `{name: "canonical"}` in patch order.
    public var json: JSONValue {
        .object(JSONObject(orderedNames.compactMap { n in quantities[n].map { (key: n, value: .string($0.description)) } }))
    }
}
