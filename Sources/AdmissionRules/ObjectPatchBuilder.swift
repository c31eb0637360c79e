import JSON
import JSONPatch

/// Builds patch operations against an object for a defaulter, keeping a copy of the object
/// in step so later operations see earlier ones.
///
/// `set` creates missing parent objects first (`add /metadata/annotations {}` before
/// `add /metadata/annotations/x`) and never replaces an existing parent, which is the
/// classic way to lose a pod's other annotations.
public struct ObjectPatchBuilder: Sendable {
    public private(set) var object: JSONValue
    public private(set) var operations: [PatchOperation] = []

    public init(_ object: JSONValue) { self.object = object }

    /// Sets the value at `path`, creating missing parent objects.
    public mutating func set(_ value: JSONValue, at path: JSONPointer) throws(JSONPatchError) {
        var prefix: [String] = []
        for token in path.tokens.dropLast() {
            prefix.append(token)
            let p = JSONPointer(tokens: prefix)
            if exists(p) { continue }
            try apply(.add(path: p, value: .object(JSONObject())))
        }
        if exists(path), self.value(at: path) == value { return }
        try apply(.add(path: path, value: value))
    }

    /// Sets the value only when nothing is there yet; true when it did.
    @discardableResult
    public mutating func setIfAbsent(_ value: JSONValue, at path: JSONPointer) throws(JSONPatchError) -> Bool {
        if exists(path) { return false }
        try set(value, at: path)
        return true
    }

    /// Removes the value at `path` when present.
    public mutating func remove(at path: JSONPointer) throws(JSONPatchError) {
        guard exists(path) else { return }
        try apply(.remove(path: path))
    }

    /// Sets `metadata.annotations[key]`.
    public mutating func setAnnotation(_ key: String, _ value: String) throws(JSONPatchError) {
        try set(.string(value), at: JSONPointer(tokens: ["metadata", "annotations", key]))
    }

    /// Sets `metadata.labels[key]`.
    public mutating func setLabel(_ key: String, _ value: String) throws(JSONPatchError) {
        try set(.string(value), at: JSONPointer(tokens: ["metadata", "labels", key]))
    }

    public func value(at path: JSONPointer) -> JSONValue? {
        var current = object
        for token in path.tokens {
            switch current {
            case .object(let o):
                guard let v = o[token] else { return nil }
                current = v
            case .array(let a):
                guard let i = Int(token), i >= 0, i < a.count, String(i) == token else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }

    public func exists(_ path: JSONPointer) -> Bool { value(at: path) != nil }

    private mutating func apply(_ op: PatchOperation) throws(JSONPatchError) {
        object = try JSONPatch.apply([op], to: object)
        operations.append(op)
    }
}
