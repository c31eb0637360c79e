import JSON

/// One RFC 6902 operation.
public enum PatchOperation: Sendable, Hashable {
    case add(path: JSONPointer, value: JSONValue)
    case remove(path: JSONPointer)
    case replace(path: JSONPointer, value: JSONValue)
    case move(from: JSONPointer, path: JSONPointer)
    case copy(from: JSONPointer, path: JSONPointer)
    case test(path: JSONPointer, value: JSONValue)

    public var opName: String {
        switch self {
        case .add: return "add"
        case .remove: return "remove"
        case .replace: return "replace"
        case .move: return "move"
        case .copy: return "copy"
        case .test: return "test"
        }
    }

    public var path: JSONPointer {
        switch self {
        case .add(let p, _), .remove(let p), .replace(let p, _), .move(_, let p), .copy(_, let p), .test(let p, _):
            return p
        }
    }

    /// The source of `move` and `copy`; `nil` for the other operations.
    public var from: JSONPointer? {
        switch self {
        case .move(let f, _), .copy(let f, _): return f
        case .add, .remove, .replace, .test: return nil
        }
    }

    /// The operation as its JSON object: `{"op":…,"path":…[,"from":…][,"value":…]}` in that order.
    public var jsonValue: JSONValue {
        var o = JSONObject()
        o["op"] = .string(opName)
        switch self {
        case .add(let p, let v), .replace(let p, let v), .test(let p, let v):
            o["path"] = .string(p.description)
            o["value"] = v
        case .remove(let p):
            o["path"] = .string(p.description)
        case .move(let f, let p), .copy(let f, let p):
            o["path"] = .string(p.description)
            o["from"] = .string(f.description)
        }
        return .object(o)
    }
}

/// An ordered list of operations (a JSON Patch document).
public typealias JSONPatchDocument = [PatchOperation]
