import JSON
import JSONPatch

extension ObjectPatchBuilder {
    public enum AppendError: Error, Sendable, CustomStringConvertible {
        case notAnArray(JSONPointer, found: String)
        case patch(JSONPatchError)
        public var description: String {
            switch self {
            case .notAnArray(let p, let found): return "\(p) is \(found), not a list"
            case .patch(let e): return e.description
            }
        }
    }

    /// Appends `values` to the list at `path`: one `add <path>/-` per value when the list
    /// exists, or one `add <path> [values]` (creating missing parents) when it does not.
    public mutating func append(_ values: [JSONValue], toListAt path: JSONPointer) throws(AppendError) {
        guard !values.isEmpty else { return }
        switch value(at: path) {
        case nil, .null?:
            do { try set(.array(values), at: path) } catch { throw .patch(error) }
        case .array?:
            let end = JSONPointer(tokens: path.tokens + ["-"])
            for v in values {
                do { try set(v, at: end) } catch { throw .patch(error) }
            }
        case let other?:
            throw .notAnArray(path, found: other.typeName)
        }
    }
}
