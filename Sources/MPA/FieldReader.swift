import JSON
import Quantity

/// Typed, path-aware reads from a JSON object for the decoders in this module.
/// Absent and `null` members read as nil; a member of the wrong type is an error naming its path.
public struct FieldReader: Sendable {
    public let object: JSONObject
    public let path: String

    public init(_ value: JSONValue, path: String) throws(ObjectDecodeError) {
        guard case .object(let o) = value else {
            throw ObjectDecodeError(path: path, "must be an object, got \(value.typeName)")
        }
        self.object = o
        self.path = path
    }

    public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func value(_ key: String) -> JSONValue? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    public func string(_ key: String) throws(ObjectDecodeError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw ObjectDecodeError(path: childPath(key), "must be a string, got \(v.typeName)") }
        return s
    }

    public func requiredString(_ key: String) throws(ObjectDecodeError) -> String {
        guard let s = try string(key), !s.isEmpty else { throw ObjectDecodeError(path: childPath(key), "is required") }
        return s
    }

    public func bool(_ key: String) throws(ObjectDecodeError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw ObjectDecodeError(path: childPath(key), "must be true or false, got \(v.typeName)") }
        return b
    }

    public func int(_ key: String) throws(ObjectDecodeError) -> Int64? {
        guard let v = value(key) else { return nil }
        guard let i = v.int64Value else { throw ObjectDecodeError(path: childPath(key), "must be an integer, got \(v)") }
        return i
    }

    public func reader(_ key: String) throws(ObjectDecodeError) -> FieldReader? {
        guard let v = value(key) else { return nil }
        return try FieldReader(v, path: childPath(key))
    }

    public func array(_ key: String) throws(ObjectDecodeError) -> [JSONValue]? {
        guard let v = value(key) else { return nil }
        guard case .array(let a) = v else { throw ObjectDecodeError(path: childPath(key), "must be a list, got \(v.typeName)") }
        return a
    }

    /// A list of objects, each as a reader with its `[i]` path.
    public func readers(_ key: String) throws(ObjectDecodeError) -> [FieldReader] {
        guard let items = try array(key) else { return [] }
        var out: [FieldReader] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            out.append(try FieldReader(item, path: "\(childPath(key))[\(i)]"))
        }
        return out
    }

    public func strings(_ key: String) throws(ObjectDecodeError) -> [String]? {
        guard let items = try array(key) else { return nil }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                throw ObjectDecodeError(path: "\(childPath(key))[\(i)]", "must be a string, got \(item.typeName)")
            }
            out.append(s)
        }
        return out
    }

    /// A `map[string]string` such as labels or annotations.
    public func stringMap(_ key: String) throws(ObjectDecodeError) -> [String: String]? {
        guard let r = try reader(key) else { return nil }
        var out: [String: String] = [:]
        out.reserveCapacity(r.object.count)
        for m in r.object {
            guard case .string(let s) = m.value else {
                throw ObjectDecodeError(path: r.childPath(m.key), "must be a string, got \(m.value.typeName)")
            }
            out[m.key] = s
        }
        return out
    }

    /// A resource map (`{cpu: 100m, memory: 128Mi}`); values are quantity strings or numbers.
    public func resourceList(_ key: String) throws(ObjectDecodeError) -> ResourceList? {
        guard let v = value(key) else { return nil }
        return try ResourceList(json: v, path: childPath(key))
    }
}
