/// A snapshot file that cannot be loaded: which file, where in it, and what is wrong.
public struct SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Field path inside the object or document (`items[2].spec.scaleTargetRef`), may be empty.
    public var path: String
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, path: String = "", message: String) {
        self.file = file; self.line = line; self.column = column; self.path = path; self.message = message
    }

    /// `dir/mpa.yaml:12:5: spec.policy.updateMode: unsupported value "auto" (...)`.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// Where an object of a snapshot came from (for messages and duplicate detection).
public struct SnapshotSource: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line of the object when known (YAML documents; JSON files only on error).
    public var line: Int?
    /// Path of the object inside its document (`items[3]`), empty for a top-level object.
    public var path: String
    public var documentIndex: Int

    public init(file: String, line: Int? = nil, path: String = "", documentIndex: Int = 0) {
        self.file = file; self.line = line; self.path = path; self.documentIndex = documentIndex
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if !path.isEmpty { s += " (\(path))" }
        return s
    }
}
